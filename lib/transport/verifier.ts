import type { AxiosResponse } from 'axios';
import { ApiError, type ApiErrorDetail } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
import { verifySignedMessage, type HeaderLookup } from '../verify/signed-message';
import { isUnsignedDownload, requestTarget } from './url';

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

/**
 * The APIv3 response interceptor: every 2xx reply is verified before the caller sees it (downloads WeChat Pay
 * does not sign excepted); a non-2xx reply becomes an `ApiError`, verified first when it carries a signature.
 */
export function createVerifier(keys: PlatformKeys) {
  return function verifyResponse(response: AxiosResponse): AxiosResponse {
    const { config, status } = response;
    const body = bytesOf(response.data);
    const headers = response.headers as Record<string, unknown>;
    const header: HeaderLookup = (name) => {
      const value = headers[name];
      return value === undefined || value === null ? undefined : String(value);
    };
    const target = requestTarget(config.baseURL, config.url);
    const ok = status >= 200 && status < 300;
    const signed = header('wechatpay-signature') !== undefined;
    if ((ok && !isUnsignedDownload(target)) || (!ok && signed)) {
      verifySignedMessage({ header, body, keys, status, headers });
    }
    const text = body.toString('utf8');
    const data = parseBody(text, header('content-type'));
    if (ok) {
      response.data = data;
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
