import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ConfigError } from '../errors';

/**
 * `config.axios`: a caller's axios instance the client's transport is derived from (proxies, tracing, test
 * adapters). Its defaults (adapter, proxy, agents, headers) carry over through axios' own `create`; the
 * protocol's options (identity transforms, raw bytes, status handling) are laid over them.
 */
export function createHttp(base: AxiosInstance | undefined, options: AxiosRequestConfig): AxiosInstance {
  if (base === undefined) return axios.create(options);
  if (typeof base !== 'function' || typeof base.create !== 'function' || typeof base.interceptors !== 'object') {
    throw new ConfigError([{ path: 'axios', issue: 'must be an axios instance (axios.create())' }]);
  }
  return base.create(options);
}

type Handler = {
  fulfilled?: (value: never) => unknown;
  rejected?: (error: unknown) => unknown;
  synchronous?: boolean;
  runWhen?: ((config: never) => boolean) | null;
};

/**
 * Copy the caller's interceptors onto the derived instance. Call it after the signer and verifier are
 * registered: axios runs request interceptors last-registered-first, so the caller's run before signing
 * (what they change is what gets signed), and response interceptors in order, so the caller's see only
 * verified replies.
 */
export function adoptInterceptors(base: AxiosInstance | undefined, http: AxiosInstance): void {
  if (base === undefined) return;
  const handlersOf = (manager: unknown) =>
    ((manager as { handlers?: Array<Handler | null> }).handlers ?? []).filter((h): h is Handler => h !== null);
  for (const h of handlersOf(base.interceptors.request)) {
    http.interceptors.request.use(h.fulfilled as never, h.rejected, {
      synchronous: h.synchronous,
      runWhen: h.runWhen ?? undefined,
    } as never);
  }
  for (const h of handlersOf(base.interceptors.response))
    http.interceptors.response.use(h.fulfilled as never, h.rejected);
}
