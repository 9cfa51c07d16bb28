import { constants, publicEncrypt, randomBytes, sign, verify, createPublicKey } from 'node:crypto';
import { request } from 'node:http';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys, strangerKeys } from '../helpers/keys';
import { TARGET } from './helpers';

/**
 * The sandbox against an independent client: requests signed with node:crypto directly (not the SDK's signer),
 * replies checked with node:crypto directly (not the SDK's verifier).
 */
interface Raw {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: { code?: string; message?: string; detail?: Record<string, unknown> } & Record<string, unknown>;
}

function call(
  sandbox: SandboxHandle,
  method: string,
  target: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    timestamp?: number;
    nonce?: string;
    key?: string;
    authorization?: string;
  } = {},
): Promise<Raw> {
  const body = options.body ?? '';
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const signature = sign(
    'sha256',
    Buffer.from(`${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`),
    options.key ?? merchantKeys().privateKey,
  ).toString('base64');
  const authorization =
    options.authorization ??
    `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${MERCHANT_SERIAL}"`;
  const url = new URL(target, sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          'Content-Type': 'application/json',
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode!,
            headers: res.headers as Record<string, string>,
            body: text,
            json: text ? JSON.parse(text) : {},
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function independentlyVerified(sandbox: SandboxHandle, reply: Raw): boolean {
  const {
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': serial,
  } = reply.headers;
  return (
    serial === sandbox.platformSerial &&
    verify(
      'sha256',
      Buffer.from(`${ts}\n${nonce}\n${reply.body}\n`),
      createPublicKey(sandbox.platformPublicKey),
      Buffer.from(signature!, 'base64'),
    )
  );
}

const encryptFor = (sandbox: SandboxHandle, text: string) =>
  publicEncrypt(
    { key: sandbox.platformPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(text),
  ).toString('base64');

describe('sandbox protocol, checked by an independent implementation', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      limits: { punishPerMinute: 3, reductionPerSecond: 2 },
    });
  });
  afterAll(() => sandbox.stop());

  const balancePath = () =>
    `/v3/aggracct-bc/wb-channel/account/balance?mchid=${TARGET.mchid}&bal_account_no=${encodeURIComponent(encryptFor(sandbox, TARGET.bal_account_no))}`;
  const serialHeader = () => ({ 'Wechatpay-Serial': sandbox.platformSerial });

  it('accepts a request signed with node:crypto, and its reply verifies with node:crypto', async () => {
    const reply = await call(sandbox, 'GET', balancePath(), { headers: serialHeader() });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ in_transit_reduction_exist: false, balance: 1_000_000 });
    expect(reply.headers['request-id']).toMatch(/^[0-9A-F]{32}$/);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
    expect(sandbox.platformSerial).toMatch(/^PUB_KEY_ID_\d{28}$/);
  });

  const header = (fields: string) => () => ({ authorization: `WECHATPAY2-SHA256-RSA2048 ${fields}` });
  it.each<[string, () => Parameters<typeof call>[3], number, string]>([
    ['a bad signature', () => ({ key: strangerKeys().privateKey }), 401, 'SIGN_ERROR'],
    ['a stale timestamp', () => ({ timestamp: Math.floor(Date.now() / 1000) - 301 }), 401, 'SIGN_ERROR'],
    ['a future timestamp', () => ({ timestamp: Math.floor(Date.now() / 1000) + 310 }), 401, 'SIGN_ERROR'],
    [
      'an unknown merchant',
      header('mchid="1",nonce_str="n",signature="s",timestamp="1",serial_no="AB"'),
      401,
      'SIGN_ERROR',
    ],
    [
      'a wrong serial',
      header(`mchid="${MCHID}",nonce_str="n",signature="s",timestamp="1",serial_no="ABCDEF"`),
      401,
      'SIGN_ERROR',
    ],
    // WeChat Pay lists a malformed Authorization and an unknown scheme among the causes of 401 SIGN_ERROR
    ['a malformed header', header('mchid=1900000001'), 401, 'SIGN_ERROR'],
    ['another scheme', () => ({ authorization: 'Bearer abc' }), 401, 'SIGN_ERROR'],
    ['a missing field', header('mchid="1900000001",nonce_str="n"'), 401, 'SIGN_ERROR'],
  ])('rejects %s with %i %s, signed', async (_case, options, status, code) => {
    const reply = await call(sandbox, 'GET', balancePath(), { headers: serialHeader(), ...options() });
    expect([reply.status, reply.json.code]).toEqual([status, code]);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  it('rejects a reused nonce', async () => {
    const nonce = randomBytes(16).toString('hex');
    expect((await call(sandbox, 'GET', balancePath(), { headers: serialHeader(), nonce })).status).toBe(200);
    const again = await call(sandbox, 'GET', balancePath(), { headers: serialHeader(), nonce });
    expect([again.status, again.json.code]).toEqual([401, 'SIGN_ERROR']);
  });

  it('requires Wechatpay-Serial with encrypted fields, and names a field that does not decrypt', async () => {
    const missing = await call(sandbox, 'GET', balancePath());
    expect([missing.status, missing.json.code, missing.json.detail?.field]).toEqual([
      400,
      'PARAM_ERROR',
      'Wechatpay-Serial',
    ]);
    const garbage = `/v3/aggracct-bc/wb-channel/account/balance?mchid=${TARGET.mchid}&bal_account_no=${encodeURIComponent(randomBytes(256).toString('base64'))}`;
    const undecryptable = await call(sandbox, 'GET', garbage, { headers: serialHeader() });
    expect(undecryptable.status).toBe(400);
    expect(undecryptable.json).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'bal_account_no', location: 'query', issue: '解密失败' },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'a missing field',
      { out_request_no: 'X', mchid: TARGET.mchid, punish_scene: 1 },
      { field: '/bal_account_no', location: 'body' },
    ],
    [
      'a wrong type',
      { out_request_no: 'X', mchid: 1, punish_scene: 1, bal_account_no: 'B' },
      { field: '/mchid', value: 1, location: 'body' },
    ],
    [
      'a wrong enum',
      { out_request_no: 'X', mchid: '1', punish_scene: 1, bal_account_no: 'B', req_scene: 'NO' },
      { field: '/req_scene', value: 'NO', location: 'body' },
    ],
  ])('answers %s with 400 PARAM_ERROR and detail', async (_case, json, detail) => {
    const reply = await call(sandbox, 'POST', '/v3/aggracct-bc/wb-channel/control-orders/punish', {
      body: JSON.stringify(json),
      headers: serialHeader(),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe('PARAM_ERROR');
    expect(reply.json.detail).toMatchObject({ ...detail, issue: expect.any(String) });
  });

  it('limits punish calls per minute and special reductions per second per target merchant (429 FREQUENCY_LIMITED)', async () => {
    const punish = (n: number) =>
      call(sandbox, 'POST', '/v3/aggracct-bc/wb-channel/control-orders/punish', {
        body: JSON.stringify({
          out_request_no: `L-${n}`,
          mchid: TARGET.mchid,
          bal_account_no: encryptFor(sandbox, TARGET.bal_account_no),
          punish_scene: 1,
        }),
        headers: serialHeader(),
      });
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await punish(n)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const reduce = (n: number) =>
      call(sandbox, 'POST', '/v3/aggracct-bc/wb-channel/special-reduction', {
        body: JSON.stringify({
          ...TARGET,
          bal_account_no: encryptFor(sandbox, TARGET.bal_account_no),
          out_request_no: `Q-${n}`,
          reduction_type: 'FINANCIAL_PENALTY',
          amount: 1,
        }),
        headers: serialHeader(),
      });
    const replies = await Promise.all([0, 1, 2].map(reduce));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 429]);
    expect(replies.find((reply) => reply.status === 429)!.json.code).toBe('FREQUENCY_LIMITED');
  });
});

describe('sandbox lifecycle', () => {
  it('stop() closes the server and leaves nothing running', async () => {
    const sandbox = await Sandbox.start({ merchants: [], notifyUrl: 'http://127.0.0.1:9/', settleDelayMs: 10_000 });
    await sandbox.stop();
    await expect(call(sandbox, 'GET', '/v3/certificates')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
