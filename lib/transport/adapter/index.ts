import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { leanAdapter } from './lean';

/** axios' http adapter behind our caps: loaded by the first call the lean adapter does not cover. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path, so bundlers (Workers) still follow it
const fallback = () => require('./fallback') as typeof import('./fallback');

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];

/** axios reads proxies from the environment when `proxy` is not set; those calls go through its adapter. */
function environmentProxy(): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(process.env[name]));
}

/** What the lean adapter covers: bytes or a string out, bytes back, directly to the host, no redirects. */
export function leanCovers(config: InternalAxiosRequestConfig): boolean {
  const data = config.data;
  const options = config as unknown as Record<string, unknown>;
  return (
    (data === undefined || typeof data === 'string' || Buffer.isBuffer(data)) &&
    (config.responseType === undefined || config.responseType === 'arraybuffer') &&
    (config.proxy === false || (config.proxy === undefined && !environmentProxy())) &&
    !config.maxRedirects &&
    config.params === undefined &&
    config.auth === undefined &&
    config.cancelToken === undefined &&
    options.socketPath == null &&
    options.lookup === undefined &&
    options.family === undefined &&
    options.transport === undefined &&
    options.insecureHTTPParser === undefined &&
    config.onUploadProgress === undefined &&
    config.onDownloadProgress === undefined
  );
}

/**
 * The transport under axios' own interceptor chain (axios' documented `adapter` option): the lean node:http(s)
 * exchange for ordinary calls, axios' http adapter for the rest. Both bound the whole exchange by `timeout` and
 * cap buffered replies at `maxContentLength`.
 */
export function wechatpayAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return leanCovers(config) ? leanAdapter(config) : fallback().fallbackAdapter(config);
}

/** Default cap on a buffered reply: APIv3 JSON is kilobytes; streamed downloads (bills) are not capped. */
export const DEFAULT_MAX_CONTENT_LENGTH = 4 * 1024 * 1024;
