import { ConfigError, FetchWebhook, MemoryStore, Webhook, WebhookError } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

describe('MemoryStore', () => {
  it('setIfAbsent writes only when no live entry is there; entries expire after their ttl', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    expect(await store.setIfAbsent('k', 'a', 10)).toBe(true);
    expect(await store.setIfAbsent('k', 'b', 10)).toBe(false);
    expect(await store.get('k')).toBe('a');
    now = 9_999;
    expect(await store.get('k')).toBe('a');
    now = 10_000;
    expect(await store.get('k')).toBeUndefined();
    expect(await store.setIfAbsent('k', 'b', 10)).toBe(true);
    await store.set('k', 'c', 1);
    expect(await store.get('k')).toBe('c');
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('of many concurrent setIfAbsent calls exactly one wins', async () => {
    const store = new MemoryStore();
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('lock', String(i), 30)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('keeps at most maxEntries, dropping the one that expires soonest', async () => {
    const store = new MemoryStore({ maxEntries: 2, now: () => 0 });
    await store.set('long', '1', 100);
    await store.set('short', '2', 1);
    await store.set('new', '3', 50);
    expect([await store.get('long'), await store.get('short'), await store.get('new')]).toEqual(['1', undefined, '3']);
  });
});

describe('Webhook replayGuard: { store }', () => {
  const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };

  it('refuses a replay seen by another Webhook sharing the store (parseAsync)', async () => {
    const store = new MemoryStore();
    const [one, two] = [1, 2].map(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store } }));
    const callback = signedCallback({ out_trade_no: 'S1' });
    await expect(one!.parseAsync(callback)).resolves.toMatchObject({ resource: { out_trade_no: 'S1' } });
    const replay = await two!.parseAsync(callback).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(WebhookError);
    expect(replay).toMatchObject({ reason: 'REPLAYED' });
    expect(Webhook.replyFor(replay)).toEqual({ status: 204 });
  });

  it('parse (synchronous) refuses to skip an asynchronous store, naming parseAsync', () => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store: new MemoryStore() } });
    expect(() => webhook.parse(signedCallback({}))).toThrow(ConfigError);
    expect(() => webhook.parse(signedCallback({}))).toThrow(/replayGuard\.store.*parseAsync/);
  });

  it('a forged callback takes no nonce in the store', async () => {
    const store = new MemoryStore();
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store } });
    const genuine = signedCallback({ out_trade_no: 'S2' }, 'F'.repeat(32));
    const forged = { headers: { ...genuine.headers, 'wechatpay-signature': 'AAAA' }, body: genuine.body };
    await expect(webhook.parseAsync(forged)).rejects.toMatchObject({ name: 'SignatureError' });
    await expect(webhook.parseAsync(genuine)).resolves.toMatchObject({ resource: { out_trade_no: 'S2' } });
  });

  it('forgets the nonce when the handler failed, so the redelivery runs (FetchWebhook.respond)', async () => {
    const webhook = await FetchWebhook.create({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { store: new MemoryStore() },
    });
    const callback = signedCallback({ out_trade_no: 'S3' });
    const request = () =>
      new Request('http://127.0.0.1/callback', { method: 'POST', headers: callback.headers, body: callback.body });
    const runs: unknown[] = [];
    let fail = true;
    const onEvent = (event: { resource: unknown }) => {
      runs.push(event.resource);
      if (fail) throw new Error('database down');
    };
    expect((await webhook.respond(request(), onEvent)).status).toBe(500);
    fail = false;
    expect((await webhook.respond(request(), onEvent)).status).toBe(204);
    expect((await webhook.respond(request(), onEvent)).status).toBe(204);
    expect(runs).toEqual([{ out_trade_no: 'S3' }, { out_trade_no: 'S3' }]);
  });
});
