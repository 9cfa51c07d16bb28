import { createPublicKey, verify } from 'node:crypto';
import { request } from 'node:http';
import { Formatter, Rsa, Transformer } from '../../lib';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { withGateway } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, merchantKeys, strangerKeys } from '../helpers/keys';

/**
 * Cases ported from wechatpay-php's own test suite (tests/TransformerTest.php, tests/Crypto/RsaTest.php,
 * tests/FormatterTest.php, tests/OpenAPI/V3/MerchantService/Images/DownloadTest.php) that failed on our toolkit.
 */
describe('Transformer.toXml takes wechatpay-php arguments: ($data, $headless, $indent, $root)', () => {
  const fields = {
    appid: 'wx2421b1c4370ec43b',
    body: 'dummybot',
    mch_id: '10000100',
    detail: JSON.stringify([{ goods_detail: '华为手机', url: 'https://huawei.com' }]),
  };

  it('is headless and on one line by default', () => {
    const xml = Transformer.toXml(fields);
    expect(xml).not.toContain('<?xml');
    expect(xml).not.toContain('\n');
    expect(xml).toMatch(/^<xml>.*<\/xml>$/s);
  });

  it('headless=false starts with the XML declaration; indent=true lays one element per line', () => {
    const xml = Transformer.toXml(fields, false, true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n <appid>')).toBe(true);
    expect(xml).toContain('\n <mch_id><![CDATA[10000100]]></mch_id>\n');
    expect(xml.endsWith('</xml>\n')).toBe(true);
    expect(Transformer.toObject(xml)).toEqual(fields);
  });

  it('headless=false without indent is the declaration line and the document', () => {
    expect(Transformer.toXml({ a: '1' }, false)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<xml><a><![CDATA[1]]></a></xml>\n',
    );
  });

  it('takes another root element name, and nests 2-depth objects indented', () => {
    const xml = Transformer.toXml({ appid: 'wx', detail: { goods_detail: '华为手机' } }, false, true, 'qqpay');
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<qqpay>\n <appid><![CDATA[wx]]></appid>\n <detail>\n  <goods_detail><![CDATA[华为手机]]></goods_detail>\n' +
        ' </detail>\n</qqpay>\n',
    );
    expect(Transformer.toObject(xml)).toEqual({ appid: 'wx', detail: { goods_detail: '华为手机' } });
  });

  it('writes Stringable values (an object with its own toString), booleans and numbers as text', () => {
    const recevier = {
      toString: () => JSON.stringify({ type: 'MERCHANT_ID', account: '190001001' }),
    };
    class Money {
      constructor(private readonly fen: number) {}
      toString(): string {
        return String(this.fen);
      }
    }
    const xml = Transformer.toXml({ finished: true, amount: 100, recevier, total: new Money(7) });
    expect(Transformer.toObject(xml)).toEqual({
      finished: 'true',
      amount: '100',
      recevier: '{"type":"MERCHANT_ID","account":"190001001"}',
      total: '7',
    });
  });

  it('still refuses what has no one XML form, and a root passed where headless goes', () => {
    expect(() => Transformer.toXml({ when: new Map() })).toThrow(/Map, which has no XML form/);
    expect(() => Transformer.toXml({ a: '1' }, 'qqpay' as never)).toThrow(/headless must be a boolean/);
  });
});

describe('Rsa.verify throws on missing or invalid arguments, as wechatpay-php', () => {
  const { privateKey, publicKey } = merchantKeys();
  const signature = Rsa.sign('message', privateKey);

  it('verifies and refuses as before', () => {
    expect(Rsa.verify('message', signature, publicKey)).toBe(true);
    expect(Rsa.verify('message', signature, strangerKeys().publicKey)).toBe(false);
    expect(Rsa.verify('massage', signature, publicKey)).toBe(false);
  });

  it.each([
    ['no message', [undefined, signature, publicKey], /message must be a string or Buffer, got undefined/],
    ['a numeric message', [42, signature, publicKey], /message must be a string or Buffer, got number/],
    ['no signature', ['message', undefined, publicKey], /signature must be a base64 string, got undefined/],
    ['a null signature', ['message', null, publicKey], /signature must be a base64 string, got null/],
    ['no public key', ['message', signature, undefined], /publicKey is required/],
    ['an empty public key', ['message', signature, ''], /publicKey is required/],
  ])('%s', (_case, args, message) => {
    expect(() => (Rsa.verify as (...a: unknown[]) => boolean)(...args)).toThrow(message);
  });

  it('a key that does not load throws instead of answering false', () => {
    expect(() => Rsa.verify('message', signature, 'not a key')).toThrow();
  });
});

describe('Formatter.authorization has wechatpay-php layout and WeChat Pay (the sandbox) accepts it', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
  });
  afterAll(() => sandbox.stop());

  async function get(target: string, authorization: string): Promise<{ status: number; body: string }> {
    const url = new URL(sandbox.url);
    return new Promise((resolve, reject) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: target,
        headers: { Authorization: authorization },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('a call authorised with Formatter.authorization passes the signature check; a forged one does not', async () => {
    const target = `/v3/pay/transactions/out-trade-no/NO_SUCH_ORDER?mchid=${MCHID}`;
    const timestamp = Formatter.timestamp();
    const nonce = Formatter.nonce();
    const signature = Rsa.sign(Formatter.request('GET', target, timestamp, nonce), merchantKeys().privateKey);
    const header = Formatter.authorization(MCHID, nonce, signature, timestamp, MERCHANT_SERIAL);
    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="\d+",serial_no="[^"]+",timestamp="\d+",nonce_str=/);
    const answered = await get(target, header);
    expect(answered.status).toBe(404);
    expect(answered.body).not.toContain('SIGN_ERROR');
    const forged = Rsa.sign(Formatter.request('GET', target, timestamp, nonce), strangerKeys().privateKey);
    const refused = await get(target, Formatter.authorization(MCHID, nonce, forged, timestamp, MERCHANT_SERIAL));
    expect(refused.status).toBe(401);
  });
});

describe('{+media_slot_url}: a slot with a percent-encoded slash is sent and signed as given', () => {
  const SLOT = 'ChsyMDAyMDgwMjAyMjAyMTgxMTA0NDEzMTEwMzASGzMwMDIwMDAyMDIyMDIxODE1MDQ0MTcwOTI5NhgAIO%2FFR1pAGKAMwAjgB';

  it('reserved expansion keeps %2F; simple expansion encodes the % itself; both signed over the wire path', async () => {
    const { gateway, instance } = await withGateway(() => ({
      status: 200,
      headers: { 'Content-Type': 'image/png' },
      body: Buffer.from('png'),
    }));
    try {
      await instance.chain('v3/merchant-service/images/{+media_slot_url}').get({ media_slot_url: SLOT });
      await instance.chain('v3/merchant-service/images/{media_slot_url}').get({ media_slot_url: SLOT });
      const [reserved, simple] = gateway.received;
      expect(reserved!.url).toBe(`/v3/merchant-service/images/${SLOT}`);
      expect(simple!.url).toBe(`/v3/merchant-service/images/${SLOT.replace('%2F', '%252F')}`);
      for (const call of gateway.received) {
        const { nonce_str, signature, timestamp } = call.authorization!;
        const message = `GET\n${call.url}\n${timestamp}\n${nonce_str}\n\n`;
        const key = createPublicKey(merchantKeys().publicKey);
        expect(verify('sha256', Buffer.from(message), key, Buffer.from(signature!, 'base64'))).toBe(true);
      }
    } finally {
      await gateway.stop();
    }
  });
});
