import { constants, privateDecrypt, publicEncrypt, sign, verify, type KeyObject } from 'node:crypto';
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

  from(thing: KeyLike, type: KeyKind = 'private'): KeyObject {
    return loadKey(thing, type);
  },

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

  verify(message: string | Buffer, signature: string, publicKey: KeyLike): boolean {
    const bytes = decodeSignature(signature);
    return bytes !== undefined && verify('sha256', toBytes(message), loadKey(publicKey, 'public'), bytes);
  },
};

function toBytes(message: string | Buffer): Buffer {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}
