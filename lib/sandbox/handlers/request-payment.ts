import { verify } from 'node:crypto';
import type { Order } from '../payments';
import { Rejection } from '../rejection';
import { ok, type Handler, type HandlerContext } from './context';
import { paramError } from './fields';
import { markPaid } from './transactions';

/**
 * The sandbox plays the payer's WeChat client: it takes the parameters a merchant hands `wx.requestPayment` /
 * `WeixinJSBridge` (JSAPI, mini program) or the App SDK, checks them as the client would, and pays the order.
 * The signed message is built here, with node:crypto, independently of the SDK's own helpers.
 */
type Kind = 'JSAPI' | 'APP';

interface Checked {
  kind: Kind;
  appid: string;
  prepayId: string;
  /** The mchid the parameters name (App only: JSAPI parameters do not carry one). */
  partnerId?: string;
  message: string;
  signature: string;
}

function field(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (value === undefined || value === null || value === '') throw paramError(name, '字段缺失（必填）', 'body');
  if (typeof value !== 'string') throw paramError(name, '类型须为 string', 'body', value);
  return value;
}

function fixed(params: Record<string, unknown>, name: string, expected: string): void {
  const value = field(params, name);
  if (value !== expected) throw paramError(name, `须为 ${expected}`, 'body', value);
}

/** JSAPI/mini program: `{ appId, timeStamp, nonceStr, package: 'prepay_id=...', signType: 'RSA', paySign }`. */
function jsapi(params: Record<string, unknown>): Checked {
  const appid = field(params, 'appId');
  const timeStamp = field(params, 'timeStamp');
  const nonceStr = field(params, 'nonceStr');
  const pkg = field(params, 'package');
  fixed(params, 'signType', 'RSA');
  if (!pkg.startsWith('prepay_id=')) throw paramError('package', '须为 prepay_id=<预支付交易会话标识>', 'body', pkg);
  return {
    kind: 'JSAPI',
    appid,
    prepayId: pkg.slice('prepay_id='.length),
    message: `${appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`,
    signature: field(params, 'paySign'),
  };
}

/** App: `{ appid, partnerid, prepayid, package: 'Sign=WXPay', noncestr, timestamp, sign }`. */
function app(params: Record<string, unknown>): Checked {
  const appid = field(params, 'appid');
  const prepayId = field(params, 'prepayid');
  const timestamp = field(params, 'timestamp');
  const noncestr = field(params, 'noncestr');
  fixed(params, 'package', 'Sign=WXPay');
  return {
    kind: 'APP',
    appid,
    prepayId,
    partnerId: field(params, 'partnerid'),
    message: `${appid}\n${timestamp}\n${noncestr}\n${prepayId}\n`,
    signature: field(params, 'sign'),
  };
}

function orderOf(context: Pick<HandlerContext, 'payments'>, checked: Checked): Order {
  const order = context.payments.orderByPrepayId(checked.prepayId);
  if (!order) throw new Rejection(404, 'ORDER_NOT_EXIST', `prepay_id ${checked.prepayId.slice(0, 64)} 不是沙箱签发的`);
  const expected = checked.kind === 'APP' ? 'APP' : 'JSAPI';
  if (order.trade_type !== expected)
    throw new Rejection(400, 'INVALID_REQUEST', `订单是 ${order.trade_type} 下单，不能以 ${checked.kind} 参数调起支付`);
  if (checked.appid !== order.appid)
    throw paramError(checked.kind === 'APP' ? 'appid' : 'appId', '与下单时的 appid 不一致', 'body', checked.appid);
  if (checked.partnerId !== undefined && checked.partnerId !== order.mchid)
    throw paramError('partnerid', '与下单的商户号不一致', 'body', checked.partnerId);
  return order;
}

/** Verifies front-end payment parameters against the order's merchant key, then pays the order (as `pay()` does). */
export function requestPayment(
  context: Pick<HandlerContext, 'payments' | 'notify' | 'now' | 'merchantOf'>,
  params: unknown,
): Record<string, unknown> {
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw new Rejection(400, 'PARAM_ERROR', '请求体须为 JSAPI 或 App 调起支付的参数对象');
  const given = params as Record<string, unknown>;
  const checked = 'paySign' in given || 'appId' in given ? jsapi(given) : app(given);
  const order = orderOf(context, checked);
  const merchant = context.merchantOf(order.mchid);
  const signature = Buffer.from(checked.signature, 'base64');
  if (!merchant || !verify('sha256', Buffer.from(checked.message), merchant.publicKey, signature))
    throw new Rejection(
      400,
      'SIGN_ERROR',
      `${checked.kind === 'APP' ? 'sign' : 'paySign'} 验签失败：须为商户私钥对 ${checked.kind === 'APP' ? 'appid\\ntimestamp\\nnoncestr\\nprepayid\\n' : 'appId\\ntimeStamp\\nnonceStr\\npackage\\n'} 的 SHA256-RSA 签名`,
    );
  return markPaid(context, order.out_trade_no, order.mchid);
}

/** `POST /sandbox/request-payment` with the parameter object as JSON. */
export const requestPaymentHook: Handler = (context) => ok(requestPayment(context, context.json));
