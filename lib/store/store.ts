/**
 * Where state shared between requests (and, with a shared backend such as Redis, between processes) lives: the
 * callback replay guard's accepted nonces, a merchant's downloaded platform certificates and who refreshes them.
 * Values are strings; every entry expires. Implementations: `MemoryStore` (the default, one process) and
 * `redisStore(client)` from `wechatpay-chain/redis`.
 */
export interface Store {
  /** The value under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Write `value` under `key`, expiring after `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Write `value` under `key` only when no live entry is there; true when this call wrote it. Atomic: of any number
   * of concurrent callers (in any process sharing the store) exactly one gets true. Also serves as a lock with a
   * lease of `ttlSeconds`.
   */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Remove `key` (absent is fine). */
  delete(key: string): Promise<void>;
}

const METHODS = ['get', 'set', 'setIfAbsent', 'delete'] as const;

/** The methods a value lacks to be a `Store` (empty: it is one), for config checks that name what is missing. */
export function missingStoreMethods(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [...METHODS];
  return METHODS.filter((name) => typeof (value as Record<string, unknown>)[name] !== 'function');
}
