import { AxiosError, type InternalAxiosRequestConfig } from 'axios';

/** The code a capped reply fails with, on the `TransportError` the caller sees. */
export const RESPONSE_TOO_LARGE = 'ERR_RESPONSE_TOO_LARGE';

/** The same error axios' own adapters raise on timeout, so retries and callers see one shape whichever ran. */
export function timeoutError(config: InternalAxiosRequestConfig, request?: unknown): AxiosError {
  const message =
    config.timeoutErrorMessage || (config.timeout ? `timeout of ${config.timeout}ms exceeded` : 'timeout exceeded');
  const code = config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
  return new AxiosError(message, code, config, request);
}

/** A reply (or its inflated form) larger than `maxContentLength`: it is abandoned, never buffered whole. */
export function tooLargeError(config: InternalAxiosRequestConfig, limit: number, request?: unknown): AxiosError {
  return new AxiosError(
    `reply exceeds maxContentLength (${limit} bytes); raise maxContentLength if this endpoint needs more`,
    RESPONSE_TOO_LARGE,
    config,
    request,
  );
}

/** `maxContentLength` as a byte limit; axios' "-1 means unlimited" kept. */
export function replyLimit(config: InternalAxiosRequestConfig): number {
  const limit = config.maxContentLength;
  return typeof limit === 'number' && limit >= 0 ? limit : Infinity;
}
