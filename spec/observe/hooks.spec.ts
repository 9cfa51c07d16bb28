import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { Builder, type ClientEvent } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const SECRET = 'K'.repeat(32);
const V2_SECRET = 'S'.repeat(32);

describe('hooks and logger', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.gateway.stop();
    fixture = undefined;
  });

  it('report request, response, retry and error with method, path, status, Request-ID and duration', async () => {
    const events: ClientEvent[] = [];
    let calls = 0;
    fixture = await withGateway(
      () => (calls++ === 0 ? { status: 500, body: { code: 'SYSTEM_ERROR', message: 'x' } } : { body: { ok: 1 } }),
      {
        retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 50 },
        hooks: {
          request: (event) => void events.push(event),
          response: (event) => void events.push(event),
          retry: (event) => void events.push(event),
          error: (event) => void events.push(event),
        },
      },
    );
    await fixture.instance.chain('v3/testing/{id}').get({ id: 'a b', query: { secret_hint: 'q' } });
    expect(events.map((event) => event.type)).toEqual(['request', 'error', 'retry', 'request', 'response']);
    const host = new URL(fixture.gateway.url).origin;
    expect(events[0]).toEqual({ type: 'request', method: 'GET', path: '/v3/testing/a%20b', attempt: 1, host });
    expect(events[1]).toMatchObject({
      type: 'error',
      error: 'ApiError',
      status: 500,
      code: 'SYSTEM_ERROR',
      requestId: 'req-1',
      attempt: 1,
    });
    expect(events[4]).toMatchObject({ type: 'response', status: 200, requestId: 'req-2', attempt: 2 });
    for (const event of events.filter((e) => e.type === 'response' || e.type === 'error')) {
      expect(typeof (event as { durationMs: number }).durationMs).toBe('number');
    }
    // events are frozen: a hook cannot change what the next one sees
    expect(Object.isFrozen(events[0])).toBe(true);
  });

  it('log through a (message, event) logger at debug/warn/error, never a key or a full signature', async () => {
    const lines: string[] = [];
    const sink = (level: string) => (message: string, event: ClientEvent) =>
      void lines.push(`${level} ${message} ${inspect(event, { depth: 5 })}`);
    fixture = await withGateway(() => ({ status: 401, body: { code: 'SIGN_ERROR', message: 'bad' } }), {
      apiv3Key: SECRET,
      secret: V2_SECRET,
      logger: { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') },
    });
    await expect(fixture.instance.chain('v3/testing').post({ json: { a: 1 } })).rejects.toMatchObject({ status: 401 });
    expect(lines.some((line) => /^debug wechatpay-chain POST \/v3\/testing ->/.test(line))).toBe(true);
    expect(
      lines.some((line) => /^error wechatpay-chain POST \/v3\/testing failed: ApiError 401 SIGN_ERROR/.test(line)),
    ).toBe(true);
    const all = lines.join('\n');
    const sent = fixture.gateway.received[0]!;
    expect(all).not.toContain(sent.authorization!.signature!);
    expect(all).not.toContain(fixture.gateway.replySignatures[0]!);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(V2_SECRET);
    expect(all).not.toContain(merchantKeys().privateKey.split('\n')[1]!);
    expect(all).not.toContain('{"a":1}');
  });

  it('a hook or logger that throws does not change the outcome of the call', async () => {
    const boom = () => {
      throw new Error('observer bug');
    };
    fixture = await withGateway(() => ({ body: { ok: true } }), {
      hooks: { request: boom, response: boom },
      logger: { debug: boom },
    });
    const response = await fixture.instance.chain('v3/testing').get();
    expect(response.data).toEqual({ ok: true });
  });

  it('APIv2 calls are reported too', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200, { 'Content-Type': 'text/xml' })
          .end('<xml><return_code>FAIL</return_code><return_msg>bad sign</return_msg></xml>'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const events: ClientEvent[] = [];
      const instance = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
        secret: V2_SECRET,
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        hooks: { request: (event) => void events.push(event), error: (event) => void events.push(event) },
      });
      await expect(instance.v2.pay.orderquery.post({ xml: { appid: 'wx' } })).rejects.toMatchObject({
        name: 'ApiV2Error',
      });
      expect(events).toEqual([
        expect.objectContaining({ type: 'request', method: 'POST', path: '/pay/orderquery', attempt: 1 }),
        expect.objectContaining({ type: 'error', error: 'ApiV2Error', status: 200, code: 'FAIL' }),
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
