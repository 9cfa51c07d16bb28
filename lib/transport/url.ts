/**
 * baseURL + url joined as axios' `buildFullPath` joins them with `allowAbsoluteUrls: false` (the SDK's setting):
 * a url is always relative to baseURL, so what is signed is where the request goes.
 */
export function fullUrl(baseURL: string | undefined, url: string | undefined): string {
  if (!url) return baseURL ?? '';
  if (!baseURL) return url;
  return `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** Where a request goes: what the adapter needs to open the connection, and the target it sends (and signs). */
export interface Destination {
  protocol: string;
  hostname: string;
  port: string;
  /** WHATWG-normalised path + query. */
  target: string;
}

/** baseURL + url as the WHATWG parser resolves them (as node and axios do): where to connect, and what to send. */
export function destinationOf(baseURL: string | undefined, url: string | undefined): Destination {
  const parsed = new URL(fullUrl(baseURL, url));
  return {
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    port: parsed.port,
    target: parsed.pathname + parsed.search,
  };
}

/** The request target as the node http adapter sends it (WHATWG-normalised path + query): what gets signed. */
export function requestTarget(baseURL: string | undefined, url: string | undefined): string {
  return destinationOf(baseURL, url).target;
}

/** Where the signer leaves the target it signed, so the verifier does not parse the URL again. */
export const SIGNED_TARGET = 'wechatpaySignedTarget';

/** The target a request was signed for (or, if it never reached the signer, computed now). */
export function targetOf(config: { baseURL?: string; url?: string }): string {
  const signed = (config as Record<string, unknown>)[SIGNED_TARGET];
  return typeof signed === 'string' ? signed : requestTarget(config.baseURL, config.url);
}

/** Image downloads (`GET .../images/{media_id}`; `upload` is the signed upload, not an image). */
const IMAGE_DOWNLOAD = /^\/v3\/(?:global\/)?merchant-service\/images\/(?!upload(?:[?/]|$))[^/?]+(?:\?|$)/;

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
