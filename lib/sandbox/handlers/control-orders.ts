import { rfc3339 } from '../clock';
import { DAY_MS, businessNumber, fingerprint, type Answer, type PunishOrder, type RecoverOrder } from '../ledger';
import { Rejection } from '../rejection';
import type { AggracctBcWbChannelControlOrdersByOutRequestNoGetResponse as ControlOrderReply } from '../../catalog/generated/endpoints';
import { ok, type Handler, type HandlerContext } from './context';

const YEAR_MS = 365 * DAY_MS;
/** The message states the limit this sandbox was started with, not the production default. */
const tooFrequent = (context: HandlerContext, limit: 'punish' | 'recover') =>
  new Rejection(429, 'FREQUENCY_LIMITED', `频率超限（${context.limitOf(limit)} 次/分钟），请降低频率后重试`);

/** Re-entry wrapper: same number and parameters -> first answer; different parameters -> INVALID_REQUEST. */
function reentrant(context: HandlerContext, kind: string, validityMs: number, create: () => Answer): Answer {
  const key = `${kind}:${context.caller.mchid}:${String(context.json.out_request_no)}`;
  const print = fingerprint(context.json);
  const known = context.ledger.reentry.lookup(key, print, context.now);
  if (known === 'conflict') {
    throw new Rejection(
      400,
      'INVALID_REQUEST',
      `单号 ${String(context.json.out_request_no)} 已使用，且本次参数与首次请求不一致`,
    );
  }
  if (known) return known;
  const answer = create();
  context.ledger.reentry.store(key, print, answer, context.now, validityMs);
  return answer;
}

export const punish: Handler = (context) => {
  if (!context.allow('punish', context.caller.mchid)) throw tooFrequent(context, 'punish');
  return reentrant(context, 'punish', YEAR_MS, () => {
    const json = context.json;
    const account = context.ledger.account(json.mchid, json.bal_account_no);
    if (!account) throw new Rejection(400, 'NOT_FOUND', '目标下管商户号或台账不存在');
    const order: PunishOrder = {
      wxpay_punish_no: businessNumber('1', context.now),
      out_request_no: String(json.out_request_no),
      mchid: account.mchid,
      punish_scene: Number(json.punish_scene),
      punish_rule_version: 1,
      punish_reason: json.punish_reason as string | undefined,
      punish_end_time: json.punish_end_time as string | undefined,
      punish_accept_time: rfc3339(context.now),
      punish_state: 'EXECUTING',
      effect_state: 'ACTIVE',
      control_action: ['DISABLE_WITHDRAWAL', 'DISABLE_PAY'],
    };
    context.ledger.punishOrders.set(order.out_request_no, { order, bal_account_no: account.bal_account_no });
    context.schedule((now) => {
      order.punish_state = 'SUCCESS';
      order.punish_start_time = order.punish_finish_time = rfc3339(now);
      context.notify('AGGRACCT_BC.PUNISH.SUCCESS', '管控成功', 'punish_order', order);
    });
    return ok({ wxpay_punish_no: order.wxpay_punish_no, out_request_no: order.out_request_no });
  });
};

export const recover: Handler = (context) => {
  if (!context.allow('recover', context.caller.mchid)) throw tooFrequent(context, 'recover');
  const json = context.json;
  if (json.out_request_no === json.related_webank_punish_no) {
    throw new Rejection(400, 'INVALID_REQUEST', '“微众解管单号”不能和“关联微众管控单号”相同');
  }
  return reentrant(context, 'recover', YEAR_MS, () => {
    const account = context.ledger.account(json.mchid, json.bal_account_no);
    if (!account) throw new Rejection(400, 'NOT_FOUND', '目标解管商户号不存在');
    const record = context.ledger.punishOrders.get(String(json.related_webank_punish_no));
    const punished = record?.order;
    if (
      !punished ||
      punished.wxpay_punish_no !== json.related_wxpay_punish_no ||
      record!.bal_account_no !== account.bal_account_no
    ) {
      throw new Rejection(404, 'NOT_FOUND', '关联管控单不存在');
    }
    if (punished.effect_state === 'RECOVERED') throw new Rejection(400, 'ALREADY_EXISTS', '商户已被解管');
    punished.effect_state = 'RECOVERED';
    const order: RecoverOrder = {
      wxpay_recover_no: businessNumber('2', context.now),
      out_request_no: String(json.out_request_no),
      related_wxpay_punish_no: punished.wxpay_punish_no,
      mchid: account.mchid,
      punish_scene: String(punished.punish_scene),
      punish_rule_version: String(punished.punish_rule_version),
      recover_accept_time: rfc3339(context.now),
      // required in the reply even while EXECUTING; it becomes the finish time on settlement
      recover_finish_time: rfc3339(context.now),
      recover_state: 'EXECUTING',
      recover_reason: (json.recover_reason as string | undefined) ?? '',
    };
    context.ledger.recoverOrders.set(order.out_request_no, order);
    context.schedule((now) => {
      order.recover_state = 'SUCCESS';
      order.recover_finish_time = rfc3339(now);
      context.notify('AGGRACCT_BC.RECOVER.SUCCESS', '解管成功', 'recover_order', order);
    });
    return ok({ wxpay_recover_no: order.wxpay_recover_no, out_request_no: order.out_request_no });
  });
};

export const queryControlOrder: Handler = (context) => {
  const number = context.params.out_request_no!;
  if (context.query.control_type === 'PUNISH') {
    const order = context.ledger.punishOrders.get(number)?.order;
    if (!order || order.mchid !== context.query.mchid) throw new Rejection(404, 'NOT_FOUND', '管控单不存在');
    return ok({ control_scene: 'PUNISH', punish_order: order } satisfies ControlOrderReply);
  }
  const order = context.ledger.recoverOrders.get(number);
  if (!order || order.mchid !== context.query.mchid) throw new Rejection(404, 'NOT_FOUND', '解管单不存在');
  return ok({
    control_scene: 'RECOVER',
    recover_order: { ...order, recover_finish_time: order.recover_finish_time || order.recover_accept_time },
  });
};

export const infoUpdateResultNotify: Handler = () => ok({ ret_msg: 'SUCC' });
