import { ApiError } from '../../lib';
import { startSandbox, type SandboxFixture } from './helpers';
import { independentlyVerified, rawCall } from './raw';

/**
 * Catalogued operations the sandbox has no business rules for are answered from their facts: authenticated,
 * checked against the operation's schema, and given a signed, schema-shaped reply that is the same for the same
 * request. What the catalog does not know is a 404 that says so, never a signature error.
 */
describe('sandbox answers catalogued operations from their facts', () => {
  let f: SandboxFixture;
  beforeAll(async () => {
    f = await startSandbox();
  });
  afterAll(() => f.sandbox.stop());

  const query = { out_order_no: 'P20261123001', query: { transaction_id: '4208450740201411110007820472' } };

  it('a typed call gets a verified reply that echoes its own fields, the same each time', async () => {
    const first = await f.instance.v3.profitsharing.orders._out_order_no_.get(query);
    expect(first.status).toBe(200);
    expect(first.data.out_order_no).toBe('P20261123001');
    expect(first.data.transaction_id).toBe('4208450740201411110007820472');
    expect(typeof first.data.order_id).toBe('string');
    expect(['PENDING', 'SUCCESS', 'CLOSED']).toContain(first.data.state); // the facts' enum
    const again = await f.instance.chain('v3/profitsharing/orders/{out_order_no}').get(query);
    expect(again.data).toEqual(first.data);
  });

  it('checks the request against the facts: a missing required field is 400 PARAM_ERROR naming it', async () => {
    const reply = await rawCall(f.sandbox, 'POST', '/v3/profitsharing/orders', {
      body: JSON.stringify({ out_order_no: 'P2', unfreeze_unsplit: true }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe('PARAM_ERROR');
    expect(JSON.stringify(reply.json.detail ?? reply.json.message)).toContain('transaction_id');
    expect(independentlyVerified(f.sandbox, reply)).toBe(true);
  });

  it('a path the catalog does not know is 404 NOT_FOUND saying the sandbox does not know it', async () => {
    const error = await f.instance
      .chain('v3/not-a-wechatpay-api/orders')
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).code).toBe('NOT_FOUND');
    const raw = await rawCall(f.sandbox, 'GET', '/v3/not-a-wechatpay-api/orders');
    expect(raw.status).toBe(404);
    expect(raw.json.message).toMatch(/沙箱|sandbox/i);
  });
});
