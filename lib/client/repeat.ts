import { pathValues } from '../catalog/lookup';
import { reentrantOn } from '../catalog/reentry';
import type { RouteFacts } from '../catalog/route-facts';
import { ValidationError } from '../errors';
import type { RequestOptions } from '../request/options';
import { retryIssues, type RetrySetting } from '../transport/retry-policy';

// Whether the core may send a call again: decided from the catalog's re-entry facts and the bytes actually sent.

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
