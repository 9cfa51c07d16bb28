import { createHash, createHmac } from 'node:crypto';

export const ALGO_MD5 = 'MD5';
export const ALGO_HMAC_SHA256 = 'HMAC-SHA256';
export type SignType = typeof ALGO_MD5 | typeof ALGO_HMAC_SHA256;

function withKey(thing: string, key: string): string {
  return key === '' ? thing : `${thing}&key=${key}`;
}

/** APIv2 digests, as wechatpay-php's `Crypto\Hash`. */
export const Hash = {
  ALGO_MD5,
  ALGO_HMAC_SHA256,

  /** Lowercase hex MD5 of `thing&key=KEY` (of `thing` alone when no key is given). */
  md5(thing: string, key = ''): string {
    return createHash('md5').update(withKey(thing, key), 'utf8').digest('hex');
  },

  /** Lowercase hex HMAC of `thing&key=KEY`, keyed by `key`. */
  hmac(thing: string, key: string, algorithm = 'sha256'): string {
    return createHmac(algorithm, key).update(withKey(thing, key), 'utf8').digest('hex');
  },

  /** APIv2 `sign`: uppercase hex of `data&key=SECRET`, `data` being the joined `k=v&...` string. */
  sign(type: string, data: string, key: string): string {
    if (type === ALGO_MD5) return Hash.md5(data, key).toUpperCase();
    if (type === ALGO_HMAC_SHA256) return Hash.hmac(data, key, 'sha256').toUpperCase();
    throw new RangeError(`sign_type must be ${ALGO_MD5} or ${ALGO_HMAC_SHA256}, got ${JSON.stringify(type)}`);
  },
};
