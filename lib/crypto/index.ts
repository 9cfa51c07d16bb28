export { loadKey, KeyLoadError, type KeyLike, type KeyKind, type KeyPassphrasePair } from './keys';
export { Rsa, OAEP_SHA1_MAX_BYTES_2048 } from './rsa';
export { AesGcm, AesEcb } from './aes';
export { Hash, ALGO_MD5, ALGO_HMAC_SHA256, type SignType } from './hash';
export { Formatter } from './formatter';
export { Transformer, XmlError, MAX_XML_DEPTH, XML_TEXT, type XmlObject, type XmlValue } from './transformer';
