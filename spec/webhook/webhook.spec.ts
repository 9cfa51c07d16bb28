import { createCipheriv, randomBytes, sign } from 'node:crypto';
import { ConfigError, SignatureError, Webhook, WebhookError } from '../../lib';
import { PLATFORM_SERIAL, platformKeys, rsaPair } from '../helpers/keys';

const APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const certificateKeys = rsaPair();

/** An envelope built with node:crypto alone, as WeChat Pay would send it. */
function callback(
  resource: unknown,
  options: { key?: string; serial?: string; timestamp?: number; probe?: boolean; apiv3Key?: string } = {},
) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(options.apiv3Key ?? APIV3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(resource)),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
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
  let signature = sign(
    'sha256',
    Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`),
    options.key ?? platformKeys().privateKey,
  ).toString('base64');
  if (options.probe) signature = `WECHATPAY/SIGNTEST/${signature}`;
  const headers = {
    'wechatpay-timestamp': String(timestamp),
    'wechatpay-nonce': headerNonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': options.serial ?? PLATFORM_SERIAL,
    'content-type': 'application/json',
  };
  return { headers, body };
}

describe('Webhook', () => {
  const webhook = new Webhook({
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey, [CERT_SERIAL]: certificateKeys.publicKey },
    apiv3Key: APIV3_KEY,
  });

  it('verifies and decrypts a callback given as a Buffer or a string', () => {
    const { headers, body } = callback({ out_trade_no: 'T1', trade_state: 'SUCCESS' });
    for (const raw of [Buffer.from(body), body]) {
      const event = webhook.parse<{ out_trade_no: string }>({ headers, body: raw });
      expect(event.resource).toEqual({ out_trade_no: 'T1', trade_state: 'SUCCESS' });
      expect(event.envelope.event_type).toBe('TRANSACTION.SUCCESS');
      expect(event.serial).toBe(PLATFORM_SERIAL);
      expect(event.reply).toEqual({ status: 204 });
    }
  });

  it('signs over the UTF-8 bytes of a nonce outside ASCII, as a signer using Buffer.from would', () => {
    const { headers, body } = callback({ n: 3 });
    for (const headerNonce of ['张三李四', 'é\u00ff', '🙂x']) {
      const message = Buffer.from(`${headers['wechatpay-timestamp']}\n${headerNonce}\n${body}\n`);
      const signature = sign('sha256', message, platformKeys().privateKey).toString('base64');
      const signed = { ...headers, 'wechatpay-nonce': headerNonce, 'wechatpay-signature': signature };
      expect(webhook.parse({ headers: signed, body }).resource).toEqual({ n: 3 });
      const shifted = { ...signed, 'wechatpay-nonce': `${headerNonce}a` };
      expect(() => webhook.parse({ headers: shifted, body })).toThrow(SignatureError);
    }
  });

  it('accepts public-key and platform-certificate callbacks at once (WeChat Pay moves between them)', () => {
    const signedByCertificate = callback({ n: 2 }, { key: certificateKeys.privateKey, serial: CERT_SERIAL });
    expect(webhook.parse(signedByCertificate).serial).toBe(CERT_SERIAL);
    expect(webhook.parse(callback({ n: 1 })).serial).toBe(PLATFORM_SERIAL);
  });

  it('reads headers case-insensitively and from a fetch Headers object', () => {
    const { headers, body } = callback({ ok: 1 });
    const upper = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(webhook.parse({ headers: upper, body }).resource).toEqual({ ok: 1 });
    expect(webhook.parse({ headers: new Headers(headers), body }).resource).toEqual({ ok: 1 });
  });

  it('reads only own header properties, lower-cased or not (inherited ones are missing headers)', () => {
    const { headers, body } = callback({ ok: 1 });
    const inherited = Object.create(headers) as Record<string, string>;
    expect(() => webhook.parse({ headers: inherited, body })).toThrow(
      expect.objectContaining({ name: 'SignatureError', reason: 'HEADERS_MISSING' }),
    );
    const mixed = { ...headers, 'Content-Type': 'application/json' };
    expect(webhook.parse({ headers: mixed, body }).resource).toEqual({ ok: 1 });
  });

  it.each<[string, () => { headers: Record<string, string>; body: string }, string]>([
    ['a probe', () => callback({}, { probe: true }), 'SIGNATURE_PROBE'],
    ['a timestamp 301 s old', () => callback({}, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 'TIMESTAMP_SKEW'],
    ['an unknown serial', () => callback({}, { serial: 'PUB_KEY_ID_UNKNOWN' }), 'UNKNOWN_SERIAL'],
    [
      'a tampered body',
      () => ({ ...callback({}), body: callback({}).body.replace('支付成功', '支付失败') }),
      'SIGNATURE_MISMATCH',
    ],
    ['a signature by another key', () => callback({}, { key: certificateKeys.privateKey }), 'SIGNATURE_MISMATCH'],
  ])('rejects %s with SignatureError %s and a 401 reply', (_case, make, reason) => {
    const input = make();
    expect(() => webhook.parse(input)).toThrow(SignatureError);
    const result = webhook.handle(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect((result.error as SignatureError).reason).toBe(reason);
    expect(result.reply).toEqual({ status: 401, body: { code: 'FAIL', message: expect.stringContaining(reason) } });
  });

  it('says clearly when it is given an already-parsed body', () => {
    const { headers, body } = callback({});
    const parsed = JSON.parse(body) as unknown;
    expect(() => webhook.parse({ headers, body: parsed })).toThrow(/not the raw request body.*express\.raw/);
    expect(webhook.handle({ headers, body: parsed })).toMatchObject({ ok: false, reply: { status: 400 } });
  });

  it('a resource that does not decrypt with the APIv3 key is DECRYPT_FAILED', () => {
    const input = callback({}, { apiv3Key: 'x'.repeat(32) });
    expect(() => webhook.parse(input)).toThrow(WebhookError);
    expect(() => webhook.parse(input)).toThrow(/DECRYPT_FAILED/);
  });

  it('refuses an APIv3 key that is not 32 bytes, and a cert that does not load, naming them', () => {
    expect(() => new Webhook({ certs: {}, apiv3Key: 'short' })).toThrow(ConfigError);
    expect(() => new Webhook({ certs: { PUB_KEY_ID_X: 'file:///nope.pem' }, apiv3Key: 'short' })).toThrow(
      /certs\.PUB_KEY_ID_X: does not load.*apiv3Key: must be 32 bytes/,
    );
  });
});
