import { sign, type KeyObject } from 'node:crypto';
import { AesGcm } from './aes';
import { loadKey, type KeyKind, type KeyLike } from './keys';
import { oaepDecrypt, oaepEncrypt, oaepLimit, rsaSign, rsaVerify } from './rsa';
import { AesGcmAsync } from './webcrypto/aes';
import { importKey, WebRsaKey } from './webcrypto/keys';
import { RsaAsync, oaepLimitOf } from './webcrypto/rsa';

export type BackendName = 'node' | 'webcrypto';

/**
 * The one crypto seam of the client, `Webhook` and `FetchWebhook` (as stripe-node's `CryptoProvider`): every operation
 * in an asynchronous form, and in a synchronous one where the backend has it (`synchronous: true`, node:crypto;
 * WebCrypto's synchronous forms throw). `K` is the backend's parsed key: node's `KeyObject`, or a `WebRsaKey`
 * (WebCrypto `CryptoKey`s imported through jose). Keys are imported once, at construction, and reused.
 */
export interface CryptoBackend<K = unknown> {
  readonly name: BackendName;
  /** Whether the `...Sync` methods work; callers that can stay synchronous (callbacks, replies) then do. */
  readonly synchronous: boolean;
  importKey(thing: KeyLike | K, kind: KeyKind): Promise<K>;
  loadKeySync(thing: KeyLike | K, kind: KeyKind): K;
  /** RSASSA-PKCS1-v1_5 SHA-256, base64 (node:crypto signs through the threadpool, off the event loop). */
  sign(message: Uint8Array, key: K): Promise<string>;
  signSync(message: Uint8Array, key: K): string;
  /** Whether the base64 `signature` is `key`'s over `message`. */
  verify(message: Uint8Array, signature: string, key: K): Promise<boolean>;
  verifySync(message: Uint8Array, signature: string, key: K): boolean;
  /** RSA-OAEP SHA-1, base64. */
  encrypt(plaintext: string, key: K): Promise<string>;
  encryptSync(plaintext: string, key: K): string;
  decrypt(ciphertext: string, key: K): Promise<string>;
  decryptSync(ciphertext: string, key: K): string;
  /** The most plaintext bytes `encrypt` takes with this key. */
  oaepLimit(key: K): number;
  /** AEAD_AES_256_GCM of callbacks and certificates: base64(ciphertext || tag) in, UTF-8 out; `key` is 32 bytes. */
  aesGcmDecrypt(ciphertext: string, key: string | Uint8Array, iv: string, aad: string): Promise<string>;
  aesGcmDecryptSync(ciphertext: string, key: string | Uint8Array, iv: string, aad: string): string;
}

/** A backend whose synchronous forms work (node:crypto). */
export type SyncCryptoBackend<K = unknown> = CryptoBackend<K> & { readonly synchronous: true };

/** Turns a synchronous form into its asynchronous one: a throw becomes a rejection. */
function later<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => Promise<R> {
  return (...args) => new Promise((resolve) => resolve(run(...args)));
}

const aesGcmDecryptSync = (ciphertext: string, key: string | Uint8Array, iv: string, aad: string): string =>
  AesGcm.decrypt(
    ciphertext,
    typeof key === 'string' ? key : Buffer.from(key.buffer, key.byteOffset, key.length),
    iv,
    aad,
  );

/** node:crypto. Signing goes through the threadpool (the callback form of `crypto.sign`), off the event loop. */
export const nodeBackend: SyncCryptoBackend<KeyObject> = {
  name: 'node',
  synchronous: true,
  importKey: later((thing, kind) => loadKey(thing, kind)),
  loadKeySync: (thing, kind) => loadKey(thing, kind),
  sign: (message, key) =>
    new Promise((resolve, reject) => {
      sign('sha256', message, key, (error, signature) =>
        error ? reject(error) : resolve(signature.toString('base64')),
      );
    }),
  signSync: rsaSign,
  verify: later(rsaVerify),
  verifySync: rsaVerify,
  encrypt: later(oaepEncrypt),
  encryptSync: oaepEncrypt,
  decrypt: later(oaepDecrypt),
  decryptSync: oaepDecrypt,
  oaepLimit,
  aesGcmDecrypt: later(aesGcmDecryptSync),
  aesGcmDecryptSync,
};

function noSyncForm(operation: string): never {
  throw new TypeError(`the webcrypto backend has no synchronous ${operation}: use its asynchronous form`);
}

/** WebCrypto (`crypto.subtle`) with keys imported by jose: runs on Node, Bun, Deno and Cloudflare Workers. */
export const webcryptoBackend: CryptoBackend<WebRsaKey> = {
  name: 'webcrypto',
  synchronous: false,
  importKey: (thing, kind) => importKey(thing, kind),
  loadKeySync: () => noSyncForm('key import'),
  sign: (message, key) => RsaAsync.sign(message, key),
  signSync: () => noSyncForm('sign'),
  verify: (message, signature, key) => RsaAsync.verify(message, signature, key),
  verifySync: () => noSyncForm('verify'),
  encrypt: (plaintext, key) => RsaAsync.encrypt(plaintext, key),
  encryptSync: () => noSyncForm('encrypt'),
  decrypt: (ciphertext, key) => RsaAsync.decrypt(ciphertext, key),
  decryptSync: () => noSyncForm('decrypt'),
  oaepLimit: oaepLimitOf,
  aesGcmDecrypt: (ciphertext, key, iv, aad) => AesGcmAsync.decrypt(ciphertext, key, iv, aad),
  aesGcmDecryptSync: () => noSyncForm('AES-GCM decrypt'),
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
