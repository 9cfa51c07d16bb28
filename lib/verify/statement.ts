import { createHash } from 'node:crypto';
import { SignatureError, type SignatureErrorDetails } from '../errors';
import type { HeaderLookup } from './signed-message';
import { isRepeatedHeader } from '../crypto/signature-bytes';

const STATEMENT_SHA1 = 'wechatpay-statement-sha1';

/**
 * HK/global statements: the signature covers `{"sha1":"<Wechatpay-Statement-Sha1>"}`, not the file; this is
 * that message body.
 */
export function statementSignedBody(header: HeaderLookup, details: SignatureErrorDetails): Buffer {
  const sha1 = header(STATEMENT_SHA1);
  if (!sha1 || isRepeatedHeader(sha1)) {
    throw new SignatureError('HEADERS_MISSING', 'statement reply lacks exactly one Wechatpay-Statement-Sha1', details);
  }
  return Buffer.from(JSON.stringify({ sha1 }));
}

/** The file must be the one the signed digest names (hex, or base64 of the 20 bytes). */
export function checkStatementDigest(header: HeaderLookup, body: Buffer, details: SignatureErrorDetails): void {
  const given = header(STATEMENT_SHA1) ?? '';
  const digest = createHash('sha1').update(body).digest();
  if (given.toLowerCase() !== digest.toString('hex') && given !== digest.toString('base64')) {
    throw new SignatureError(
      'SIGNATURE_MISMATCH',
      'statement file does not match its signed Wechatpay-Statement-Sha1',
      details,
    );
  }
}
