import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { nodeHttpAdapter } from './node-http';

/** axios' http adapter under our deadline and cap: loaded by the first call ours does not cover. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path, so bundlers (Workers) still follow it
const axiosHttp = () => require('./axios-http') as typeof import('./axios-http');

const HTTP_PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
const HTTPS_PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'];
const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];

/**
 * axios reads proxies from the environment when `proxy` is not set; those calls go through its adapter. Read on
 * every call (a process may set them at run time), for the call's scheme, as axios reads them.
 */
function environmentProxy(baseURL: string | undefined): boolean {
  const names = baseURL?.startsWith('https:')
    ? HTTPS_PROXY_VARIABLES
    : baseURL?.startsWith('http:')
      ? HTTP_PROXY_VARIABLES
      : PROXY_VARIABLES;
  return names.some((name) => Boolean(process.env[name]));
}

/** What our node:http(s) adapter covers: bytes or a string out, bytes back, directly to the host, no redirects. */
export function nodeHttpCovers(config: InternalAxiosRequestConfig): boolean {
  const data = config.data;
  const options = config as unknown as Record<string, unknown>;
  return (
    (data === undefined || typeof data === 'string' || Buffer.isBuffer(data)) &&
    (config.responseType === undefined || config.responseType === 'arraybuffer') &&
    (config.proxy === false || (config.proxy === undefined && !environmentProxy(config.baseURL))) &&
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
 * The transport under axios' own interceptor chain (axios' documented `adapter` option): our node:http(s)
 * exchange for ordinary calls, axios' http adapter for the rest. Both bound the whole exchange by `timeout` and
 * cap buffered replies at `maxContentLength`.
 */
export function wechatpayAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return nodeHttpCovers(config) ? nodeHttpAdapter(config) : axiosHttp().axiosHttpAdapter(config);
}

/** Default cap on a buffered reply: APIv3 JSON is kilobytes; streamed downloads (bills) are not capped. */
export const DEFAULT_MAX_CONTENT_LENGTH = 4 * 1024 * 1024;

/** Every reply resolves: the verifier turns a non-2xx one into an ApiError, after checking its signature. */
export const ANY_STATUS = (): boolean => true;
