import { AxiosError, CanceledError, isAxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { destinationFor, destinationOf, SIGNED_TARGET } from '../url';
import { defaultAgent } from './agents';
import { ACCEPT_ENCODING, inflaterFor, readBody } from './body';
import { replyLimit, timeoutError, tooLargeError } from './errors';
import { ReplyHeaders } from './reply-headers';

/**
 * node's headers object straight from the request's headers (own enumerable names, as AxiosHeaders' toJSON reads
 * them), with Accept-Encoding added: no AxiosHeaders copy, lookup or normalisation per call. Content-Length is
 * node's: a body handed whole to `end()` gets the length of the bytes actually sent, and a caller's is dropped.
 */
function outgoingHeaders(config: InternalAxiosRequestConfig, body: Buffer | undefined) {
  const given = config.headers as unknown as Record<string, unknown>;
  const out: Record<string, string> = {};
  let acceptEncoding = false;
  for (const name of Object.keys(given)) {
    const value = given[name];
    if (value === null || value === undefined || value === false) continue;
    // only names of these lengths can be a spelling of them: no lower-cased copy of every name per call
    if (name.length === 14 && body !== undefined && name.toLowerCase() === 'content-length') continue;
    if (name.length === 15 && name.toLowerCase() === 'accept-encoding') acceptEncoding = true;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (!acceptEncoding && config.decompress !== false) out['Accept-Encoding'] = ACCEPT_ENCODING;
  return out;
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
export function leanAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return new Promise((resolve, reject) => {
    const signed = (config as unknown as Record<string, unknown>)[SIGNED_TARGET];
    // the signer already resolved the target: only the (cached) base is needed to connect
    const url =
      typeof signed === 'string'
        ? destinationFor(config.baseURL, config.url, signed)
        : destinationOf(config.baseURL, config.url);
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
          // node has already validated and lower-cased the names: copied as they are, no re-normalising
          const headers = ReplyHeaders.fromNode(res.headers, inflater === undefined ? undefined : 'content-encoding');
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
