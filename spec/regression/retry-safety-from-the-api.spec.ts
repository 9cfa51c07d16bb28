import { ApiError, ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import type { Reply } from '../helpers/gateway';

/**
 * Issue 20 item 5: only four hard-coded number fields made a POST repeatable, so the transfer-bills API (re-entrant
 * on `out_bill_no` by its docs) was never retried. What an operation is re-entrant on comes from its facts now.
 */
const TRANSFER = 'v3/fund-app/mch-transfer/transfer-bills';
const transfer = (extra: Record<string, unknown> = {}) => ({
  appid: 'wxf636efh567hg4356',
  openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
  transfer_scene_id: '1000',
  transfer_amount: 400,
  transfer_remark: '2020年会员代付',
  transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '新会员有礼' }],
  ...extra,
});
const FAST = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };

/** 503 first, then success. */
function flaky(): () => Reply {
  let calls = 0;
  return () => (calls++ === 0 ? { status: 503, body: { code: 'SYSTEM_ERROR', message: 'busy' } } : { body: {} });
}

describe('a POST is repeatable when it sends the business number its operation is re-entrant on', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.gateway.stop();
    fixture = undefined;
  });
  const post = (path: string, options: Record<string, unknown>) =>
    fixture!.instance
      .chain(path)
      .post(options as never)
      .catch((caught: unknown) => caught);

  it('a transfer with out_bill_no is retried on 5xx', async () => {
    fixture = await withGateway(flaky());
    const response = await post(TRANSFER, { json: transfer({ out_bill_no: 'plfk2020042013' }), retry: FAST });
    expect(response).toMatchObject({ status: 200 });
    expect(fixture!.gateway.received).toHaveLength(2);
    expect(fixture!.gateway.received[1]!.body).toEqual(fixture.gateway.received[0]!.body);
  });

  it('a transfer without out_bill_no is not', async () => {
    fixture = await withGateway(flaky());
    const error = await post(TRANSFER, { json: transfer(), validation: false, retry: FAST });
    expect(error).toBeInstanceOf(ApiError);
    expect(fixture!.gateway.received).toHaveLength(1);
  });

  it('a business number in the path counts, written out or as a variable', async () => {
    fixture = await withGateway(flaky());
    await post('v3/pay/transactions/out-trade-no/{out_trade_no}/close', {
      out_trade_no: 'T1',
      json: { mchid: '1900000001' },
      retry: FAST,
    });
    expect(fixture!.gateway.received).toHaveLength(2);
    await fixture!.gateway.stop();
    fixture = await withGateway(flaky());
    await post('v3/pay/transactions/out-trade-no/T1/close', { json: { mchid: '1900000001' }, retry: FAST });
    expect(fixture!.gateway.received).toHaveLength(2);
  });

  it('idempotent: false keeps a re-entrant call to one attempt; idempotent: true repeats any call', async () => {
    fixture = await withGateway(flaky());
    const once = await post(TRANSFER, { json: transfer({ out_bill_no: 'B1' }), retry: FAST, idempotent: false });
    expect(once).toBeInstanceOf(ApiError);
    expect(fixture!.gateway.received).toHaveLength(1);
    await fixture!.gateway.stop();
    fixture = await withGateway(flaky());
    await post('v3/ecommerce/subsidies/create', {
      json: { sub_mchid: '1900000109', transaction_id: '42000', amount: 10, description: 'x' },
      retry: FAST,
      idempotent: true,
    });
    expect(fixture!.gateway.received).toHaveLength(2);
  });

  it('idempotent must be a boolean, refused before any I/O', async () => {
    fixture = await withGateway(flaky());
    const error = await post(TRANSFER, { json: transfer({ out_bill_no: 'B1' }), retry: FAST, idempotent: 'yes' });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'idempotent', issue: 'must be true or false, got string' },
    ]);
    expect(fixture!.gateway.received).toHaveLength(0);
  });
});
