import { subtle } from './rsa';

const TAG_BYTES = 16;

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

function keyBytes(key: string | Uint8Array): Uint8Array {
  const bytes = bytesOf(key);
  if (bytes.length !== 32) throw new RangeError(`AES-GCM key must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

function importAes(key: string | Uint8Array, usage: 'encrypt' | 'decrypt') {
  return subtle().importKey('raw', keyBytes(key), { name: 'AES-GCM' }, false, [usage]);
}

/** AEAD_AES_256_GCM on WebCrypto, the async twin of `AesGcm`: base64(ciphertext || tag), as WeChat Pay sends it. */
export const AesGcmAsync = {
  async encrypt(
    plaintext: string | Uint8Array,
    key: string | Uint8Array,
    iv: string | Uint8Array,
    aad: string | Uint8Array = '',
  ): Promise<string> {
    const params = { name: 'AES-GCM', iv: bytesOf(iv), additionalData: bytesOf(aad), tagLength: 128 };
    // WebCrypto already appends the tag to the ciphertext: the layout WeChat Pay uses
    const sealed = await subtle().encrypt(params, await importAes(key, 'encrypt'), bytesOf(plaintext));
    return Buffer.from(sealed).toString('base64');
  },

  async decrypt(
    ciphertext: string,
    key: string | Uint8Array,
    iv: string | Uint8Array,
    aad: string | Uint8Array = '',
  ): Promise<string> {
    const sealed = Buffer.from(ciphertext, 'base64');
    if (sealed.length < TAG_BYTES) throw new RangeError('AES-GCM ciphertext is shorter than its 16-byte tag');
    const params = { name: 'AES-GCM', iv: bytesOf(iv), additionalData: bytesOf(aad), tagLength: 128 };
    const plain = await subtle().decrypt(params, await importAes(key, 'decrypt'), sealed);
    return Buffer.from(plain).toString('utf8');
  },
};
