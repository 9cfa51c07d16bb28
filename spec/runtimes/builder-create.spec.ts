import { createCipheriv, randomBytes, sign } from 'node:crypto';
import { Builder, ConfigError, FetchWebhook, SignatureError, WebhookError, type BuilderConfig } from '../../lib';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { startGateway, type Gateway } from '../helpers/gateway';
import {
  MCHID,
  MERCHANT_SERIAL,
  PLATFORM_SERIAL,
  merchantKeys,
  platformKeys,
  rsaPair,
  strangerKeys,
} from '../helpers/keys';

const TARGET = { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' };
const base = (): BuilderConfig => ({
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
});

describe.each(['webcrypto', 'node'] as const)('Builder.create with the %s backend, against the sandbox', (backend) => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      accounts: [{ ...TARGET, available_amount: 100_000 } as never],
      settleDelayMs: 60_000,
    });
  });
  afterAll(() => sandbox.stop());

  it('signs calls the sandbox accepts, encrypts the sensitive fields it decrypts, and verifies its replies', async () => {
    const instance = await Builder.create(
      { ...base(), certs: sandbox.certs, baseURL: sandbox.url, encrypt: true },
      { backend },
    );
    const orders = instance.v3.aggracctBc.wbChannel.controlOrders;
    const punished = await orders.punish.post({
      json: { out_request_no: `P-${backend}`, ...TARGET, punish_scene: 1, punish_reason: '风险管控' },
    });
    expect(punished.status).toBe(200);
    // bal_account_no went out RSA-OAEP encrypted (the sandbox decrypts it with its key, or answers 400)
    const recovered = await orders.recover.post({
      json: {
        out_request_no: `R-${backend}`,
        related_webank_punish_no: `P-${backend}`,
        related_wxpay_punish_no: (punished.data as { wxpay_punish_no: string }).wxpay_punish_no,
        ...TARGET,
        recover_reason: '风险解除',
      },
    });
    expect(recovered.status).toBe(200);
    expect(recovered.data).toMatchObject({ out_request_no: `R-${backend}`, wxpay_recover_no: expect.any(String) });
  });
});

describe('Builder.create with the webcrypto backend, against a hostile gateway', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      mchid: MCHID,
      merchantSerial: MERCHANT_SERIAL,
      merchantPublicKey: merchantKeys().publicKey,
      platformSerial: PLATFORM_SERIAL,
      platformPrivateKey: platformKeys().privateKey,
      strangerPrivateKey: strangerKeys().privateKey,
      route: () => ({ body: { ok: true } }),
    });
  });
  afterAll(() => gateway.stop());

  it.each([
    ['tampered', 'SIGNATURE_MISMATCH'],
    ['wrong-key', 'SIGNATURE_MISMATCH'],
    ['unknown-serial', 'UNKNOWN_SERIAL'],
    ['skew', 'TIMESTAMP_SKEW'],
    ['probe', 'SIGNATURE_PROBE'],
    ['unsigned', 'HEADERS_MISSING'],
  ] as const)('a %s reply is rejected as %s, after the gateway accepted our signature', async (mode, reason) => {
    const instance = await Builder.create({ ...base(), baseURL: gateway.url }, { backend: 'webcrypto' });
    gateway.mode = 'signed';
    await expect(instance.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '42' })).resolves.toMatchObject(
      {
        data: { ok: true },
      },
    );
    gateway.mode = mode;
    gateway.skewSeconds = 400;
    const failure = await instance.v3.pay.transactions.id._transaction_id_
      .get({ transaction_id: '43' })
      .catch((error: unknown) => error);
    expect(SignatureError.isSignatureError(failure) && failure.reason).toBe(reason);
    expect(gateway.received.at(-1)!.authorized).toBe(true);
  });
});

describe('Builder.create config errors name the field, as factory does', () => {
  const issuesOf = async (config: BuilderConfig) => {
    const failure = await Builder.create(config, { backend: 'webcrypto' }).catch((error: unknown) => error);
    expect(ConfigError.isConfigError(failure)).toBe(true);
    return (failure as ConfigError).issues.map((issue) => issue.path);
  };

  it('names privateKey, the certs entry that does not load and the merchant serial in certs, as factory does', async () => {
    const config = {
      ...base(),
      privateKey: 'not a key',
      certs: { [PLATFORM_SERIAL]: merchantKeys().privateKey, [MERCHANT_SERIAL]: rsaPair().publicKey },
    };
    const fromFactory = (() => {
      try {
        Builder.factory(config);
      } catch (error) {
        return (error as ConfigError).issues.map((issue) => issue.path);
      }
    })();
    expect((await issuesOf(config)).sort()).toEqual(
      ['privateKey', `certs.${PLATFORM_SERIAL}`, `certs.${MERCHANT_SERIAL}`].sort(),
    );
    // factory stops at the first certs entry that does not load; both name the same fields
    expect(fromFactory).toEqual(
      expect.arrayContaining(['privateKey', `certs.${PLATFORM_SERIAL}`, `certs.${MERCHANT_SERIAL}`]),
    );
    const failure = await Builder.create(config, { backend: 'webcrypto' }).catch((error: unknown) => error);
    expect(JSON.stringify(failure)).not.toContain(merchantKeys().privateKey.split('\n')[2]);
    expect(String(failure)).toContain('expected a public key or certificate, got a private key');
  });

  it('runs the config schema first, like factory (apiv3Key of the wrong length)', async () => {
    expect(await issuesOf({ ...base(), apiv3Key: 'short' })).toEqual(['apiv3Key']);
  });

  it('asks for certs on WebCrypto, where certificate download (node:crypto X.509) is not available', async () => {
    const { certs: _certs, ...rest } = base();
    expect(await issuesOf({ ...rest, apiv3Key: 'k'.repeat(32) })).toEqual(['certs']);
  });

  it('rejects an unknown backend', async () => {
    await expect(Builder.create(base(), { backend: 'openssl' as never })).rejects.toThrow(/unknown crypto backend/);
  });
});

const APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

function callbackRequest(options: { signer?: string; timestamp?: number; probe?: boolean; apiv3Key?: string } = {}) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(options.apiv3Key ?? APIV3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const plain = JSON.stringify({ out_trade_no: 'T-1', trade_state: 'SUCCESS' });
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: 'EV-1',
    create_time: '2015-05-20T13:29:35+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext,
      associated_data: 'transaction',
      nonce,
    },
  });
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headerNonce = randomBytes(16).toString('hex');
  const signature = sign(
    'sha256',
    Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`),
    options.signer ?? platformKeys().privateKey,
  ).toString('base64');
  return new Request('http://127.0.0.1/notify', {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': headerNonce,
      'Wechatpay-Signature': options.probe ? `WECHATPAY/SIGNTEST/${signature}` : signature,
      'Wechatpay-Serial': PLATFORM_SERIAL,
    },
  });
}

describe.each(['webcrypto', 'node'] as const)('FetchWebhook (%s backend): a Request in, a Response out', (backend) => {
  const webhook = () =>
    FetchWebhook.create({ certs: { [PLATFORM_SERIAL]: platformKeys().publicKey }, apiv3Key: APIV3_KEY, backend });

  it('verifies, decrypts, hands the event over and answers 204', async () => {
    const events: unknown[] = [];
    const response = await (await webhook()).respond(callbackRequest(), (event) => void events.push(event.resource));
    expect(response.status).toBe(204);
    expect(events).toEqual([{ out_trade_no: 'T-1', trade_state: 'SUCCESS' }]);
  });

  it.each([
    ['a forged signature', 401, 'SIGNATURE_MISMATCH', { signer: strangerKeys().privateKey }],
    ['a probe', 401, 'SIGNATURE_PROBE', { probe: true }],
    ['a stale timestamp', 401, 'TIMESTAMP_SKEW', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['a resource under another APIv3 key', 400, 'DECRYPT_FAILED', { apiv3Key: 'Z'.repeat(32) }],
  ])('answers %s with %i and {code: FAIL}, never calling the handler', async (_what, status, reason, options) => {
    let called = false;
    const response = await (await webhook()).respond(callbackRequest(options), () => void (called = true));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code: 'FAIL', message: expect.stringContaining(reason) });
    expect(called).toBe(false);
  });

  it('parse() throws the same error classes as Webhook', async () => {
    const hook = await webhook();
    await expect(hook.parse(callbackRequest({ probe: true }))).rejects.toBeInstanceOf(SignatureError);
    await expect(hook.parse(callbackRequest({ apiv3Key: 'Z'.repeat(32) }))).rejects.toBeInstanceOf(WebhookError);
  });

  it('a handler that throws gets a 500 so WeChat Pay retries', async () => {
    const response = await (
      await webhook()
    ).respond(callbackRequest(), () => {
      throw new Error('database down');
    });
    expect(response.status).toBe(500);
  });

  it('refuses a bad config naming the field', async () => {
    const failure = await FetchWebhook.create({ certs: { X: 'nope' }, apiv3Key: 'short', backend }).catch(
      (e: unknown) => e,
    );
    expect((failure as ConfigError).issues.map((issue) => issue.path).sort()).toEqual(['apiv3Key', 'certs.X']);
  });
});
