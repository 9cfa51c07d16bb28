import { isAxiosError } from 'axios';
import { TransportError, WechatpayError } from '../errors';
import { requestTarget } from './url';

/** Our own errors pass through; an axios failure (network, timeout, abort) becomes a `TransportError`. */
export function asTransportError(error: unknown): unknown {
  if (WechatpayError.is(error) || !isAxiosError(error)) return error;
  const { config } = error;
  const method = config?.method?.toUpperCase();
  let url: string | undefined;
  try {
    url = config ? requestTarget(config.baseURL, config.url) : undefined;
  } catch {
    url = config?.url;
  }
  // The request config and socket hold the Authorization header: the cause keeps the failure, not them.
  const cause = error as unknown as Record<string, unknown>;
  delete cause.config;
  delete cause.request;
  delete cause.response;
  return new TransportError(`${method ?? 'request'} ${url ?? ''} failed: ${error.message}`, method, url, error);
}

/** The response-interceptor form of `asTransportError`. */
export function toTransportError(error: unknown): never {
  throw asTransportError(error);
}
