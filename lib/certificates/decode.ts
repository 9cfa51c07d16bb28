import { X509Certificate } from 'node:crypto';
import { Formatter } from '../crypto/formatter';
import { rsaVerify } from '../crypto/rsa';
import { SignatureError } from '../errors';
import { openCertificate } from './open';
import type { PlatformCertificate } from '../verify/platform-keys';
import type { HeaderLookup } from '../verify/signed-message';

export type { PlatformCertificate };

interface CertificatesBody {
  data?: Array<{
    serial_no?: string;
    effective_time?: string;
    expire_time?: string;
    encrypt_certificate?: { algorithm?: string; nonce?: string; associated_data?: string; ciphertext?: string };
  }>;
}

/** WeChat Pay seals every certificate with this associated data; anything else was sealed for another purpose. */
const ASSOCIATED_DATA = 'certificate';
const ALGORITHM = 'AEAD_AES_256_GCM';

/** Whether `now` lies in the certificate's own validity and in the period the download states for it. */
function isCurrent(
  certificate: X509Certificate,
  effective: string | undefined,
  expire: string | undefined,
  now: number,
) {
  const bounds = [
    [Date.parse(certificate.validFrom), Date.parse(certificate.validTo)],
    [effective === undefined ? NaN : Date.parse(effective), expire === undefined ? NaN : Date.parse(expire)],
  ];
  return bounds.every(([from, to]) => !(from! > now) && !(to! < now));
}

/**
 * The certificates of a `GET /v3/certificates` reply, decrypted with the APIv3 key (AES-256-GCM, associated
 * data pinned to `certificate`). A certificate whose own serial differs from `serial_no` is refused; one outside
 * its validity period (or the period the reply states) is left out, and a reply left with none is refused.
 */
export function decodeCertificates(body: Buffer | string, apiv3Key: string, now = Date.now()): PlatformCertificate[] {
  const parsed = JSON.parse(body.toString()) as CertificatesBody;
  if (!Array.isArray(parsed.data)) throw new TypeError('certificates reply has no data list');
  const current: PlatformCertificate[] = [];
  for (const entry of parsed.data) {
    const sealed = entry.encrypt_certificate;
    if (!entry.serial_no || !sealed?.ciphertext || !sealed.nonce)
      throw new TypeError('certificates reply entry is incomplete');
    if (sealed.associated_data !== undefined && sealed.associated_data !== ASSOCIATED_DATA) {
      throw new TypeError(`certificate ${entry.serial_no} is sealed with associated data other than "certificate"`);
    }
    if (sealed.algorithm !== undefined && sealed.algorithm !== ALGORITHM) {
      throw new TypeError(`certificate ${entry.serial_no} is sealed with ${sealed.algorithm}, not ${ALGORITHM}`);
    }
    const pem = openCertificate(sealed, apiv3Key, entry.serial_no, ASSOCIATED_DATA);
    const certificate = new X509Certificate(pem);
    if (certificate.serialNumber.toUpperCase() !== entry.serial_no.toUpperCase()) {
      throw new TypeError(`certificate ${entry.serial_no} carries serial ${certificate.serialNumber}`);
    }
    if (!isCurrent(certificate, entry.effective_time, entry.expire_time, now)) continue;
    current.push({
      serial: entry.serial_no,
      pem,
      key: certificate.publicKey,
      effectiveTime: entry.effective_time ?? certificate.validFrom,
      expireTime: entry.expire_time ?? certificate.validTo,
    });
  }
  if (current.length === 0 && parsed.data.length > 0) {
    throw new TypeError('no certificate of the reply is within its validity period');
  }
  return current;
}

/**
 * The bootstrap check of a certificates download: signed by one of the (currently valid) certificates it carries.
 * Only a holder of the APIv3 key can produce ciphertext that decrypts, so the very first download vouches for
 * itself; once any WeChat Pay key is known the verifier never comes here (the download must verify with it).
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
      `certificates download is signed by ${serial}, which it does not carry (valid)`,
      { serial },
    );
  const message = Formatter.response(header('wechatpay-timestamp') ?? '', header('wechatpay-nonce') ?? '', body);
  if (!rsaVerify(message, header('wechatpay-signature') ?? '', signer.key)) {
    throw new SignatureError(
      'SIGNATURE_MISMATCH',
      `certificates download does not verify with its certificate ${serial}`,
      { serial },
    );
  }
  return signer;
}
