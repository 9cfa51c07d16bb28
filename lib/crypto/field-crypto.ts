import { decryptFieldsAsync, encryptFieldsAsync } from '../catalog/encrypt';
import type { FieldCrypto } from '../transport/client';
import type { PlatformKeys } from '../verify/platform-keys';
import type { CryptoBackend } from './backend';

/** Sensitive-field encryption (to WeChat Pay's key) and reply decryption (with the merchant key) on a backend. */
export function fieldCryptoOf<K>(backend: CryptoBackend<K>, privateKey: K, platformKeys: PlatformKeys<K>): FieldCrypto {
  return {
    encrypt: (route, bag) => encryptFieldsAsync(route, bag, platformKeys, backend),
    decrypt: (data, paths) => decryptFieldsAsync(data, paths, privateKey, backend),
  };
}
