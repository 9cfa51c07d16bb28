// The decrypted `resource` of each callback, by the envelope's `event_type`: what `Webhook.parse` and `FetchWebhook`
// narrow with `if (event.event_type === 'TRANSACTION.SUCCESS')`. The event types are the facts' 58
// (facts/openapi/v3/webhooks.yaml, WechatpayNotificationEventType), MCHTRANSFER.BILL.FINISHED (transfer bills) and
// PROFITSHARING.SUCCESS / PROFITSHARING.RETURN (how the profit-sharing pages' examples spell the facts' PROFITSHARING /
// PROFITSHARING_RETURN). The resources are written here from the notification pages' examples; the generated query
// replies they resemble do not type them as sent (the order's amount lacks `total`, `notify_url` is required; the
// transfer bill names the merchant `mch_id` where its callback says `mchid`). Payscore orders reference the catalog.
import type { Endpoints } from '../catalog/generated/endpoints';
import type { CallbackEnvelope, WebhookReply } from './index';

/** A coupon or discount applied to a payment (`promotion_detail[]`). */
export interface PromotionDetail {
  coupon_id: string;
  name?: string;
  scope?: 'GLOBAL' | 'SINGLE';
  type?: 'CASH' | 'NOCASH';
  amount: number;
  stock_id?: string;
  wechatpay_contribute?: number;
  merchant_contribute?: number;
  other_contribute?: number;
  currency?: string;
  goods_detail?: Array<{
    goods_id: string;
    quantity: number;
    unit_price: number;
    discount_amount: number;
    goods_remark?: string;
  }>;
}

/** What a successful payment's fields are, direct or partner (the order-query reply of a paid order). */
interface PaidOrder {
  out_trade_no: string;
  transaction_id: string;
  trade_type: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY';
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  trade_state_desc: string;
  bank_type: string;
  attach?: string;
  /** RFC 3339, `2018-06-08T10:34:56+08:00` */
  success_time: string;
  /** Fen (1/100 yuan): the order's `total`, and what the payer paid after discounts. */
  amount: { total: number; payer_total: number; currency: string; payer_currency: string };
  scene_info?: { device_id?: string };
  promotion_detail?: PromotionDetail[];
}

/**
 * `TRANSACTION.SUCCESS` of a direct merchant's order (JSAPI, mini program, App, H5, Native):
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter3_11.shtml. A partner's order is a `PartnerTransaction`
 * (`partnerTransactionOf`), a combine payment a `CombineTransaction` (`combineTransactionOf`).
 */
export interface Transaction extends PaidOrder {
  appid: string;
  mchid: string;
  payer: { openid: string };
}

/** `TRANSACTION.SUCCESS` in partner (service provider) mode: https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter5_11.shtml */
export interface PartnerTransaction extends PaidOrder {
  sp_appid: string;
  sp_mchid: string;
  sub_appid?: string;
  sub_mchid: string;
  payer: { sp_openid?: string; sub_openid?: string };
}

/** One order of a combine payment (合单). */
export interface CombineSubOrder {
  mchid: string;
  sub_mchid?: string;
  sub_appid?: string;
  trade_type: PaidOrder['trade_type'];
  trade_state: PaidOrder['trade_state'];
  bank_type: string;
  attach: string;
  success_time: string;
  transaction_id: string;
  out_trade_no: string;
  amount: {
    total_amount: number;
    currency: string;
    payer_amount: number;
    payer_currency: string;
    settlement_rate?: number;
  };
  promotion_detail?: PromotionDetail[];
}

/**
 * `TRANSACTION.SUCCESS` of a combine payment (合单支付): no top-level `amount`, one `sub_orders[]` entry per order.
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/combine/chapter3_7.shtml
 */
export interface CombineTransaction {
  combine_appid: string;
  combine_mchid: string;
  combine_out_trade_no: string;
  scene_info?: { device_id?: string };
  sub_orders: CombineSubOrder[];
  combine_payer_info: { openid: string; sub_openid?: string };
}

interface RefundOutcome {
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  success_time?: string;
  /** Where the money went back: `招商银行信用卡0403`, `支付用户零钱`, ... */
  user_received_account: string;
  /** Fen: the order's total, the refund, and their payer-side amounts. */
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

/** `REFUND.SUCCESS` / `REFUND.ABNORMAL` / `REFUND.CLOSED` of a direct merchant (退款结果通知) */
export interface RefundNotification extends RefundOutcome {
  mchid: string;
}

/** The refund notification in partner mode (`partnerRefundOf`): https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/ecommerce/refunds/chapter3_3.shtml */
export interface PartnerRefundNotification extends RefundOutcome {
  sp_mchid: string;
  sub_mchid: string;
}

/** `PROFITSHARING` / `PROFITSHARING_RETURN`: one receiver's share moved (分账动账通知). */
export interface ProfitSharingNotification {
  /** Direct merchants; partners get `sp_mchid` and `sub_mchid`. */
  mchid?: string;
  sp_mchid?: string;
  sub_mchid?: string;
  transaction_id: string;
  order_id: string;
  out_order_no: string;
  receiver: { type: string; account: string; amount: number; description: string };
  success_time: string;
}

/** `COMPLAINT.CREATE` / `COMPLAINT.STATE_CHANGE`: query the complaint by `complaint_id` for its details. */
export interface ComplaintNotification {
  complaint_id: string;
  /** `CREATE_COMPLAINT`, `CONTINUE_COMPLAINT`, `USER_RESPONSE`, `RESPONSE_BY_PLATFORM`, `SELLER_REFUND`, ... */
  action_type: string;
}

/** `MCHTRANSFER.BILL.FINISHED`: a transfer bill reached `SUCCESS`, `FAIL` or `CANCELLED`. */
export interface TransferBillNotification {
  mchid: string;
  out_bill_no: string;
  transfer_bill_no: string;
  state: Endpoints['GET /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}']['response']['state'];
  /** Fen. */
  transfer_amount: number;
  fail_reason?: string;
  openid?: string;
  create_time: string;
  update_time: string;
}

/**
 * `PAYSCORE.USER_CONFIRM` / `PAYSCORE.USER_PAID`: the service order as its query answers, without the request's
 * `notify_url` (the generated reply requires it; the callback does not carry it), with the partner-mode ids.
 */
export type PayscoreOrderNotification = Omit<Endpoints['GET /v3/payscore/serviceorder']['response'], 'notify_url'> & {
  sub_mchid?: string;
  sub_appid?: string;
  sub_openid?: string;
};

/**
 * `PAYSCORE.USER_OPEN_SERVICE` / `PAYSCORE.USER_CLOSE_SERVICE`: the user (un)authorised the service. The pages spell
 * the merchant and user ids differently by mode (`mchid` or `mch_id`, `openid` or `sub_openid`): all are optional.
 */
export interface PayscorePermissionNotification {
  appid: string;
  mchid?: string;
  mch_id?: string;
  sub_appid?: string;
  sub_mch_id?: string;
  service_id: string;
  openid?: string;
  sub_openid?: string;
  out_request_no?: string;
  user_service_status: string;
  openorclose_time: string;
  authorization_code?: string;
}

/** The resource of each mapped event type. */
export interface CallbackResources {
  'TRANSACTION.SUCCESS': Transaction;
  'REFUND.SUCCESS': RefundNotification;
  'REFUND.ABNORMAL': RefundNotification;
  'REFUND.CLOSED': RefundNotification;
  PROFITSHARING: ProfitSharingNotification;
  PROFITSHARING_RETURN: ProfitSharingNotification;
  'PROFITSHARING.SUCCESS': ProfitSharingNotification;
  'PROFITSHARING.RETURN': ProfitSharingNotification;
  'COMPLAINT.CREATE': ComplaintNotification;
  'COMPLAINT.STATE_CHANGE': ComplaintNotification;
  'MCHTRANSFER.BILL.FINISHED': TransferBillNotification;
  'PAYSCORE.USER_CONFIRM': PayscoreOrderNotification;
  'PAYSCORE.USER_PAID': PayscoreOrderNotification;
  'PAYSCORE.USER_OPEN_SERVICE': PayscorePermissionNotification;
  'PAYSCORE.USER_CLOSE_SERVICE': PayscorePermissionNotification;
}

/** Event types whose resource is not typed yet: `Record<string, unknown>` (or `parse<R>()`). */
export type UnmappedEventType =
  | 'MALL_AUTH.ACTIVATE_CARD'
  | 'MALL_TRANSACTION.SUCCESS'
  | 'MALL_REFUND.SUCCESS'
  | 'TRANSACTION.FAIL'
  | 'ECOMMERCE_ENTRUST.SIGN'
  | 'ECOMMERCE_ENTRUST.TERMINATE'
  | 'ENTRUST.SIGNING'
  | 'ENTRUST.RELEASE'
  | 'ENTRUST.TERMINATE_RETENTION'
  | 'COUPON.USE'
  | 'COUPON.SEND'
  | 'TRANSACTION.INDUSTRY_SUCCESS'
  | 'TRANSACTION.INDUSTRY_FAILED'
  | 'EDU_SCHOOL_PAY.USER_DEBT_STATE_UPDATE'
  | 'PAYSCORE.BIND_SERVICE_ACCOUNT'
  | 'PAYSCORE.USER_SIGN_PLAN'
  | 'PAYSCORE.USER_CANCEL_SIGN_PLAN'
  | 'DISCOUNT_CARD.GET_CARD'
  | 'DISCOUNT_CARD.SETTLEMENT'
  | 'DISCOUNT_CARD.USER_ACCEPTED'
  | 'DISCOUNT_CARD.AGREEMENT_ENDED'
  | 'DISCOUNT_CARD.USER_PAID'
  | 'MEMBERCARD.ACCEPT_CARD'
  | 'MEMBERCARD.ACTIVATE_CARD'
  | 'MEMBERCARD.USERCARD_MANAGE'
  | 'HIRE_POWER_BANK.RECEIVE_INSURANCE'
  | 'RECHARGE.SUCCESS'
  | 'RECHARGE.CLOSED'
  | 'APPLYMENT_STATE.APPROVED'
  | 'PAPAY.SIGN'
  | 'PAPAY.TERMINATE'
  | 'FACEPAY.USER_STATE_CHANGE'
  | 'SETTLEMENT.SUCCESS'
  | 'MCHWITHDRAW.CHANGE'
  | 'MCHTRANSFER.QQWALLETBILL.FINISHED'
  | 'MCHTRANSFER.AUTHORIZATION.CONFIRMED'
  | 'MEMBERCARDSP.USER_CARD.CREATE'
  | 'MEMBERCARDSP.USER_CARD.DELETE'
  | 'BUDGET.LOCKED'
  | 'BUDGET.CLOSED'
  | 'BUDGET.FINISHED'
  | 'WEBIZPAY.QUOTACARDEXPIRED'
  | 'WEBIZPAY.PAYMENTSUCCESS'
  | 'WEBIZPAY.PAYMENTREFUNDSUCCESS'
  | 'WEBIZPAY.REVOKED'
  | 'WEBIZPAY.AUTHORIZED';

export type CallbackEventType = keyof CallbackResources | UnmappedEventType;

/** The resource `event_type` carries. */
export type ResourceOf<T extends string> = T extends keyof CallbackResources
  ? CallbackResources[T]
  : Record<string, unknown>;

/** A verified, decrypted callback: `event_type` (the envelope's) at the top, so it narrows `resource`. */
export interface WebhookEvent<R = unknown, T extends string = string> {
  event_type: T;
  envelope: CallbackEnvelope;
  /** The decrypted, parsed `resource`. */
  resource: R;
  /** The key id or certificate serial the callback was signed with. */
  serial: string;
  reply: WebhookReply;
}

/**
 * What `parse()` returns: one member per event type, so `event.event_type === 'REFUND.SUCCESS'` narrows
 * `event.resource` to a `RefundNotification`. An event type WeChat Pay adds later still arrives at run time (typed as
 * one of these); read it with `parse<R>()`.
 */
export type CallbackEvent = { [T in CallbackEventType]: WebhookEvent<ResourceOf<T>, T> }[CallbackEventType];

/** What `listener`/`respond` implementations pass on: its type was checked by their overloads (assignable to every event). */
export type AnyCallbackEvent = WebhookEvent<never, never>;

const field = (event: { resource: unknown }, name: string): unknown =>
  typeof event.resource === 'object' && event.resource !== null
    ? (event.resource as Record<string, unknown>)[name]
    : undefined;

// Accessors, not type predicates: a predicate narrows `CallbackEvent` by intersecting its type with the declared
// member, so a combine payment would also show the ordinary transaction's `amount`. These return the exact shape.

/**
 * A combine payment's (合单) `TRANSACTION.SUCCESS` resource (`combine_out_trade_no`, `sub_orders[]`, no top-level
 * `amount`), else undefined. Ask it before narrowing on `event_type` when the merchant uses combine payments.
 */
export function combineTransactionOf(event: WebhookEvent<unknown>): CombineTransaction | undefined {
  return event.event_type === 'TRANSACTION.SUCCESS' && typeof field(event, 'combine_out_trade_no') === 'string'
    ? (event.resource as CombineTransaction)
    : undefined;
}

/** A partner (service provider) order's `TRANSACTION.SUCCESS` resource (`sp_mchid`/`sub_mchid`), else undefined. */
export function partnerTransactionOf(event: WebhookEvent<unknown>): PartnerTransaction | undefined {
  return event.event_type === 'TRANSACTION.SUCCESS' && typeof field(event, 'sp_mchid') === 'string'
    ? (event.resource as PartnerTransaction)
    : undefined;
}

/** A partner's `REFUND.SUCCESS` / `ABNORMAL` / `CLOSED` resource (`sp_mchid`/`sub_mchid`), else undefined. */
export function partnerRefundOf(event: WebhookEvent<unknown>): PartnerRefundNotification | undefined {
  return String(event.event_type).startsWith('REFUND.') && typeof field(event, 'sp_mchid') === 'string'
    ? (event.resource as PartnerRefundNotification)
    : undefined;
}
