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

interface ParsedBase {
  protocol: string;
  hostname: string;
  port: string;
  /** The base's normalised path, ending in `/`; undefined when the base carries a query or fragment. */
  path?: string;
}

/** Characters the WHATWG parser never percent-encodes in a path or a query (special schemes): `A-Za-z0-9-._~!$&()*+,;=:@/%?`. */
const KEPT = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@/%?')
  KEPT[ch.charCodeAt(0)] = 1;

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;
const QUESTION = 0x3f;

/**
 * Whether the parser keeps `url` (from `start`) exactly as written: only KEPT characters, no `.`/`..` (or `%2e`)
 * segment in the path for it to resolve, and no trailing `?` (an empty query, which it drops). One pass, no
 * allocation: this runs twice per request.
 */
function keptVerbatim(url: string, start: number): boolean {
  let inQuery = false;
  for (let i = start; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code > 127 || KEPT[code] === 0) return false;
    if (code === QUESTION) inQuery = true;
    else if (!inQuery && (i === start || url.charCodeAt(i - 1) === SLASH)) {
      if (code === DOT) return false;
      if (code === PERCENT && url.charCodeAt(i + 1) === 0x32 && (url.charCodeAt(i + 2) | 0x20) === 0x65) return false;
    }
  }
  return url.length > start && url.charCodeAt(url.length - 1) !== QUESTION;
}

/** Parsed baseURLs: an instance has one or two (main and backup host), so a small bounded map suffices. */
const bases = new Map<string, ParsedBase>();
const MAX_BASES = 64;

function parseBase(baseURL: string): ParsedBase {
  let parsed = bases.get(baseURL);
  if (parsed === undefined) {
    const url = new URL(`${baseURL.replace(/\/?\/$/, '')}/`);
    const plain = url.search === '' && url.hash === '' && !url.href.endsWith('?') && !url.href.endsWith('#');
    parsed = { protocol: url.protocol, hostname: url.hostname, port: url.port, path: plain ? url.pathname : undefined };
    if (bases.size >= MAX_BASES) bases.delete(bases.keys().next().value as string);
    bases.set(baseURL, parsed);
  }
  return parsed;
}

/**
 * baseURL + url as the WHATWG parser resolves them, without parsing the whole URL again per request when the
 * url part is one the parser keeps verbatim (every path the chain builds): the base is parsed once.
 */
export function destinationOf(baseURL: string | undefined, url: string | undefined): Destination {
  if (baseURL && url) {
    const base = parseBase(baseURL);
    let start = 0;
    while (url.charCodeAt(start) === SLASH) start++;
    if (base.path !== undefined && keptVerbatim(url, start)) {
      const target = base.path + (start === 0 ? url : url.slice(start));
      return { protocol: base.protocol, hostname: base.hostname, port: base.port, target };
    }
  }
  const parsed = new URL(fullUrl(baseURL, url));
  return {
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    port: parsed.port,
    target: parsed.pathname + parsed.search,
  };
}

/**
 * Where to connect for baseURL + url, when the target is already known (the signer's): the host is the base's,
 * since a url is always joined below it (`fullUrl`), so only the base is parsed, once.
 */
export function destinationFor(baseURL: string | undefined, url: string | undefined, target: string): Destination {
  if (!baseURL) return { ...destinationOf(baseURL, url), target };
  const { protocol, hostname, port } = parseBase(baseURL);
  return { protocol, hostname, port, target };
}

/** The request target as the node http adapter sends it (WHATWG-normalised path + query): what gets signed. */
export function requestTarget(baseURL: string | undefined, url: string | undefined): string {
  return destinationOf(baseURL, url).target;
}
