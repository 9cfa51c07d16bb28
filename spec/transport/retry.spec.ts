import {
  ApiError,
  Rsa,
  TransportError,
  type BuilderConfig,
  type ClientEvent,
  type RetryEvent,
  attemptsOf,
} from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { startGateway, type Gateway, type Reply } from '../helpers/gateway';
import { startFaultyServer, type FaultyServer } from '../helpers/faulty-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from '../helpers/keys';

const RECOVER = 'v3/aggracct-bc/wb-channel/control-orders/recover';
/** Any GET is safe to repeat; an uncatalogued path keeps the options loose. */
const QUERY = 'v3/testing/orders/{out_request_no}';
const FAST = { retries: 3, baseDelayMs: 10, maxDelayMs: 200 };

/** Replies from a script, one entry per request; the last entry repeats. */
function scripted(...replies: Reply[]) {
  let next = 0;
  return () => replies[Math.min(next++, replies.length - 1)]!;
}
const unavailable: Reply = { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'busy' } };
const ok: Reply = { body: { ok: true } };

function backupGateway(route: (request: unknown) => Reply): Promise<Gateway> {
  return startGateway({
    mchid: MCHID,
    merchantSerial: MERCHANT_SERIAL,
    merchantPublicKey: merchantKeys().publicKey,
    platformSerial: PLATFORM_SERIAL,
    platformPrivateKey: platformKeys().privateKey,
    strangerPrivateKey: strangerKeys().privateKey,
    route,
  });
}

function recorder() {
  const events: ClientEvent[] = [];
  const record = (event: ClientEvent) => void events.push(event);
  return { events, hooks: { request: record, response: record, retry: record, error: record } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('retries and failover', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  async function fixture(route: (request: unknown) => Reply, config: Partial<BuilderConfig> = {}): Promise<Fixture> {
    const made = await withGateway(route, config);
    stops.push(() => made.gateway.stop());
    return made;
  }

  it('are off by default: one 503 is one ApiError after one attempt', async () => {
    const { gateway, instance } = await fixture(scripted(unavailable, ok));
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1' }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(attemptsOf(error)).toBe(1);
    expect(gateway.received).toHaveLength(1);
  });

  it('retry a GET through 5xx with fresh signatures and jittered exponential backoff', async () => {
    const { events, hooks } = recorder();
    const { gateway, instance } = await fixture(scripted(unavailable, unavailable, ok), { retry: FAST, hooks });
    const response = await instance.chain(QUERY).get({ out_request_no: 'R1' });
    expect(response.data).toEqual({ ok: true });
    expect(attemptsOf(response)).toBe(3);
    expect(gateway.received).toHaveLength(3);
    expect(gateway.received.every((request) => request.authorized)).toBe(true);
    const nonces = gateway.received.map((request) => request.authorization!.nonce_str);
    const signatures = gateway.received.map((request) => request.authorization!.signature);
    expect(new Set(nonces).size).toBe(3);
    expect(new Set(signatures).size).toBe(3);
    const retries = events.filter((event): event is RetryEvent => event.type === 'retry');
    expect(retries.map((event) => event.reason)).toEqual(['HTTP 503', 'HTTP 503']);
    retries.forEach((event, index) => {
      const step = Math.min(FAST.maxDelayMs, FAST.baseDelayMs * 2 ** index);
      expect(event.delayMs).toBeGreaterThanOrEqual(step / 2);
      expect(event.delayMs).toBeLessThanOrEqual(step);
    });
  });

  it('retry a catalogued POST carrying its business number, never a POST without one', async () => {
    const { gateway, instance } = await fixture(scripted(unavailable, ok), { retry: FAST });
    const json = {
      out_request_no: 'R-77',
      related_webank_punish_no: 'P-1',
      related_wxpay_punish_no: 'W-1',
      mchid: MCHID,
      bal_account_no: Rsa.encrypt('6222000000000000', platformKeys().publicKey),
    };
    const response = await instance.chain(RECOVER).post({ json, headers: { 'Wechatpay-Serial': PLATFORM_SERIAL } });
    expect(attemptsOf(response)).toBe(2);
    expect(gateway.received.map((request) => request.body.toString())).toEqual([
      JSON.stringify(json),
      JSON.stringify(json),
    ]);

    const uncatalogued = await fixture(scripted(unavailable, ok), { retry: FAST });
    const error = await rejection(uncatalogued.instance.chain('v3/pay/transactions/jsapi').post({ json }));
    expect(attemptsOf(error)).toBe(1);
    expect(uncatalogued.gateway.received).toHaveLength(1);

    const anonymous = await fixture(scripted(unavailable, ok), { retry: FAST });
    await rejection(anonymous.instance.chain(RECOVER as string).post({ json: { mchid: MCHID }, validation: false }));
    expect(anonymous.gateway.received).toHaveLength(1);
  });

  it.each([400, 401, 403, 404])('never retry a %i', async (status) => {
    const { gateway, instance } = await fixture(
      scripted({ status, body: { code: 'PARAM_ERROR', message: 'no' } }, ok),
      {
        retry: FAST,
      },
    );
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1' }));
    expect((error as ApiError).status).toBe(status);
    expect(attemptsOf(error)).toBe(1);
    expect(gateway.received).toHaveLength(1);
  });

  it('honour Retry-After on 429, and give up when it asks for longer than maxDelayMs', async () => {
    const limited: Reply = {
      status: 429,
      body: { code: 'FREQUENCY_LIMITED', message: 'slow down' },
      headers: { 'Retry-After': '1' },
    };
    const { events, hooks } = recorder();
    const { gateway, instance } = await fixture(scripted(limited, ok), {
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 1500 },
      hooks,
    });
    const response = await instance.chain(QUERY).get({ out_request_no: 'R1' });
    expect(attemptsOf(response)).toBe(2);
    const retry = events.find((event): event is RetryEvent => event.type === 'retry')!;
    expect(retry).toMatchObject({ reason: 'HTTP 429', delayMs: 1000 });
    expect(gateway.received).toHaveLength(2);

    const impatient = await fixture(scripted(limited, ok), { retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 500 } });
    const error = await rejection(impatient.instance.chain(QUERY).get({ out_request_no: 'R1' }));
    expect((error as ApiError).status).toBe(429);
    expect(attemptsOf(error)).toBe(1);
    expect(impatient.gateway.received).toHaveLength(1);
  });

  it('stop after the configured retries, with the attempts on the error', async () => {
    const { gateway, instance } = await fixture(scripted(unavailable), { retry: { ...FAST, retries: 2 } });
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(attemptsOf(error)).toBe(2 + 1);
    expect((error as ApiError).toJSON()).toMatchObject({ attempts: 3 });
    expect(gateway.received).toHaveLength(3);
  });

  it('per call: `retry` turns retries on or off over the client setting', async () => {
    const off = await fixture(scripted(unavailable, ok));
    const response = await off.instance.chain(QUERY).get({ out_request_no: 'R1', retry: FAST });
    expect(attemptsOf(response)).toBe(2);

    const on = await fixture(scripted(unavailable, ok), { retry: FAST });
    const error = await rejection(on.instance.chain(QUERY).get({ out_request_no: 'R1', retry: false }));
    expect(attemptsOf(error)).toBe(1);
    expect(on.gateway.received).toHaveLength(1);
  });

  it('a bad per-call `retry` is a ValidationError naming it, before any I/O', async () => {
    const { gateway, instance } = await fixture(scripted(ok));
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1', retry: { retries: -1 } }));
    expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: 'retry.retries' }] });
    expect(gateway.received).toHaveLength(0);
  });

  describe('failover to the backup host (same path)', () => {
    let backup: Gateway;
    let faulty: FaultyServer | undefined;
    beforeEach(async () => {
      backup = await backupGateway(() => ({ body: { from: 'backup' } }));
      stops.push(() => backup.stop());
    });
    afterEach(async () => {
      await faulty?.stop();
      faulty = undefined;
    });

    it('after a 5xx', async () => {
      const { events, hooks } = recorder();
      const { gateway, instance } = await fixture(scripted(unavailable), {
        retry: FAST,
        backupBaseURL: backup.url,
        hooks,
      });
      const response = await instance.chain(QUERY).get({ out_request_no: 'R 1' });
      expect(response.data).toEqual({ from: 'backup' });
      expect(attemptsOf(response)).toBe(2);
      expect(gateway.received).toHaveLength(1);
      expect(backup.received).toHaveLength(1);
      expect(backup.received[0]!.url).toBe(gateway.received[0]!.url);
      expect(backup.received[0]!.authorized).toBe(true);
      const retry = events.find((event): event is RetryEvent => event.type === 'retry')!;
      expect(retry.nextHost).toBe(new URL(backup.url).origin);
    });

    it('after a connection reset', async () => {
      faulty = await startFaultyServer('reset');
      const { instance } = await fixture(scripted(ok), { baseURL: faulty.url, retry: FAST, backupBaseURL: backup.url });
      const response = await instance.chain(QUERY).get({ out_request_no: 'R1' });
      expect(response.data).toEqual({ from: 'backup' });
      expect(faulty.hits).toBe(1);
      expect(backup.received).toHaveLength(1);
    });

    it('after a timeout', async () => {
      faulty = await startFaultyServer('hang');
      const { instance } = await fixture(scripted(ok), { baseURL: faulty.url, retry: FAST, backupBaseURL: backup.url });
      const response = await instance.chain(QUERY).get({ out_request_no: 'R1', timeout: 300 });
      expect(response.data).toEqual({ from: 'backup' });
      expect(attemptsOf(response)).toBe(2);
    });

    it('not after a 429: that host only asked us to slow down', async () => {
      const limited: Reply = { status: 429, body: { code: 'FREQUENCY_LIMITED', message: 'slow' } };
      const { gateway, instance } = await fixture(scripted(limited, ok), { retry: FAST, backupBaseURL: backup.url });
      await instance.chain(QUERY).get({ out_request_no: 'R1' });
      expect(gateway.received).toHaveLength(2);
      expect(backup.received).toHaveLength(0);
    });

    it('a network failure without retries is one TransportError', async () => {
      faulty = await startFaultyServer('reset');
      const { instance } = await fixture(scripted(ok), { baseURL: faulty.url, backupBaseURL: backup.url });
      const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1' }));
      expect(error).toBeInstanceOf(TransportError);
      expect(attemptsOf(error)).toBe(1);
      expect(backup.received).toHaveLength(0);
    });
  });

  it('an AbortSignal stops the retries while waiting for the next attempt', async () => {
    const controller = new AbortController();
    const { gateway, instance } = await fixture(scripted(unavailable), {
      retry: { retries: 5, baseDelayMs: 5000, maxDelayMs: 5000 },
      hooks: { retry: () => void setTimeout(() => controller.abort(), 20) },
    });
    const started = Date.now();
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1', signal: controller.signal }));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('ERR_CANCELED');
    expect(attemptsOf(error)).toBe(1);
    expect(gateway.received).toHaveLength(1);
    // the 2.5-5 s backoff was not waited out
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('an already aborted signal sends nothing', async () => {
    const { gateway, instance } = await fixture(scripted(ok), { retry: FAST });
    const error = await rejection(instance.chain(QUERY).get({ out_request_no: 'R1', signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(TransportError);
    expect(gateway.received).toHaveLength(0);
  });
});
