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

/**
 * Copy the caller's interceptors onto the derived instance, through `handlers` (public in axios' typings; an
 * ejected interceptor leaves `null` there). Call it after the signer and verifier are registered: axios runs request
 * interceptors last-registered-first, so the caller's run before signing (what they change is what gets signed), and
 * response interceptors in order, so the caller's see only verified replies.
 */
export function adoptInterceptors(base: AxiosInstance | undefined, http: AxiosInstance): void {
  if (base === undefined) return;
  for (const h of base.interceptors.request.handlers ?? []) {
    if (h === null) continue;
    http.interceptors.request.use(h.fulfilled, h.rejected, {
      synchronous: h.synchronous,
      runWhen: h.runWhen ?? undefined,
    });
  }
  for (const h of base.interceptors.response.handlers ?? [])
    if (h !== null) http.interceptors.response.use(h.fulfilled, h.rejected);
}
