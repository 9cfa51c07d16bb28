import { ApiError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * Issue 19 item 8: `safeToRepeat()` counted a top-level option named `out_trade_no` that was no path variable and
 * never sent, so `v3/ecommerce/subsidies/create` (re-entrant on nothing it requires) was POSTed three times on 5xx.
 */
describe('a business number that is not sent does not make a POST repeatable', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ status: 500, body: { code: 'SYSTEM_ERROR', message: 'busy' } }));
  });
  afterAll(() => fixture.gateway.stop());

  it('subsidies/create with a stray top-level out_trade_no and retry: 2 is POSTed once', async () => {
    const error = await fixture.instance.v3.ecommerce.subsidies.create
      .post({
        json: { sub_mchid: '1900000109', transaction_id: '4208450740201411110007820472', amount: 10, description: 'x' },
        out_trade_no: 'T20261206001',
        retry: 2,
      } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect(fixture.gateway.received).toHaveLength(1);
    expect(fixture.gateway.received[0]!.body.toString('utf8')).not.toContain('out_trade_no');
  });
});
