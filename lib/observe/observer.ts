import type { FieldIssue } from '../errors';

/**
 * What a client reports about its calls. Events carry only these fields: never a key, a body, an Authorization
 * value or a signature, so they are safe to ship to any log sink.
 */
interface EventBase {
  method: string;
  /** The request path without its query (which may carry business data). */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** Origin the attempt went to (`https://api.mch.weixin.qq.com`). */
  host: string;
}
export interface RequestEvent extends EventBase {
  type: 'request';
}
export interface ResponseEvent extends EventBase {
  type: 'response';
  status: number;
  requestId?: string;
  durationMs: number;
}
export interface ErrorEvent extends EventBase {
  type: 'error';
  /** The error class (`ApiError`, `TransportError`, `SignatureError`, ...). */
  error: string;
  status?: number;
  /** `ApiError.code`, `TransportError.code` or `SignatureError.reason`. */
  code?: string;
  requestId?: string;
  durationMs: number;
}
export interface RetryEvent extends EventBase {
  type: 'retry';
  /** Why the failed attempt is retried: `HTTP 503`, `HTTP 429`, `ECONNRESET`, ... */
  reason: string;
  delayMs: number;
  /** Origin of the next attempt (the backup host after a failover). */
  nextHost: string;
}
/** A shared store (`certificateStore`, `replayGuard.store`) failed, and what was done instead. */
export interface StoreEvent {
  type: 'store';
  /** What the store was used for. */
  use: 'certificates' | 'replayGuard';
  /** The store method that failed. */
  operation: string;
  /** The failure's message (a store's own error: no key, no secret of ours). */
  error: string;
  /** What was done instead: `downloading locally` (certificates fail open), `callback refused with 503 ...` (the replay guard fails closed), ... */
  outcome: string;
}
export type ClientEvent = RequestEvent | ResponseEvent | ErrorEvent | RetryEvent | StoreEvent;

export interface ClientHooks {
  request?(event: RequestEvent): void;
  response?(event: ResponseEvent): void;
  retry?(event: RetryEvent): void;
  error?(event: ErrorEvent): void;
  store?(event: StoreEvent): void;
}

/** `console` fits, as does any logger taking `(message, fields)`. */
export interface ClientLogger {
  debug?(message: string, event: ClientEvent): void;
  info?(message: string, event: ClientEvent): void;
  warn?(message: string, event: ClientEvent): void;
  error?(message: string, event: ClientEvent): void;
}

const HOOKS = ['request', 'response', 'retry', 'error', 'store'] as const;
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const LEVEL_OF: Record<ClientEvent['type'], (typeof LEVELS)[number]> = {
  request: 'debug',
  response: 'debug',
  retry: 'warn',
  error: 'error',
  store: 'warn',
};

export function hooksIssues({ hooks, logger }: { hooks?: unknown; logger?: unknown }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (owner: unknown, path: string, names: readonly string[]) => {
    if (typeof owner !== 'object' || owner === null) return;
    for (const [name, value] of Object.entries(owner)) {
      if (!names.includes(name)) {
        if (path === 'hooks') issues.push({ path: `hooks.${name}`, issue: `is not a hook (${names.join(', ')})` });
      } else if (value !== undefined && typeof value !== 'function') {
        issues.push({ path: `${path}.${name}`, issue: 'must be a function' });
      }
    }
  };
  check(hooks, 'hooks', HOOKS);
  // loggers are often class instances with more methods: only the ones used are checked
  check(logger, 'logger', LEVELS);
  return issues;
}

function describe(event: ClientEvent): string {
  if (event.type === 'store') {
    return `wechatpay-chain ${event.use} store ${event.operation} failed (${event.error}): ${event.outcome}`;
  }
  const head = `wechatpay-chain ${event.method} ${event.path}`;
  const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
  switch (event.type) {
    case 'request':
      return `${head} -> ${event.host}${attempt}`;
    case 'response':
      return `${head} <- ${event.status} ${event.requestId ?? '-'} ${event.durationMs} ms${attempt}`;
    case 'error':
      return `${head} failed: ${event.error} ${event.status ?? ''} ${event.code ?? ''} ${event.requestId ?? '-'} ${event.durationMs} ms${attempt}`;
    case 'retry':
      return `${head} retry in ${event.delayMs} ms after ${event.reason} -> ${event.nextHost}`;
  }
}

/** Fans events out to the hooks and the logger; a throwing hook or logger never breaks the call. */
export class Observer {
  constructor(
    private readonly hooks?: ClientHooks,
    private readonly logger?: ClientLogger,
  ) {}

  get active(): boolean {
    return this.hooks !== undefined || this.logger !== undefined;
  }

  emit(event: ClientEvent): void {
    if (!this.active) return;
    const frozen = Object.freeze(event);
    try {
      (this.hooks?.[frozen.type] as ((event: ClientEvent) => void) | undefined)?.call(this.hooks, frozen);
    } catch {
      // observability must not change the outcome of a payment call
    }
    try {
      this.logger?.[LEVEL_OF[frozen.type]]?.call(this.logger, describe(frozen), frozen);
    } catch {
      // as above
    }
  }
}
