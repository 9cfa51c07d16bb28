import type { Store } from '../store/store';

/**
 * The few commands `redisStore` uses, as ioredis types them. Structural on purpose: this module never loads ioredis
 * (the caller hands over a connected client), so `wechatpay-chain/redis` costs nothing to those who do not use it.
 */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, expiry: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string, expiry: 'EX', seconds: number, mode: 'NX'): Promise<unknown>;
  del(key: string): Promise<number>;
}

export interface RedisStoreOptions {
  /** Prepended to every key (default `wechatpay-chain:`), so the SDK's entries stay apart in a shared database. */
  prefix?: string;
  /**
   * A command not answered within this many milliseconds rejects (default 2000). ioredis queues commands while it
   * reconnects; without a bound an outage would hold a callback past WeChat Pay's own timeout instead of failing it.
   */
  timeoutMs?: number;
}

function bounded<T>(command: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis ${what} not answered within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([command, late]).finally(() => clearTimeout(timer));
}

function checkOptions(client: unknown, options: RedisStoreOptions): void {
  const methods = ['get', 'set', 'del'] as const;
  if (
    typeof client !== 'object' ||
    client === null ||
    methods.some((name) => typeof (client as never)[name] !== 'function')
  ) {
    throw new TypeError('redisStore(client) takes an ioredis client (new Redis(...)): get, set and del are missing');
  }
  const { prefix, timeoutMs } = options;
  if (prefix !== undefined && typeof prefix !== 'string') throw new TypeError('redisStore: prefix must be a string');
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2 ** 31 - 1)) {
    throw new TypeError('redisStore: timeoutMs must be a positive integer (milliseconds)');
  }
}

/** Whole seconds for `EX`: Redis refuses 0 and fractions. */
const seconds = (ttlSeconds: number) => Math.max(1, Math.ceil(ttlSeconds));

/**
 * A `Store` over Redis, shared by every process that connects to the same server: give it to `Webhook`/`FetchWebhook`
 * as `replayGuard: { store }` and to `Builder.factory` as `certificateStore`. `setIfAbsent` is `SET key value EX ttl NX`
 * (atomic in Redis).
 */
export function redisStore(client: RedisClientLike, options: RedisStoreOptions = {}): Store {
  checkOptions(client, options);
  const prefix = options.prefix ?? 'wechatpay-chain:';
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async get(key) {
      return (await bounded(client.get(prefix + key), timeoutMs, 'GET')) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await bounded(client.set(prefix + key, value, 'EX', seconds(ttlSeconds)), timeoutMs, 'SET');
    },
    async setIfAbsent(key, value, ttlSeconds) {
      const reply = await bounded(
        client.set(prefix + key, value, 'EX', seconds(ttlSeconds), 'NX'),
        timeoutMs,
        'SET NX',
      );
      return reply === 'OK';
    },
    async delete(key) {
      await bounded(client.del(prefix + key), timeoutMs, 'DEL');
    },
  };
}

export type { Store } from '../store/store';
