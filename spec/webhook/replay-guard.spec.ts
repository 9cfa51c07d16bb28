import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplayGuard, Webhook, WebhookError } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };

function post(url: string, callback: { headers: Record<string, string>; body: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: callback.headers, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 2 s')));
    req.on('error', reject);
    req.end(callback.body);
  });
}

describe('Webhook replay guard', () => {
  it('is off by default: the same signed callback parses twice', () => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY });
    const callback = signedCallback({ out_trade_no: 'T1' });
    webhook.parse(callback);
    expect(webhook.parse(callback).resource).toEqual({ out_trade_no: 'T1' });
  });

  it('refuses a callback whose nonce was already accepted, as REPLAYED', () => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: true });
    const callback = signedCallback({ out_trade_no: 'T1' });
    webhook.parse(callback);
    const replay = webhook.handle(callback);
    expect(replay.ok).toBe(false);
    expect((replay as { error: WebhookError }).error).toMatchObject({ name: 'WebhookError', reason: 'REPLAYED' });
    // an already handled callback is answered as handled: WeChat Pay stops resending, nothing runs twice
    expect(replay.reply).toEqual({ status: 204 });
    expect(webhook.parse(signedCallback({ out_trade_no: 'T2' })).resource).toEqual({ out_trade_no: 'T2' });
  });

  it('a forged callback does not take a nonce: only verified ones are remembered', () => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: true });
    const genuine = signedCallback({ out_trade_no: 'T1' }, 'N'.repeat(32));
    const forged = { headers: { ...genuine.headers, 'wechatpay-signature': 'AAAA' }, body: genuine.body };
    expect(webhook.handle(forged).ok).toBe(false);
    expect(webhook.parse(genuine).resource).toEqual({ out_trade_no: 'T1' });
  });

  it('the listener runs the handler once per callback, and lets a redelivery through when the handler failed', async () => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { ttlSeconds: 600 } });
    const runs: unknown[] = [];
    let fail = true;
    const server: Server = createServer(
      webhook.listener(async (event) => {
        runs.push(event.resource);
        if (fail) throw new Error('database down');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const callback = signedCallback({ out_trade_no: 'T9' });
      expect(await post(url, callback)).toBe(500);
      fail = false;
      expect(await post(url, callback)).toBe(204);
      expect(await post(url, callback)).toBe(204);
      expect(runs).toEqual([{ out_trade_no: 'T9' }, { out_trade_no: 'T9' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('forgets nonces after their ttl and keeps at most maxEntries', () => {
    const guard = new ReplayGuard({ ttlSeconds: 1, maxEntries: 2 });
    expect(guard.admit('a', 0)).toBe(true);
    expect(guard.admit('a', 500)).toBe(false);
    expect(guard.admit('a', 1000)).toBe(true);
    expect(guard.admit('b', 1000)).toBe(true);
    expect(guard.admit('c', 1000)).toBe(true);
    // 'a' was the oldest of three: dropped
    expect(guard.admit('a', 1001)).toBe(true);
    expect(guard.admit('c', 1001)).toBe(false);
  });

  it('a bad replayGuard option is a ConfigError naming it', () => {
    expect(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: 'yes' as never })).toThrow(
      /replayGuard: must be boolean/,
    );
  });
});
