import { constants, privateDecrypt, publicEncrypt, sign, verify, type KeyObject } from 'node:crypto';
import { pkcs1ToSpki } from './key-forms';
import { loadKey, type KeyKind, type KeyLike } from './keys';
import { decodeSignature } from '../verify/signature-bytes';

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;
/** RSA-2048 OAEP with SHA-1: 256 - 2 * 20 - 2 bytes of plaintext at most. */
export const OAEP_SHA1_MAX_BYTES_2048 = 214;

/** The most plaintext bytes RSA-OAEP (SHA-1) takes with this key. */
export function oaepLimit(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  return bits / 8 - 2 * 20 - 2;
}

/** RSA as WeChat Pay uses it; argument orders follow wechatpay-php. */
export const Rsa = {
  KEY_TYPE_PRIVATE: 'private' as const,
  KEY_TYPE_PUBLIC: 'public' as const,

  /**
   * Parse a key once; pass the result to `sign`/`verify`/`encrypt`/`decrypt` so they never re-parse.
   * Takes everything a key field takes, including wechatpay-php's `private.pkcs8://MIIE...` forms,
   * `X509Certificate` objects and `[encryptedPem, passphrase]` pairs.
   */
  from(thing: KeyLike, type: KeyKind = 'private'): KeyObject {
    return loadKey(thing, type);
  },

  /** wechatpay-php's sugar: base64 PKCS#8 DER (no PEM envelope) to a private key. */
  fromPkcs8(base64: string): KeyObject {
    return loadKey(`private.pkcs8://${base64}`, 'private');
  },

  /** wechatpay-php's sugar: base64 PKCS#1 DER to a private (default) or public key. */
  fromPkcs1(base64: string, type: KeyKind = 'private'): KeyObject {
    return loadKey(`${type === 'public' ? 'public' : 'private'}.pkcs1://${base64}`, type);
  },

  /** wechatpay-php's sugar: base64 SPKI DER to a public key. */
  fromSpki(base64: string): KeyObject {
    return loadKey(`public.spki://${base64}`, 'public');
  },

  /** The base64 SPKI DER of a base64 PKCS#1 DER public key, as wechatpay-php's `Rsa::pkcs1ToSpki`. */
  pkcs1ToSpki,

  /** OAEP (SHA-1, MGF1-SHA1) encryption of a sensitive field; returns base64. */
  encrypt(plaintext: string, publicKey: KeyLike): string {
    const key = loadKey(publicKey, 'public');
    const data = Buffer.from(plaintext, 'utf8');
    const limit = oaepLimit(key);
    if (data.length > limit) {
      throw new RangeError(`plaintext is ${data.length} bytes; RSA-OAEP (SHA-1) takes at most ${limit}`);
    }
    return publicEncrypt({ key, ...OAEP }, data).toString('base64');
  },

  decrypt(ciphertext: string, privateKey: KeyLike): string {
    const key = loadKey(privateKey, 'private');
    return privateDecrypt({ key, ...OAEP }, Buffer.from(ciphertext, 'base64')).toString('utf8');
  },

  /** PKCS#1 v1.5 SHA-256 signature, base64. */
  sign(message: string | Buffer, privateKey: KeyLike): string {
    return sign('sha256', toBytes(message), loadKey(privateKey, 'private')).toString('base64');
  },

  /**
   * True when `signature` (base64) is `publicKey`'s over `message`. As wechatpay-php, a missing or mistyped argument
   * or a key that does not load throws (a `TypeError` / `KeyLoadError`) rather than reading as "not verified".
   */
  verify(message: string | Buffer, signature: string, publicKey: KeyLike): boolean {
    if (typeof message !== 'string' && !Buffer.isBuffer(message)) {
      throw new TypeError(`Rsa.verify: message must be a string or Buffer, got ${kindOf(message)}`);
    }
    if (typeof signature !== 'string') {
      throw new TypeError(`Rsa.verify: signature must be a base64 string, got ${kindOf(signature)}`);
    }
    if (publicKey === undefined || publicKey === null || (publicKey as unknown) === '') {
      throw new TypeError('Rsa.verify: publicKey is required');
    }
    const key = loadKey(publicKey, 'public');
    const bytes = decodeSignature(signature);
    return bytes !== undefined && verify('sha256', toBytes(message), key, bytes);
  },
};

function kindOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function toBytes(message: string | Buffer): Buffer {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}
