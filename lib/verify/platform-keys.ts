import type { KeyObject } from 'node:crypto';
import { KeyLoadError, loadKey, type KeyLike } from '../crypto/keys';

/** A WeChat Pay platform certificate downloaded from `/v3/certificates`, decrypted and checked. */
export interface PlatformCertificate {
  serial: string;
  pem: string;
  key: KeyObject;
  effectiveTime: string;
  expireTime: string;
}

/** WeChat Pay public keys (`PUB_KEY_ID_...`) and platform certificates, keyed by id or serial, parsed once. */
export class PlatformKeys<K = KeyObject> {
  private readonly keys = new Map<string, K>();
  private readonly configured = new Set<string>();

  /** @throws KeyLoadError naming the serial of the entry that did not load */
  constructor(certs: Record<string, KeyLike> = {}) {
    for (const [serial, thing] of Object.entries(certs)) {
      try {
        this.keys.set(serial, loadKey(thing, 'public') as K);
        this.configured.add(serial);
      } catch (error) {
        const failure = new KeyLoadError((error as Error).message);
        failure.field = `certs.${serial}`;
        throw failure;
      }
    }
  }

  /** Keys another backend already imported (see `lib/crypto/backend.ts`), kept as configured keys. */
  static fromImported<K>(imported: Iterable<[string, K]>): PlatformKeys<K> {
    const keys = new PlatformKeys<K>();
    for (const [serial, key] of imported) {
      keys.keys.set(serial, key);
      keys.configured.add(serial);
    }
    return keys;
  }

  /** Keep a downloaded platform certificate's key; a configured key of the same serial is never replaced. */
  learn(serial: string, key: K): boolean {
    if (this.configured.has(serial)) return false;
    this.keys.set(serial, key);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }

  get(serial: string): K | undefined {
    return this.keys.get(serial);
  }

  has(serial: string): boolean {
    return this.keys.has(serial);
  }

  serials(): string[] {
    return [...this.keys.keys()];
  }

  /** The key to encrypt sensitive fields with: a public key id is preferred over a certificate (WeChat Pay's advice). */
  preferred(): { serial: string; key: K } | undefined {
    let chosen: { serial: string; key: K } | undefined;
    for (const [serial, key] of this.keys) {
      if (serial.startsWith('PUB_KEY_ID_')) return { serial, key };
      chosen ??= { serial, key };
    }
    return chosen;
  }
}
