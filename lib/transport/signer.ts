import { sign, type KeyObject } from 'node:crypto';
import type { InternalAxiosRequestConfig } from 'axios';
import { Formatter } from '../crypto/formatter';
import { SIGNED_BODY } from '../request/options';
import { SIGNED_TARGET, requestTarget } from './url';

export interface MerchantIdentity {
  mchid: string;
  serial: string;
  /** node:crypto key, signed with through the threadpool; or give `sign`. */
  privateKey?: KeyObject;
  /** A crypto backend's RSA-SHA256 signer (WebCrypto); node:crypto through the threadpool when absent. */
  sign?: (message: Buffer) => Promise<string>;
}

/** RSA-SHA256 through the libuv threadpool, so signing does not block the event loop. */
export function signOffLoop(message: Buffer, key: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', message, key, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64'))));
  });
}

/** The signed message written straight into one Buffer: no joined copy of the body as a string first. */
function messageOf(method: string, target: string, timestamp: number, nonce: string, body: unknown): Buffer {
  const head = `${method}\n${target}\n${timestamp}\n${nonce}\n`;
  if (Buffer.isBuffer(body)) return Buffer.concat([Buffer.from(head), body, Buffer.from('\n')]);
  const text = typeof body === 'string' ? body : '';
  const headLength = Buffer.byteLength(head);
  const bodyLength = Buffer.byteLength(text);
  const message = Buffer.allocUnsafe(headLength + bodyLength + 1);
  message.write(head, 0);
  message.write(text, headLength);
  message[headLength + bodyLength] = 0x0a;
  return message;
}

/**
 * Authorization set over whatever spelling of it a caller's interceptor left. Not `AxiosHeaders.set`: that builds
 * an array of all names and runs a global-regex replace over the ~400-character value on every call, and keeps a
 * header explicitly set to `false` (which would then go out unsigned). Our value is ASCII we built, so there is
 * nothing to sanitise; an invalid mchid or serial still fails in node's own header check.
 */
function setAuthorization(headers: InternalAxiosRequestConfig['headers'], value: string): void {
  const target = headers as unknown as Record<string, unknown>;
  for (const name in target) {
    // names of another length cannot be a spelling of it: no lower-cased copy of every header per call
    if (name.length === 13 && name !== 'Authorization' && name.toLowerCase() === 'authorization') delete target[name];
  }
  target.Authorization = value;
}

/**
 * The APIv3 request interceptor. Registered first, so it runs last among request interceptors, and
 * `transformRequest` is the identity: the bytes it signs are the bytes sent.
 */
export function createSigner(identity: MerchantIdentity) {
  const { mchid, serial, privateKey } = identity;
  const signWith = identity.sign ?? (privateKey && ((message: Buffer) => signOffLoop(message, privateKey)));
  if (!signWith) throw new TypeError('the signer needs a privateKey or a sign function');
  // what every Authorization value of this client shares, built once (Formatter.authorization's format)
  const prefix = `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="`;
  const suffix = `",serial_no="${serial}"`;
  // not an async function: the signature's own promise is what axios' chain waits on, one promise fewer per call
  return function signRequest(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    // media uploads sign their `meta` JSON, not the multipart bytes (the one documented exception)
    const signedBody = (config as unknown as Record<string, unknown>)[SIGNED_BODY];
    const body = typeof signedBody === 'string' ? signedBody : config.data;
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      throw new TypeError('request body reached the signer unserialised; send it through `json` or `body`');
    }
    const method = (config.method ?? 'get').toUpperCase();
    const target = requestTarget(config.baseURL, config.url);
    const timestamp = Formatter.timestamp();
    const nonce = Formatter.nonce();
    return signWith(messageOf(method, target, timestamp, nonce, body)).then((signature) => {
      setAuthorization(config.headers, `${prefix}${nonce}",signature="${signature}",timestamp="${timestamp}${suffix}`);
      (config as unknown as Record<string, unknown>)[SIGNED_TARGET] = target;
      return config;
    });
  };
}
