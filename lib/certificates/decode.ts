import { X509Certificate, verify, type KeyObject } from 'node:crypto';
import { SignatureError } from '../errors';
import { openCertificate } from './open';
import type { HeaderLookup } from '../verify/signed-message';

/** Where the verifier leaves the decrypted certificates of a `/v3/certificates` reply for the manager. */
export const PLATFORM_CERTIFICATES = Symbol('wechatpay-chain.platformCertificates');

export interface PlatformCertificate {
  serial: string;
  pem: string;
  key: KeyObject;
  effectiveTime: string;
  expireTime: string;
}

interface CertificatesBody {
  data?: Array<{
    serial_no?: string;
    effective_time?: string;
    expire_time?: string;
    encrypt_certificate?: { algorithm?: string; nonce?: string; associated_data?: string; ciphertext?: string };
  }>;
}

/**
 * The certificates of a `GET /v3/certificates` reply, decrypted with the APIv3 key (AES-256-GCM, associated
 * data `certificate`). A certificate whose own serial differs from `serial_no` is refused.
 */
export function decodeCertificates(body: Buffer | string, apiv3Key: string): PlatformCertificate[] {
  const parsed = JSON.parse(body.toString()) as CertificatesBody;
  if (!Array.isArray(parsed.data)) throw new TypeError('certificates reply has no data list');
  return parsed.data.map((entry) => {
    const sealed = entry.encrypt_certificate;
    if (!entry.serial_no || !sealed?.ciphertext || !sealed.nonce)
      throw new TypeError('certificates reply entry is incomplete');
    const pem = openCertificate(sealed, apiv3Key, entry.serial_no, sealed.associated_data ?? 'certificate');
    const certificate = new X509Certificate(pem);
    if (certificate.serialNumber.toUpperCase() !== entry.serial_no.toUpperCase()) {
      throw new TypeError(`certificate ${entry.serial_no} carries serial ${certificate.serialNumber}`);
    }
    return {
      serial: entry.serial_no,
      pem,
      key: certificate.publicKey,
      effectiveTime: entry.effective_time ?? certificate.validFrom,
      expireTime: entry.expire_time ?? certificate.validTo,
    };
  });
}

/**
 * The bootstrap check of a certificates download: signed by one of the certificates it carries. Only a holder of
 * the APIv3 key can produce ciphertext that decrypts, so the download vouches for itself.
 */
export function verifyDownload(
  header: HeaderLookup,
  body: Buffer,
  certificates: PlatformCertificate[],
): PlatformCertificate {
  const serial = header('wechatpay-serial');
  const signer = certificates.find((certificate) => certificate.serial === serial);
  if (!signer)
    throw new SignatureError(
      'UNKNOWN_SERIAL',
      `certificates download is signed by ${serial}, which it does not carry`,
      { serial },
    );
  const message = Buffer.concat([
    Buffer.from(`${header('wechatpay-timestamp')}\n${header('wechatpay-nonce')}\n`),
    body,
    Buffer.from('\n'),
  ]);
  if (!verify('sha256', message, signer.key, Buffer.from(header('wechatpay-signature') ?? '', 'base64'))) {
    throw new SignatureError(
      'SIGNATURE_MISMATCH',
      `certificates download does not verify with its certificate ${serial}`,
      { serial },
    );
  }
  return signer;
}
