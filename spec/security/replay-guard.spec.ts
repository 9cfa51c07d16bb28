import { FetchWebhook, MemoryStore, ReplayGuard, Webhook, WebhookError, type Store } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

/**
 * The callback replay guard (lib/webhook/replay-guard.ts): a nonce already accepted is refused as REPLAYED, in memory
 * (`Webhook` and `FetchWebhook`) and over a shared store, and a store that fails closes the door (503) and says so
 * in the log line, never admitting the callback unchecked.
 */
const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };
const requestOf = (callback: { headers: Record<string, string>; body: string }) =>
  new Request('http://127.0.0.1/callback', { method: 'POST', headers: callback.headers, body: callback.body });

/** A MemoryStore that records the keys written, and fails the operations named in `failing`. */
class RecordingStore extends MemoryStore implements Store {
  readonly keys: string[] = [];
  constructor(readonly failing: Set<string> = new Set()) {
    super();
  }
  override async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.keys.push(key);
    if (this.failing.has('setIfAbsent')) throw new Error('connection refused');
    return super.setIfAbsent(key, value, ttlSeconds);
  }
  override async delete(key: string): Promise<void> {
    if (this.failing.has('delete')) throw new Error('connection reset');
    return super.delete(key);
  }
}

function recordingLogger() {
  const lines: Array<{ message: string; event: unknown }> = [];
  return { lines, logger: { error: (message: string, event: unknown) => void lines.push({ message, event }) } };
}

describe('the in-memory replay guard', () => {
  it('FetchWebhook refuses a replayed callback as REPLAYED, naming the nonce header', async () => {
    const webhook = await FetchWebhook.create({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: true });
    const callback = signedCallback({ out_trade_no: 'G1' });
    await expect(webhook.parse(requestOf(callback))).resolves.toMatchObject({ resource: { out_trade_no: 'G1' } });
    const replay = await webhook.parse(requestOf(callback)).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(WebhookError);
    expect(replay).toMatchObject({ reason: 'REPLAYED' });
    expect((replay as Error).message).toMatch(/Wechatpay-Nonce.*already accepted/);
  });

  it('admits a nonce whose ttl has passed even when the clock stepped back in between (expiry is per entry)', () => {
    const guard = new ReplayGuard({ ttlSeconds: 1 });
    expect(guard.admit('late', 5000)).toBe(true); // remembered until 6000
    expect(guard.admit('early', 1000)).toBe(true); // clock stepped back: remembered until 2000, after 'late'
    expect(guard.admit('early', 1999)).toBe(false);
    // the scan stops at 'late' (still live), so 'early' is judged by its own expiry: 2000 is not after 2000
    expect(guard.admit('early', 2000)).toBe(true);
  });
});

describe('the replay guard over a store', () => {
  it('writes each nonce under replay:<nonce> and refuses a second receiver as REPLAYED, answered 204', async () => {
    const store = new RecordingStore();
    const [one, two] = [1, 2].map(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store } }));
    const callback = signedCallback({ out_trade_no: 'G2' }, 'K'.repeat(32));
    await expect(one!.parseAsync(callback)).resolves.toMatchObject({ resource: { out_trade_no: 'G2' } });
    const replay = await two!.parseAsync(callback).catch((error: unknown) => error);
    expect(replay).toMatchObject({ name: 'WebhookError', reason: 'REPLAYED' });
    expect((replay as Error).message).toMatch(/Wechatpay-Nonce.*already accepted/);
    expect(Webhook.replyFor(replay)).toEqual({ status: 204 });
    expect(store.keys).toEqual([`replay:${'K'.repeat(32)}`, `replay:${'K'.repeat(32)}`]);
    // a non-empty marker: a store that reads '' as absent still sees the nonce
    expect(await store.get(`replay:${'K'.repeat(32)}`)).toBe('1');
  });

  it('a store that fails refuses the callback (503, REPLAY_GUARD_UNAVAILABLE) and logs what failed and why', async () => {
    const { lines, logger } = recordingLogger();
    const store = new RecordingStore(new Set(['setIfAbsent']));
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store }, logger });
    const refused = await webhook.parseAsync(signedCallback({ out_trade_no: 'G3' })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'WebhookError', reason: 'REPLAY_GUARD_UNAVAILABLE' });
    expect((refused as Error).message).toMatch(/replay guard store did not answer.*sends it again later/);
    expect(Webhook.replyFor(refused)).toMatchObject({ status: 503 });
    expect(lines).toEqual([
      {
        message:
          'wechatpay-chain replayGuard store setIfAbsent failed (connection refused): callback refused with 503 so ' +
          'WeChat Pay retries it',
        event: {
          type: 'store',
          use: 'replayGuard',
          operation: 'setIfAbsent',
          error: 'connection refused',
          outcome: 'callback refused with 503 so WeChat Pay retries it',
        },
      },
    ]);
  });

  it('a store that fails to forget a nonce after the handler failed is logged, naming how long redeliveries are refused', async () => {
    const { lines, logger } = recordingLogger();
    const store = new RecordingStore(new Set(['delete']));
    const webhook = await FetchWebhook.create({
      certs,
      apiv3Key: CALLBACK_APIV3_KEY,
      replayGuard: { store, ttlSeconds: 900 },
      logger,
    });
    const onEvent = () => {
      throw new Error('database down');
    };
    const callback = signedCallback({ out_trade_no: 'G4' });
    expect((await webhook.respond(requestOf(callback), onEvent)).status).toBe(500);
    const outcome = "WeChat Pay's redelivery of this callback is refused as a replay for up to 900 s";
    expect(lines).toContainEqual({
      message: `wechatpay-chain replayGuard store delete failed (connection reset): ${outcome}`,
      event: { type: 'store', use: 'replayGuard', operation: 'delete', error: 'connection reset', outcome },
    });
  });

  it('a logger that throws does not change the reply', async () => {
    const store = new RecordingStore(new Set(['setIfAbsent']));
    const logger = {
      error: () => {
        throw new Error('log sink down');
      },
    };
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store }, logger });
    const refused = await webhook.parseAsync(signedCallback({ out_trade_no: 'G5' })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'WebhookError', reason: 'REPLAY_GUARD_UNAVAILABLE' });
  });
});
