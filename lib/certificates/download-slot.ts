/**
 * Where the verifier leaves a `/v3/certificates` download's decrypted certificates on the response. Its own module:
 * the manager (made by `Builder.factory` when an APIv3 key is given) needs the symbol, not the decoding behind it,
 * which loads with the first download.
 */
export const PLATFORM_CERTIFICATES = Symbol('wechatpay-chain.platformCertificates');
