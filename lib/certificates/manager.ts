import type { AxiosInstance } from 'axios';
import type { PlatformKeys } from '../verify/platform-keys';
import type { PlatformCertificate } from './decode';
import { unknownSerialHint } from './download-failure';
import { PLATFORM_CERTIFICATES } from './download-slot';

export const CERTIFICATES_PATH = 'v3/certificates';

export interface CertificateManagerOptions {
  /** Scheduled refresh period; WeChat Pay advises at most 12 hours. */
  refreshIntervalMs?: number;
  /** The same unknown serial triggers a download at most once per this gap (default 60 s). */
  serialRetryMs?: number;
  /** Downloads are at least this far apart, whatever the serials (default 1 s). */
  minIntervalMs?: number;
}

const SERIALS_REMEMBERED = 64;

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

  constructor(
    private readonly http: AxiosInstance,
    private readonly keys: PlatformKeys,
    options: CertificateManagerOptions = {},
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 12 * 3_600_000;
    this.serialRetryMs = options.serialRetryMs ?? 60_000;
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
  }

  /** Download now (single-flight: concurrent callers share one request). */
  refresh(): Promise<PlatformCertificate[]> {
    this.inFlight ??= this.download().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
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
    for (const certificate of certificates) {
      this.certificates.set(certificate.serial, certificate);
      this.keys.learn(certificate.serial, certificate.key);
    }
    this.schedule();
    return certificates;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), this.refreshIntervalMs);
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
      await this.refresh().catch(() => undefined);
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
