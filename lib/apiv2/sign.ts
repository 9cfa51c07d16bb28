import { timingSafeEqual } from 'node:crypto';
import { Formatter, type Scalar } from '../crypto/formatter';
import { ALGO_HMAC_SHA256, ALGO_MD5, Hash } from '../crypto/hash';

/** The APIv2 `sign` of a field set: ksort, join the non-empty `k=v` (without `sign`), digest with the APIv2 key. */
export function signFields(fields: Record<string, Scalar>, type: string, secret: string): string {
  return Hash.sign(type, Formatter.queryStringLike(Formatter.ksort(fields)), secret);
}

/** A reply's `sign` checked with the type its length gives: 32 hex characters MD5, 64 HMAC-SHA256. */
export function verifyFields(fields: Record<string, Scalar>, secret: string): boolean {
  const given = typeof fields.sign === 'string' ? fields.sign : '';
  const type = given.length === 64 ? ALGO_HMAC_SHA256 : given.length === 32 ? ALGO_MD5 : undefined;
  if (type === undefined) return false;
  const expected = Buffer.from(signFields(fields, type, secret));
  const actual = Buffer.from(given.toUpperCase());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Replies WeChat Pay sends without `sign` (as wechatpay-php lists them); paths without the `v2/` prefix. */
export const UNSIGNED_V2_PATHS = new Set([
  '/mchrisk/querymchrisk',
  '/mchrisk/setmchriskcallback',
  '/mchrisk/syncmchriskresult',
  '/mmpaymkttransfers/gethbinfo',
  '/mmpaymkttransfers/gettransferinfo',
  '/mmpaymkttransfers/pay_itil',
  '/mmpaymkttransfers/promotion/paywwsptrans2pocket',
  '/mmpaymkttransfers/promotion/query_comp_precharge_trans',
  '/mmpaymkttransfers/promotion/querywwsptrans2pocket',
  '/mmpaymkttransfers/promotion/transfers',
  '/mmpaymkttransfers/query_coupon_stock',
  '/mmpaymkttransfers/querycouponsinfo',
  '/mmpaymkttransfers/send_coupon',
  '/mmpaymkttransfers/sendgroupredpack',
  '/mmpaymkttransfers/sendminiprogramhb',
  '/mmpaymkttransfers/sendredpack',
  '/mmpaysptrans/pay_bank',
  '/mmpaysptrans/query_bank',
  '/papay/entrustweb',
  '/papay/h5entrustweb',
  '/papay/partner/entrustweb',
  '/papay/partner/h5entrustweb',
  '/pay/downloadbill',
  '/pay/downloadfundflow',
  '/payitil/report',
  '/risk/getpublickey',
  '/risk/getviolation',
  '/secapi/mch/submchmanage',
  '/xdc/apiv2getsignkey/sign/getsignkey',
]);
