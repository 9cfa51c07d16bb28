/**
 * Which replies WeChat Pay signs, and how: matched against the request target (path + query) of a GET. Everything
 * not listed here is signed over its body and verified before the caller sees it.
 */

/** Image downloads (`GET .../images/{media_id}`; `upload` is the signed upload, not an image). */
const IMAGE_DOWNLOAD = /^\/v3\/(?:global\/)?merchant-service\/images\/(?!upload(?:[?/]|$))[^/?]+(?:\?|$)/;

/** `GET /v3/certificates`: verified against a key already trusted, or (the first download) by what it carries. */
export const isCertificatesDownload = (target: string): boolean => /^\/v3\/certificates(?:\?|$)/.test(target);

/** Replies WeChat Pay sends unsigned to a GET: bill files and complaint images. Everything else is verified. */
const UNSIGNED_DOWNLOADS = [/^\/v3\/billdownload\/file(?:\?|$)/, IMAGE_DOWNLOAD];

export function isUnsignedDownload(target: string, method: string | undefined): boolean {
  return (method ?? 'get').toUpperCase() === 'GET' && UNSIGNED_DOWNLOADS.some((pattern) => pattern.test(target));
}

/** Unsigned downloads whose content is binary: handed to the caller as bytes, never decoded as UTF-8. */
export function isBinaryDownload(target: string, method: string | undefined): boolean {
  return (method ?? 'get').toUpperCase() === 'GET' && IMAGE_DOWNLOAD.test(target);
}

/**
 * HK and global statement downloads: WeChat Pay signs `{"sha1":"<Wechatpay-Statement-Sha1>"}` instead of the
 * file, and the file is then checked against that digest.
 */
export function isStatementDownload(target: string, method: string | undefined): boolean {
  return (method ?? 'get').toUpperCase() === 'GET' && /^\/(?:hk\/v3|v3\/global)\/statements(?:\?|$)/.test(target);
}
