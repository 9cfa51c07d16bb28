import type { KeyObject } from 'node:crypto';
import type { CryptoBackend, SyncCryptoBackend } from '../crypto/backend';
import { Formatter } from '../crypto/formatter';
import { SignatureError, type SignatureErrorDetails } from '../errors';
import type { PlatformKeys } from './platform-keys';
import { decodeSignature, isRepeatedHeader } from '../crypto/signature-bytes';

export const MAX_CLOCK_SKEW_SECONDS = 300;
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

export type HeaderLookup = (lowerCaseName: string) => string | undefined;

/** The four `Wechatpay-*` values a signature check reads. */
export interface SignatureHeaderValues {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  serial: string | undefined;
}

export interface SignedMessage<K = KeyObject> {
  header: HeaderLookup;
  /** The four values, when the caller has them already (callbacks): `header` then serves only an error's details. */
  values?: SignatureHeaderValues;
  body: Buffer;
  keys: PlatformKeys<K>;
  /** Unix seconds; injectable so tests and the sandbox can move the clock. */
  now?: number;
  status?: number;
  /** All headers, for the error (signatures are shortened there). */
  headers?: Record<string, unknown>;
}

interface Checked<K> {
  serial: string;
  key: K;
  signed: Buffer;
  signature: string;
  message: SignedMessage<K>;
}

/** What a SignatureError carries: built only when one is thrown, so a message that verifies pays nothing for it. */
function detailsOf(message: SignedMessage<unknown>, serial: string | undefined): SignatureErrorDetails {
  return { status: message.status, serial, requestId: message.header('request-id'), headers: message.headers };
}

/** The four values through a lookup. */
export function signatureHeaderValues(header: HeaderLookup): SignatureHeaderValues {
  return {
    timestamp: header('wechatpay-timestamp'),
    nonce: header('wechatpay-nonce'),
    signature: header('wechatpay-signature'),
    serial: header('wechatpay-serial'),
  };
}

/** What `/^\d+$/` accepts (ASCII digits, at least one), without a regular expression call per message. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** Everything but the signature itself: headers present, not a probe, timestamp within 300 s, serial known. */
function precheck<K>(message: SignedMessage<K>): Checked<K> {
  const { body, keys } = message;
  const { timestamp, nonce, signature, serial } = message.values ?? signatureHeaderValues(message.header);
  if (!timestamp || !nonce || !signature || !serial) {
    const missing = [
      ['Wechatpay-Timestamp', timestamp],
      ['Wechatpay-Nonce', nonce],
      ['Wechatpay-Signature', signature],
      ['Wechatpay-Serial', serial],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new SignatureError('HEADERS_MISSING', `reply lacks ${missing.join(', ')}`, detailsOf(message, serial));
  }
  if (
    isRepeatedHeader(timestamp) ||
    isRepeatedHeader(nonce) ||
    isRepeatedHeader(signature) ||
    isRepeatedHeader(serial)
  ) {
    const repeated = [
      ['Wechatpay-Timestamp', timestamp],
      ['Wechatpay-Nonce', nonce],
      ['Wechatpay-Signature', signature],
      ['Wechatpay-Serial', serial],
    ]
      .filter(([, value]) => isRepeatedHeader(value))
      .map(([name]) => name);
    throw new SignatureError(
      'HEADERS_MISSING',
      `reply repeats ${repeated.join(', ')}: exactly one of each`,
      detailsOf(message, serial),
    );
  }
  if (signature.startsWith(PROBE_PREFIX)) {
    throw new SignatureError(
      'SIGNATURE_PROBE',
      'signature is a WeChat Pay WECHATPAY/SIGNTEST/ probe, not a real one',
      detailsOf(message, serial),
    );
  }
  const seconds = Number(timestamp);
  const now = message.now ?? Math.floor(Date.now() / 1000);
  if (!isDigits(timestamp) || Math.abs(now - seconds) > MAX_CLOCK_SKEW_SECONDS) {
    throw new SignatureError(
      'TIMESTAMP_SKEW',
      `Wechatpay-Timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from local time ${now}`,
      detailsOf(message, serial),
    );
  }
  const key = keys.get(serial);
  if (key === undefined) {
    throw new SignatureError(
      'UNKNOWN_SERIAL',
      `Wechatpay-Serial ${serial} is not among the configured certs`,
      detailsOf(message, serial),
    );
  }
  const signed = Formatter.response(timestamp, nonce, body);
  return { serial, key, signed, signature, message };
}

function mismatch({ serial, message }: Checked<unknown>): SignatureError {
  return new SignatureError(
    'SIGNATURE_MISMATCH',
    `signature does not verify with the key ${serial}`,
    detailsOf(message, serial),
  );
}

/**
 * Check a WeChat Pay signed reply or callback: headers present, not a probe, timestamp within 300 s, serial known,
 * and RSA-SHA256 over `TIMESTAMP\nNONCE\nBODY\n` valid. Returns the serial that signed it: at once with a
 * synchronous backend (node:crypto), else as a promise; a failed precheck throws either way.
 */
export function verifySignedMessage<K>(message: SignedMessage<K>, backend: SyncCryptoBackend<K>): string;
export function verifySignedMessage<K>(message: SignedMessage<K>, backend: CryptoBackend<K>): string | Promise<string>;
export function verifySignedMessage<K>(message: SignedMessage<K>, backend: CryptoBackend<K>): string | Promise<string> {
  const checked = precheck(message);
  // strict decoding first: a signature with junk in it is refused before any backend is asked
  if (decodeSignature(checked.signature) === undefined) throw mismatch(checked);
  if (backend.synchronous) {
    if (!backend.verifySync(checked.signed, checked.signature, checked.key)) throw mismatch(checked);
    return checked.serial;
  }
  return backend.verify(checked.signed, checked.signature, checked.key).then((valid) => {
    if (!valid) throw mismatch(checked);
    return checked.serial;
  });
}
