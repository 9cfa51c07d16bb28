import { randomBytes, sign } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Builder, SignatureError, type WechatpayInstance } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { hostileServer, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from '../helpers/keys';

/**
 * What a reply must carry to be believed, pinned through both backends (node:crypto and WebCrypto) against a loopback
 * server that signs with the real platform key: each reply below is validly signed except for the one property under
 * test, so the refusal (and what it tells the caller) comes from that property alone.
 */

const BODY = '{"state":"SUCCESS"}';

interface Signing {
  /** The Wechatpay-Timestamp value sent and signed (default: now). */
  timestamp?: string;
  nonce?: string;
  serial?: string;
  key?: string;
  /** Replaces the signature sent (the message is still signed as above). */
  signature?: (valid: string) => string;
  /** Header values sent as given, twice (node joins them with ", "). */
  repeat?: string[];
  omit?: string[];
}

const now = () => String(Math.floor(Date.now() / 1000));

function answer(res: ServerResponse, signing: Signing = {}): void {
  const timestamp = signing.timestamp ?? now();
  const nonce = signing.nonce ?? randomBytes(16).toString('hex');
  const message = Buffer.from(`${timestamp}\n${nonce}\n${BODY}\n`);
  const valid = sign('sha256', message, signing.key ?? platformKeys().privateKey).toString('base64');
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Request-ID': 'REQ-1',
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': signing.serial ?? PLATFORM_SERIAL,
    'Wechatpay-Signature': signing.signature ? signing.signature(valid) : valid,
  };
  for (const name of signing.repeat ?? []) headers[name] = [headers[name] as string, headers[name] as string];
  for (const name of signing.omit ?? []) delete headers[name];
  res.writeHead(200, headers).end(BODY);
}

const backends: Array<[string, (url: string) => Promise<WechatpayInstance>]> = [
  ['node:crypto', async (url) => clientFor(url)],
  [
    'WebCrypto',
    (url) =>
      Builder.create(
        {
          mchid: MCHID,
          serial: MERCHANT_SERIAL,
          privateKey: merchantKeys().privateKey,
          certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
          baseURL: url,
        },
        { backend: 'webcrypto' },
      ),
  ],
];

describe.each(backends)('a reply verified through %s', (_name, build) => {
  let signing: Signing = {};
  let server: HostileServer;
  let instance: WechatpayInstance;
  beforeAll(async () => {
    server = await hostileServer((_req, res) => answer(res, signing), 1000);
    instance = await build(server.url);
  });
  afterAll(() => server.close());

  const refusal = async (given: Signing): Promise<SignatureError> => {
    signing = given;
    const error = await instance.v3.ok.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SignatureError);
    return error as SignatureError;
  };

  it('is accepted when every header is as WeChat Pay sends it (the control for the refusals below)', async () => {
    signing = {};
    await expect(instance.v3.ok.get()).resolves.toMatchObject({ status: 200, data: { state: 'SUCCESS' } });
  });

  // the timestamp is inside the signed message, so these are no bypass: the rule pins the documented strictness
  it.each([
    ['a decimal fraction', (t: string) => `${t}.0`],
    ['a plus sign', (t: string) => `+${t}`],
    ['exponent notation', (t: string) => `${t[0]}.${t.slice(1)}e${t.length - 1}`],
    ['hexadecimal', (t: string) => `0x${Number(t).toString(16)}`],
  ])('refuses a timestamp in %s as TIMESTAMP_SKEW, though it is signed and is the current second', async (_, form) => {
    const timestamp = form(now());
    expect(Math.abs(Number(timestamp) - Number(now()))).toBeLessThanOrEqual(1);
    const error = await refusal({ timestamp });
    expect(error.reason).toBe('TIMESTAMP_SKEW');
    expect(error.message).toMatch(
      new RegExp(`^TIMESTAMP_SKEW: Wechatpay-Timestamp ${escape(timestamp)} is more than 300 s from local time \\d+$`),
    );
  });

  it('refuses a timestamp 301 s away, past or future, naming it and the local time', async () => {
    const past = String(Number(now()) - 301);
    const error = await refusal({ timestamp: past });
    expect(error.reason).toBe('TIMESTAMP_SKEW');
    expect(error.message).toMatch(new RegExp(`^TIMESTAMP_SKEW: Wechatpay-Timestamp ${past} is more than 300 s`));
    // the future bound: 302 s ahead stays more than 300 s ahead however long the round trip takes
    expect((await refusal({ timestamp: String(Number(now()) + 302) })).reason).toBe('TIMESTAMP_SKEW');
  });

  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Serial', 'Wechatpay-Signature'])(
    'refuses a reply that repeats %s as HEADERS_MISSING, naming it',
    async (name) => {
      const error = await refusal({ repeat: [name] });
      expect(error.reason).toBe('HEADERS_MISSING');
      expect(error.message).toBe(`HEADERS_MISSING: reply repeats ${name}: exactly one of each`);
    },
  );

  it('names every repeated header at once', async () => {
    const error = await refusal({ repeat: ['Wechatpay-Nonce', 'Wechatpay-Serial'] });
    expect(error.message).toBe('HEADERS_MISSING: reply repeats Wechatpay-Nonce, Wechatpay-Serial: exactly one of each');
  });

  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Serial', 'Wechatpay-Signature'])(
    'refuses a reply without %s as HEADERS_MISSING, naming only it',
    async (name) => {
      const error = await refusal({ omit: [name] });
      expect(error.reason).toBe('HEADERS_MISSING');
      expect(error.message).toBe(`HEADERS_MISSING: reply lacks ${name}`);
    },
  );

  it('names every missing header at once, and carries the status, request id and (known) serial', async () => {
    const error = await refusal({ omit: ['Wechatpay-Timestamp', 'Wechatpay-Signature'] });
    expect(error.message).toBe('HEADERS_MISSING: reply lacks Wechatpay-Timestamp, Wechatpay-Signature');
    expect(error).toMatchObject({ status: 200, requestId: 'REQ-1', serial: PLATFORM_SERIAL });
    // and the reply's headers, so the caller can see what came back
    expect(error.headers).toMatchObject({ 'request-id': 'REQ-1', 'wechatpay-serial': PLATFORM_SERIAL });
  });

  it('refuses a WECHATPAY/SIGNTEST/ probe, saying it is one', async () => {
    const error = await refusal({ signature: (valid) => `WECHATPAY/SIGNTEST/${valid}` });
    expect(error.reason).toBe('SIGNATURE_PROBE');
    expect(error.message).toBe('SIGNATURE_PROBE: signature is a WeChat Pay WECHATPAY/SIGNTEST/ probe, not a real one');
  });

  it('refuses an unknown Wechatpay-Serial, naming it', async () => {
    const error = await refusal({ serial: 'PUB_KEY_ID_0000000000000000000000000000' });
    expect(error.reason).toBe('UNKNOWN_SERIAL');
    expect(error.message).toBe(
      'UNKNOWN_SERIAL: Wechatpay-Serial PUB_KEY_ID_0000000000000000000000000000 is not among the configured certs',
    );
    expect(error.serial).toBe('PUB_KEY_ID_0000000000000000000000000000');
  });

  it('refuses a signature by another key as SIGNATURE_MISMATCH, naming the key it was checked with', async () => {
    const error = await refusal({ key: strangerKeys().privateKey });
    expect(error.reason).toBe('SIGNATURE_MISMATCH');
    expect(error.message).toBe(`SIGNATURE_MISMATCH: signature does not verify with the key ${PLATFORM_SERIAL}`);
    expect(error).toMatchObject({ status: 200, requestId: 'REQ-1', serial: PLATFORM_SERIAL });
  });

  it.each([
    ['junk inside otherwise valid base64', (valid: string) => `${valid.slice(0, 10)}!${valid.slice(10)}`],
    ['the padding left off', (valid: string) => valid.replace(/=+$/, '')],
    ['the URL alphabet', (valid: string) => valid.replace(/\+/g, '-').replace(/\//g, '_')],
  ])('refuses an undecodable signature (%s) as SIGNATURE_MISMATCH', async (_, mangle) => {
    // a 2048-bit signature is 344 base64 characters ending in "==", with "+" or "/" all but certainly among them
    const error = await refusal({ signature: mangle });
    expect(error.reason).toBe('SIGNATURE_MISMATCH');
    expect(error.message).toBe(`SIGNATURE_MISMATCH: signature does not verify with the key ${PLATFORM_SERIAL}`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
