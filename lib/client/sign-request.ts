import type { InternalAxiosRequestConfig } from 'axios';
import type { CryptoBackend } from '../crypto/backend';
import { Formatter, clientAuthorization } from '../crypto/formatter';
import { requestTarget } from '../transport/url';
import type { CallContext } from '../transport/call-context';

export interface MerchantIdentity<K> {
  mchid: string;
  serial: string;
  /** The merchant key, as `backend` imported it. */
  privateKey: K;
  /** Signs asynchronously (node:crypto through the threadpool, off the event loop; or WebCrypto). */
  backend: Pick<CryptoBackend<K>, 'sign'>;
}

/**
 * Authorization set over whatever spelling of it a caller's interceptor left, and never kept as `false` (which would
 * send the request unsigned): the one header the signer owns.
 */
function setAuthorization(headers: InternalAxiosRequestConfig['headers'], value: string): void {
  const target = headers as unknown as Record<string, unknown>;
  for (const name of Object.keys(target)) {
    if (name !== 'Authorization' && name.toLowerCase() === 'authorization') delete target[name];
  }
  target.Authorization = value;
}

/**
 * The APIv3 request interceptor, built from the toolkit: lib/crypto/formatter.ts makes the nonce, the message and
 * the header, the crypto backend signs. Registered first, so it runs last among request interceptors, and
 * `transformRequest` is the identity: the bytes it signs are the bytes sent.
 */
export function createSigner<K>({ mchid, serial, privateKey, backend }: MerchantIdentity<K>) {
  return async function signRequest(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    // media uploads sign their `meta` JSON, not the multipart bytes (the one documented exception)
    const context: CallContext = config.wechatpay ?? {};
    const given: unknown = context.signedBody ?? config.data;
    const body = given === undefined ? '' : given;
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
      throw new TypeError('request body reached the signer unserialised; send it through `json` or `body`');
    }
    // equivalent mutants: Formatter.request upper-cases the method itself, and axios' Axios#request sets config.method
    // before any interceptor runs, so the 'get' default is never read
    // Stryker disable next-line MethodExpression,StringLiteral: equivalent (see the comment above)
    const method = (config.method ?? 'get').toUpperCase();
    const target = requestTarget(config.baseURL, config.url);
    const timestamp = Formatter.timestamp();
    const nonce = Formatter.nonce();
    const message = Formatter.request(method, target, timestamp, nonce, body);
    const signature = await backend.sign(typeof message === 'string' ? Buffer.from(message) : message, privateKey);
    setAuthorization(config.headers, clientAuthorization(mchid, nonce, signature, timestamp, serial));
    config.wechatpay = { ...context, signedTarget: target };
    return config;
  };
}
