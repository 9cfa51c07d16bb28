import { rfc3339 } from '../clock';
import { DAY_MS, businessNumber, fingerprint, type Reduction } from '../ledger';
import { Rejection } from '../rejection';
import { ok, type Handler } from './context';

const REENTRY_MS = 31 * DAY_MS;

/**
 * Deducts from the ledger balance. Insufficient balance closes the order (403 NOT_ENOUGH); re-entering a
 * closed order is 400 ALREADY_EXISTS; the same number and parameters within 31 days get the first answer.
 */
export const specialReduction: Handler = (context) => {
  const json = context.json;
  if (!context.allow('reduction', String(json.mchid))) {
    throw new Rejection(
      429,
      'FREQUENCY_LIMITED',
      `频率超限（单特殊减额目标商户号 ${context.limitOf('reduction')} qps），请降低频率后重试`,
    );
  }
  const key = `reduction:${context.caller.mchid}:${String(json.out_request_no)}`;
  const print = fingerprint(json);
  const known = context.ledger.reentry.lookup(key, print, context.now);
  if (known === 'conflict') {
    throw new Rejection(
      400,
      'INVALID_REQUEST',
      `单号 ${String(json.out_request_no)} 已使用，且本次参数与首次请求不一致`,
    );
  }
  const existing = context.ledger.reductions.get(String(json.out_request_no));
  if (known && existing?.state === 'FAILED') throw new Rejection(400, 'ALREADY_EXISTS', '单据已关闭，请使用新的单号');
  if (known) return known;

  const account = context.ledger.account(json.mchid, json.bal_account_no);
  if (!account) throw new Rejection(400, 'NOT_FOUND', '目标商户号或额度台账不存在');
  const amount = Number(json.amount);
  if (!Number.isInteger(amount) || amount <= 0) {
    throw new Rejection(400, 'PARAM_ERROR', '参数错误：/amount 须为正整数（单位：分）', {
      field: '/amount',
      value: json.amount,
      issue: '须为正整数',
      location: 'body',
    });
  }
  const order: Reduction = {
    mchid: account.mchid,
    bal_account_no: account.bal_account_no,
    out_request_no: String(json.out_request_no),
    reduction_type: json.reduction_type as Reduction['reduction_type'], // the schema check allowed only the enum
    amount,
    state: 'SUCCESS',
    reason: json.reason as string | undefined,
  };
  context.ledger.reductions.set(order.out_request_no, order);
  if (account.balance < amount) {
    Object.assign(order, { state: 'FAILED', fail_time: rfc3339(context.now), fail_reason: 'BALANCE_NOT_ENOUGH' });
    context.ledger.reentry.store(key, print, { status: 403, body: {} }, context.now, REENTRY_MS);
    throw new Rejection(403, 'NOT_ENOUGH', '余额不足，特殊减额单已关闭');
  }
  account.balance -= amount;
  Object.assign(order, { quota_change_no: businessNumber('3', context.now), success_time: rfc3339(context.now) });
  const answer = ok({ ...order, bal_account_no: context.encryptToCaller(order.bal_account_no) });
  context.ledger.reentry.store(key, print, answer, context.now, REENTRY_MS);
  return answer;
};

export const queryReduction: Handler = (context) => {
  const order = context.ledger.reductions.get(context.params.out_request_no!);
  if (!order || order.mchid !== context.query.mchid || order.bal_account_no !== context.query.bal_account_no) {
    throw new Rejection(404, 'NOT_FOUND', '特殊减额单不存在');
  }
  return ok({ ...order, bal_account_no: context.encryptToCaller(order.bal_account_no) });
};

export const balance: Handler = (context) => {
  const account = context.ledger.account(context.query.mchid, context.query.bal_account_no);
  if (!account) throw new Rejection(404, 'NOT_FOUND', '额度台账不存在');
  return ok({ in_transit_reduction_exist: false, balance: account.balance });
};
