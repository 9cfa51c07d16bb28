import { connect } from 'node:net';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { punishJson, startSandbox } from './helpers';
import { independentlyVerified, rawCall } from './raw';

/** The gateway under abuse: oversized, malformed, slow and stalled requests get bounded, signed answers. */
const TIMEOUT_MS = 300;

/** Writes `text` on a raw socket and collects what comes back until the server closes (or `boundMs` passes). */
function rawSocket(
  sandbox: SandboxHandle,
  text: string,
  boundMs: number,
): Promise<{ reply: string; closed: boolean; ms: number }> {
  const url = new URL(sandbox.url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(url.port), url.hostname);
    let reply = '';
    const give = (closed: boolean) => {
      clearTimeout(bound);
      socket.destroy();
      resolve({ reply, closed, ms: Date.now() - started });
    };
    const bound = setTimeout(() => give(false), boundMs);
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('close', () => give(true));
    socket.on('error', () => undefined);
    socket.write(text);
  });
}

/** Moving 1 MiB takes longer than the short stall limit below when the machine is loaded: these get the default. */
describe('sandbox under oversized bodies', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
  });
  afterAll(() => sandbox.stop());

  it('answers a body over 1 MiB with a signed 413, not a connection reset', async () => {
    const body = JSON.stringify({ description: 'x'.repeat(1 << 20) });
    const reply = await rawCall(sandbox, 'POST', '/v3/pay/transactions/native', { body });
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'body', location: 'body' } });
    expect(reply.json.message).toContain(String(1 << 20));
    expect(independentlyVerified(sandbox, reply)).toBe(true);
    expect(reply.headers.connection).toBe('close');
  });

  it('still takes a body of exactly 1 MiB to its handler (which then names the field)', async () => {
    const filler = 'x'.repeat((1 << 20) - 20);
    const body = JSON.stringify({ attach: filler }).padEnd(1 << 20, ' ');
    expect(Buffer.byteLength(body)).toBe(1 << 20);
    const reply = await rawCall(sandbox, 'POST', '/v3/pay/transactions/native', { body });
    expect([reply.status, reply.json.code, reply.json.detail?.field]).toEqual([400, 'PARAM_ERROR', '/appid']);
  });
});

describe('sandbox under abuse', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      limits: { requestTimeoutMs: TIMEOUT_MS, punishPerMinute: 2 },
    });
  });
  afterAll(() => sandbox.stop());

  it('answers a malformed percent-encoding in the path with 400 naming the path variable, not 500', async () => {
    const reply = await rawCall(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/%E0%A4%A?mchid=${MCHID}`);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ code: 'INVALID_REQUEST', detail: { field: 'out_trade_no', location: 'path' } });
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  it('answers an unknown path with 404 NOT_FOUND saying the sandbox does not know it, whatever the signature', async () => {
    const reply = await rawCall(sandbox, 'POST', '/v3/no-such/operation', {
      body: '{}',
      headers: { Authorization: 'WECHATPAY2-SHA256-RSA2048 garbage' },
    });
    expect([reply.status, reply.json.code]).toEqual([404, 'NOT_FOUND']);
    expect(reply.json.message).toContain('沙箱不认识 POST /v3/no-such/operation');
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  it('answers a body that stalls with a signed 408 and closes the connection', async () => {
    const partial =
      'POST /v3/pay/transactions/native HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"';
    const { reply, closed, ms } = await rawSocket(sandbox, partial, 5000);
    expect(closed).toBe(true);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toMatch(/Wechatpay-Signature: /i);
    expect(reply).toContain(`${TIMEOUT_MS} 毫秒`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
  });

  it('disconnects a client whose headers never finish', async () => {
    const { closed, ms } = await rawSocket(sandbox, 'GET /v3/certificates HTTP/1.1\r\nHost: x\r\n', 5000);
    expect(closed).toBe(true);
    expect(ms).toBeLessThan(3000);
  });

  it('states the configured limit in the 429 message', async () => {
    const { sandbox: limited, instance } = await startSandbox({ limits: { punishPerMinute: 2 } });
    const punish = (no: string) => instance.v3.aggracctBc.wbChannel.controlOrders.punish.post({ json: punishJson(no) });
    await punish('R-1');
    await punish('R-2');
    const error = await punish('R-3').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, code: 'FREQUENCY_LIMITED' });
    expect((error as Error).message).toContain('2 次/分钟');
    expect((error as Error).message).not.toContain('200');
    await limited.stop();
  });

  it('refuses limits that are not positive integers, naming the option', async () => {
    await expect(Sandbox.start({ merchants: [], limits: { requestTimeoutMs: 0 } })).rejects.toThrow(
      'limits.requestTimeoutMs',
    );
  });
});
