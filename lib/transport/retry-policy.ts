import { pathValues } from '../catalog/lookup';
import { reentrantOn } from '../catalog/reentry';
import type { RouteFacts } from '../catalog/route-facts';
import { ApiError, TransportError, ValidationError, type FieldIssue } from '../errors';
import type { RequestOptions } from '../request/options';

/** How a client or a call retries; `true` takes the defaults, a number is `retries`. */
export interface RetryOptions {
  /** Attempts after the first one (default 2). */
  retries?: number;
  /** First backoff step (default 200 ms); step n is `baseDelayMs * 2^(n-1)`, capped by `maxDelayMs`, jittered. */
  baseDelayMs?: number;
  /** Longest wait between attempts (default 5000 ms); a longer `Retry-After` ends the retries instead. */
  maxDelayMs?: number;
}
export type RetrySetting = boolean | number | RetryOptions;

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULTS: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 5000 };
const NUMBERS = ['retries', 'baseDelayMs', 'maxDelayMs'] as const;

/** Problems of a `retry` setting (client config or call option), each naming its field. */
export function retryIssues(value: unknown, path: string): FieldIssue[] {
  if (value === undefined || typeof value === 'boolean') return [];
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? [] : [{ path, issue: 'must be a non-negative integer' }];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, issue: 'must be boolean, a number of retries, or { retries, baseDelayMs, maxDelayMs }' }];
  }
  const issues: FieldIssue[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (!(NUMBERS as readonly string[]).includes(key))
      issues.push({ path: `${path}.${key}`, issue: 'is not a known option' });
    else if (field !== undefined && (typeof field !== 'number' || !Number.isInteger(field) || field < 0)) {
      issues.push({ path: `${path}.${key}`, issue: 'must be a non-negative integer' });
    }
  }
  return issues;
}

function policyOf(setting: RetrySetting): RetryPolicy | undefined {
  if (setting === false || setting === 0) return undefined;
  if (setting === true) return DEFAULTS;
  if (typeof setting === 'number') return { ...DEFAULTS, retries: setting };
  const policy = { ...DEFAULTS };
  for (const key of NUMBERS) if (setting[key] !== undefined) policy[key] = setting[key]!;
  return policy.retries > 0 ? policy : undefined;
}

/** The call's setting wins over the client's; retries are off unless one of them turns them on. */
export function resolvePolicy(
  client: RetrySetting | undefined,
  call: RetrySetting | undefined,
): RetryPolicy | undefined {
  if (call !== undefined) return policyOf(call);
  return client === undefined ? undefined : policyOf(client);
}

/** A business number given: a non-empty string or a number (what a template or `JSON.stringify` sends). */
const isGiven = (value: unknown): boolean => (typeof value === 'string' && value !== '') || typeof value === 'number';

/** What a call sends: its body bytes and its expanded path. */
export interface SentRequest {
  data?: string | Buffer;
  /** Relative, as sent: `v3/pay/transactions/out-trade-no/T1/close` (a query is ignored). */
  url: string;
}

/** The top-level fields of a JSON object body as sent; anything else (no body, media, not JSON) has none. */
function sentFields(data: SentRequest['data']): Record<string, unknown> {
  if (data === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Whether sending the call again is harmless. `idempotent` (the call's own say) wins; else a GET is, and so is a
 * call on a catalogued operation whose sent bytes carry every business number the operation is re-entrant on (in
 * the JSON body or in the path). A top-level option that is neither is never sent, so it does not count.
 */
export function safeToRepeat(
  method: string,
  route: RouteFacts | undefined,
  sent: SentRequest,
  idempotent?: boolean,
): boolean {
  if (idempotent !== undefined) return idempotent;
  if (method === 'GET') return true;
  if (route === undefined) return false;
  const numbers = reentrantOn(route);
  if (numbers.length === 0) return false;
  const json = sentFields(sent.data);
  const inPath = pathValues(route, sent.url);
  return numbers.every((name) => isGiven(Object.hasOwn(json, name) ? json[name] : undefined) || isGiven(inPath[name]));
}

/** The retry options a call gives, taken out of its bag (they are the client's business, not axios'), checked. */
export function takeRetryOptions(bag: RequestOptions): {
  retry?: RetrySetting;
  idempotent?: boolean;
  options: RequestOptions;
} {
  if (bag === null || typeof bag !== 'object' || !('retry' in bag || 'idempotent' in bag)) return { options: bag };
  const { retry, idempotent, ...options } = bag;
  const issues = retryIssues(retry, 'retry');
  if (idempotent !== undefined && typeof idempotent !== 'boolean') {
    issues.push({ path: 'idempotent', issue: `must be true or false, got ${typeof idempotent}` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { retry: retry as RetrySetting | undefined, idempotent: idempotent as boolean | undefined, options };
}

/** Errors that say nothing about the request reaching WeChat Pay's business logic twice in a harmful way. */
const NOT_RETRIED_CODES = new Set([
  'ERR_CANCELED',
  // an oversized reply would be just as large the second time
  'ERR_RESPONSE_TOO_LARGE',
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_INVALID_URL',
  'ERR_NOT_SUPPORT',
  'ERR_BAD_RESPONSE',
  'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
  'ERR_FR_TOO_MANY_REDIRECTS',
]);

export interface RetryDecision {
  reason: string;
  /** Whether the next attempt goes to the backup host (network failure or 5xx on this one). */
  failover: boolean;
  /** The server's `Retry-After`, when it gave one. */
  retryAfterMs?: number;
}

/** Parse `Retry-After`: delta seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether (and how) a failed attempt is worth another; 4xx other than 429 never is. */
export function classify(error: unknown): RetryDecision | undefined {
  if (ApiError.isApiError(error)) {
    if (error.status === 429) {
      return { reason: 'HTTP 429', failover: false, retryAfterMs: retryAfterMs(error.headers['retry-after']) };
    }
    return error.status >= 500 ? { reason: `HTTP ${error.status}`, failover: true } : undefined;
  }
  if (TransportError.isTransportError(error)) {
    if (error.code !== undefined && NOT_RETRIED_CODES.has(error.code)) return undefined;
    return { reason: error.code ?? 'network error', failover: true };
  }
  return undefined;
}

/** Exponential backoff with equal jitter: somewhere in [step/2, step], so concurrent clients spread out. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
