import { verify } from 'node:crypto';
import { SignatureError, type SignatureErrorDetails } from '../errors';
import type { PlatformKeys } from './platform-keys';
import { decodeSignature, isRepeatedHeader } from './signature-bytes';

export const MAX_CLOCK_SKEW_SECONDS = 300;
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

export type HeaderLookup = (lowerCaseName: string) => string | undefined;

export interface SignedMessage {
  header: HeaderLookup;
  body: Buffer;
  keys: PlatformKeys;
  /** Unix seconds; injectable so tests and the sandbox can move the clock. */
  now?: number;
  status?: number;
  /** All headers, for the error (signatures are shortened there). */
  headers?: Record<string, unknown>;
}

/**
 * Check a WeChat Pay signed reply or callback: headers present, not a probe, timestamp within 300 s,
 * serial known, and RSA-SHA256 over `TIMESTAMP\nNONCE\nBODY\n` valid. Returns the serial that signed it.
 */
export function verifySignedMessage(message: SignedMessage): string {
  const { header, body, keys } = message;
  const timestamp = header('wechatpay-timestamp');
  const nonce = header('wechatpay-nonce');
  const signature = header('wechatpay-signature');
  const serial = header('wechatpay-serial');
  const details: SignatureErrorDetails = {
    status: message.status,
    serial,
    requestId: header('request-id'),
    headers: message.headers,
  };
  const missing = [
    ['Wechatpay-Timestamp', timestamp],
    ['Wechatpay-Nonce', nonce],
    ['Wechatpay-Signature', signature],
    ['Wechatpay-Serial', serial],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0 || !timestamp || !nonce || !signature || !serial) {
    throw new SignatureError('HEADERS_MISSING', `reply lacks ${missing.join(', ')}`, details);
  }
  const repeated = [
    ['Wechatpay-Timestamp', timestamp],
    ['Wechatpay-Nonce', nonce],
    ['Wechatpay-Signature', signature],
    ['Wechatpay-Serial', serial],
  ]
    .filter(([, value]) => isRepeatedHeader(value))
    .map(([name]) => name);
  if (repeated.length > 0) {
    throw new SignatureError('HEADERS_MISSING', `reply repeats ${repeated.join(', ')}: exactly one of each`, details);
  }
  if (signature.startsWith(PROBE_PREFIX)) {
    throw new SignatureError(
      'SIGNATURE_PROBE',
      'signature is a WeChat Pay WECHATPAY/SIGNTEST/ probe, not a real one',
      details,
    );
  }
  const seconds = Number(timestamp);
  const now = message.now ?? Math.floor(Date.now() / 1000);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > MAX_CLOCK_SKEW_SECONDS) {
    throw new SignatureError(
      'TIMESTAMP_SKEW',
      `Wechatpay-Timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from local time ${now}`,
      details,
    );
  }
  const key = keys.get(serial);
  if (key === undefined) {
    throw new SignatureError('UNKNOWN_SERIAL', `Wechatpay-Serial ${serial} is not among the configured certs`, details);
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]);
  const bytes = decodeSignature(signature);
  if (bytes === undefined || !verify('sha256', signed, key, bytes)) {
    throw new SignatureError('SIGNATURE_MISMATCH', `signature does not verify with the key ${serial}`, details);
  }
  return serial;
}
