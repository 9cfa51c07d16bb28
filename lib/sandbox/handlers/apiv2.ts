import { randomBytes } from 'node:crypto';
import { rfc3339 } from '../clock';
import type { Answer } from '../ledger';
import { fingerprint } from '../ledger';
import { digits, type Order, type TradeType } from '../payments';
import { parseXml, toXml, v2Sign, v2Verify, type Fields, type SignType } from '../v2-xml';
import type { Handler, HandlerContext } from './context';

/**
 * APIv2 on the same server and ledger: `/pay/unifiedorder`, `/pay/orderquery`, `/secapi/pay/refund`. Protocol
 * failures are `return_code FAIL`; business failures `result_code FAIL` with `err_code`; every reply is signed with
 * the request's `sign_type` and the merchant's APIv2 key. Mutual TLS is not enforced (the sandbox is plain HTTP).
 */
class V2Failure extends Error {}
class V2Business extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const xmlAnswer = (fields: Fields): Answer => ({
  status: 200,
  body: undefined,
  unsigned: { bytes: Buffer.from(toXml(fields)), contentType: 'text/xml; charset=utf-8' },
});

const need = (fields: Fields, name: string): string => {
  const value = fields[name];
  if (value === undefined || value === '') throw new V2Failure(`${name} 参数缺失`);
  return value;
};

const fen = (fields: Fields, name: string): number => {
  const value = need(fields, name);
  if (!/^[1-9]\d*$/.test(value)) throw new V2Failure(`${name} 须为正整数（单位：分）`);
  return Number(value);
};

const compact = (ms: number) => rfc3339(ms).slice(0, 19).replace(/\D/g, '');

type Operation = (context: HandlerContext, fields: Fields) => Fields;

function v2(operation: Operation): Handler {
  return (context) => {
    let fields: Fields;
    try {
      fields = parseXml(context.raw.body.toString('utf8'));
    } catch (error) {
      return xmlAnswer({ return_code: 'FAIL', return_msg: (error as Error).message });
    }
    const merchant = context.merchantOf(fields.mch_id ?? '');
    if (!merchant?.secret) return xmlAnswer({ return_code: 'FAIL', return_msg: 'mch_id 未在沙箱登记 APIv2 密钥' });
    const type = (fields.sign_type || 'MD5') as SignType;
    if (type !== 'MD5' && type !== 'HMAC-SHA256')
      return xmlAnswer({ return_code: 'FAIL', return_msg: 'sign_type 须为 MD5 或 HMAC-SHA256' });
    if (!fields.nonce_str) return xmlAnswer({ return_code: 'FAIL', return_msg: 'nonce_str 参数缺失' });
    if (!v2Verify(fields, type, merchant.secret)) return xmlAnswer({ return_code: 'FAIL', return_msg: '签名错误' });
    let reply: Fields;
    try {
      reply = { return_code: 'SUCCESS', return_msg: 'OK', ...operation(context, fields), result_code: 'SUCCESS' };
    } catch (error) {
      if (error instanceof V2Failure) return xmlAnswer({ return_code: 'FAIL', return_msg: error.message });
      if (!(error instanceof V2Business)) throw error;
      reply = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        result_code: 'FAIL',
        err_code: error.code,
        err_code_des: error.message,
      };
    }
    const signed: Fields = {
      ...reply,
      ...(fields.appid ? { appid: fields.appid } : {}),
      mch_id: merchant.mchid,
      nonce_str: randomBytes(16).toString('hex'),
    };
    signed.sign = v2Sign(signed, type, merchant.secret);
    return xmlAnswer(signed);
  };
}

const TRADE_TYPES: Record<string, TradeType> = { JSAPI: 'JSAPI', NATIVE: 'NATIVE', APP: 'APP', MWEB: 'MWEB' };

export const unifiedOrder = v2((context, fields) => {
  const tradeType = TRADE_TYPES[need(fields, 'trade_type')];
  if (!tradeType) throw new V2Failure('trade_type 须为 JSAPI、NATIVE、APP 或 MWEB');
  const appid = need(fields, 'appid');
  const description = need(fields, 'body');
  const outTradeNo = need(fields, 'out_trade_no');
  if (!/^[0-9A-Za-z_\-|*@]{1,32}$/.test(outTradeNo))
    throw new V2Failure('out_trade_no 须为 32 位以内的字母、数字或 _-|*@');
  const total = fen(fields, 'total_fee');
  need(fields, 'spbill_create_ip');
  const notifyUrl = need(fields, 'notify_url');
  const openid = tradeType === 'JSAPI' ? need(fields, 'openid') : fields.openid;
  const { nonce_str: _nonce, sign: _sign, sign_type: _type, ...content } = fields;
  const print = fingerprint({ v2: content });
  const mchid = fields.mch_id!;
  const existing = context.payments.order(mchid, outTradeNo);
  if (existing) {
    if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND')
      throw new V2Business('ORDERPAID', '商户订单已支付');
    if (existing.trade_state === 'CLOSED') throw new V2Business('ORDERCLOSED', '订单已关闭');
    if (existing.fingerprint !== print) throw new V2Business('INVALID_REQUEST', '201 商户订单号重复');
    return existing.prepay;
  }
  const prepayId = `wx${compact(context.now)}${randomBytes(9).toString('hex')}`;
  const prepay: Fields = { trade_type: tradeType, prepay_id: prepayId };
  if (tradeType === 'NATIVE') prepay.code_url = `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}`;
  if (tradeType === 'MWEB')
    prepay.mweb_url = `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}`;
  const order: Order = {
    mchid,
    appid,
    out_trade_no: outTradeNo,
    trade_type: tradeType,
    description,
    attach: fields.attach,
    notify_url: notifyUrl,
    total,
    currency: fields.fee_type || 'CNY',
    openid,
    fingerprint: print,
    prepay,
    trade_state: 'NOTPAY',
    transaction_id: digits('42000', context.now, 10),
    created: context.now,
    refunded: 0,
    protocol: 'v2',
  };
  context.payments.addOrder(order);
  return prepay;
});

function findOrder(context: HandlerContext, fields: Fields): Order {
  const mchid = fields.mch_id!;
  if (!fields.transaction_id && !fields.out_trade_no)
    throw new V2Failure('transaction_id 与 out_trade_no 须至少填写一个');
  const order = fields.transaction_id
    ? context.payments.orderByTransaction(mchid, fields.transaction_id)
    : context.payments.order(mchid, fields.out_trade_no!);
  if (!order) throw new V2Business('ORDERNOTEXIST', '此交易订单号不存在');
  return order;
}

export const orderQuery = v2((context, fields) => {
  const order = findOrder(context, fields);
  const paid = order.success_time !== undefined;
  return {
    out_trade_no: order.out_trade_no,
    trade_state: order.trade_state,
    trade_state_desc: { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '转入退款' }[
      order.trade_state
    ],
    total_fee: String(order.total),
    fee_type: order.currency,
    trade_type: order.trade_type,
    ...(order.openid ? { openid: order.openid } : {}),
    ...(order.attach ? { attach: order.attach } : {}),
    ...(paid
      ? {
          transaction_id: order.transaction_id,
          cash_fee: String(order.total),
          bank_type: 'OTHERS',
          time_end: compact(order.success_time!),
        }
      : {}),
  };
});

export const refund = v2((context, fields) => {
  const outRefundNo = need(fields, 'out_refund_no');
  const total = fen(fields, 'total_fee');
  const amount = fen(fields, 'refund_fee');
  const mchid = fields.mch_id!;
  const earlier = context.payments.refund(mchid, outRefundNo);
  const order = earlier?.order ?? findOrder(context, fields);
  const result = (r: { refund_id: string; refund: number }): Fields => ({
    transaction_id: order.transaction_id,
    out_trade_no: order.out_trade_no,
    out_refund_no: outRefundNo,
    refund_id: r.refund_id,
    refund_fee: String(r.refund),
    total_fee: String(order.total),
    cash_fee: String(order.total),
  });
  if (earlier) return result(earlier);
  if (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND')
    throw new V2Business('TRADE_STATE_ERROR', `订单状态为 ${order.trade_state}，不能退款`);
  if (total !== order.total) throw new V2Business('INVALID_REQUEST', `total_fee 须等于原订单金额 ${order.total}`);
  const left = order.total - order.refunded;
  if (amount > left) throw new V2Business('NOTENOUGH', `退款金额 ${amount} 超过订单剩余可退金额 ${left}`);
  order.refunded += amount;
  order.trade_state = 'REFUND';
  const created = {
    mchid,
    refund_id: digits('50000', context.now, 14),
    out_refund_no: outRefundNo,
    order,
    refund: amount,
    status: 'PROCESSING' as const,
    created: context.now,
  };
  context.payments.addRefund(created);
  context.schedule((now) => Object.assign(created, { status: 'SUCCESS', success_time: now }));
  return result(created);
});
