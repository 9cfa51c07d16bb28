/**
 * Type tests, run by `npm run typecheck` (tsc): good calls compile, and every `@ts-expect-error` line must
 * fail to compile, so a bad call that starts compiling breaks the build.
 */
import type { AxiosResponse } from 'axios';
import type { AggracctBcWbChannelControlOrdersRecoverPostResponse, WechatpayInstance } from '../lib';

declare const instance: WechatpayInstance;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value?: T): T | undefined => value;

const recoverJson = {
  out_request_no: 'R1',
  related_webank_punish_no: 'P1',
  related_wxpay_punish_no: 'W1',
  mchid: '1900016681',
  bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc',
};

export async function goodCalls(): Promise<void> {
  const recovered = await instance.v3.aggracctBc.wbChannel.controlOrders.recover.post({ json: recoverJson });
  assertType<Equals<typeof recovered, AxiosResponse<AggracctBcWbChannelControlOrdersRecoverPostResponse>>>();
  assertType<Equals<typeof recovered.data, { wxpay_recover_no: string; out_request_no: string }>>();

  const viaChain = await instance
    .chain('v3/aggracct-bc/wb-channel/control-orders/recover')
    .postAsync({ json: recoverJson });
  const viaKey = await instance['v3/aggracct-bc/wb-channel/control-orders/recover'].post({
    json: recoverJson,
    encrypt: true,
  });
  assertType<Equals<typeof viaChain, typeof recovered>>();
  assertType<Equals<typeof viaKey, typeof recovered>>();

  const reduction = { out_request_no: 'N1', query: { mchid: '1900016681', bal_account_no: 'B' } };
  const a = await instance.v3.aggracctBc.wbChannel.specialReduction._out_request_no_.get(reduction);
  const b = await instance.v3.aggracctBc.wbChannel.specialReduction.$out_request_no$.getAsync(reduction);
  const c = await instance.chain('v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}').get(reduction);
  const d = await instance['v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}'].get(reduction);
  const state: 'PROCESSING' | 'SUCCESS' | 'FAILED' | undefined = a.data.state;
  assertType<Equals<typeof a, typeof b>>();
  assertType<Equals<typeof c, typeof d>>();
  assertType<Equals<typeof a, typeof d>>();

  await instance.v3.aggracctBc.wbChannel.specialReduction.post({
    json: { mchid: '1', bal_account_no: 'B', out_request_no: 'S1', reduction_type: 'JUDICIAL_DEDUCTION', amount: 100 },
  });
  // dashed string segments reach the same typed node
  await instance.v3['aggracct-bc']['wb-channel'].account.balance.get({ query: { mchid: '1', bal_account_no: 'B' } });

  // the whole API is catalogued now: pay, marketing, profit sharing are typed, replies included
  const paid = await instance.v3.pay.transactions.id._transaction_id_.get({
    transaction_id: 'T',
    query: { mchid: '1' },
  });
  const tradeState: string | undefined = paid.data.trade_state;
  await instance.v3.profitsharing.receivers.delete.post({
    json: { appid: 'wx8888888888888888', type: 'MERCHANT_ID', account: '1900000109' },
  });
  // a verb-named segment is still callable as the verb on its parent (DELETE /v3/profitsharing/receivers)
  await instance.v3.profitsharing.receivers.delete();

  // outside the catalog: string keys, chain() and unknown families stay open, loosely typed
  const loose = await instance['v3/new/path/{id}'].get({ id: '1' });
  const anything: unknown = loose.data;
  await instance.chain('v3/new/family').post({ json: { anything: 1 } });
  await instance.v3.someNewFamily.orders.post({ json: {} });
  void tradeState;
  void [state, anything, recovered, viaChain, viaKey, b, c, d];
}

export async function badCalls(): Promise<void> {
  const recover = instance.v3.aggracctBc.wbChannel.controlOrders.recover;
  const byNumber = instance.v3.aggracctBc.wbChannel.specialReduction._out_request_no_;
  const { bal_account_no: _dropped, ...withoutAccount } = recoverJson;
  const balanceWithNumber = { query: { mchid: 1900016681, bal_account_no: 'B' } };
  const reductionWithStringAmount = {
    json: { mchid: '1', bal_account_no: 'B', out_request_no: 'S', reduction_type: 'JUDICIAL_DEDUCTION', amount: '1' },
  } as const;
  const query = { mchid: '1', bal_account_no: 'B' };
  // @ts-expect-error a missing required field (bal_account_no)
  await recover.post({ json: withoutAccount });
  // @ts-expect-error a misspelt field
  await recover.post({ json: { ...recoverJson, recover_reasn: 'typo' } });
  // @ts-expect-error a wrong enum value
  await recover.post({ json: { ...recoverJson, req_scene: 'SOMETHING_ELSE' } });
  // @ts-expect-error a wrong verb
  await recover.get();
  // @ts-expect-error no options at all where json is required
  await recover.post();
  // @ts-expect-error a misspelt option key
  await recover.post({ jsno: recoverJson });
  // @ts-expect-error the template variable is required by _out_request_no_
  await byNumber.get({ query });
  // @ts-expect-error the template variable is required through chain() too
  await instance.chain('v3/aggracct-bc/wb-channel/special-reduction/{out_request_no}').get({ query });
  // @ts-expect-error a query where the endpoint takes a body
  await recover.post({ json: recoverJson, query: { a: '1' } });
  // @ts-expect-error a number where the field is a string
  await instance['v3/aggracct-bc/wb-channel/account/balance'].get(balanceWithNumber);
  // @ts-expect-error amount is an integer
  await instance.v3.aggracctBc.wbChannel.specialReduction.post(reductionWithStringAmount);
  // @ts-expect-error a node that is not a verb is not callable
  await instance.v3.aggracctBc.wbChannel.controlOrders({});
}
