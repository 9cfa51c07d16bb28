import type { AxiosResponse } from 'axios';
import type { KeyObject } from 'node:crypto';
import type { PlatformCertificate } from '../certificates/decode';
import type { CertificateManager } from '../certificates/manager';
import { ApiError, ConfigError, SignatureError, type ApiErrorDetail, type SignatureErrorDetails } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
import {
  verifySignedMessage,
  verifySignedMessageAsync,
  type HeaderLookup,
  type SignedMessage,
} from '../verify/signed-message';
import { SIGNED_BODY } from '../request/options';
import { checkStatementDigest, statementSignedBody } from '../verify/statement';
import { isBinaryDownload, isStatementDownload, isUnsignedDownload, targetOf } from './url';

export interface VerifierOptions<K = KeyObject> {
  keys: PlatformKeys<K>;
  /** A crypto backend's signature check (WebCrypto); node:crypto's synchronous verify when absent. */
  verifyWith?: (message: Uint8Array, signature: string, key: K) => Promise<boolean>;
  /** With an APIv3 key: platform certificates are downloaded, and learnt when a reply names a new serial. */
  certificates?: { apiv3Key: string; manager: CertificateManager };
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

const isCertificatesDownload = (target: string) => /^\/v3\/certificates(?:\?|$)/.test(target);

/** Decoding a certificates download: loaded by the first `/v3/certificates` reply, not by every client. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path, so bundlers (Workers) still follow it
const certificatesDownload = () => require('../certificates/decode') as typeof import('../certificates/decode');

/** What an unverifiable error reply said, shortened: a hint for the reader, never trusted data. */
function unverifiedHint(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ');
  return text === '' ? '' : ` (unverified body: ${text})`;
}

/** An unknown serial the certificate download did not resolve: say why (a failed download is kept as `cause`). */
function withDownloadCause(error: SignatureError, manager: CertificateManager): SignatureError {
  const { hint, cause } = manager.whyUnknown(error.serial ?? '');
  if (hint === undefined) return error;
  const { reason, status, serial, requestId, headers } = error;
  const message = `${error.message.slice(reason.length + 2)}; ${hint}`;
  return new SignatureError(reason, message, { status, serial, requestId, headers, cause });
}

/**
 * The APIv3 response interceptor: every 2xx reply is verified before the caller sees it (downloads WeChat Pay
 * does not sign excepted); a non-2xx reply becomes an `ApiError`, verified first when it carries a signature.
 */
export function createVerifier<K = KeyObject>({ keys, certificates, verifyWith }: VerifierOptions<K>) {
  const decode = (body: Buffer): PlatformCertificate[] => {
    try {
      return certificatesDownload().decodeCertificates(body, certificates!.apiv3Key);
    } catch (error) {
      if (ConfigError.isConfigError(error)) throw error; // a wrong APIv3 key says so
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download cannot vouch for itself: ${(error as Error).message}`,
      );
    }
  };

  /**
   * A `/v3/certificates` reply signed by a serial we do not know. Never `learn()` here: learning downloads, and
   * waits on the download in flight, which is this very reply. Only the very first download (no WeChat Pay key
   * configured or learnt yet) may vouch for itself; after that it must verify with a key already trusted.
   */
  function unknownCertificatesSigner(
    error: SignatureError,
    header: HeaderLookup,
    body: Buffer,
    status: number,
    downloaded: () => PlatformCertificate[],
  ): void {
    if (status !== 200) {
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download answered HTTP ${status} signed by unknown serial ${error.serial}${unverifiedHint(body)}`,
        { status, serial: error.serial, requestId: header('request-id'), headers: error.headers },
      );
    }
    if (keys.size > 0) {
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download is signed by ${error.serial}, not by a WeChat Pay key already trusted ` +
          `(${keys.serials().join(', ')}); only the first download may vouch for itself`,
        { status, serial: error.serial, requestId: header('request-id'), headers: error.headers },
      );
    }
    certificatesDownload().verifyDownload(header, body, downloaded());
  }

  /** After a failed check: learn a new serial (or let a first certificates download vouch for itself), or fail. */
  async function recover(
    error: unknown,
    check: () => unknown,
    header: HeaderLookup,
    signedBody: Buffer,
    target: string,
    status: number,
    downloaded: () => PlatformCertificate[],
  ): Promise<void> {
    if (!certificates || !SignatureError.isSignatureError(error) || error.reason !== 'UNKNOWN_SERIAL') throw error;
    if (isCertificatesDownload(target)) {
      unknownCertificatesSigner(error, header, signedBody, status, downloaded);
      return;
    }
    if (!(await certificates.manager.learn(error.serial ?? ''))) throw withDownloadCause(error, certificates.manager);
    await check();
  }

  /**
   * Undefined when verified already (node:crypto, the common case: no promise and no closure made); else the
   * pending check, or recovery after a failed one.
   */
  function verify(
    header: HeaderLookup,
    signedBody: Buffer,
    target: string,
    status: number,
    headers: Record<string, unknown>,
    downloaded: () => PlatformCertificate[],
  ): Promise<void> | undefined {
    const message = { header, body: signedBody, keys, status, headers };
    if (verifyWith) {
      const check = () => verifySignedMessageAsync(message, verifyWith);
      return check().then(
        () => undefined,
        (error: unknown) => recover(error, check, header, signedBody, target, status, downloaded),
      );
    }
    const node = message as SignedMessage<unknown> as SignedMessage;
    try {
      verifySignedMessage(node);
      return undefined;
    } catch (error) {
      // only an unknown serial with certificate download configured has anything to wait for
      if (!certificates || !SignatureError.isSignatureError(error) || error.reason !== 'UNKNOWN_SERIAL') throw error;
      return recover(error, () => verifySignedMessage(node), header, signedBody, target, status, downloaded);
    }
  }

  /** What follows a verified (or exempt) reply: the caller's data, or the ApiError of a non-2xx answer. */
  function settle(
    response: AxiosResponse,
    header: HeaderLookup,
    body: Buffer,
    target: string,
    get: boolean,
    statement: SignatureErrorDetails | undefined,
    downloaded: () => PlatformCertificate[],
  ): AxiosResponse {
    const { config, status } = response;
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
        Object.defineProperty(response, certificatesDownload().PLATFORM_CERTIFICATES, { value: downloaded() });
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
      method: config.method?.toUpperCase(),
      url: target,
      verified: header('wechatpay-signature') !== undefined,
      // what was signed, for a SIGN_ERROR's signDiff (media uploads sign their meta JSON, not the bytes sent)
      signed: {
        authorization: config.headers?.Authorization,
        body: (config as unknown as Record<string, unknown>)[SIGNED_BODY] ?? config.data,
      },
    });
  }

  /**
   * Not an async function: with node:crypto the check is synchronous, so a verified reply is returned as is (a
   * failure thrown), and axios' chain does not wait on one more promise per call.
   */
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
    const downloaded = () => (decoded ??= decode(body));
    const statement =
      ok && get && isStatementDownload(target, 'GET')
        ? { status, requestId: header('request-id'), headers }
        : undefined;
    if ((ok && !unsigned) || (!ok && header('wechatpay-signature') !== undefined)) {
      const signedBody = statement ? statementSignedBody(header, statement) : body;
      const pending = verify(header, signedBody, target, status, headers, downloaded);
      if (pending) return pending.then(() => settle(response, header, body, target, get, statement, downloaded));
    }
    return settle(response, header, body, target, get, statement, downloaded);
  };
}
