import { createHash, createHmac } from 'node:crypto';
import { ApiV2Error } from '../../lib';
import type { SandboxHandle } from '../../lib/sandbox';
import { MCHID, merchantKeys, MERCHANT_SERIAL } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from './helpers';

/** APIv2 (XML) on the same server and ledger: our client one way, an independent signer the other. */
const SECRET = '192006250b4c09247ec02edce69f6a2d';

function independentSign(fields: Record<string, string>, type: 'MD5' | 'HMAC-SHA256'): string {
  const data = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
  const input = `${data}&key=${SECRET}`;
  const digest = type === 'HMAC-SHA256' ? createHmac('sha256', SECRET).update(input) : createHash('md5').update(input);
  return digest.digest('hex').toUpperCase();
}

function parse(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, cdata, plain] of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g))
    fields[name!] = cdata ?? plain ?? '';
  return fields;
}

async function rawV2(
  sandbox: SandboxHandle,
  path: string,
  fields: Record<string, string>,
): Promise<Record<string, string>> {
  const xml = `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
  const response = await fetch(new URL(path, sandbox.url), {
    method: 'POST',
    body: xml,
    headers: { 'Content-Type': 'text/xml' },
  });
  return parse(await response.text());
}

const unified = (out_trade_no: string, extra: Record<string, string> = {}) => ({
  appid: 'wxd678efh567hg6787',
  body: '腾讯充值中心-QQ会员充值',
  out_trade_no,
  total_fee: 888,
  spbill_create_ip: '14.23.150.211',
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
  trade_type: 'NATIVE',
  ...extra,
});

describe('sandbox APIv2', () => {
  let f: SandboxFixture;
  beforeAll(async () => {
    f = await startSandbox(
      { merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey, secret: SECRET }] },
      { secret: SECRET },
    );
  });
  afterAll(() => f.sandbox.stop());

  it.each(['MD5', 'HMAC-SHA256'] as const)(
    'unifiedorder -> pay -> orderquery -> refund, %s signed both ways (our client verifies every reply)',
    async (sign_type) => {
      const no = `V2-${sign_type}`;
      const placed = await f.instance.v2.pay.unifiedorder.post({ xml: unified(no, { sign_type }) });
      expect(placed.data).toMatchObject({
        return_code: 'SUCCESS',
        result_code: 'SUCCESS',
        trade_type: 'NATIVE',
        code_url: expect.stringMatching(/^weixin:\/\//),
        prepay_id: expect.stringMatching(/^wx/),
      });
      expect(String((placed.data as unknown as Record<string, string>).sign)).toHaveLength(
        sign_type === 'MD5' ? 32 : 64,
      );
      const pending = await f.instance.v2.pay.orderquery.post({
        xml: { appid: 'wxd678efh567hg6787', out_trade_no: no, sign_type },
      });
      expect(pending.data).toMatchObject({ trade_state: 'NOTPAY', total_fee: '888' });
      f.sandbox.pay(no);
      const paid = await f.instance.v2.pay.orderquery.post({
        xml: { appid: 'wxd678efh567hg6787', out_trade_no: no, sign_type },
      });
      expect(paid.data).toMatchObject({
        trade_state: 'SUCCESS',
        transaction_id: expect.stringMatching(/^42000/),
        time_end: expect.stringMatching(/^\d{14}$/),
      });
      const refunded = await f.instance.v2.secapi.pay.refund.post({
        xml: {
          appid: 'wxd678efh567hg6787',
          out_trade_no: no,
          out_refund_no: `${no}-R`,
          total_fee: 888,
          refund_fee: 88,
          sign_type,
        },
      });
      expect(refunded.data).toMatchObject({ result_code: 'SUCCESS', refund_fee: '88', out_refund_no: `${no}-R` });
      const over = await f.instance.v2.secapi.pay.refund
        .post({
          xml: {
            appid: 'wxd678efh567hg6787',
            out_trade_no: no,
            out_refund_no: `${no}-R2`,
            total_fee: 888,
            refund_fee: 801,
            sign_type,
          },
        })
        .catch((error: unknown) => error);
      expect(over).toBeInstanceOf(ApiV2Error);
      expect((over as ApiV2Error).data).toMatchObject({ result_code: 'FAIL', err_code: 'NOTENOUGH' });
      // the same ledger: APIv3 sees the APIv2 order
      const v3 = await f.instance.chain('v3/pay/transactions/out-trade-no/{no}').get({ no, query: { mchid: MCHID } });
      expect(v3.data).toMatchObject({ trade_state: 'REFUND', amount: { total: 888 } });
    },
  );

  it('answers a changed repeat of an out_trade_no with result_code FAIL INVALID_REQUEST', async () => {
    await f.instance.v2.pay.unifiedorder.post({ xml: unified('V2-DUP') });
    const changed = await f.instance.v2.pay.unifiedorder
      .post({ xml: { ...unified('V2-DUP'), total_fee: 1 } })
      .catch((error: unknown) => error);
    expect((changed as ApiV2Error).data).toMatchObject({ result_code: 'FAIL', err_code: 'INVALID_REQUEST' });
  });

  it('refuses a bad sign, a missing field and an unknown merchant with return_code FAIL (independent signer)', async () => {
    const fields: Record<string, string> = {
      ...unified('V2-RAW'),
      total_fee: '888',
      mch_id: MCHID,
      nonce_str: 'n'.repeat(32),
      sign_type: 'HMAC-SHA256',
    };
    const good = await rawV2(f.sandbox, '/pay/unifiedorder', {
      ...fields,
      sign: independentSign(fields, 'HMAC-SHA256'),
    });
    expect(good).toMatchObject({ return_code: 'SUCCESS', result_code: 'SUCCESS' });
    expect(good.sign).toBe(independentSign(good, 'HMAC-SHA256'));
    const bad = await rawV2(f.sandbox, '/pay/unifiedorder', { ...fields, sign: independentSign(fields, 'MD5') });
    expect(bad).toEqual({ return_code: 'FAIL', return_msg: '签名错误' });
    const { spbill_create_ip: _ip, ...missing } = fields;
    const noIp = await rawV2(f.sandbox, '/pay/unifiedorder', {
      ...missing,
      sign: independentSign(missing, 'HMAC-SHA256'),
    });
    expect(noIp).toEqual({ return_code: 'FAIL', return_msg: 'spbill_create_ip 参数缺失' });
    const stranger = { ...fields, mch_id: '1230000109' };
    const unknown = await rawV2(f.sandbox, '/pay/unifiedorder', {
      ...stranger,
      sign: independentSign(stranger, 'HMAC-SHA256'),
    });
    expect(unknown.return_code).toBe('FAIL');
  });
});
