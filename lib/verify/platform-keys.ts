import type { KeyObject } from 'node:crypto';
import { KeyLoadError, loadKey, type KeyLike } from '../crypto/keys';

/** WeChat Pay public keys (`PUB_KEY_ID_...`) and platform certificates, keyed by id or serial, parsed once. */
export class PlatformKeys {
  private readonly keys = new Map<string, KeyObject>();
  private readonly configured = new Set<string>();

  /** @throws KeyLoadError naming the serial of the entry that did not load */
  constructor(certs: Record<string, KeyLike> = {}) {
    for (const [serial, thing] of Object.entries(certs)) {
      try {
        this.keys.set(serial, loadKey(thing, 'public'));
        this.configured.add(serial);
      } catch (error) {
        const failure = new KeyLoadError((error as Error).message);
        failure.field = `certs.${serial}`;
        throw failure;
      }
    }
  }

  /** Keep a downloaded platform certificate's key; a configured key of the same serial is never replaced. */
  learn(serial: string, key: KeyObject): boolean {
    if (this.configured.has(serial)) return false;
    this.keys.set(serial, key);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }

  get(serial: string): KeyObject | undefined {
    return this.keys.get(serial);
  }

  has(serial: string): boolean {
    return this.keys.has(serial);
  }

  serials(): string[] {
    return [...this.keys.keys()];
  }

  /** The key to encrypt sensitive fields with: a public key id is preferred over a certificate (WeChat Pay's advice). */
  preferred(): { serial: string; key: KeyObject } | undefined {
    let chosen: { serial: string; key: KeyObject } | undefined;
    for (const [serial, key] of this.keys) {
      if (serial.startsWith('PUB_KEY_ID_')) return { serial, key };
      chosen ??= { serial, key };
    }
    return chosen;
  }
}
