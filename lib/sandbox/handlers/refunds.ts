import { digits, refundNotice, refundView, type Refund } from '../payments';
import { Rejection } from '../rejection';
import { ok, type Handler } from './context';
import { currency, optionalText, paramError, positiveInteger, text } from './fields';
import { localUrl } from './transactions';

/** Refunds: partial or full, never more than what is left; a repeated refund number gets the first refund back. */
const OUT_REFUND_NO = { pattern: /^[0-9A-Za-z_\-|*@]{1,64}$/, shape: '须为 1-64 位数字、大小写字母或 _-|*@' };

export const createRefund: Handler = (context) => {
  const json = context.json;
  const outRefundNo = text(json, 'out_refund_no', OUT_REFUND_NO);
  const transactionId = optionalText(json, 'transaction_id', { max: 32 });
  const outTradeNo = optionalText(json, 'out_trade_no', { max: 32 });
  if (!transactionId && !outTradeNo) throw paramError('transaction_id', '与 out_trade_no 须至少填写一个', 'body');
  const amount = positiveInteger(json, 'amount.refund');
  const total = positiveInteger(json, 'amount.total');
  currency(json, 'amount.currency');
  const reason = optionalText(json, 'reason', { max: 80 });
  const notifyUrl = optionalText(json, 'notify_url', { max: 256 });

  const mchid = context.caller.mchid;
  // the docs: resubmit a refund with the same out_refund_no, and only one refund is made
  const earlier = context.payments.refund(mchid, outRefundNo);
  if (earlier) return ok(refundView(earlier));

  const order = transactionId
    ? context.payments.orderByTransaction(mchid, transactionId)
    : context.payments.order(mchid, outTradeNo!);
  if (!order) throw new Rejection(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (outTradeNo && order.out_trade_no !== outTradeNo)
    throw paramError('out_trade_no', '与 transaction_id 不是同一笔订单', 'body', outTradeNo);
  if (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND')
    throw new Rejection(400, 'INVALID_REQUEST', `订单状态为 ${order.trade_state}，未支付的订单不能退款`);
  if (total !== order.total) throw paramError('amount.total', `须等于原订单金额 ${order.total}`, 'body', total);
  const left = order.total - order.refunded;
  if (amount > left)
    throw new Rejection(400, 'INVALID_REQUEST', `退款金额 ${amount} 超过订单剩余可退金额 ${left}（单位：分）`);

  order.refunded += amount;
  order.trade_state = 'REFUND';
  const refund: Refund = {
    mchid,
    refund_id: digits('50000', context.now, 14),
    out_refund_no: outRefundNo,
    order,
    refund: amount,
    reason,
    notify_url: notifyUrl,
    status: 'PROCESSING',
    created: context.now,
  };
  context.payments.addRefund(refund);
  context.schedule((now) => {
    refund.status = 'SUCCESS';
    refund.success_time = now;
    const url = localUrl(refund.notify_url) ?? localUrl(order.notify_url);
    context.notify('REFUND.SUCCESS', '退款成功', 'refund', refundNotice(refund), url);
  });
  return ok(refundView(refund));
};

export const queryRefund: Handler = (context) => {
  const refund = context.payments.refund(context.caller.mchid, context.params.out_refund_no!);
  if (!refund) throw new Rejection(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  return ok(refundView(refund));
};
