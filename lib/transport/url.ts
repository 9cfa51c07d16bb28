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
