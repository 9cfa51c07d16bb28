const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** baseURL + url joined as axios' `buildFullPath` joins them. */
export function fullUrl(baseURL: string | undefined, url: string | undefined): string {
  if (!url) return baseURL ?? '';
  if (!baseURL || ABSOLUTE.test(url)) return url;
  return `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** The request target as the node http adapter sends it (WHATWG-normalised path + query): what gets signed. */
export function requestTarget(baseURL: string | undefined, url: string | undefined): string {
  const parsed = new URL(fullUrl(baseURL, url));
  return parsed.pathname + parsed.search;
}

/** Where the signer leaves the target it signed, so the verifier does not parse the URL again. */
export const SIGNED_TARGET = 'wechatpaySignedTarget';

/** The target a request was signed for (or, if it never reached the signer, computed now). */
export function targetOf(config: { baseURL?: string; url?: string }): string {
  const signed = (config as Record<string, unknown>)[SIGNED_TARGET];
  return typeof signed === 'string' ? signed : requestTarget(config.baseURL, config.url);
}

/** Replies WeChat Pay sends unsigned (file and image downloads); they are exempt from verification by path. */
const UNSIGNED_DOWNLOADS = [/^\/v3\/billdownload\/file(?:\?|$)/, /^\/v3\/merchant-service\/images\//];

export function isUnsignedDownload(target: string): boolean {
  return UNSIGNED_DOWNLOADS.some((pattern) => pattern.test(target));
}
