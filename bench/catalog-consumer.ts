import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The operations the issues' acceptance names (one of them Hong Kong's); the other 22 of the 30 are spread over the whole catalog. */
const ACCEPTANCE = [
  'PayTransactionsJsapiPost',
  'PayTransactionsOutTradeNoByOutTradeNoGet',
  'RefundDomesticRefundsPost',
  'Applyment4subApplymentSlashPost',
  'ProfitsharingOrdersPost',
  'CertificatesGet',
  'V2PayUnifiedorderPost',
  'HkV3TransactionsJsapiPost',
];

/** Calls that must not compile: each line after its @ts-expect-error fails, or tsc reports the unused directive. */
const BAD_CALLS = `
export async function badCalls(): Promise<void> {
  // @ts-expect-error a misspelt segment (did you mean 'jsapi'?)
  void instance.v3.pay.transactions.jsapii;
  // @ts-expect-error a misspelt query field
  await instance.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T', query: { mchid: '1', mchidd: '2' } });
  // @ts-expect-error a missing required field (query.mchid)
  await instance.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T', query: {} });
  // @ts-expect-error a missing template variable
  await instance.chain('v3/pay/transactions/out-trade-no/{out_trade_no}').get({ query: { mchid: '1' } });
  await instance.v3.pay.transactions.jsapi.post({
    json: {
      appid: 'wx8888888888888888',
      mchid: '1230000109',
      description: 'd',
      out_trade_no: 'T',
      notify_url: 'https://example.com/notify',
      amount: { total: 1 },
      // @ts-expect-error a wrong enum value
      payer: { openid: 'o', identity: { type: 'PASSPORT', number: 'n', name: 'm' } },
    },
  });
  // @ts-expect-error a missing required field (amount)
  await instance.v3.pay.transactions.jsapi.post({ json: { appid: 'wx', mchid: '1', description: 'd', out_trade_no: 'T', notify_url: 'u', payer: { openid: 'o' } } });
  // @ts-expect-error a misspelt APIv2 XML field
  await instance.v2.pay.unifiedorder.post({ xml: { out_trade_noo: 'T' } });
  // open: a path the facts do not know yet
  await instance['v3/not/catalogued/yet'].post({ json: { anything: 1 } });
}
`;

/** A \`region: 'hk'\` client: typed by the Hong Kong and cross-border operations alone. */
const HK_REGION = `
export async function hkRegion(): Promise<void> {
  const hk = Builder.factory({ region: 'hk', mchid: '1900000109', serial: 'F0', privateKey: 'file:///merchant.pem' });
  const reply = await hk.hk.v3.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T', query: { mchid: '1900000109', sub_mchid: '1900000109', sp_mchid: '1900000100' } });
  const state: string | undefined = reply.data.trade_state;
  void state;
  await hk.v3.global.certificates.get();
  // @ts-expect-error a mainland-only operation on a region: 'hk' client
  void hk.v3.pay.transactions.jsapi;
  // @ts-expect-error a mainland-only path through chain()
  await hk.chain('v3/pay/transactions/jsapi').post({ json: {} });
  // open: a path the facts do not know yet
  await hk.chain('hk/v3/not/catalogued/yet').post({ json: { anything: 1 } });
}
`;

/** The merchant's journey: typed callbacks (a misspelt resource field refused), front-end parameters, a list walked. */
const JOURNEY = `
export function callbacks(webhook: Webhook, input: { headers: Record<string, string>; body: string }): void {
  const event = webhook.parse(input);
  const combine = combineTransactionOf(event);
  if (combine) {
    const firstOrder: string | undefined = combine.sub_orders[0]?.out_trade_no;
    void firstOrder;
  } else if (event.event_type === 'TRANSACTION.SUCCESS') {
    const paid: { out_trade_no: string; total: number } = { out_trade_no: event.resource.out_trade_no, total: event.resource.amount.total };
    void paid;
    // @ts-expect-error a misspelt resource field
    void event.resource.amount.totl;
  } else if (event.event_type === 'REFUND.SUCCESS') {
    const refunded: number = event.resource.amount.refund;
    void refunded;
    // @ts-expect-error a misspelt resource field
    void event.resource.out_refund_noo;
  }
  webhook.listener(async (received) => {
    if (received.event_type === 'REFUND.SUCCESS') void received.resource.refund_status;
  });
}

export function frontEnd(privateKey: string, prepayId: string): void {
  const jsapi: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string } =
    PayParams.jsapi({ appId: 'wxd678efh567hg6787', prepayId, privateKey });
  const app: { appid: string; partnerid: string; prepayid: string; package: 'Sign=WXPay'; noncestr: string; timestamp: string; sign: string } =
    PayParams.app({ appId: 'wxd678efh567hg6787', partnerId: '1900000109', prepayId, privateKey });
  void [jsapi, app];
  // @ts-expect-error App parameters need partnerId
  PayParams.app({ appId: 'wx', prepayId, privateKey });
}

export async function lists(): Promise<void> {
  for await (const complaint of paginate(instance.v3.merchantService.complaintsV2, { query: { begin_date: '2026-01-01', end_date: '2026-01-30' } })) {
    void complaint.complaint_id;
    // @ts-expect-error a misspelt item field
    void complaint.complaint_idd;
  }
}
`;

/** A consumer file: 30 operations' doc examples (all three call styles each), then the calls that must fail. */
export function consumerSource(): string {
  const examples = readFileSync(join(__dirname, '..', 'types-spec', 'generated', 'doc-examples.ts'), 'utf8');
  const functions = examples.split(/\n(?=export async function )/).slice(1);
  const named = (fn: string) => /^export async function (\w+)/.exec(fn)![1]!;
  const chosen = functions.filter((fn) => ACCEPTANCE.includes(named(fn)));
  const others = functions.filter((fn) => !ACCEPTANCE.includes(named(fn)));
  const step = Math.floor(others.length / (30 - chosen.length));
  for (let index = 0; chosen.length < 30; index += step) chosen.push(others[index]!);
  return [
    "import type { WechatpayInstance } from 'wechatpay-chain';",
    "import { Builder, PayParams, Webhook, combineTransactionOf, paginate } from 'wechatpay-chain';",
    '',
    'declare const instance: WechatpayInstance;',
    '',
    ...chosen.map((fn) => fn.trimEnd()),
    BAD_CALLS,
    HK_REGION,
    JOURNEY,
  ].join('\n');
}
