import { ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * Broke: what the signer and the adapter share for one call travels in the typed `wechatpay` config key (the body
 * line to sign, the target sent). A caller passing `wechatpay` as a call option reached that key, so a request could
 * go out with a signature over other bytes than it carried. The option is refused, naming it, before any I/O.
 */
describe('regression: a call cannot set the per-call context the signer reads', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway();
  });
  afterAll(() => fixture.gateway.stop());

  it('`wechatpay` as a call option is a ValidationError naming it, and nothing is sent', async () => {
    const before = fixture.gateway.received.length;
    const error = await fixture.instance.v3.x
      .post({ json: { amount: 1 }, wechatpay: { signedBody: '{"amount":100}' } } as never)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['wechatpay']);
    expect(fixture.gateway.received.length).toBe(before);
  });

  it('the body sent is the body signed (control)', async () => {
    await fixture.instance.v3.x.post({ json: { amount: 1 } });
    const sent = fixture.gateway.received.at(-1)!;
    expect(sent.body.toString()).toBe('{"amount":1}');
    expect(sent.authorized).toBe(true);
  });
});
