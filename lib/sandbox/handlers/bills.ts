import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { rfc3339 } from '../clock';
import type { Order, Payments, Refund } from '../payments';
import { Rejection } from '../rejection';
import { ok, type Handler, type HandlerContext } from './context';
import { paramError, text } from './fields';

/**
 * Trade and fund flow bills built from the ledger at request time: the reply carries the file's SHA-1
 * (`hash_value`, of the plain file) and a download URL back to this sandbox, which serves the bytes unsigned.
 */
const yuan = (fen: number) => (fen / 100).toFixed(2);
const cell = (value: string | number) => `\`${value}`;
const row = (cells: Array<string | number>) => cells.map(cell).join(',');
const dateOf = (ms: number) => rfc3339(ms).slice(0, 10);
const timeOf = (ms: number) => rfc3339(ms).slice(0, 19).replace('T', ' ');

function billDate(context: HandlerContext): string {
  const date = text(
    context.query,
    'bill_date',
    { pattern: /^\d{4}-\d{2}-\d{2}$/, shape: '格式须为 yyyy-MM-DD' },
    'query',
  );
  if (Number.isNaN(Date.parse(`${date}T00:00:00+08:00`)) || dateOf(Date.parse(`${date}T00:00:00+08:00`)) !== date)
    throw paramError('bill_date', '不是有效日期', 'query', date);
  if (date > dateOf(context.now))
    throw new Rejection(400, 'INVALID_REQUEST', `账单日期 ${date} 晚于今天，账单尚未生成`);
  return date;
}

function choice(context: HandlerContext, name: string, allowed: string[]): string {
  const value = context.query[name];
  if (value === undefined) return allowed[0]!;
  if (!allowed.includes(value)) throw paramError(name, `取值须为 ${allowed.join(' | ')} 之一`, 'query', value);
  return value;
}

function tradeRows(orders: Order[], refunds: Refund[], date: string, type: string): string[] {
  const rows: string[] = [];
  if (type !== 'REFUND') {
    for (const order of orders.filter((o) => o.success_time !== undefined && dateOf(o.success_time) === date)) {
      rows.push(
        row([
          timeOf(order.success_time!),
          order.appid,
          order.mchid,
          '0',
          '',
          order.transaction_id,
          order.out_trade_no,
          order.openid ?? '',
          order.trade_type,
          'SUCCESS',
          'OTHERS',
          order.currency,
          yuan(order.total),
          '0.00',
          '0',
          '0',
          '0.00',
          '0.00',
          '',
          '',
          order.description,
          order.attach ?? '',
          '0.00',
          '0.60%',
          yuan(order.total),
          '0.00',
          '',
        ]),
      );
    }
  }
  if (type !== 'SUCCESS') {
    for (const refund of refunds.filter((r) => r.success_time !== undefined && dateOf(r.success_time) === date)) {
      const order = refund.order;
      rows.push(
        row([
          timeOf(refund.success_time!),
          order.appid,
          order.mchid,
          '0',
          '',
          order.transaction_id,
          order.out_trade_no,
          order.openid ?? '',
          order.trade_type,
          'REFUND',
          'OTHERS',
          order.currency,
          '0.00',
          '0.00',
          refund.refund_id,
          refund.out_refund_no,
          yuan(refund.refund),
          '0.00',
          'ORIGINAL',
          'SUCCESS',
          order.description,
          order.attach ?? '',
          '0.00',
          '0.60%',
          yuan(order.total),
          yuan(refund.refund),
          '',
        ]),
      );
    }
  }
  return rows;
}

const TRADE_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';

/** WeChat Pay generates no bill for a day without trades: it answers 400 NO_STATEMENT_EXIST instead of an empty file. */
const noStatement = (date: string) =>
  new Rejection(400, 'NO_STATEMENT_EXIST', `${date} 的账单文件不存在：请确认商户号在该日期有交易`);

function tradeBill(payments: Payments, mchid: string, date: string, type: string): string {
  const orders = payments.allOrders(mchid);
  const refunds = payments.allRefunds(mchid);
  const rows = tradeRows(orders, refunds, date, type);
  if (rows.length === 0) throw noStatement(date);
  const paid =
    type === 'REFUND' ? [] : orders.filter((o) => o.success_time !== undefined && dateOf(o.success_time) === date);
  const back =
    type === 'SUCCESS' ? [] : refunds.filter((r) => r.success_time !== undefined && dateOf(r.success_time) === date);
  const income = paid.reduce((sum, o) => sum + o.total, 0);
  const outgo = back.reduce((sum, r) => sum + r.refund, 0);
  return [
    TRADE_HEADER,
    ...rows,
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    row([rows.length, yuan(income), yuan(outgo), '0.00', '0.00', yuan(income), yuan(outgo)]),
    '',
  ].join('\r\n');
}

function fundFlowBill(payments: Payments, mchid: string, date: string, account: string): string {
  const entries: Array<[number, string, string, string, number, string]> = [];
  if (account === 'BASIC') {
    for (const order of payments.allOrders(mchid))
      if (order.success_time !== undefined && dateOf(order.success_time) === date)
        entries.push([order.success_time, order.transaction_id, '交易', '收入', order.total, order.out_trade_no]);
    for (const refund of payments.allRefunds(mchid))
      if (refund.success_time !== undefined && dateOf(refund.success_time) === date)
        entries.push([refund.success_time, refund.refund_id, '退款', '支出', refund.refund, refund.out_refund_no]);
  }
  if (entries.length === 0) throw noStatement(date);
  entries.sort((a, b) => a[0] - b[0]);
  let balance = 0;
  const rows = entries.map(([at, id, kind, direction, fen, voucher], index) => {
    balance += direction === '收入' ? fen : -fen;
    return row([
      timeOf(at),
      id,
      `${id}${String(index).padStart(4, '0')}`,
      kind,
      kind,
      direction,
      yuan(fen),
      yuan(balance),
      'system',
      '',
      voucher,
    ]);
  });
  const income = entries.filter((e) => e[3] === '收入').reduce((sum, e) => sum + e[4], 0);
  const outgo = entries.filter((e) => e[3] === '支出').reduce((sum, e) => sum + e[4], 0);
  return [
    '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号',
    ...rows,
    '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
    row([
      entries.length,
      entries.filter((e) => e[3] === '收入').length,
      yuan(income),
      entries.filter((e) => e[3] === '支出').length,
      yuan(outgo),
    ]),
    '',
  ].join('\r\n');
}

function link(context: HandlerContext, content: string) {
  const gzip = choice(context, 'tar_type', ['NONE', 'GZIP']) === 'GZIP';
  const plain = Buffer.from(content, 'utf8');
  const token = randomBytes(16).toString('hex');
  context.payments.bills.set(token, { mchid: context.caller.mchid, plain, gzip });
  return ok({
    hash_type: 'SHA1',
    hash_value: createHash('sha1').update(plain).digest('hex'),
    download_url: `${context.baseUrl}v3/billdownload/file?token=${token}`,
  });
}

export const tradeBillLink: Handler = (context) => {
  const date = billDate(context);
  const type = choice(context, 'bill_type', ['ALL', 'SUCCESS', 'REFUND']);
  return link(context, tradeBill(context.payments, context.caller.mchid, date, type));
};

export const fundFlowBillLink: Handler = (context) => {
  const date = billDate(context);
  const account = choice(context, 'account_type', ['BASIC', 'OPERATION', 'FEES']);
  return link(context, fundFlowBill(context.payments, context.caller.mchid, date, account));
};

/** `GET /v3/billdownload/file?token=`: a signed request whose reply (the file) is not signed. */
export const billFile: Handler = (context) => {
  const bill = context.payments.bills.get(text(context.query, 'token', {}, 'query'));
  if (!bill || bill.mchid !== context.caller.mchid)
    throw new Rejection(404, 'NOT_FOUND', '账单文件不存在或下载地址已失效');
  return {
    status: 200,
    body: undefined,
    unsigned: {
      bytes: bill.gzip ? gzipSync(bill.plain) : bill.plain,
      contentType: bill.gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8',
    },
  };
};
