import { importKey, type WebRsaKey } from './keys';
import type { KeyLike } from '../keys';

/** WebCrypto's `subtle`, wherever the runtime keeps it (every target runtime has the global). */
export function subtle(): SubtleCrypto {
  const found = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!found) throw new TypeError('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  return found;
}

type SubtleCrypto = import('node:crypto').webcrypto.SubtleCrypto;

const SIGN = { name: 'RSASSA-PKCS1-v1_5' } as const;
const OAEP = { name: 'RSA-OAEP' } as const;

function bytes(message: string | Uint8Array): Uint8Array {
  return typeof message === 'string' ? new TextEncoder().encode(message) : message;
}

/** The most plaintext bytes RSA-OAEP (SHA-1) takes with this key. */
export function oaepLimitOf(key: WebRsaKey): number {
  return key.modulusBits / 8 - 2 * 20 - 2;
}

/**
 * RSA as WeChat Pay uses it, on WebCrypto: the async twin of `Rsa` (same argument orders, same base64 in and out).
 * Keys may be anything `Rsa` accepts, or a `WebRsaKey` already imported (import once, use many times).
 */
export const RsaAsync = {
  from(thing: KeyLike | WebRsaKey, type: 'private' | 'public' = 'private'): Promise<WebRsaKey> {
    return importKey(thing, type);
  },

  /** OAEP (SHA-1, MGF1-SHA1) encryption of a sensitive field; returns base64. */
  async encrypt(plaintext: string, publicKey: KeyLike | WebRsaKey): Promise<string> {
    const key = await importKey(publicKey, 'public');
    const data = bytes(plaintext);
    const limit = oaepLimitOf(key);
    if (data.length > limit) {
      throw new RangeError(`plaintext is ${data.length} bytes; RSA-OAEP (SHA-1) takes at most ${limit}`);
    }
    return Buffer.from(await subtle().encrypt(OAEP, key.oaep, data)).toString('base64');
  },

  async decrypt(ciphertext: string, privateKey: KeyLike | WebRsaKey): Promise<string> {
    const key = await importKey(privateKey, 'private');
    const plain = await subtle().decrypt(OAEP, key.oaep, Buffer.from(ciphertext, 'base64'));
    return Buffer.from(plain).toString('utf8');
  },

  /** PKCS#1 v1.5 SHA-256 signature, base64. */
  async sign(message: string | Uint8Array, privateKey: KeyLike | WebRsaKey): Promise<string> {
    const key = await importKey(privateKey, 'private');
    return Buffer.from(await subtle().sign(SIGN, key.signing, bytes(message))).toString('base64');
  },

  async verify(message: string | Uint8Array, signature: string, publicKey: KeyLike | WebRsaKey): Promise<boolean> {
    const key = await importKey(publicKey, 'public');
    return subtle().verify(SIGN, key.signing, Buffer.from(signature, 'base64'), bytes(message));
  },
};
