import {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  isAxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { destinationOf } from '../url';
import { defaultAgent } from './agents';
import { ACCEPT_ENCODING, inflaterFor, readBody } from './reply-body';
import { replyLimit, timeoutError, tooLargeError } from './errors';

/** The request's headers for node: Content-Length is node's (the length of the bytes handed to `end()`). */
function outgoingHeaders(config: InternalAxiosRequestConfig, body: Buffer | undefined) {
  const headers = new AxiosHeaders(config.headers);
  if (body !== undefined) headers.delete('content-length');
  if (config.decompress !== false) headers.set('Accept-Encoding', ACCEPT_ENCODING, false);
  return headers.toJSON(true) as Record<string, string>;
}

function settle(
  config: InternalAxiosRequestConfig,
  response: AxiosResponse,
  resolve: (r: AxiosResponse) => void,
  reject: (e: unknown) => void,
) {
  const { status } = response;
  let valid: boolean;
  try {
    valid = !config.validateStatus || config.validateStatus(status);
  } catch (error) {
    return reject(error); // called from a stream event: a throwing validateStatus must not become an uncaught error
  }
  if (valid) return resolve(response);
  const code = status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
  reject(new AxiosError(`Request failed with status code ${status}`, code, config, response.request, response));
}

/**
 * One exchange over node:http(s): the target the signer signed is the path sent, bytes in and bytes out, the
 * reply capped at `maxContentLength`, and `timeout` bounding the whole exchange (not just idle gaps).
 */
export function nodeHttpAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return new Promise((resolve, reject) => {
    // resolved as the signer resolved it (requestTarget), so the target sent is the target signed
    const url = destinationOf(config.baseURL, config.url);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      return reject(new AxiosError(`Unsupported protocol ${url.protocol}`, AxiosError.ERR_BAD_REQUEST, config));
    }
    const method = (config.method ?? 'get').toUpperCase();
    // a string body as bytes: node would write the head in the body's encoding (UTF-8), and headers go as latin1
    const data = config.data as Buffer | string | undefined;
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const options: RequestOptions = {
      method,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || (secure ? 443 : 80),
      path: url.target,
      headers: outgoingHeaders(config, body),
      agent: (secure ? config.httpsAgent : config.httpAgent) ?? defaultAgent(secure),
    };
    let req: ClientRequest | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let done = false;
    const { signal, timeout } = config;
    const finish = () => {
      done = true;
      clearTimeout(deadline);
      signal?.removeEventListener?.('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (done) return;
      finish();
      req?.destroy();
      reject(error);
    };
    function onAbort() {
      fail(new CanceledError(undefined, config, req));
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener?.('abort', onAbort, { once: true });
    // one timer per call, for the whole exchange: the socket's idle timer would let a trickled reply run on
    if (timeout && timeout > 0) deadline = setTimeout(() => fail(timeoutError(config, req)), timeout);

    const onResponse = (res: IncomingMessage) => {
      const inflater = inflaterFor(res, method, config.decompress !== false);
      const limit = replyLimit(config);
      readBody(
        res,
        inflater,
        limit,
        () => tooLargeError(config, limit, req),
        (error, data) => {
          if (error !== undefined) {
            const code = (error as NodeJS.ErrnoException).code;
            return fail(isAxiosError(error) ? error : AxiosError.from(error, code, config, req));
          }
          if (done) return;
          finish();
          const headers = new AxiosHeaders(res.headers as Record<string, string>);
          // the bytes handed on are plain once inflated
          if (inflater !== undefined) headers.delete('content-encoding');
          const response = {
            data,
            status: res.statusCode!,
            statusText: res.statusMessage ?? '',
            headers,
            config,
            request: req,
          };
          settle(config, response, resolve, reject);
        },
      );
    };
    try {
      req = (secure ? httpsRequest : httpRequest)(options, onResponse);
    } catch (error) {
      return fail(AxiosError.from(error, AxiosError.ERR_BAD_REQUEST, config));
    }
    req.on('error', (error: NodeJS.ErrnoException) => fail(AxiosError.from(error, error.code, config, req)));
    req.end(body);
  });
}
