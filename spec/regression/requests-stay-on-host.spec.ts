import { ValidationError } from '../../lib';
import { coreOf } from '../../lib/builder';
import { startFaultyServer, type FaultyServer } from '../helpers/faulty-server';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * Broke: `instance['http://other/...']`, `chain('http://other/...')` and a `{+var}` expanding to an absolute URL
 * were sent by axios to that other host, with a valid Authorization; `.`/`..` (also `%2E`, `\`, a tab) segments
 * re-targeted the request on the gateway (`.../out-trade-no/{..}/close` became `.../transactions/close`).
 */
describe('regression: requests go only to the template path, relative to baseURL', () => {
  let fixture: Fixture;
  let other: FaultyServer;

  beforeAll(async () => {
    fixture = await withGateway();
    other = await startFaultyServer('reset');
  });
  afterAll(async () => {
    await fixture.gateway.stop();
    await other.stop();
  });

  const refused = async (call: () => Promise<unknown>, field: string) => {
    const before = fixture.gateway.received.length;
    const error = await Promise.resolve()
      .then(call)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(field);
    expect(fixture.gateway.received.length).toBe(before);
    expect(other.hits).toBe(0);
  };

  it('an absolute URL as a string key, through chain(), or host-relative, is a ValidationError before I/O', async () => {
    const { instance } = fixture;
    const chain = instance.chain as (path: string) => { get(options?: object): Promise<unknown> };
    const absolute = `${other.url}v3/pay/transactions/id/1`;
    const hostRelative = absolute.replace(/^http:/, '');
    await refused(() => (instance as never as Record<string, { get(): Promise<unknown> }>)[absolute]!.get(), 'path');
    await refused(() => chain(absolute).get(), 'path');
    await refused(() => (instance as never as Record<string, { get(): Promise<unknown> }>)['https:']!.get(), 'path');
    await refused(() => chain(`mailto:someone`).get(), 'path');
    await refused(() => chain('{+next}').get({ next: absolute }), 'next');
    await refused(() => chain('{+next}').get({ next: hostRelative }), 'next');
    await refused(() => chain('{+next}').get({ next: `\\\\${hostRelative.slice(2)}` }), 'next');
  });

  it('dot segments in values and keys are a ValidationError before I/O', async () => {
    const { instance } = fixture;
    const chain = instance.chain as (path: string) => { post(options?: object): Promise<unknown> };
    const close = 'v3/pay/transactions/out-trade-no/{out_trade_no}/close';
    const json = { mchid: '1900000001' };
    for (const value of ['..', '.'])
      await refused(() => chain(close).post({ out_trade_no: value, json, validation: false }), 'out_trade_no');
    for (const value of ['../../refund', 'a/%2e%2E/b', 'a/.%2E', './x', 'a?b', 'a#b'])
      await refused(() => chain('v3/x/{+rest}').post({ rest: value, json }), 'rest');
    for (const key of [
      'v3/pay/transactions/out-trade-no/../close',
      'v3/pay/transactions/%2E%2E/close',
      'v3/pay/./transactions',
      'v3/pay\\..\\transactions',
      'v3/pay/.\t./transactions',
      'v3/pay/transactions#fragment',
    ])
      await refused(() => chain(key).post({ json }), 'path');
    await refused(
      () => (instance.v3.pay as never as Record<string, { post(): Promise<unknown> }>)['..']!.post(),
      'path',
    );
  });

  it('values that only look like dots are sent, encoded and inside the template (control)', async () => {
    const { instance, gateway } = fixture;
    const chain = instance.chain as (path: string) => { get(options?: object): Promise<unknown> };
    await chain('v3/x/{id}/close').get({ id: '...' });
    await chain('v3/x/{id}/close').get({ id: '%2e%2e' });
    await chain('v3/x/{+rest}/close').get({ rest: 'a/b.c/..d' });
    expect(gateway.received.slice(-3).map((r) => r.url)).toEqual([
      '/v3/x/.../close',
      '/v3/x/%252e%252e/close',
      '/v3/x/a/b.c/..d/close',
    ]);
    expect(gateway.received.slice(-3).every((r) => r.authorized)).toBe(true);
  });

  it('axios itself is set never to follow an absolute URL', async () => {
    const { instance, gateway } = fixture;
    const { http } = coreOf(instance).client;
    expect(http.defaults.allowAbsoluteUrls).toBe(false);
    await http.get(`${other.url}v3/direct`);
    expect(other.hits).toBe(0);
    expect(gateway.received.at(-1)!.url).toMatch(/\/v3\/direct$/);
    await refused(() => instance.v3.x.get({ allowAbsoluteUrls: true }), 'allowAbsoluteUrls');
  });
});
