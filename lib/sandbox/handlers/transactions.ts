import { randomBytes } from 'node:crypto';
import { rfc3339 } from '../clock';
import { fingerprint } from '../ledger';
import { digits, transactionView, type Order, type TradeType } from '../payments';
import { Rejection } from '../rejection';
import { noContent, ok, type Handler, type HandlerContext } from './context';
import { currency, optionalText, paramError, positiveInteger, text } from './fields';

/** Orders (JSAPI / Native / App / H5), queries, close, and marking paid, with the official business rules. */
const OUT_TRADE_NO = { pattern: /^[0-9A-Za-z_\-|*]{6,32}$/, shape: '须为 6-32 位数字、大小写字母或 _-|*' };
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;

/** Where an event about this order goes: the sandbox's notifyUrl when set, else the order's own if it is local. */
export function localUrl(url: string | undefined): string | undefined {
  return url && LOOPBACK.test(url) ? url : undefined;
}

function checkMchid(context: HandlerContext, value: string, location: 'body' | 'query'): void {
  if (value !== context.caller.mchid) throw paramError('mchid', '须为发起请求的商户号', location, value);
}

function prepay(tradeType: TradeType, now: number): Record<string, string> {
  // wx + the CST date and time + random hex, the shape of WeChat Pay's prepay ids
  const id = `wx${rfc3339(now).slice(0, 19).replace(/\D/g, '')}${randomBytes(9).toString('hex')}`;
  switch (tradeType) {
    case 'NATIVE':
      return { code_url: `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}` };
    case 'MWEB':
      return {
        h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${id}&package=${digits('', now, 2)}`,
      };
    default:
      return { prepay_id: id };
  }
}

function placeOrder(tradeType: TradeType): Handler {
  return (context) => {
    const json = context.json;
    const appid = text(json, 'appid', { max: 32 });
    const mchid = text(json, 'mchid', { max: 32 });
    checkMchid(context, mchid, 'body');
    const description = text(json, 'description', { max: 127 });
    const outTradeNo = text(json, 'out_trade_no', OUT_TRADE_NO);
    const notifyUrl = text(json, 'notify_url', {
      max: 256,
      pattern: /^(https:\/\/[^\s]+|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/[^\s]*)$/i,
      shape: '须为 https 地址（沙箱也接受本机 http 地址）',
    });
    const total = positiveInteger(json, 'amount.total');
    const money = currency(json, 'amount.currency');
    const openid = tradeType === 'JSAPI' ? text(json, 'payer.openid', { max: 128 }) : undefined;
    if (tradeType === 'MWEB') {
      text(json, 'scene_info.payer_client_ip', { max: 45 });
      text(json, 'scene_info.h5_info.type', { max: 32 });
    }
    const attach = optionalText(json, 'attach', { max: 128 });
    const print = fingerprint({ tradeType, json });

    const existing = context.payments.order(mchid, outTradeNo);
    if (existing) {
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND')
        throw new Rejection(400, 'ORDERPAID', `订单 ${outTradeNo} 已支付，请勿重复下单`);
      if (existing.trade_state === 'CLOSED')
        throw new Rejection(400, 'ORDER_CLOSED', `订单 ${outTradeNo} 已关闭，请使用新的商户订单号`);
      if (existing.fingerprint !== print)
        throw new Rejection(400, 'INVALID_REQUEST', `商户订单号 ${outTradeNo} 重复：同一笔交易不能以不同参数多次提交`);
      return ok(existing.prepay);
    }
    const order: Order = {
      mchid,
      appid,
      out_trade_no: outTradeNo,
      trade_type: tradeType,
      description,
      attach,
      notify_url: notifyUrl,
      total,
      currency: money,
      openid,
      fingerprint: print,
      prepay: prepay(tradeType, context.now),
      trade_state: 'NOTPAY',
      transaction_id: digits('42000', context.now, 10),
      created: context.now,
      refunded: 0,
    };
    context.payments.addOrder(order);
    return ok(order.prepay);
  };
}

export const jsapiOrder = placeOrder('JSAPI');
export const nativeOrder = placeOrder('NATIVE');
export const appOrder = placeOrder('APP');
export const h5Order = placeOrder('MWEB');

const notFound = () => new Rejection(404, 'ORDER_NOT_EXIST', '订单不存在');

export const queryByOutTradeNo: Handler = (context) => {
  checkMchid(context, text(context.query, 'mchid', {}, 'query'), 'query');
  const order = context.payments.order(context.caller.mchid, context.params.out_trade_no!);
  if (!order) throw notFound();
  return ok(transactionView(order));
};

export const queryByTransactionId: Handler = (context) => {
  checkMchid(context, text(context.query, 'mchid', {}, 'query'), 'query');
  const order = context.payments.orderByTransaction(context.caller.mchid, context.params.transaction_id!);
  if (!order) throw notFound();
  return ok(transactionView(order));
};

export const closeOrder: Handler = (context) => {
  checkMchid(context, text(context.json, 'mchid'), 'body');
  const order = context.payments.order(context.caller.mchid, context.params.out_trade_no!);
  if (!order) throw notFound();
  if (order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND')
    throw new Rejection(400, 'ORDERPAID', '订单已支付，不能关闭');
  order.trade_state = 'CLOSED';
  return noContent();
};

/** Marks a pending order paid and sends TRANSACTION.SUCCESS: what `sandbox.pay()` and `POST /sandbox/pay/{no}` do. */
export function markPaid(
  context: Pick<HandlerContext, 'payments' | 'notify' | 'now'>,
  outTradeNo: string,
  mchid?: string,
): Record<string, unknown> {
  const candidates = context.payments
    .ordersNumbered(outTradeNo)
    .filter((order) => mchid === undefined || order.mchid === mchid);
  if (candidates.length === 0) throw new Rejection(404, 'ORDER_NOT_EXIST', `订单 ${outTradeNo} 不存在`);
  if (candidates.length > 1)
    throw new Rejection(400, 'INVALID_REQUEST', `多个商户都有订单 ${outTradeNo}，请指明 mchid`);
  const order = candidates[0]!;
  if (order.trade_state !== 'NOTPAY')
    throw new Rejection(
      400,
      'INVALID_REQUEST',
      `订单 ${outTradeNo} 的状态是 ${order.trade_state}，只有未支付的订单可以支付`,
    );
  order.trade_state = 'SUCCESS';
  order.success_time = context.now;
  const view = transactionView(order);
  // APIv2 orders would be notified in XML, which the sandbox does not send: their state is queried instead
  if (order.protocol !== 'v2')
    context.notify('TRANSACTION.SUCCESS', '支付成功', 'transaction', view, localUrl(order.notify_url));
  return view;
}

/** `POST /sandbox/pay/{out_trade_no}[?mchid=...]`: the HTTP hook for tools outside the process. */
export const payHook: Handler = (context) =>
  ok(markPaid(context, context.params.out_trade_no!, context.query.mchid || undefined));
