import type { AxiosInstance } from 'axios';
import type { StoreEvent } from '../observe/observer';
import type { Store } from '../store/store';
import type { PlatformKeys } from '../verify/platform-keys';
import type { PlatformCertificate } from './decode';
import { unknownSerialHint } from './download-failure';
import { PLATFORM_CERTIFICATES } from './download-slot';
import { SharedCertificates, type PublishedList } from './shared';

export const CERTIFICATES_PATH = 'v3/certificates';

export interface CertificateManagerOptions {
  /** Scheduled refresh period; WeChat Pay advises at most 12 hours. */
  refreshIntervalMs?: number;
  /** The same unknown serial triggers a download at most once per this gap (default 60 s). */
  serialRetryMs?: number;
  /** Downloads are at least this far apart, whatever the serials (default 1 s). */
  minIntervalMs?: number;
  /**
   * Share downloads with every client of this merchant that uses the same store (this process's other clients, or
   * every process with a Redis store): a published list is adopted instead of downloaded, one client at a time
   * refreshes. Needs `apiv3Key` (the list is kept sealed, as WeChat Pay sent it).
   */
  sharing?: { store: Store; key: string; apiv3Key: string; report: (event: StoreEvent) => void };
}

const SERIALS_REMEMBERED = 64;
/** How long a client waits for the list another client holding the refresh lease is downloading. */
const PUBLISHED_WAIT_MS = 10_000;
const PUBLISHED_POLL_MS = 50;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- decoding loads with the first list, not the client
const decoding = () => require('./decode') as typeof import('./decode');

/**
 * Keeps platform certificates downloaded from `GET /v3/certificates`: once on first need, again on a schedule,
 * and at once when a reply names a serial we do not know (rotation). Downloads never replace configured keys.
 */
export class CertificateManager {
  /** Every certificate of the last download, by serial (what the CLI writes out). */
  readonly certificates = new Map<string, PlatformCertificate>();
  private inFlight: Promise<PlatformCertificate[]> | undefined;
  private lastDownload = 0;
  /** How the last download failed (undefined after a success): an unknown serial's error says it. */
  private lastFailure: unknown;
  /** Unknown serials already chased, and when: a forged serial cannot make us download again and again. */
  private readonly chased = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly refreshIntervalMs: number;
  private readonly serialRetryMs: number;
  private readonly minIntervalMs: number;
  private readonly shared?: SharedCertificates;
  private readonly apiv3Key?: string;
  /** The published list this client holds (its own download, or one it adopted). */
  private version: string | undefined;

  constructor(
    private readonly http: AxiosInstance,
    private readonly keys: PlatformKeys,
    options: CertificateManagerOptions = {},
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 12 * 3_600_000;
    this.serialRetryMs = options.serialRetryMs ?? 60_000;
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    const { sharing } = options;
    if (sharing) {
      const ttlSeconds = Math.ceil(this.refreshIntervalMs / 1000);
      this.shared = new SharedCertificates(sharing.store, sharing.key, ttlSeconds, sharing.report);
      this.apiv3Key = sharing.apiv3Key;
    }
  }

  /** Download now (single-flight: concurrent callers share one request). */
  refresh(): Promise<PlatformCertificate[]> {
    return this.once(() => this.download());
  }

  private once(work: () => Promise<PlatformCertificate[]>): Promise<PlatformCertificate[]> {
    this.inFlight ??= work().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Certificates another client published when they are new to this one and `satisfied()` then holds; else a
   * download, by whichever client takes the refresh lease while the others wait for what it publishes. Any store
   * failure (reported) means a local download.
   */
  private obtain(satisfied: () => boolean): Promise<PlatformCertificate[]> {
    const shared = this.shared;
    if (!shared) return this.refresh();
    return this.once(async () => {
      const published = await shared.read();
      if (!published.ok) return this.download();
      if (this.adopt(published.value) && satisfied()) return [...this.certificates.values()];
      const lease = await shared.lease();
      if (lease.ok && !lease.value && (await this.awaitPublished(shared)) && satisfied()) {
        return [...this.certificates.values()];
      }
      try {
        return await this.download();
      } finally {
        if (lease.ok && lease.value) await shared.release();
      }
    });
  }

  /** Take a published list this client does not hold yet; false when there is none, or it does not decrypt. */
  private adopt(entry: PublishedList | undefined): boolean {
    if (!entry || entry.version === this.version) return false;
    let certificates: PlatformCertificate[];
    try {
      certificates = decoding().decodeCertificates(entry.body, this.apiv3Key!);
    } catch {
      return false; // not sealed under this APIv3 key, or outdated: a download settles it
    }
    this.keep(certificates);
    this.version = entry.version;
    this.schedule();
    return true;
  }

  private async awaitPublished(shared: SharedCertificates): Promise<boolean> {
    const until = Date.now() + PUBLISHED_WAIT_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, PUBLISHED_POLL_MS));
      const published = await shared.read();
      if (!published.ok) return false;
      if (this.adopt(published.value)) return true;
    }
    return false;
  }

  private keep(certificates: PlatformCertificate[]): void {
    for (const certificate of certificates) {
      this.certificates.set(certificate.serial, certificate);
      this.keys.learn(certificate.serial, certificate.key);
    }
  }

  private async download(): Promise<PlatformCertificate[]> {
    const wait = this.lastDownload + this.minIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastDownload = Date.now();
    // the verifier decrypts and checks the download (see decode.ts) and leaves the certificates on the response
    let response;
    try {
      response = await this.http.get(CERTIFICATES_PATH, { headers: { Accept: 'application/json' } });
    } catch (error) {
      this.lastFailure = error;
      throw error;
    }
    this.lastFailure = undefined;
    const certificates =
      (response as unknown as Record<symbol, PlatformCertificate[] | undefined>)[PLATFORM_CERTIFICATES] ?? [];
    this.keep(certificates);
    this.schedule();
    // published sealed, as received: the verifier has just checked this very body
    if (this.shared) this.version = await this.shared.publish(JSON.stringify(response.data));
    return certificates;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    // a list another client refreshed meanwhile is adopted instead of downloading again
    this.timer = setTimeout(() => void this.obtain(() => true).catch(() => undefined), this.refreshIntervalMs);
    this.timer.unref();
  }

  /** A reply named `serial`, which we do not know: download (once per serial per minute) and say whether we know it now. */
  async learn(serial: string): Promise<boolean> {
    const now = Date.now();
    const chasedAt = this.chased.get(serial);
    if (this.inFlight) {
      await this.inFlight.catch(() => undefined);
    } else if (chasedAt === undefined || now - chasedAt >= this.serialRetryMs) {
      this.chased.delete(serial);
      this.chased.set(serial, now);
      if (this.chased.size > SERIALS_REMEMBERED) this.chased.delete(this.chased.keys().next().value!);
      await this.obtain(() => this.keys.has(serial)).catch(() => undefined);
    }
    return this.keys.has(serial);
  }

  /** Why `serial` is still unknown after `learn`: the last download's failure, and the sentence that explains it. */
  whyUnknown(serial: string): { hint?: string; cause: unknown } {
    return { hint: unknownSerialHint(serial, this.lastFailure), cause: this.lastFailure };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
