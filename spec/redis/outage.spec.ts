import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, FetchWebhook, Webhook, type ClientEvent } from '../../lib';
import { redisStore } from '../../lib/redis';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { APIV3_KEY, certificateEntry, mintPlatform, startScriptedServer } from '../helpers/certificate-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server';
import { post } from './post';

const describeRedis = redisAvailable() ? describe : describe.skip;
const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };

/** Collects what a logger is told. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; event: ClientEvent }> = [];
  const at = (level: string) => (message: string, event: ClientEvent) => void lines.push({ level, message, event });
  return { lines, logger: { warn: at('warn'), error: at('error') } };
}

describeRedis('a Redis outage', () => {
  jest.setTimeout(60_000);
  let redis: RedisServer;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await redis?.stop();
  });

  it('fails the replay guard closed: the callback is answered 503 so WeChat Pay retries, and the logger says why', async () => {
    const connection = redis.client();
    const { lines, logger } = recordingLogger();
    const handled: unknown[] = [];
    const webhook = new Webhook({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { store: redisStore(connection, { timeoutMs: 500 }) },
      logger,
    });
    const server: Server = createServer(webhook.listener((event) => void handled.push(event.resource)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect((await post(url, signedCallback({ out_trade_no: 'UP' }))).status).toBe(204);
      await redis.stop();
      const reply = await post(url, signedCallback({ out_trade_no: 'DOWN' }));
      expect(reply.status).toBe(503);
      expect(JSON.parse(reply.body)).toMatchObject({
        code: 'FAIL',
        message: expect.stringMatching(/REPLAY_GUARD_UNAVAILABLE/),
      });
      // the handler never ran for a callback whose replay could not be ruled out
      expect(handled).toEqual([{ out_trade_no: 'UP' }]);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'error',
          message: expect.stringMatching(/replayGuard store setIfAbsent failed .*503/),
          event: expect.objectContaining({ type: 'store', use: 'replayGuard', operation: 'setIfAbsent' }),
        }),
      ]);
      expect(JSON.stringify(lines)).not.toContain(CALLBACK_APIV3_KEY);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      connection.disconnect();
    }
  });

  it('fails the FetchWebhook replay guard closed too', async () => {
    const connection = redis.client();
    const { lines, logger } = recordingLogger();
    const webhook = await FetchWebhook.create({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { store: redisStore(connection, { timeoutMs: 500 }) },
      logger,
    });
    try {
      await redis.stop();
      const callback = signedCallback({ out_trade_no: 'DOWN' });
      const request = new Request('http://127.0.0.1/callback', {
        method: 'POST',
        headers: callback.headers,
        body: callback.body,
      });
      const handled: unknown[] = [];
      const response = await webhook.respond(request, (event) => void handled.push(event));
      expect(response.status).toBe(503);
      expect(handled).toEqual([]);
      expect(lines.map((line) => line.event)).toEqual([expect.objectContaining({ type: 'store', use: 'replayGuard' })]);
    } finally {
      connection.disconnect();
    }
  });

  it('fails the certificate cache open: the client downloads locally, and the logger says so', async () => {
    const platform = mintPlatform();
    const server = await startScriptedServer((path) =>
      path === '/v3/certificates'
        ? { body: JSON.stringify({ data: [certificateEntry({ platform })] }), signer: platform }
        : { body: '{"ok":true}', signer: platform },
    );
    const connection = redis.client();
    const { lines, logger } = recordingLogger();
    try {
      await redis.stop();
      const client = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        apiv3Key: APIV3_KEY,
        baseURL: server.url,
        certificateStore: redisStore(connection, { timeoutMs: 500 }),
        logger,
      });
      await expect(client['v3/some/thing'].get()).resolves.toMatchObject({ status: 200, data: { ok: true } });
      expect(server.paths.filter((path) => path === '/v3/certificates')).toHaveLength(1);
      const storeLines = lines.filter((line) => line.event.type === 'store');
      expect(storeLines.map((line) => [line.level, line.event])).toEqual([
        ['warn', expect.objectContaining({ use: 'certificates', operation: 'get', outcome: 'downloading locally' })],
        ['warn', expect.objectContaining({ use: 'certificates', operation: 'set' })],
      ]);
      expect(storeLines[0]!.message).toMatch(/certificates store get failed .*downloading locally/);
      expect(JSON.stringify(lines)).not.toContain(APIV3_KEY);
    } finally {
      connection.disconnect();
      await server.stop();
    }
  });
});
