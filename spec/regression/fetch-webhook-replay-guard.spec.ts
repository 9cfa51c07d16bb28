import { ConfigError, FetchWebhook, MemoryStore, WebhookError } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };
const requestOf = (callback: { headers: Record<string, string>; body: string }) =>
  new Request('http://127.0.0.1/callback', { method: 'POST', headers: callback.headers, body: callback.body });

/**
 * Broke: FetchWebhook had no replay guard, yet accepted `replayGuard: true` silently: the same signed callback was
 * handled twice. It now has the guard `Webhook` has (in memory, or over a store), and refuses options it lacks.
 */
describe('regression: FetchWebhook refuses a replayed callback', () => {
  it('with replayGuard: true the same signed callback is handled once, the replay answered 204', async () => {
    const webhook = await FetchWebhook.create({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: true });
    const callback = signedCallback({ out_trade_no: 'R1' });
    const handled: unknown[] = [];
    const onEvent = (event: { resource: unknown }) => void handled.push(event.resource);
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(204);
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(204);
    expect(handled).toEqual([{ out_trade_no: 'R1' }]);
    const replay = await webhook.parse(requestOf(callback)).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(WebhookError);
    expect(replay).toMatchObject({ reason: 'REPLAYED' });
  });

  it('lets the redelivery through when the handler failed', async () => {
    const webhook = await FetchWebhook.create({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { ttlSeconds: 600 },
    });
    const callback = signedCallback({ out_trade_no: 'R2' });
    let fail = true;
    const runs: unknown[] = [];
    const onEvent = (event: { resource: unknown }) => {
      runs.push(event.resource);
      if (fail) throw new Error('database down');
    };
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(500);
    fail = false;
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(204);
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(204);
    expect(runs).toHaveLength(2);
  });

  it('shares accepted nonces with other receivers through replayGuard: { store }', async () => {
    const store = new MemoryStore();
    const [one, two] = await Promise.all(
      [1, 2].map(() => FetchWebhook.create({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store } })),
    );
    const callback = signedCallback({ out_trade_no: 'R3' });
    await expect(one!.parse(requestOf(callback))).resolves.toMatchObject({ resource: { out_trade_no: 'R3' } });
    await expect(two!.parse(requestOf(callback))).rejects.toMatchObject({ reason: 'REPLAYED' });
  });

  it('refuses options it does not support instead of ignoring them', async () => {
    const failure = await FetchWebhook.create({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { maxEntrys: 5 },
    } as never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).issues).toEqual([
      { path: 'replayGuard.maxEntrys', issue: expect.stringContaining('did you mean `maxEntries`?') },
    ]);
  });
});
