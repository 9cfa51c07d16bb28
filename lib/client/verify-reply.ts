import type { AxiosResponse } from 'axios';
import type { CertificateBootstrap, SignedReply } from '../certificates/bootstrap';
import type { PlatformCertificate } from '../certificates/decode';
import type { CryptoBackend } from '../crypto/backend';
import { ApiError, type ApiErrorDetail, type SignatureErrorDetails } from '../errors';
import { targetOf } from '../transport/call-context';
import {
  isBinaryDownload,
  isCertificatesDownload,
  isStatementDownload,
  isUnsignedDownload,
} from '../verify/download-rules';
import type { PlatformKeys } from '../verify/platform-keys';
import { verifySignedMessage, type HeaderLookup } from '../verify/signed-message';
import { checkStatementDigest, statementSignedBody } from '../verify/statement';

export interface VerifierOptions<K> {
  keys: PlatformKeys<K>;
  backend: CryptoBackend<K>;
  /** With an APIv3 key: the first certificates download vouches for itself, and new serials are learnt. */
  certificates?: CertificateBootstrap;
}

function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data);
  return Buffer.alloc(0);
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  const looksJson = contentType?.includes('json') || /^\s*[{[]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

/** A reply being verified: what the checks read, decoded once. */
interface Reply extends SignedReply {
  response: AxiosResponse;
  /** The bytes received (for a statement, not the bytes signed). */
  body: Buffer;
  get: boolean;
  /** Set for an HK/global statement download: its file is checked against the signed digest. */
  statement?: SignatureErrorDetails;
}

/**
 * The APIv3 response interceptor: every 2xx reply is verified before the caller sees it (downloads WeChat Pay
 * does not sign excepted, see lib/verify/download-rules.ts); a non-2xx reply becomes an `ApiError`, verified first
 * when it carries a signature.
 */
export function createVerifier<K>({ keys, backend, certificates }: VerifierOptions<K>) {
  /** Undefined when verified already (a synchronous backend); else the pending check, or recovery after a failed one. */
  function verify(reply: Reply): Promise<void> | undefined {
    const { header, signedBody, status, response } = reply;
    const message = { header, body: signedBody, keys, status, headers: response.headers as Record<string, unknown> };
    const check = () => verifySignedMessage(message, backend);
    const recover = (error: unknown): Promise<void> => {
      if (!certificates) throw error;
      return certificates.recover(error, check, reply);
    };
    let pending: string | Promise<string>;
    try {
      pending = check();
    } catch (error) {
      return recover(error);
    }
    return typeof pending === 'string' ? undefined : pending.then(() => undefined, recover);
  }

  /** What follows a verified (or exempt) reply: the caller's data, or the ApiError of a non-2xx answer. */
  function settle(reply: Reply): AxiosResponse {
    const { response, header, body, target, get, statement, status } = reply;
    const ok = status >= 200 && status < 300;
    if (statement) checkStatementDigest(header, body, statement);
    if (ok && get && isBinaryDownload(target, 'GET')) {
      response.data = body;
      return response;
    }
    const text = body.toString('utf8');
    const data = parseBody(text, header('content-type'));
    if (ok) {
      response.data = statement ? text : data;
      if (certificates && isCertificatesDownload(target)) {
        // for the certificate manager that asked: the download's certificates, checked and decrypted
        response.config.wechatpay = { ...response.config.wechatpay, certificates: reply.downloaded() };
      }
      return response;
    }
    const error = (typeof data === 'object' && data !== null ? data : {}) as ErrorBody;
    throw new ApiError({
      status,
      code: typeof error.code === 'string' ? error.code : undefined,
      message: typeof error.message === 'string' ? error.message : undefined,
      detail: typeof error.detail === 'object' && error.detail !== null ? (error.detail as ApiErrorDetail) : undefined,
      requestId: header('request-id'),
      headers: response.headers as Record<string, unknown>,
      body: text,
      method: response.config.method?.toUpperCase(),
      url: target,
      verified: header('wechatpay-signature') !== undefined,
      // what was signed, for a SIGN_ERROR's signDiff (media uploads sign their meta JSON, not the bytes sent)
      signed: {
        authorization: response.config.headers?.Authorization,
        body: response.config.wechatpay?.signedBody ?? response.config.data,
      },
    });
  }

  /** Not an async function: with a synchronous backend a verified reply is returned as is (a failure thrown). */
  return function verifyResponse(response: AxiosResponse): AxiosResponse | Promise<AxiosResponse> {
    const { config, status } = response;
    const headers = response.headers as Record<string, unknown>;
    const header: HeaderLookup = (name) => {
      const value = headers[name];
      return value === undefined || value === null ? undefined : String(value);
    };
    const target = targetOf(config);
    // the exempt and special downloads are all GETs: a POST is not matched against their patterns
    const get = (config.method ?? 'get').toUpperCase() === 'GET';
    const ok = status >= 200 && status < 300;
    const unsigned = get && isUnsignedDownload(target, 'GET');
    if (config.responseType === 'stream') {
      // only unsigned downloads stream (bills); their callers check the content against its digest
      if (!unsigned) throw new TypeError(`${target} is signed: its reply cannot be streamed unverified`);
      return response;
    }
    const body = bytesOf(response.data);
    let decoded: PlatformCertificate[] | undefined;
    const statement =
      ok && get && isStatementDownload(target, 'GET')
        ? { status, requestId: header('request-id'), headers }
        : undefined;
    const reply: Reply = {
      response,
      header,
      body,
      signedBody: body,
      target,
      status,
      get,
      statement,
      downloaded: () => (decoded ??= certificates!.decode(body)),
    };
    if ((ok && !unsigned) || (!ok && header('wechatpay-signature') !== undefined)) {
      if (statement) reply.signedBody = statementSignedBody(header, statement);
      const pending = verify(reply);
      if (pending) return pending.then(() => settle(reply));
    }
    return settle(reply);
  };
}
