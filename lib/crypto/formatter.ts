import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 248 = 4 * 62: bytes at or above it are skipped so every character is equally likely.
const UNBIASED_LIMIT = 248;

export type Scalar = string | number | boolean | null | undefined;

/** Message and header formats of the WeChat Pay protocol, as wechatpay-php's `Formatter`. */
export const Formatter = {
  /** A random `[0-9A-Za-z]` string, 32 characters by default; a size below 1 throws, as in wechatpay-php. */
  nonce(size = 32): string {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new RangeError(`nonce size must be a positive integer, got ${String(size)}`);
    }
    let out = '';
    while (out.length < size) {
      for (const byte of randomBytes(size + 8)) {
        if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % 62];
        if (out.length === size) break;
      }
    }
    return out;
  },

  /** Unix time in seconds. */
  timestamp(): number {
    return Math.floor(Date.now() / 1000);
  },

  /** The APIv3 request signature message. */
  request(method: string, uri: string, timestamp: string | number, nonce: string, body = ''): string {
    return `${method.toUpperCase()}\n${uri}\n${timestamp}\n${nonce}\n${body}\n`;
  },

  /** The APIv3 response (and callback) signature message. */
  response(timestamp: string | number, nonce: string, body = ''): string {
    return `${timestamp}\n${nonce}\n${body}\n`;
  },

  /**
   * The `Authorization` value in wechatpay-php's layout (`mchid`, `serial_no`, `timestamp`, `nonce_str`,
   * `signature`). WeChat Pay reads the fields by name, so this and the client's own header (DESIGN.md's order) are
   * both accepted.
   */
  authorization(mchid: string, nonce: string, signature: string, timestamp: string | number, serial: string): string {
    return (
      'WECHATPAY2-SHA256-RSA2048 ' +
      `mchid="${mchid}",serial_no="${serial}",timestamp="${timestamp}",nonce_str="${nonce}",signature="${signature}"`
    );
  },

  joinedByLineFeed(...pieces: Array<string | number>): string {
    return pieces.length === 0 ? '' : `${pieces.join('\n')}\n`;
  },

  /** A copy with keys in byte order (PHP `ksort` with `SORT_STRING`). */
  ksort<T extends Record<string, unknown>>(thing: T): T {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(thing).sort(byteOrder)) sorted[key] = thing[key];
    return sorted as T;
  },

  /** `k=v&...` of the non-empty fields, without `sign`: the APIv2 signing input after `ksort`. */
  queryStringLike(thing: Record<string, Scalar>): string {
    const pairs: string[] = [];
    for (const [key, value] of Object.entries(thing)) {
      if (key === 'sign' || value === null || value === undefined || value === '') continue;
      pairs.push(`${key}=${value}`);
    }
    return pairs.join('&');
  },
};

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
