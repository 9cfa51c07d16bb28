import { ApiError, SignatureError, WechatpayError } from '../errors';

/** What a failed request prints: status, code, message, Request-ID, detail; never a key or a full signature. */
export function describeFailure(error: unknown): string {
  if (ApiError.isApiError(error)) {
    const lines = [`HTTP ${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`];
    if (error.requestId) lines.push(`Request-ID: ${error.requestId}`);
    if (error.detail) lines.push(`detail: ${JSON.stringify(error.detail)}`);
    return lines.join('\n');
  }
  if (SignatureError.isSignatureError(error)) return `SignatureError ${error.reason}: ${error.message}`;
  if (WechatpayError.is(error)) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
