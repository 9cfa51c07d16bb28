import type { AxiosResponse } from 'axios';
import type { KeyObject } from 'node:crypto';
import {
  PLATFORM_CERTIFICATES,
  decodeCertificates,
  verifyDownload,
  type PlatformCertificate,
} from '../certificates/decode';
import type { CertificateManager } from '../certificates/manager';
import { ApiError, ConfigError, SignatureError, type ApiErrorDetail } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
import { verifySignedMessage, verifySignedMessageAsync, type HeaderLookup } from '../verify/signed-message';
import { isUnsignedDownload, targetOf } from './url';

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

/**
 * The APIv3 response interceptor: every 2xx reply is verified before the caller sees it (downloads WeChat Pay
 * does not sign excepted); a non-2xx reply becomes an `ApiError`, verified first when it carries a signature.
 */
export function createVerifier<K = KeyObject>({ keys, certificates, verifyWith }: VerifierOptions<K>) {
  const decode = (body: Buffer): PlatformCertificate[] => {
    try {
      return decodeCertificates(body, certificates!.apiv3Key);
    } catch (error) {
      if (ConfigError.isConfigError(error)) throw error; // a wrong APIv3 key says so
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download cannot vouch for itself: ${(error as Error).message}`,
      );
    }
  };

  async function verify(
    header: HeaderLookup,
    body: Buffer,
    target: string,
    status: number,
    headers: Record<string, unknown>,
    downloaded: () => PlatformCertificate[],
  ) {
    const check = verifyWith
      ? () => verifySignedMessageAsync({ header, body, keys, status, headers }, verifyWith)
      : () =>
          verifySignedMessage({ header, body, keys: keys as PlatformKeys<unknown> as PlatformKeys, status, headers });
    try {
      await check();
    } catch (error) {
      if (!certificates || !SignatureError.isSignatureError(error) || error.reason !== 'UNKNOWN_SERIAL') throw error;
      if (isCertificatesDownload(target) && status === 200) {
        verifyDownload(header, body, downloaded());
        return;
      }
      if (!(await certificates.manager.learn(error.serial ?? ''))) throw error;
      await check();
    }
  }

  return async function verifyResponse(response: AxiosResponse): Promise<AxiosResponse> {
    const { config, status } = response;
    const headers = response.headers as Record<string, unknown>;
    const header: HeaderLookup = (name) => {
      const value = headers[name];
      return value === undefined || value === null ? undefined : String(value);
    };
    const target = targetOf(config);
    const ok = status >= 200 && status < 300;
    if (config.responseType === 'stream') {
      // only unsigned downloads stream (bills); their callers check the content against its digest
      if (!isUnsignedDownload(target))
        throw new TypeError(`${target} is signed: its reply cannot be streamed unverified`);
      return response;
    }
    const body = bytesOf(response.data);
    let decoded: PlatformCertificate[] | undefined;
    const downloaded = () => (decoded ??= decode(body));
    const signed = header('wechatpay-signature') !== undefined;
    if ((ok && !isUnsignedDownload(target)) || (!ok && signed)) {
      await verify(header, body, target, status, headers, downloaded);
    }
    const text = body.toString('utf8');
    const data = parseBody(text, header('content-type'));
    if (ok) {
      response.data = data;
      if (certificates && isCertificatesDownload(target)) {
        Object.defineProperty(response, PLATFORM_CERTIFICATES, { value: downloaded() });
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
      headers,
      body: text,
      method: config.method?.toUpperCase(),
      url: target,
      verified: signed,
    });
  };
}
