import type { CryptoBackend, SyncCryptoBackend } from '../crypto/backend';
import type { PlatformKeys } from '../verify/platform-keys';
import { verifySignedMessage, type HeaderLookup, type SignatureHeaderValues } from '../verify/signed-message';
import { WebhookError } from './errors';
import type { WebhookEvent } from './events';
import type { CallbackEnvelope } from './index';

/** A callback as received: its raw body, and its headers (the four signature values, when already read). */
export interface ReceivedCallback {
  bytes: Buffer;
  header: HeaderLookup;
  values?: SignatureHeaderValues;
}

/** What opening a callback takes: the WeChat Pay keys, the APIv3 key (32 bytes) and the backend they run on. */
export interface CallbackKeys<K> {
  keys: PlatformKeys<K>;
  apiv3Key: string | Uint8Array;
  backend: CryptoBackend<K>;
  /** Unix seconds; for tests. */
  now?: number;
  /**
   * Called once the signature holds, before decrypting: throws (or rejects) to refuse a replay. Synchronous for a
   * synchronous result; a replay guard over a store answers asynchronously.
   */
  admit?: (nonce: string) => void | Promise<void>;
}

const UTF8 = new TextDecoder();

/** `next(value)`, after `value` settles when it is a promise: one path for synchronous and asynchronous backends. */
function then<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** The callback body as an envelope with an AEAD_AES_256_GCM resource. */
export function asEnvelope(bytes: Uint8Array): CallbackEnvelope {
  let envelope: CallbackEnvelope;
  try {
    envelope = JSON.parse(UTF8.decode(bytes)) as CallbackEnvelope;
  } catch {
    throw new WebhookError('MALFORMED', 'callback body is not JSON');
  }
  const resource = envelope?.resource;
  if (!resource || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
    throw new WebhookError('MALFORMED', 'callback has no encrypted resource (resource.ciphertext, resource.nonce)');
  }
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new WebhookError('MALFORMED', `unsupported resource algorithm ${String(resource.algorithm)}`);
  return envelope;
}

const decryptFailed = (): never => {
  throw new WebhookError('DECRYPT_FAILED', 'resource does not decrypt with the APIv3 key (wrong key, or tampered)');
};

/** The decrypted resource, parsed when it is JSON (some resources are plain text: kept as they are). */
function parsed(plaintext: string): unknown {
  try {
    return JSON.parse(plaintext);
  } catch {
    return plaintext;
  }
}

/**
 * What `Webhook` and `FetchWebhook` do with a callback, written once: verify it like a reply (probe, skew, serial,
 * signature), read the envelope, let `admit` refuse a replay, and decrypt `resource`. At once with a synchronous
 * backend (node:crypto) and a synchronous `admit`, else as a promise. Nothing unverified is returned.
 */
export function openCallback<R, K>(
  callback: ReceivedCallback,
  opening: CallbackKeys<K> & { backend: SyncCryptoBackend<K>; admit?: (nonce: string) => void },
): WebhookEvent<R>;
export function openCallback<R, K>(
  callback: ReceivedCallback,
  opening: CallbackKeys<K>,
): WebhookEvent<R> | Promise<WebhookEvent<R>>;
export function openCallback<R, K>(
  { bytes, header, values }: ReceivedCallback,
  { keys, apiv3Key, backend, now, admit }: CallbackKeys<K>,
): WebhookEvent<R> | Promise<WebhookEvent<R>> {
  const verified = verifySignedMessage({ header, values, body: bytes, keys, now }, backend);
  return then(verified, (serial) => {
    const envelope = asEnvelope(bytes);
    // checked once the signature holds, so forged callbacks cannot fill the replay guard
    const admitted = admit?.((values?.nonce ?? header('wechatpay-nonce'))!);
    return then(admitted, () => {
      const { ciphertext, nonce, associated_data: aad = '' } = envelope.resource;
      let plaintext: string | Promise<string>;
      try {
        plaintext = backend.synchronous
          ? backend.aesGcmDecryptSync(ciphertext, apiv3Key, nonce, aad)
          : backend.aesGcmDecrypt(ciphertext, apiv3Key, nonce, aad).catch(decryptFailed);
      } catch {
        return decryptFailed();
      }
      return then(plaintext, (text) => ({
        event_type: envelope.event_type,
        envelope,
        resource: parsed(text) as R,
        serial,
        reply: { status: 204 },
      }));
    });
  });
}
