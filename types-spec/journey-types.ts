/**
 * Type tests of the merchant's journey APIs, run by `npm run typecheck` (tsc): good uses compile, and every
 * `@ts-expect-error` line must fail to compile.
 */
import { paginate, type WechatpayInstance } from '../lib';

declare const instance: WechatpayInstance;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value?: T): T | undefined => value;

export async function pages(): Promise<void> {
  const query = { begin_date: '2026-01-01', end_date: '2026-01-30' };
  for await (const complaint of paginate(instance.v3.merchantService.complaintsV2, { query })) {
    assertType<Equals<typeof complaint.complaint_state, 'PENDING' | 'PROCESSING' | 'PROCESSED'>>();
    // @ts-expect-error a misspelt item field
    void complaint.complaint_idd;
  }
  // the chain() and string-key styles give the same typed node
  for await (const item of paginate(instance.chain('v3/merchant-service/complaints-v2'), {
    query: { ...query, limit: 50 },
  })) {
    void item.complaint_id;
  }
  // @ts-expect-error the operation's required query fields stay required
  paginate(instance.v3.merchantService.complaintsV2, { query: { begin_date: '2026-01-01' } });
  // @ts-expect-error a reply that is not an offset/limit list
  paginate(instance.v3.pay.transactions.outTradeNo._out_trade_no_, { out_trade_no: 'T', query: { mchid: '1' } });
}
