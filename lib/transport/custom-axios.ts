import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ConfigError } from '../errors';
import { PROTOCOL_OPTIONS, wechatpayAdapter } from './adapter';

/**
 * `config.axios`: a caller's axios instance the client's transport is derived from (proxies, tracing, test
 * adapters). Its defaults (adapter, proxy, agents, headers) carry over through axios' own `create`; the
 * protocol's options (identity transforms, raw bytes, status handling) are laid over them.
 */
export function createHttp(base: AxiosInstance | undefined, options: AxiosRequestConfig): AxiosInstance {
  if (base === undefined) return slimDefaults(axios.create(options), options);
  if (typeof base !== 'function' || typeof base.create !== 'function' || typeof base.interceptors !== 'object') {
    throw new ConfigError([{ path: 'axios', issue: 'must be an axios instance (axios.create())' }]);
  }
  return base.create(options);
}

/** axios' defaults that do nothing on Node with identity transforms and no redirects (browser XSRF, redirect body cap). */
const INERT_DEFAULTS = ['xsrfCookieName', 'xsrfHeaderName', 'maxBodyLength', 'transitional'] as const;
const HEADER_BUCKETS = [
  'common',
  'get',
  'delete',
  'head',
  'options',
  'post',
  'put',
  'patch',
  'purge',
  'link',
  'unlink',
  'query',
];

/**
 * axios merges the instance defaults into every request (`mergeConfig`, then flattens the per-method header
 * buckets): on a fresh instance that is ~25 objects per call for nothing. Drop what is inert here (unless the
 * caller set it) and flatten the header buckets once (same result: `common` under the caller's headers).
 * `transitional` absent means axios' own transitional defaults, the same values.
 */
function slimDefaults(http: AxiosInstance, options: AxiosRequestConfig): AxiosInstance {
  const defaults = http.defaults as unknown as Record<string, unknown>;
  for (const key of INERT_DEFAULTS) if (!(key in options)) delete defaults[key];
  // env (FormData/Blob classes) serves only axios' fetch adapter and form serialisers, never our own adapter
  if (typeof options.adapter === 'function' && !('env' in options)) delete defaults.env;
  if (options.adapter === wechatpayAdapter) {
    for (const [key, value] of Object.entries(PROTOCOL_OPTIONS)) {
      const given = defaults[key];
      const same = Array.isArray(value) ? Array.isArray(given) && given.length === 0 : given === value;
      if (same) delete defaults[key];
    }
  }
  const headers = defaults.headers as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  // `common` first, so the caller's own headers (and per-method buckets, flattened by axios per call) win
  const entries = [...Object.entries((headers.common ?? {}) as object), ...Object.entries(headers)];
  for (const [name, value] of entries) {
    if (value === undefined || name === 'common') continue; // axios' `Content-Type: undefined` reads as absent
    if (!HEADER_BUCKETS.includes(name)) flat[name] = value;
    else if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) flat[name] = value;
  }
  defaults.headers = flat;
  return http;
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
