import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Formatter, type Scalar } from './formatter';

export const ALGO_MD5 = 'MD5';
export const ALGO_HMAC_SHA256 = 'HMAC-SHA256';
export type SignType = typeof ALGO_MD5 | typeof ALGO_HMAC_SHA256;

/**
 * wechatpay-php's `$agency` flag: `true` or a WeCom `AgentId` selects the `&secret=` suffix.
 * Falsy as in PHP (`false`, `0`, `''`, `'0'`) keeps `&key=`.
 */
export type Agency = boolean | number | string;

function isAgency(agency: Agency): boolean {
  return agency !== false && agency !== 0 && agency !== '' && agency !== '0';
}

function textBytes(thing: string | Buffer, label: string): Buffer {
  if (typeof thing === 'string') return Buffer.from(thing, 'utf8');
  if (Buffer.isBuffer(thing)) return thing;
  throw new TypeError(`${label} must be a string or Buffer, got ${thing === null ? 'null' : typeof thing}`);
}

/** APIv2 digests, as wechatpay-php's `Crypto\Hash`. */
export const Hash = {
  ALGO_MD5,
  ALGO_HMAC_SHA256,

  /**
   * Lowercase hex MD5 of `thing&key=KEY`; of `thing&secret=KEY` when `agency` is set (WeCom payments);
   * of `thing` alone when no key is given.
   */
  md5(thing: string, key = '', agency: Agency = false): string {
    const hash = createHash('md5').update(thing, 'utf8');
    if (key !== '') hash.update(`${isAgency(agency) ? '&secret=' : '&key='}${key}`, 'utf8');
    return hash.digest('hex');
  },

  /** Lowercase hex HMAC of `thing&key=KEY`, keyed by `key` (the suffix is always there, as in wechatpay-php). */
  hmac(thing: string, key: string, algorithm = 'sha256'): string {
    return createHmac(algorithm, key).update(`${thing}&key=${key}`, 'utf8').digest('hex');
  },

  /**
   * Constant-time comparison (PHP `hash_equals`): use it to compare a computed `sign` with a received one.
   * A missing `userString` (`null`/`undefined`) is `false`, as in wechatpay-php. Only the length can leak.
   */
  equals(knownString: string | Buffer, userString?: string | Buffer | null): boolean {
    const known = textBytes(knownString, 'knownString');
    if (userString === null || userString === undefined) return false;
    const user = textBytes(userString, 'userString');
    return known.length === user.length && timingSafeEqual(known, user);
  },

  /**
   * APIv2 `sign`: uppercase hex of `data&key=SECRET`, `data` being the joined `k=v&...` string (wechatpay-php),
   * or the fields themselves, which are `ksort`ed and joined first (wechatpay-axios-plugin).
   */
  sign(type: string, data: string | Record<string, Scalar>, key: string): string {
    if (typeof data !== 'string') data = Formatter.queryStringLike(Formatter.ksort(data));
    if (type === ALGO_MD5) return Hash.md5(data, key).toUpperCase();
    if (type === ALGO_HMAC_SHA256) return Hash.hmac(data, key, 'sha256').toUpperCase();
    throw new RangeError(`sign_type must be ${ALGO_MD5} or ${ALGO_HMAC_SHA256}, got ${JSON.stringify(type)}`);
  },
};
