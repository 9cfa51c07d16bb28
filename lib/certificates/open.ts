import { AesGcm } from '../crypto/aes';
import { ConfigError } from '../errors';

/**
 * Decrypt one downloaded certificate. AES-GCM failing here almost always means the configured APIv3 key is not
 * this merchant's: say that, naming the field, rather than a cipher error.
 */
export function openCertificate(
  sealed: { ciphertext?: string; nonce?: string },
  apiv3Key: string,
  serial: string,
  associatedData: string,
): string {
  try {
    return AesGcm.decrypt(sealed.ciphertext ?? '', apiv3Key, sealed.nonce ?? '', associatedData);
  } catch {
    throw new ConfigError([
      {
        path: 'apiv3Key',
        issue: `does not decrypt downloaded platform certificate ${serial}: the APIv3 key is wrong (or the reply is not from WeChat Pay)`,
      },
    ]);
  }
}
