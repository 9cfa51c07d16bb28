import { randomBytes } from 'node:crypto';
import { rfc3339 } from './clock';

/** The payment side of the sandbox's one ledger: orders, refunds, bill files and uploaded media, per merchant. */
export type TradeType = 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Order {
  mchid: string;
  appid: string;
  out_trade_no: string;
  trade_type: TradeType;
  description: string;
  attach?: string;
  notify_url: string;
  total: number;
  currency: string;
  openid?: string;
  /** Canonical form of the order request: a repeat with different content is refused. */
  fingerprint: string;
  /** What the order call answered (`prepay_id`, `code_url` or `h5_url`); a same-content repeat gets it again. */
  prepay: Record<string, string>;
  trade_state: TradeState;
  transaction_id: string;
  created: number;
  success_time?: number;
  /** Refunded or being refunded, in fen. */
  refunded: number;
  /** Placed through APIv2 (`/pay/unifiedorder`): no APIv3 callbacks. */
  protocol?: 'v2';
}

export interface Refund {
  mchid: string;
  refund_id: string;
  out_refund_no: string;
  order: Order;
  refund: number;
  reason?: string;
  notify_url?: string;
  status: 'PROCESSING' | 'SUCCESS';
  created: number;
  success_time?: number;
}

export interface BillFile {
  mchid: string;
  plain: Buffer;
  gzip: boolean;
}

const STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

/** Digits only, the way WeChat Pay numbers transactions and refunds: a prefix, the date, random digits. */
export function digits(prefix: string, now: number, size: number): string {
  const date = rfc3339(now).slice(0, 10).replace(/-/g, '');
  let tail = '';
  for (const byte of randomBytes(size)) tail += String(byte % 10);
  return `${prefix}${date}${tail}`;
}

export class Payments {
  private readonly orders = new Map<string, Order>();
  private readonly byTransaction = new Map<string, Order>();
  private readonly refunds = new Map<string, Refund>();
  readonly bills = new Map<string, BillFile>();
  readonly media = new Map<string, { mchid: string; filename: string; bytes: number }>();

  order(mchid: string, outTradeNo: string): Order | undefined {
    return this.orders.get(`${mchid}:${outTradeNo}`);
  }

  orderByTransaction(mchid: string, transactionId: string): Order | undefined {
    const order = this.byTransaction.get(transactionId);
    // the transaction id exists from the start but is only known to the merchant once the order is paid
    return order && order.mchid === mchid && order.success_time !== undefined ? order : undefined;
  }

  /** The JSAPI/App order a prepay id was issued for. */
  orderByPrepayId(prepayId: string): Order | undefined {
    for (const order of this.orders.values()) if (order.prepay.prepay_id === prepayId) return order;
    return undefined;
  }

  /** Every order with this merchant order number (any merchant): `sandbox.pay` does not need the mchid. */
  ordersNumbered(outTradeNo: string): Order[] {
    return [...this.orders.values()].filter((order) => order.out_trade_no === outTradeNo);
  }

  addOrder(order: Order): void {
    this.orders.set(`${order.mchid}:${order.out_trade_no}`, order);
    this.byTransaction.set(order.transaction_id, order);
  }

  refund(mchid: string, outRefundNo: string): Refund | undefined {
    return this.refunds.get(`${mchid}:${outRefundNo}`);
  }

  addRefund(refund: Refund): void {
    this.refunds.set(`${refund.mchid}:${refund.out_refund_no}`, refund);
  }

  allOrders(mchid: string): Order[] {
    return [...this.orders.values()].filter((order) => order.mchid === mchid);
  }

  allRefunds(mchid: string): Refund[] {
    return [...this.refunds.values()].filter((refund) => refund.mchid === mchid);
  }

  /** Everything as JSON-safe data, for `stateDir`: a refund names its order, bill files are base64. */
  snapshot(): PaymentsSnapshot {
    return {
      orders: [...this.orders.values()],
      refunds: [...this.refunds.values()].map(({ order, ...refund }) => ({
        ...refund,
        order: `${order.mchid}:${order.out_trade_no}`,
      })),
      bills: [...this.bills].map(([token, bill]) => [token, { ...bill, plain: bill.plain.toString('base64') }]),
      media: [...this.media],
    };
  }

  static restore(snapshot: PaymentsSnapshot): Payments {
    const payments = new Payments();
    for (const order of snapshot.orders) payments.addOrder(order);
    for (const { order, ...refund } of snapshot.refunds) {
      const original = payments.orders.get(order);
      if (original) payments.addRefund({ ...refund, order: original });
    }
    for (const [token, bill] of snapshot.bills)
      payments.bills.set(token, { ...bill, plain: Buffer.from(bill.plain, 'base64') });
    for (const [id, media] of snapshot.media) payments.media.set(id, media);
    return payments;
  }
}

export interface PaymentsSnapshot {
  orders: Order[];
  refunds: Array<Omit<Refund, 'order'> & { order: string }>;
  bills: Array<[string, Omit<BillFile, 'plain'> & { plain: string }]>;
  media: Array<[string, { mchid: string; filename: string; bytes: number }]>;
}

/** The order as the query endpoints (and the TRANSACTION.SUCCESS callback) describe it. */
export function transactionView(order: Order): Record<string, unknown> {
  const paid = order.success_time !== undefined;
  return {
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.out_trade_no,
    ...(paid ? { transaction_id: order.transaction_id } : {}),
    trade_type: order.trade_type,
    trade_state: order.trade_state,
    trade_state_desc: STATE_DESC[order.trade_state],
    ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339(order.success_time!) } : {}),
    ...(order.attach === undefined ? {} : { attach: order.attach }),
    ...(order.openid === undefined ? {} : { payer: { openid: order.openid } }),
    amount: paid
      ? { total: order.total, payer_total: order.total, currency: order.currency, payer_currency: order.currency }
      : { total: order.total, currency: order.currency, payer_currency: order.currency },
    promotion_detail: [],
  };
}

/** The refund as the refund endpoints describe it. */
export function refundView(refund: Refund): Record<string, unknown> {
  const total = refund.order.total;
  return {
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    transaction_id: refund.order.transaction_id,
    out_trade_no: refund.order.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.success_time === undefined ? {} : { success_time: rfc3339(refund.success_time) }),
    create_time: rfc3339(refund.created),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total,
      refund: refund.refund,
      from: [],
      payer_total: total,
      payer_refund: refund.refund,
      settlement_refund: refund.refund,
      settlement_total: total,
      discount_refund: 0,
      currency: refund.order.currency,
      refund_fee: 0,
    },
    promotion_detail: [],
  };
}

/** The REFUND.SUCCESS callback resource (a flatter shape than the query reply, as the docs give it). */
export function refundNotice(refund: Refund): Record<string, unknown> {
  return {
    mchid: refund.mchid,
    out_trade_no: refund.order.out_trade_no,
    transaction_id: refund.order.transaction_id,
    out_refund_no: refund.out_refund_no,
    refund_id: refund.refund_id,
    refund_status: refund.status,
    success_time: rfc3339(refund.success_time!),
    user_received_account: '支付用户零钱',
    amount: {
      total: refund.order.total,
      refund: refund.refund,
      payer_total: refund.order.total,
      payer_refund: refund.refund,
    },
  };
}
