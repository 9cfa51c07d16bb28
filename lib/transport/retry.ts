import type { AxiosResponse } from 'axios';
import { performance } from 'node:perf_hooks';
import { ApiError, SignatureError, TransportError, WechatpayError } from '../errors';
import type { Observer } from '../observe/observer';
import { backoffMs, classify, type RetryPolicy } from './retry-policy';

export interface AttemptPlan {
  method: string;
  /** Path without query, for events. */
  path: string;
  /** Where the first attempt goes: the call's own baseURL, else the instance's. */
  baseURL: string;
  /** The instance's baseURL: only calls to its host fail over (a call naming another host stays there). */
  clientBaseURL?: string;
  /** Undefined: one attempt only. */
  policy?: RetryPolicy;
  /** Where attempts go after a network failure or 5xx (same path); undefined: no failover. */
  backupBaseURL?: string;
  signal?: AbortSignal;
  observer: Observer;
}

/** How many attempts a response or error took (set by the client on both). */
export const ATTEMPTS = 'attempts';

/** How many attempts produced this response or error (1 without retries), if it came from a client call. */
export function attemptsOf(thing: unknown): number | undefined {
  const value = typeof thing === 'object' && thing !== null ? (thing as Record<string, unknown>)[ATTEMPTS] : undefined;
  return typeof value === 'number' ? value : undefined;
}

function mark(thing: unknown, attempts: number): void {
  if (typeof thing !== 'object' || thing === null) return;
  // a plain assignment makes the same property as the descriptor below when there is none yet, own or inherited,
  // without defineProperty's per-call descriptor and slow path (this runs on every response)
  if (!(ATTEMPTS in thing)) (thing as Record<string, unknown>)[ATTEMPTS] = attempts;
  else
    Object.defineProperty(thing, ATTEMPTS, { value: attempts, enumerable: true, configurable: true, writable: true });
}

const originOf = (baseURL: string): string => {
  try {
    return new URL(baseURL).origin;
  } catch {
    return baseURL;
  }
};

/** Whether the call goes to the instance's own host: the backup stands in for that host only. */
function onClientHost(plan: AttemptPlan): boolean {
  return plan.clientBaseURL !== undefined && originOf(plan.baseURL) === originOf(plan.clientBaseURL);
}

function aborted(plan: AttemptPlan, signal: AbortSignal): TransportError {
  const cause = Object.assign(new Error('aborted by the caller'), { code: 'ERR_CANCELED', reason: signal.reason });
  return new TransportError(
    `${plan.method} ${plan.path} aborted before attempt could be made`,
    plan.method,
    plan.path,
    cause,
  );
}

/** Wait, unless the caller aborts first: an abort stops the retries too. */
function sleep(ms: number, plan: AttemptPlan): Promise<void> {
  const { signal } = plan;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(plan, signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(plan, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function errorFields(error: unknown): { error: string; status?: number; code?: string; requestId?: string } {
  if (ApiError.isApiError(error))
    return { error: error.name, status: error.status, code: error.code, requestId: error.requestId };
  if (SignatureError.isSignatureError(error)) {
    return { error: error.name, status: error.status, code: error.reason, requestId: error.requestId };
  }
  if (TransportError.isTransportError(error)) return { error: error.name, code: error.code };
  return { error: WechatpayError.is(error) ? error.name : error instanceof Error ? error.name : 'Error' };
}

const markedOnce = <T>(response: T): T => {
  mark(response, 1);
  return response;
};
const failedOnce = (error: unknown): never => {
  mark(error, 1);
  throw error;
};

/**
 * One attempt, nothing observed: what `sendWithRetry` does without a policy or hooks, minus the plan it would be
 * given (the common path builds no event, no plan, no path string, and no async frame of its own).
 */
export function sendOnce<T>(sent: Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
  return sent.then(markedOnce, failedOnce);
}

/**
 * Send, and send again while the policy allows: each attempt goes through the interceptors afresh, so it carries a
 * new nonce, timestamp and signature. Network failures and 5xx move to the backup host; 429 waits `Retry-After`.
 */
export async function sendWithRetry<T>(
  send: (baseURL: string | undefined) => Promise<AxiosResponse<T>>,
  plan: AttemptPlan,
): Promise<AxiosResponse<T>> {
  const { method, path, observer, policy } = plan;
  // without hooks or a logger, no event is built and no URL parsed: the common path stays one await
  const observed = observer.active;
  let baseURL: string | undefined;
  for (let attempt = 1; ; attempt += 1) {
    const host = observed ? originOf(baseURL ?? plan.baseURL) : '';
    if (observed) observer.emit({ type: 'request', method, path, attempt, host });
    const started = observed ? performance.now() : 0;
    try {
      const response = await send(baseURL);
      if (observed) {
        const durationMs = Math.round(performance.now() - started);
        const requestId = response.headers?.['request-id'] as string | undefined;
        observer.emit({
          type: 'response',
          method,
          path,
          attempt,
          host,
          status: response.status,
          requestId,
          durationMs,
        });
      }
      mark(response, attempt);
      return response;
    } catch (error) {
      if (observed) {
        const durationMs = Math.round(performance.now() - started);
        observer.emit({ type: 'error', method, path, attempt, host, durationMs, ...errorFields(error) });
      }
      const decision = policy && attempt <= policy.retries ? classify(error) : undefined;
      const delayMs = decision && (decision.retryAfterMs ?? backoffMs(policy!, attempt));
      if (!decision || delayMs === undefined || delayMs > policy!.maxDelayMs || plan.signal?.aborted) {
        mark(error, attempt);
        throw error;
      }
      if (decision.failover && plan.backupBaseURL !== undefined && onClientHost(plan)) baseURL = plan.backupBaseURL;
      if (observed) {
        const nextHost = originOf(baseURL ?? plan.baseURL);
        observer.emit({ type: 'retry', method, path, attempt, host, reason: decision.reason, delayMs, nextHost });
      }
      try {
        await sleep(delayMs, plan);
      } catch (abort) {
        mark(abort, attempt);
        throw abort;
      }
    }
  }
}
