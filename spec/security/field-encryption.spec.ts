import { Builder, Rsa, RsaAsync, ValidationError, type WechatpayInstance } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from '../helpers/keys';

/**
 * Sensitive fields through both backends (node:crypto and WebCrypto on Node): which key encrypts them and which
 * `Wechatpay-Serial` names it, the OAEP limit at its exact boundary, values already encrypted, and reply fields
 * encrypted to the merchant key. A loopback server records what arrived and answers with a signed echo.
 */

const SECOND_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey, [SECOND_SERIAL]: strangerKeys().publicKey };

type Json = Record<string, unknown>;
interface Arrived {
  json: Json;
  serial: string | undefined;
}

const backends: Array<[string, (url: string) => Promise<WechatpayInstance>]> = [
  ['node:crypto', async (url) => clientFor(url, { certs })],
  [
    'WebCrypto',
    (url) =>
      Builder.create(
        { mchid: MCHID, serial: MERCHANT_SERIAL, privateKey: merchantKeys().privateKey, certs, baseURL: url },
        { backend: 'webcrypto' },
      ),
  ],
];

const recover = (bal_account_no: string) => ({
  out_request_no: 'R1',
  related_webank_punish_no: 'P1',
  related_wxpay_punish_no: 'W1',
  mchid: '1900016681',
  bal_account_no,
});

describe.each(backends)('sensitive fields through %s', (_name, build) => {
  const arrived: Arrived[] = [];
  let reply: Json = { ok: true };
  let server: HostileServer;
  let instance: WechatpayInstance;
  beforeAll(async () => {
    server = await hostileServer((req, res, body) => {
      const serial = req.headers['wechatpay-serial'];
      arrived.push({ json: body.length ? (JSON.parse(body.toString()) as Json) : {}, serial: serial as string });
      const text = JSON.stringify(reply);
      res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders(text) }).end(text);
    }, 1000);
    instance = await build(server.url);
  });
  afterAll(() => server.close());

  const post = (json: Json, options: Json = {}) =>
    (instance.v3.aggracctBc.wbChannel.controlOrders.recover.post as (o: object) => Promise<unknown>)({
      json,
      ...options,
    });
  const last = () => arrived.at(-1)!;

  it('encrypts with the preferred key and names it in Wechatpay-Serial when the caller names none', async () => {
    await post(recover('ledger-1'), { encrypt: true });
    expect(last().serial).toBe(PLATFORM_SERIAL);
    expect(Rsa.decrypt(last().json.bal_account_no as string, platformKeys().privateKey)).toBe('ledger-1');
  });

  it.each(['Wechatpay-Serial', 'wechatpay-serial', 'WECHATPAY-SERIAL'])(
    'encrypts with the key the caller names as %s, and sends that one serial',
    async (name) => {
      await post(recover('ledger-2'), { encrypt: true, headers: { [name]: SECOND_SERIAL } });
      expect(last().serial).toBe(SECOND_SERIAL);
      expect(Rsa.decrypt(last().json.bal_account_no as string, strangerKeys().privateKey)).toBe('ledger-2');
    },
  );

  it('takes a Wechatpay-Serial that is not a string for no key: the preferred one encrypts, and its serial is sent', async () => {
    await post(recover('ledger-5'), { encrypt: true, headers: { 'Wechatpay-Serial': 42 } });
    expect(last().serial).toBe(PLATFORM_SERIAL);
    expect(Rsa.decrypt(last().json.bal_account_no as string, platformKeys().privateKey)).toBe('ledger-5');
  });

  it('adds no Wechatpay-Serial when a call with `encrypt: true` carries no sensitive value', async () => {
    const { bal_account_no: _omitted, ...json } = recover('unused');
    await post(json, { encrypt: true, validation: false });
    expect(last().serial).toBeUndefined();
    expect(last().json).toEqual(json);
  });

  it('refuses a serial the caller names that is not configured, naming it, before any I/O', async () => {
    const before = arrived.length;
    const error = await post(recover('ledger-3'), {
      encrypt: true,
      headers: { 'wechatpay-serial': 'PUB_KEY_ID_NOPE' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'headers.Wechatpay-Serial', issue: 'PUB_KEY_ID_NOPE is not among the configured certs' },
    ]);
    expect(arrived.length).toBe(before);
  });

  it('encrypts 214 UTF-8 bytes, the OAEP limit of a 2048-bit key, and refuses 215 naming the field', async () => {
    const limit = `${'测'.repeat(71)}x`; // 71 * 3 + 1 bytes
    expect(Buffer.byteLength(limit)).toBe(214);
    await post(recover(limit), { encrypt: true, validation: false });
    expect(Rsa.decrypt(last().json.bal_account_no as string, platformKeys().privateKey)).toBe(limit);
    const error = await post(recover(`${limit}y`), { encrypt: true, validation: false }).catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'json.bal_account_no', issue: 'is 215 bytes; RSA-OAEP encryption takes at most 214' },
    ]);
  });

  it('leaves a value shaped like a ciphertext alone, and takes anything else for plaintext', async () => {
    const ciphertext = Rsa.encrypt('already', platformKeys().publicKey);
    expect(ciphertext).toHaveLength(344);
    await post(recover(ciphertext), { encrypt: true, headers: { 'Wechatpay-Serial': PLATFORM_SERIAL } });
    expect(last().json.bal_account_no).toBe(ciphertext);
    // one character short, or one character outside base64: plaintext, so over the limit
    for (const plaintext of [ciphertext.slice(0, 343), `!${ciphertext.slice(1)}`]) {
      const error = await post(recover(plaintext), { encrypt: true, validation: false }).catch((e: unknown) => e);
      expect((error as ValidationError).issues).toEqual([
        { path: 'json.bal_account_no', issue: `is ${plaintext.length} bytes; RSA-OAEP encryption takes at most 214` },
      ]);
    }
  });

  it('without encrypt, refuses a plaintext sensitive field and a missing Wechatpay-Serial, saying what to do', async () => {
    const error = await post(recover('ledger-4')).catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'json.bal_account_no',
        issue: 'is sensitive and must be RSA-OAEP encrypted: pass `encrypt: true`, or encrypt it with Rsa.encrypt',
      },
      {
        path: 'headers.Wechatpay-Serial',
        issue: 'is required with encrypted fields: it names the key they were encrypted with',
      },
    ]);
    // with a serial named (in any spelling), only the plaintext is refused
    const named = await post(recover('ledger-4'), { headers: { 'wechatpay-serial': PLATFORM_SERIAL } }).catch(
      (e: unknown) => e,
    );
    expect((named as ValidationError).issues.map(({ path }) => path)).toEqual(['json.bal_account_no']);
  });

  it('decrypts reply fields encrypted to the merchant key, leaving empty and non-string values as they are', async () => {
    reply = {
      mchid: '1900016681',
      merchant_name: Rsa.encrypt('江西米高文化传媒有限测试公司', merchantKeys().publicKey),
      legal_representative: { legal_representative_name: '' },
      beneficial_owner: [
        { beneficial_owner_name: Rsa.encrypt('李四', merchantKeys().publicKey) },
        { beneficial_owner_name: 7 },
      ],
    };
    const get = instance.v3.aggracctBc.wbChannel.account.mch_archives.get as unknown as (
      o: object,
    ) => Promise<{ data: Json }>;
    const plain = await get({
      query: { mchid: '1900016681', bal_account_no: 'L' },
      encrypt: true,
      decrypt: true,
      validation: false,
    });
    expect(plain.data).toEqual({
      mchid: '1900016681',
      merchant_name: '江西米高文化传媒有限测试公司',
      legal_representative: { legal_representative_name: '' },
      beneficial_owner: [{ beneficial_owner_name: '李四' }, { beneficial_owner_name: 7 }],
    });
    reply = { ok: true };
  });
});

describe('RsaAsync, the WebCrypto toolkit', () => {
  const { publicKey, privateKey } = platformKeys();

  it('encrypts what node:crypto decrypts and decrypts what it encrypts, up to 214 bytes', async () => {
    const limit = 'x'.repeat(214);
    expect(Rsa.decrypt(await RsaAsync.encrypt(limit, publicKey), privateKey)).toBe(limit);
    expect(await RsaAsync.decrypt(Rsa.encrypt('测试', publicKey), privateKey)).toBe('测试');
  });

  it('imports a key as private unless told otherwise', async () => {
    const key = await RsaAsync.from(privateKey);
    expect(Rsa.verify('m', await RsaAsync.sign('m', key), publicKey)).toBe(true);
    expect(await RsaAsync.decrypt(Rsa.encrypt('k', publicKey), key)).toBe('k');
  });

  it('refuses 215 bytes, saying how many it got and takes', async () => {
    await expect(RsaAsync.encrypt('x'.repeat(215), publicKey)).rejects.toThrow(
      new RangeError('plaintext is 215 bytes; RSA-OAEP (SHA-1) takes at most 214'),
    );
  });

  it('signs a string and its UTF-8 bytes alike, and verifies only the message signed', async () => {
    const text = 'GET\n/v3/x\n1\nN\n\n测';
    const signature = await RsaAsync.sign(text, privateKey);
    expect(await RsaAsync.sign(new TextEncoder().encode(text), privateKey)).toBe(signature);
    expect(Rsa.verify(text, signature, publicKey)).toBe(true);
    expect(await RsaAsync.verify(text, signature, publicKey)).toBe(true);
    expect(await RsaAsync.verify(`${text}!`, signature, publicKey)).toBe(false);
  });

  it('says so when the runtime has no WebCrypto', async () => {
    const key = await RsaAsync.from(publicKey, 'public');
    const own = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      await expect(RsaAsync.encrypt('x', key)).rejects.toThrow(
        new TypeError('WebCrypto (globalThis.crypto.subtle) is not available in this runtime'),
      );
    } finally {
      Object.defineProperty(globalThis, 'crypto', own);
    }
  });
});
