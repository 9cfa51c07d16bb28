import { ConfigError, SignatureError } from '../errors';
import { isCertificatesDownload } from '../verify/download-rules';
import type { PlatformKeys } from '../verify/platform-keys';
import type { HeaderLookup } from '../verify/signed-message';
import type { PlatformCertificate } from './decode';
import type { CertificateManager } from './manager';

/** Decoding a certificates download: loaded by the first `/v3/certificates` reply, not by every client. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path, so bundlers (Workers) still follow it
const certificatesDownload = () => require('./decode') as typeof import('./decode');

/** A reply as the certificate bootstrap sees it. */
export interface SignedReply {
  header: HeaderLookup;
  /** The bytes the signature covers. */
  signedBody: Buffer;
  target: string;
  status: number;
  /** The certificates of a `/v3/certificates` reply, decoded once (see `CertificateBootstrap.decode`). */
  downloaded(): PlatformCertificate[];
}

/** What an unverifiable error reply said, shortened: a hint for the reader, never trusted data. */
function unverifiedHint(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ');
  return text === '' ? '' : ` (unverified body: ${text})`;
}

/** An unknown serial the certificate download did not resolve: say why (a failed download is kept as `cause`). */
function withDownloadCause(error: SignatureError, manager: CertificateManager): SignatureError {
  const { hint, cause } = manager.whyUnknown(error.serial ?? '');
  if (hint === undefined) return error;
  const { reason, status, serial, requestId, headers } = error;
  const message = `${error.message.slice(reason.length + 2)}; ${hint}`;
  return new SignatureError(reason, message, { status, serial, requestId, headers, cause });
}

/**
 * With an APIv3 key, where WeChat Pay keys come from when none is configured or a reply names a new one: the first
 * `/v3/certificates` download vouches for itself, and an `UNKNOWN_SERIAL` reply makes the manager download and learn.
 */
export class CertificateBootstrap {
  constructor(
    private readonly apiv3Key: string,
    readonly manager: CertificateManager,
    private readonly keys: PlatformKeys<unknown>,
  ) {}

  /** The certificates a `/v3/certificates` reply carries, decrypted with the APIv3 key. */
  decode(body: Buffer): PlatformCertificate[] {
    try {
      return certificatesDownload().decodeCertificates(body, this.apiv3Key);
    } catch (error) {
      if (ConfigError.isConfigError(error)) throw error; // a wrong APIv3 key says so
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download cannot vouch for itself: ${(error as Error).message}`,
      );
    }
  }

  /**
   * After a failed check: learn a new serial (or let a first certificates download vouch for itself) and check
   * again, or fail with the original error.
   */
  async recover(error: unknown, recheck: () => unknown, reply: SignedReply): Promise<void> {
    if (!SignatureError.isSignatureError(error) || error.reason !== 'UNKNOWN_SERIAL') throw error;
    if (isCertificatesDownload(reply.target)) {
      this.vouchForItself(error, reply);
      return;
    }
    if (!(await this.manager.learn(error.serial ?? ''))) throw withDownloadCause(error, this.manager);
    await recheck();
  }

  /**
   * A `/v3/certificates` reply signed by a serial we do not know. Never `learn()` here: learning downloads, and
   * waits on the download in flight, which is this very reply. Only the very first download (no WeChat Pay key
   * configured or learnt yet) may vouch for itself; after that it must verify with a key already trusted.
   */
  private vouchForItself(error: SignatureError, { header, signedBody, status, downloaded }: SignedReply): void {
    const details = { status, serial: error.serial, requestId: header('request-id'), headers: error.headers };
    if (status !== 200) {
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download answered HTTP ${status} signed by unknown serial ${error.serial}${unverifiedHint(signedBody)}`,
        details,
      );
    }
    if (this.keys.size > 0) {
      throw new SignatureError(
        'UNKNOWN_SERIAL',
        `certificates download is signed by ${error.serial}, not by a WeChat Pay key already trusted ` +
          `(${this.keys.serials().join(', ')}); only the first download may vouch for itself`,
        details,
      );
    }
    certificatesDownload().verifyDownload(header, signedBody, downloaded());
  }
}
