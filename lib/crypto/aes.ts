import { createCipheriv, createDecipheriv } from 'node:crypto';

const TAG_BYTES = 16;

function keyBytes(key: string | Buffer, label: string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes.length !== 32) throw new RangeError(`${label} must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

/** AEAD_AES_256_GCM as used by callbacks and `/v3/certificates`: base64(ciphertext || tag). */
export const AesGcm = {
  encrypt(plaintext: string | Buffer, key: string | Buffer, iv: string | Buffer, aad: string | Buffer = ''): string {
    const cipher = createCipheriv('aes-256-gcm', keyBytes(key, 'AES-GCM key'), Buffer.from(iv));
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final(), cipher.getAuthTag()]);
    return body.toString('base64');
  },

  decrypt(ciphertext: string, key: string | Buffer, iv: string | Buffer, aad: string | Buffer = ''): string {
    const bytes = Buffer.from(ciphertext, 'base64');
    if (bytes.length < TAG_BYTES) throw new RangeError('AES-GCM ciphertext is shorter than its 16-byte tag');
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(key, 'AES-GCM key'), Buffer.from(iv));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  },
};

/** AES-256-ECB with PKCS#7 padding: APIv2 refund notifications (`req_info`). */
export const AesEcb = {
  encrypt(plaintext: string | Buffer, key: string | Buffer): string {
    const cipher = createCipheriv('aes-256-ecb', keyBytes(key, 'AES-ECB key'), null);
    return Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]).toString('base64');
  },

  decrypt(ciphertext: string, key: string | Buffer): string {
    const decipher = createDecipheriv('aes-256-ecb', keyBytes(key, 'AES-ECB key'), null);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  },
};
