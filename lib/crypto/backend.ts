import { constants, privateDecrypt, publicEncrypt, sign, verify, type KeyObject } from 'node:crypto';
import { AesGcm } from './aes';
import { loadKey, type KeyKind, type KeyLike } from './keys';
import { oaepLimit } from './rsa';
import { AesGcmAsync } from './webcrypto/aes';
import { importKey, WebRsaKey } from './webcrypto/keys';
import { RsaAsync, oaepLimitOf } from './webcrypto/rsa';

export type BackendName = 'node' | 'webcrypto';

/**
 * The crypto the client and `FetchWebhook` need, behind one asynchronous boundary. `K` is the backend's parsed
 * key: node's `KeyObject`, or a `WebRsaKey` (WebCrypto `CryptoKey`s imported through jose). Keys are imported
 * once, at construction; every operation below reuses them.
 */
export interface CryptoBackend<K = unknown> {
  readonly name: BackendName;
  importKey(thing: KeyLike | K, kind: KeyKind): Promise<K>;
  /** RSASSA-PKCS1-v1_5 SHA-256, base64. */
  sign(message: Uint8Array, key: K): Promise<string>;
  verify(message: Uint8Array, signature: string, key: K): Promise<boolean>;
  /** RSA-OAEP SHA-1, base64. */
  encrypt(plaintext: string, key: K): Promise<string>;
  decrypt(ciphertext: string, key: K): Promise<string>;
  /** The most plaintext bytes `encrypt` takes with this key. */
  oaepLimit(key: K): number;
  /** AEAD_AES_256_GCM of callbacks: base64(ciphertext || tag) in, UTF-8 out. */
  aesGcmDecrypt(ciphertext: string, key: string, iv: string, aad: string): Promise<string>;
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;

/** node:crypto: today's fast path. Signing goes through the threadpool (the callback form), off the event loop. */
export const nodeBackend: CryptoBackend<KeyObject> = {
  name: 'node',
  importKey: async (thing, kind) => loadKey(thing, kind),
  sign: (message, key) =>
    new Promise((resolve, reject) => {
      sign('sha256', message, key, (error, signature) =>
        error ? reject(error) : resolve(signature.toString('base64')),
      );
    }),
  verify: async (message, signature, key) => verify('sha256', message, key, Buffer.from(signature, 'base64')),
  encrypt: async (plaintext, key) => publicEncrypt({ key, ...OAEP }, Buffer.from(plaintext, 'utf8')).toString('base64'),
  decrypt: async (ciphertext, key) =>
    privateDecrypt({ key, ...OAEP }, Buffer.from(ciphertext, 'base64')).toString('utf8'),
  oaepLimit,
  aesGcmDecrypt: async (ciphertext, key, iv, aad) => AesGcm.decrypt(ciphertext, key, iv, aad),
};

/** WebCrypto (`crypto.subtle`) with keys imported by jose: runs on Node, Bun, Deno and Cloudflare Workers. */
export const webcryptoBackend: CryptoBackend<WebRsaKey> = {
  name: 'webcrypto',
  importKey: (thing, kind) => importKey(thing, kind),
  sign: (message, key) => RsaAsync.sign(message, key),
  verify: (message, signature, key) => RsaAsync.verify(message, signature, key),
  encrypt: (plaintext, key) => RsaAsync.encrypt(plaintext, key),
  decrypt: (ciphertext, key) => RsaAsync.decrypt(ciphertext, key),
  oaepLimit: oaepLimitOf,
  aesGcmDecrypt: (ciphertext, key, iv, aad) => AesGcmAsync.decrypt(ciphertext, key, iv, aad),
};

/** Node itself, not a runtime that imitates it (Bun, Deno and Workers all fill `process.versions.node`). */
export function isNodeRuntime(): boolean {
  const runtime = globalThis as {
    process?: { versions?: Record<string, string | undefined> };
    navigator?: { userAgent?: string };
  };
  const versions = runtime.process?.versions;
  if (!versions?.node || versions.bun || versions.deno) return false;
  return runtime.navigator?.userAgent !== 'Cloudflare-Workers';
}

/** `node` on Node (fast, synchronous key parsing); `webcrypto` everywhere else. */
export function defaultBackend(): BackendName {
  return isNodeRuntime() ? 'node' : 'webcrypto';
}

export function backendNamed(name: BackendName): CryptoBackend<KeyObject> | CryptoBackend<WebRsaKey> {
  if (name === 'node') return nodeBackend;
  if (name === 'webcrypto') return webcryptoBackend;
  throw new TypeError(`unknown crypto backend ${String(name)}: expected "node" or "webcrypto"`);
}
