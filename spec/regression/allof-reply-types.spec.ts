import { findRoute } from '../../lib/catalog/lookup';
import { responseSchema } from '../../lib/catalog/responses';
import type { JsonSchema } from '../../lib/catalog/route-facts';

/**
 * `allOf` means every part holds. The generator used to let the last part's field win: the order-query reply
 * (`TransactionBase` + `amount: PayerAmount`) lost `amount.total`/`currency`, and the request definitions it merges
 * made `notify_url`/`description` required of a reply that does not carry them. The reply types in
 * lib/catalog/generated/types/ are emitted from the same resolved schema as these facts.
 */
const reply = (method: string, path: string): JsonSchema => {
  const schema = responseSchema(method, path);
  if (!schema) throw new Error(`no reply schema for ${method} ${path}`);
  return schema;
};
const fields = (schema: JsonSchema | undefined) => Object.keys(schema?.properties ?? {}).sort();

describe('reply types: allOf parts merged, required only what WeChat Pay always sends', () => {
  it.each([
    'v3/pay/transactions/out-trade-no/{out_trade_no}',
    'v3/pay/transactions/id/{transaction_id}',
    'v3/pay/partner/transactions/out-trade-no/{out_trade_no}',
    'v3/pay/partner/transactions/id/{transaction_id}',
  ])('GET %s: amount carries total, payer_total, currency and payer_currency; no request field required', (path) => {
    const schema = reply('GET', path);
    expect(fields(schema.properties!.amount)).toEqual(['currency', 'payer_currency', 'payer_total', 'total']);
    // an unpaid order is answered without payer_total (the sandbox does the same)
    expect(schema.properties!.amount!.required ?? []).toEqual([]);
    expect(schema.required).toEqual(expect.arrayContaining(['out_trade_no', 'trade_state', 'trade_state_desc']));
    expect(schema.required).not.toEqual(expect.arrayContaining(['notify_url']));
    expect(schema.required).not.toEqual(expect.arrayContaining(['description']));
    expect(schema.required).not.toEqual(expect.arrayContaining(['amount']));
  });

  it.each([
    ['POST', 'v3/refund/domestic/refunds'],
    ['GET', 'v3/refund/domestic/refunds/{out_refund_no}'],
  ])('%s %s: the refund reply keeps every amount field and requires no success_time', (method, path) => {
    const schema = reply(method, path);
    expect(fields(schema.properties!.amount)).toEqual(
      expect.arrayContaining(['currency', 'payer_refund', 'payer_total', 'refund', 'total']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['out_refund_no', 'refund_id', 'status', 'amount']));
    expect(schema.required).not.toEqual(expect.arrayContaining(['success_time']));
  });

  it('requests too: the H5 order scene_info is SceneInfo and the H5 part both (payer_client_ip and h5_info)', () => {
    const scene = findRoute('POST', 'v3/pay/transactions/h5')?.json?.properties?.scene_info;
    expect(fields(scene)).toEqual(expect.arrayContaining(['h5_info', 'payer_client_ip', 'store_info']));
  });
});
