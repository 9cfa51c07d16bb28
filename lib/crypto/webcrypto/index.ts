export { WebRsaKey, importKey } from './keys';
export { RsaAsync, oaepLimitOf } from './rsa';
export { AesGcmAsync } from './aes';
