/**
 * Type tests of the merchant's journey APIs, run by `npm run typecheck` (tsc): good uses compile, and every
 * `@ts-expect-error` line must fail to compile.
 */
import {
  FetchWebhook,
  PayParams,
  Webhook,
  combineTransactionOf,
  partnerRefundOf,
  partnerTransactionOf,
  paginate,
  type CallbackEvent,
  type RefundNotification,
  type Transaction,
  type WechatpayInstance,
  type WebhookEvent,
} from '../lib';

declare const instance: WechatpayInstance;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value?: T): T | undefined => value;

export async function pages(): Promise<void> {
  const query = { begin_date: '2026-01-01', end_date: '2026-01-30' };
  for await (const complaint of paginate(instance.v3.merchantService.complaintsV2, { query })) {
    assertType<Equals<typeof complaint.complaint_state, 'PENDING' | 'PROCESSING' | 'PROCESSED'>>();
    // @ts-expect-error a misspelt item field
    void complaint.complaint_idd;
  }
  // the chain() and string-key styles give the same typed node
  for await (const item of paginate(instance.chain('v3/merchant-service/complaints-v2'), {
    query: { ...query, limit: 50 },
  })) {
    void item.complaint_id;
  }
  // @ts-expect-error the operation's required query fields stay required
  paginate(instance.v3.merchantService.complaintsV2, { query: { begin_date: '2026-01-01' } });
  // @ts-expect-error a reply that is not an offset/limit list
  paginate(instance.v3.pay.transactions.outTradeNo._out_trade_no_, { out_trade_no: 'T', query: { mchid: '1' } });
}

declare const webhook: Webhook;
declare const fetchWebhook: FetchWebhook;
declare const input: { headers: Record<string, string>; body: string };

export function callbacks(): void {
  const event = webhook.parse(input);
  assertType<Equals<typeof event, CallbackEvent>>();
  const combine = combineTransactionOf(event);
  const partner = partnerTransactionOf(event);
  if (combine) {
    // a combine payment has its own shape: sub_orders, no top-level amount
    const firstTotal: number | undefined = combine.sub_orders[0]?.amount.total_amount;
    void firstTotal;
    // @ts-expect-error an ordinary transaction's field is not there
    void combine.amount;
  } else if (partner) {
    const sub: string = partner.sub_mchid;
    void sub;
    // @ts-expect-error a partner order has sp_mchid, not mchid
    void partner.mchid;
  } else if (event.event_type === 'TRANSACTION.SUCCESS') {
    assertType<Equals<typeof event.resource, Transaction>>();
    const total: number = event.resource.amount.total;
    const state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' =
      event.resource.trade_state;
    void [total, state, event.resource.payer.openid];
    // @ts-expect-error a misspelt resource field
    void event.resource.out_trade_noo;
  } else if (event.event_type === 'REFUND.SUCCESS' || event.event_type === 'REFUND.CLOSED') {
    assertType<Equals<typeof event.resource, RefundNotification>>();
    void event.resource.amount.refund;
    // @ts-expect-error a misspelt resource field
    void event.resource.refund_statuss;
  } else if (event.event_type === 'COMPLAINT.CREATE') {
    void event.resource.complaint_id;
  } else if (event.event_type === 'MCHTRANSFER.BILL.FINISHED') {
    const state = event.resource.state;
    void [state, event.resource.mchid];
    // @ts-expect-error the callback says mchid (the query reply's mch_id is not in it)
    void event.resource.mch_id;
  } else if (event.event_type === 'PROFITSHARING.SUCCESS' || event.event_type === 'PROFITSHARING') {
    const share: number = event.resource.receiver.amount;
    void share;
  } else if (event.event_type === 'PAYSCORE.USER_PAID') {
    const state: 'CREATED' | 'DOING' | 'DONE' | 'REVOKED' | 'EXPIRED' = event.resource.state;
    void [state, event.resource.out_order_no];
    // @ts-expect-error the callback does not carry the order's notify_url
    const url: string = event.resource.notify_url;
    void url;
  } else if (event.event_type === 'COUPON.USE') {
    // not mapped yet: a plain record
    assertType<Equals<typeof event.resource, Record<string, unknown>>>();
  }
  void partnerRefundOf(event)?.sub_mchid;
  // @ts-expect-error an event type WeChat Pay does not send
  if (event.event_type === 'TRANSACTION.SUCCES') void event;

  // the escape hatch stays
  const custom = webhook.parse<{ anything: number }>(input);
  assertType<Equals<typeof custom, WebhookEvent<{ anything: number }>>>();
  assertType<Equals<typeof custom.event_type, string>>();
  void custom.resource.anything;

  const handled = webhook.handle(input);
  if (handled.ok && handled.event_type === 'REFUND.ABNORMAL') void handled.resource.user_received_account;

  webhook.listener(async (received) => {
    if (received.event_type === 'TRANSACTION.SUCCESS') void received.resource.amount.payer_total;
  });
  webhook.listener<{ n: number }>((received) => void received.resource.n);
}

export async function fetchCallbacks(request: Request): Promise<void> {
  const event = await fetchWebhook.parse(request);
  if (event.event_type === 'TRANSACTION.SUCCESS') void event.resource.transaction_id;
  await fetchWebhook.respond(request, (received) => {
    if (received.event_type === 'REFUND.SUCCESS') void received.resource.refund_id;
  });
}

export async function payParams(): Promise<void> {
  const jsapi = PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey: 'file:///key.pem' });
  const fields: [string, string, string, string, 'RSA', string] = [
    jsapi.appId,
    jsapi.timeStamp,
    jsapi.nonceStr,
    jsapi.package,
    jsapi.signType,
    jsapi.paySign,
  ];
  const app = await PayParams.appAsync({
    appId: 'wx1',
    partnerId: '1900000109',
    prepayId: 'wx2',
    privateKey: 'file:///key.pem',
  });
  const sign: string = app.sign;
  void [fields, sign, app.package];
  // @ts-expect-error partnerId is required for App parameters
  PayParams.app({ appId: 'wx1', prepayId: 'wx2', privateKey: 'k' });
}
