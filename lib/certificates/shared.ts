import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '../observe/observer';
import type { Store } from '../store/store';

/**
 * One merchant's certificate list in a `Store`, as WeChat Pay sealed it (`data[]` of `GET /v3/certificates`, each
 * PEM still AES-GCM encrypted under the APIv3 key): a reader decrypts and checks it as it checks a download, so an
 * entry written by anyone without the APIv3 key does not decrypt and is not trusted.
 */
export interface PublishedList {
  /** Which download this is: a reader adopts a version it does not hold yet. */
  version: string;
  /** The reply body, JSON. */
  body: string;
}

/** A lease on refreshing: whoever writes it downloads, the others wait for what it publishes. */
const LEASE_SECONDS = 30;

type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * The store side of certificate sharing. Every failure of the store is reported and answered by "not shared" (the
 * caller downloads locally): a store outage must never stop payments (fails open), unlike the replay guard.
 */
export class SharedCertificates {
  private readonly owner = randomBytes(8).toString('hex');

  constructor(
    private readonly store: Store,
    /** `certificates:<baseURL>:<mchid>`: one merchant on one gateway. */
    private readonly key: string,
    private readonly ttlSeconds: number,
    private readonly report: (event: StoreEvent) => void,
  ) {}

  /** What is published now, undefined when nothing (or something unreadable) is; `ok: false` when the store failed. */
  async read(): Promise<Outcome<PublishedList | undefined>> {
    const value = await this.attempt('get', 'downloading locally', () => this.store.get(this.key));
    if (!value.ok) return value;
    return { ok: true, value: parsePublished(value.value) };
  }

  async publish(body: string): Promise<string> {
    const version = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const entry: PublishedList = { version, body };
    await this.attempt('set', 'the download is kept by this client only', () =>
      this.store.set(this.key, JSON.stringify(entry), this.ttlSeconds),
    );
    return version;
  }

  /** Take the refresh lease: true when ours, false when another holds it; `ok: false` when the store failed. */
  lease(): Promise<Outcome<boolean>> {
    return this.attempt('setIfAbsent', 'downloading locally', () =>
      this.store.setIfAbsent(`${this.key}:refresh`, this.owner, LEASE_SECONDS),
    );
  }

  /** Give the lease back if it is still ours (else it has expired and is someone else's). */
  async release(): Promise<void> {
    const leaseKey = `${this.key}:refresh`;
    await this.attempt('delete', 'the refresh lease expires by itself', async () => {
      if ((await this.store.get(leaseKey)) === this.owner) await this.store.delete(leaseKey);
    });
  }

  private async attempt<T>(operation: string, outcome: string, run: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.report({ type: 'store', use: 'certificates', operation, error: message, outcome });
      return { ok: false };
    }
  }
}

function parsePublished(value: string | undefined): PublishedList | undefined {
  if (value === undefined) return undefined;
  try {
    const entry = JSON.parse(value) as Partial<PublishedList>;
    return typeof entry.version === 'string' && typeof entry.body === 'string'
      ? { version: entry.version, body: entry.body }
      : undefined;
  } catch {
    return undefined;
  }
}
