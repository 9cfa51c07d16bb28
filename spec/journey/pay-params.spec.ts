import { createPrivateKey, webcrypto } from 'node:crypto';
import { PayParams, ValidationError, importWebKey } from '../../lib';
import { merchantKeys, strangerKeys } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';

const files = scratch();
afterAll(() => files.remove());

/** openssl's own verdict on a base64 signature over `message` with the merchant public key. */
function opensslVerifies(message: string, signature: string, publicKey = merchantKeys().publicKey): boolean {
  const keyFile = files.path(`pub-${Math.random().toString(36).slice(2)}.pem`, publicKey);
  const sigFile = files.path(`sig-${Math.random().toString(36).slice(2)}.bin`, Buffer.from(signature, 'base64'));
  try {
    return openssl(['dgst', '-sha256', '-verify', keyFile, '-signature', sigFile], message)
      .toString()
      .includes('Verified OK');
  } catch {
    return false; // openssl exits 1 on "Verification failure"
  }
}

const FIXED = { timestamp: 1_735_689_600, nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS' };

describe('PayParams.jsapi: what wx.requestPayment / WeixinJSBridge take', () => {
  it('signs appId\\ntimeStamp\\nnonceStr\\npackage\\n with the merchant key, as openssl verifies', () => {
    const params = PayParams.jsapi({
      appId: 'wxd678efh567hg6787',
      prepayId: 'wx2017033010242291fcfe0db70013231072',
      privateKey: merchantKeys().privateKey,
      ...FIXED,
    });
    expect(params).toEqual({
      appId: 'wxd678efh567hg6787',
      timeStamp: '1735689600',
      nonceStr: FIXED.nonce,
      package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
      signType: 'RSA',
      paySign: expect.any(String),
    });
    const message = `wxd678efh567hg6787\n1735689600\n${FIXED.nonce}\nprepay_id=wx2017033010242291fcfe0db70013231072\n`;
    expect(opensslVerifies(message, params.paySign)).toBe(true);
    expect(opensslVerifies(message, params.paySign, strangerKeys().publicKey)).toBe(false);
    // any other line order or field is refused by openssl: the message is exactly the documented one
    expect(opensslVerifies(message.replace('1735689600', '1735689601'), params.paySign)).toBe(false);
  });

  it('gives stable output for a fixed timestamp and nonce (PKCS#1 v1.5 is deterministic)', () => {
    const input = { appId: 'wx1', prepayId: 'wx2', privateKey: merchantKeys().privateKey, ...FIXED };
    expect(PayParams.jsapi(input)).toEqual(PayParams.jsapi(input));
  });

  it('defaults to now and a fresh 32-character nonce; every value is a string', () => {
    const before = Math.floor(Date.now() / 1000);
    const a = PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey: merchantKeys().privateKey });
    const b = PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey: merchantKeys().privateKey });
    expect(Number(a.timeStamp)).toBeGreaterThanOrEqual(before);
    expect(Number(a.timeStamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(a.nonceStr).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(a.nonceStr).not.toBe(b.nonceStr);
    for (const value of Object.values(a)) expect(typeof value).toBe('string');
    expect(opensslVerifies(`wx1\n${a.timeStamp}\n${a.nonceStr}\nprepay_id=wx2\n`, a.paySign)).toBe(true);
  });

  it('takes any key form privateKey accepts (a KeyObject, a file:// path)', () => {
    const path = files.path('apiclient_key.pem', merchantKeys().privateKey);
    const fromPem = PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey: merchantKeys().privateKey, ...FIXED });
    for (const privateKey of [createPrivateKey(merchantKeys().privateKey), `file://${path}`]) {
      expect(PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey, ...FIXED })).toEqual(fromPem);
    }
  });
});

describe('PayParams.app: what the App SDK PayReq takes', () => {
  it('signs appid\\ntimestamp\\nnoncestr\\nprepayid\\n, as openssl verifies', () => {
    const params = PayParams.app({
      appId: 'wxd678efh567hg6787',
      partnerId: '1900000109',
      prepayId: 'WX1217752501201407033233368018',
      privateKey: merchantKeys().privateKey,
      ...FIXED,
    });
    expect(params).toEqual({
      appid: 'wxd678efh567hg6787',
      partnerid: '1900000109',
      prepayid: 'WX1217752501201407033233368018',
      package: 'Sign=WXPay',
      noncestr: FIXED.nonce,
      timestamp: '1735689600',
      sign: expect.any(String),
    });
    const message = `wxd678efh567hg6787\n1735689600\n${FIXED.nonce}\nWX1217752501201407033233368018\n`;
    expect(opensslVerifies(message, params.sign)).toBe(true);
  });
});

describe('PayParams async forms (WebCrypto)', () => {
  it('jsapiAsync and appAsync sign the same bytes as the synchronous forms', async () => {
    const jsapi = { appId: 'wx1', prepayId: 'wx2', ...FIXED };
    const app = { ...jsapi, partnerId: '1900000109' };
    const privateKey = merchantKeys().privateKey;
    await expect(PayParams.jsapiAsync({ ...jsapi, privateKey })).resolves.toEqual(
      PayParams.jsapi({ ...jsapi, privateKey }),
    );
    await expect(PayParams.appAsync({ ...app, privateKey })).resolves.toEqual(PayParams.app({ ...app, privateKey }));
  });

  it('takes a CryptoKey and a key imported once (WebRsaKey)', async () => {
    const input = { appId: 'wx1', prepayId: 'wx2', ...FIXED };
    const expected = PayParams.jsapi({ ...input, privateKey: merchantKeys().privateKey });
    const cryptoKey = await webcrypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(merchantKeys().privateKey).export({ type: 'pkcs8', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    await expect(PayParams.jsapiAsync({ ...input, privateKey: cryptoKey })).resolves.toEqual(expected);
    const imported = await importWebKey(merchantKeys().privateKey, 'private');
    await expect(PayParams.jsapiAsync({ ...input, privateKey: imported })).resolves.toEqual(expected);
  });
});

describe('PayParams refuses bad input, naming the field', () => {
  const privateKey = merchantKeys().privateKey;
  const issuesOf = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((issue) => issue.path);
    }
    throw new Error('did not throw');
  };

  it.each([
    ['a missing appId', { prepayId: 'wx2', privateKey }, ['appId']],
    ['an empty prepayId', { appId: 'wx1', prepayId: '', privateKey }, ['prepayId']],
    ['a line feed in prepayId', { appId: 'wx1', prepayId: 'wx2\nx', privateKey }, ['prepayId']],
    ['no privateKey', { appId: 'wx1', prepayId: 'wx2' }, ['privateKey']],
    ['a fractional timestamp', { appId: 'wx1', prepayId: 'wx2', privateKey, timestamp: 1.5 }, ['timestamp']],
    ['a nonce with a symbol', { appId: 'wx1', prepayId: 'wx2', privateKey, nonce: 'a&b' }, ['nonce']],
    ['every bad field at once', { appId: 7, prepayId: null, nonce: '' }, ['appId', 'prepayId', 'privateKey', 'nonce']],
  ])('jsapi with %s', (_case, input, paths) => {
    expect(issuesOf(() => PayParams.jsapi(input as never))).toEqual(paths);
  });

  it('app without partnerId', () => {
    expect(issuesOf(() => PayParams.app({ appId: 'wx1', prepayId: 'wx2', privateKey } as never))).toEqual([
      'partnerId',
    ]);
  });

  it('a privateKey that does not load (a public key) names privateKey and shows no key', () => {
    const error = (() => {
      try {
        PayParams.jsapi({ appId: 'wx1', prepayId: 'wx2', privateKey: merchantKeys().publicKey });
      } catch (caught) {
        return caught as ValidationError;
      }
      throw new Error('did not throw');
    })();
    expect(error.issues).toEqual([{ path: 'privateKey', issue: expect.stringMatching(/^does not load: /) }]);
    expect(error.message).not.toContain('BEGIN');
  });

  it('the async form rejects a bad key the same way', async () => {
    const rejected = await PayParams.jsapiAsync({ appId: 'wx1', prepayId: 'wx2', privateKey: 'not a key' }).catch(
      (error: unknown) => error,
    );
    expect(rejected).toBeInstanceOf(ValidationError);
    expect((rejected as ValidationError).issues[0]!.path).toBe('privateKey');
  });
});
