/**
 * Type tests of a `region: 'hk'` client, run by `npm run typecheck` (tsc): its Hong Kong and cross-border calls
 * compile and are typed, a mainland-only operation does not, and a mainland client keeps its whole catalog.
 */
import {
  Builder,
  type HkEndpoints,
  type HkV3TransactionsJsapiPostJson,
  type WechatpayHkInstance,
  type WechatpayInstance,
} from '../lib';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value?: T): T | undefined => value;
const config = { mchid: '1900000109', serial: 'F0', privateKey: 'file:///merchant.pem' };

export async function hkRegion(): Promise<void> {
  const hk = Builder.factory({ ...config, region: 'hk' });
  assertType<Equals<typeof hk, WechatpayHkInstance>>();
  const hkAsync = await Builder.create({ ...config, region: 'hk' });
  assertType<Equals<typeof hkAsync, WechatpayHkInstance>>();
  void hkAsync;
  assertType<Equals<typeof Builder.factory extends (c: typeof config) => infer R ? R : never, WechatpayInstance>>();

  const json: HkV3TransactionsJsapiPostJson = {
    mchid: '1900000109',
    appid: 'wx8888888888888888',
    sub_mchid: '1900000109',
    sp_mchid: '1900000100',
    sp_appid: 'wx8888888888888888',
    description: 'QQ公仔',
    notify_url: 'https://example.com/notify',
    out_trade_no: 'T1',
    trade_type: 'JSAPI',
    merchant_category_code: '4111',
    amount: { total: 100, currency: 'HKD' },
  };
  const order = await hk.hk.v3.transactions.jsapi.post({ json });
  assertType<Equals<typeof order.data, HkEndpoints['POST /hk/v3/transactions/jsapi']['response']>>();
  const prepayId: string = order.data.prepay_id;
  void prepayId;
  await hk.chain('hk/v3/refunds/out-refund-no/{out_refund_no}').get({
    out_refund_no: 'R1',
    query: { mchid: '1900000109', sub_mchid: '1900000109', sp_mchid: '1900000100' },
  });
  // the cross-border calls WeChat Pay documents on apihk, at their current and their pre-2022 paths
  await hk.v3.global.certificates.get();
  await hk['global/v3/customs/redeclare'].post({
    json: { appid: 'wx', mchid: '1', customs: 'SHANGHAI_ZS', merchant_customs_no: '123456' },
  });

  // @ts-expect-error a mainland-only operation through the chain
  void hk.v3.pay.transactions.jsapi;
  // @ts-expect-error a mainland-only operation through chain()
  await hk.chain('v3/pay/transactions/jsapi').post({ json: {} });
  // @ts-expect-error a missing required field (amount)
  await hk.hk.v3.transactions.jsapi.post({ json: { ...json, amount: undefined } });
  // @ts-expect-error a misspelt segment
  void hk.hk.v3.transactions.jsapii;
  // open through chain(): a path the facts do not know yet
  await hk.chain('hk/v3/not/catalogued/yet').post({ json: { anything: 1 } });
}

export async function mainland(instance: WechatpayInstance): Promise<void> {
  // a mainland client reaches the Hong Kong paths too: api.mch.weixin.qq.com serves /hk/v3/... as well
  await instance.hk.v3.certificates.get();
  await instance.v3.pay.transactions.jsapi.post({
    json: {
      appid: 'wx',
      mchid: '1',
      description: 'd',
      out_trade_no: 'T',
      notify_url: 'u',
      amount: { total: 1 },
      payer: { openid: 'o' },
    },
  });
}
