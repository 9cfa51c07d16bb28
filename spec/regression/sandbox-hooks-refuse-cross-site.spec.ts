import { request } from 'node:http';
import { MCHID } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from '../sandbox/helpers';

/**
 * Issue 19.14: `POST /sandbox/pay/{no}` took a `text/plain` request with a foreign `Origin`, so any web page the
 * developer visited could mark a sandbox order paid (a "simple" cross-origin request needs no preflight) and
 * trigger its signed callback. Every unsigned sandbox route now refuses a foreign Origin and takes only JSON.
 */
function post(url: string, path: string, headers: Record<string, string>, body = ''): Promise<number> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('unsigned sandbox routes refuse cross-site requests (issue 19.14)', () => {
  let f: SandboxFixture;
  beforeAll(async () => {
    f = await startSandbox();
    await f.instance.v3.pay.transactions.native.post({
      json: {
        appid: 'wxd678efh567hg6787',
        mchid: MCHID,
        description: 'Image形象店-深圳腾大-QQ公仔',
        out_trade_no: 'ORDER-CSRF-1',
        notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
        amount: { total: 100, currency: 'CNY' },
      },
    });
  });
  afterAll(() => f.sandbox.stop());

  const tradeState = async () =>
    (
      await f.instance.v3.pay.transactions.outTradeNo._out_trade_no_.get({
        out_trade_no: 'ORDER-CSRF-1',
        query: { mchid: MCHID },
      })
    ).data.trade_state;

  it.each<[string, Record<string, string>, string]>([
    ['text/plain with a foreign Origin', { 'Content-Type': 'text/plain', Origin: 'https://evil.example' }, ''],
    ['a foreign Origin, even with JSON', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, '{}'],
    ['text/plain from the same host', { 'Content-Type': 'text/plain' }, ''],
    ['no Content-Type at all', {}, ''],
    ['a cross-site fetch', { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }, '{}'],
  ])('POST /sandbox/pay with %s is refused and pays nothing', async (_case, headers, body) => {
    const status = await post(f.sandbox.url, '/sandbox/pay/ORDER-CSRF-1', headers, body);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(await tradeState()).toBe('NOTPAY');
    const front = await post(f.sandbox.url, '/sandbox/request-payment', headers, body);
    expect(front).toBeGreaterThanOrEqual(400);
  });

  it('still pays for a local tool sending JSON without an Origin', async () => {
    expect(await post(f.sandbox.url, '/sandbox/pay/ORDER-CSRF-1', { 'Content-Type': 'application/json' })).toBe(200);
    expect(await tradeState()).toBe('SUCCESS');
  });
});
