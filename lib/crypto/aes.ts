import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

/** The constants wechatpay-php's `AesInterface` gives both AES classes. */
const AES_CONSTANTS = {
  /** Bytes of an AES block. */
  BLOCK_SIZE: 16,
  /** Bytes of the AES-256 key (the APIv3 key; the md5 hex of the APIv2 key). */
  KEY_LENGTH_BYTE: 32,
  /** Bytes of the AEAD_AES_256_GCM tag that ends every ciphertext. */
  AUTH_TAG_LENGTH_BYTE: 16,
  ALGO_AES_256_GCM: 'aes-256-gcm',
  ALGO_AES_256_ECB: 'aes-256-ecb',
} as const;

const TAG_BYTES = AES_CONSTANTS.AUTH_TAG_LENGTH_BYTE;

function keyBytes(key: string | Buffer, label: string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes.length !== AES_CONSTANTS.KEY_LENGTH_BYTE) {
    throw new RangeError(`${label} must be ${AES_CONSTANTS.KEY_LENGTH_BYTE} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** AEAD_AES_256_GCM as used by callbacks and `/v3/certificates`: base64(ciphertext || tag). */
export const AesGcm = {
  ...AES_CONSTANTS,

  encrypt(plaintext: string | Buffer, key: string | Buffer, iv: string | Buffer, aad: string | Buffer = ''): string {
    const cipher = createCipheriv('aes-256-gcm', keyBytes(key, 'AES-GCM key'), Buffer.from(iv));
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final(), cipher.getAuthTag()]);
    return body.toString('base64');
  },

  decrypt(ciphertext: string, key: string | Buffer, iv: string | Buffer, aad: string | Buffer = ''): string {
    return decryptGcm(ciphertext, keyBytes(key, 'AES-GCM key'), iv, aad);
  },
};

/**
 * `AesGcm.decrypt` with a key already checked once (a 32-byte Buffer, or a secret KeyObject of one): callers that
 * decrypt many times with one key (callbacks) skip re-reading and re-checking it per call.
 */
export function decryptGcm(
  ciphertext: string,
  key: Buffer | KeyObject,
  iv: string | Buffer,
  aad: string | Buffer,
): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < TAG_BYTES) throw new RangeError('AES-GCM ciphertext is shorter than its 16-byte tag');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const head = decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES));
  // final() checks the tag and, GCM being a stream mode, gives back no bytes: no concat (and copy) in that case
  const tail = decipher.final();
  return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
}

// wechatpay-php's AesEcb takes `$iv = ''` (wechatpay-axios-plugin's `null`) and ignores it; ECB has no IV,
// so a non-empty one is a mistake to report.
function noIv(iv: string | Buffer | null): void {
  if (iv !== null && iv.length !== 0) throw new RangeError('AES-256-ECB takes no iv; pass none (or an empty one)');
}

/** AES-256-ECB with PKCS#7 padding: APIv2 refund notifications (`req_info`). */
export const AesEcb = {
  ...AES_CONSTANTS,

  encrypt(plaintext: string | Buffer, key: string | Buffer, iv: string | Buffer | null = ''): string {
    noIv(iv);
    const cipher = createCipheriv('aes-256-ecb', keyBytes(key, 'AES-ECB key'), null);
    return Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]).toString('base64');
  },

  decrypt(ciphertext: string, key: string | Buffer, iv: string | Buffer | null = ''): string {
    noIv(iv);
    const decipher = createDecipheriv('aes-256-ecb', keyBytes(key, 'AES-ECB key'), null);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  },
};
