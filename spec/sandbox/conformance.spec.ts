import { randomBytes, sign } from 'node:crypto';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys, strangerKeys } from '../helpers/keys';
import { independentlyVerified, rawCall } from './raw';

/**
 * The sandbox answers where merchants write error handling as WeChat Pay does. Each case quotes the reply WeChat
 * Pay documents (or is documented to send); requests are signed and replies checked with node:crypto directly.
 */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function signedBy(key: string, method: string, target: string, body: string, timestamp: number, nonce: string) {
  const signature = sign('sha256', Buffer.from(`${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`), key);
  return `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature.toString('base64')}",timestamp="${timestamp}",serial_no="${MERCHANT_SERIAL}"`;
}

describe('sandbox conformance with WeChat Pay documented answers', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
  });
  afterAll(() => sandbox.stop());

  // 申请交易账单 / 申请资金账单: "400 NO_STATEMENT_EXIST 账单文件不存在" for a day without trades
  it.each([
    ['trade bill', `/v3/bill/tradebill?bill_date=${today()}`],
    ['fund-flow bill', `/v3/bill/fundflowbill?bill_date=${today()}`],
  ])('a %s for a day with no trades is 400 NO_STATEMENT_EXIST, not an empty file', async (_kind, target) => {
    const reply = await rawCall(sandbox, 'GET', target);
    expect([reply.status, reply.json.code]).toEqual([400, 'NO_STATEMENT_EXIST']);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  // wechatpay-php's README: a public-key-only merchant's certificate download answers
  // 404 {"code":"RESOURCE_NOT_EXISTS","message":"无可用的平台证书"}
  it('GET /v3/certificates for a public-key-only merchant is 404 RESOURCE_NOT_EXISTS 无可用的平台证书', async () => {
    const reply = await rawCall(sandbox, 'GET', '/v3/certificates');
    expect([reply.status, reply.json.code, reply.json.message]).toEqual([
      404,
      'RESOURCE_NOT_EXISTS',
      '无可用的平台证书',
    ]);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  // WeChat Pay's documented 401 (developers' forum, the "如何定位错误的签名" FAQ):
  // {"code":"SIGN_ERROR","message":"错误的签名,验签失败","detail":{"detail":{"issue":"sign not match"},
  //  "field":"signature","location":"authorization","sign_information":{"method":"POST","sign_message_length":79,
  //  "truncated_sign_message":"POST\n/v3/smartguide/guides\n1591088141\n1591088141009\n{\"sub_mc\n",
  //  "url":"/v3/smartguide/guides"}}}
  it('a signature that does not verify is 401 SIGN_ERROR with detail.sign_information, as WeChat Pay gives it', async () => {
    const target = '/v3/pay/transactions/native';
    const body = JSON.stringify({ appid: 'wxd678efh567hg6787', mchid: MCHID });
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const reply = await rawCall(sandbox, 'POST', target, {
      body,
      headers: { Authorization: signedBy(strangerKeys().privateKey, 'POST', target, body, timestamp, nonce) },
    });
    expect([reply.status, reply.json.code, reply.json.message]).toEqual([401, 'SIGN_ERROR', '错误的签名,验签失败']);
    const message = `POST\n${target}\n${timestamp}\n${nonce}\n${body}\n`;
    expect(reply.json.detail).toEqual({
      detail: { issue: 'sign not match' },
      field: 'signature',
      location: 'authorization',
      sign_information: {
        method: 'POST',
        url: target,
        sign_message_length: Buffer.byteLength(message),
        truncated_sign_message: `POST\n${target}\n${timestamp}\n${nonce}\n${body.slice(0, 8)}\n`,
      },
    });
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  // 签名相关错误: "Authorization 格式错误 / 不支持的认证类型" are listed as 401 SIGN_ERROR causes
  it.each([
    ['a malformed Authorization', 'WECHATPAY2-SHA256-RSA2048 mchid=1900000001'],
    ['an unknown scheme', 'Bearer abc'],
    ['a missing field', `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="n"`],
  ])('%s is 401 SIGN_ERROR', async (_case, authorization) => {
    const reply = await rawCall(sandbox, 'GET', '/v3/pay/transactions/out-trade-no/ORDER-1?mchid=' + MCHID, {
      headers: { Authorization: authorization },
    });
    expect([reply.status, reply.json.code]).toEqual([401, 'SIGN_ERROR']);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
  });

  // 接口规则, 错误信息: {"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/currency",
  //  "value":"XYZ","issue":"Currency code is invalid","location":"body"}}: body fields are JSON Pointers
  it('PARAM_ERROR names a body field with a JSON Pointer (/payer/openid)', async () => {
    const body = JSON.stringify({
      appid: 'wxd678efh567hg6787',
      mchid: MCHID,
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: 'ORDER-POINTER-1',
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 100, currency: 'CNY' },
    });
    const reply = await rawCall(sandbox, 'POST', '/v3/pay/transactions/jsapi', { body });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/payer/openid', location: 'body' } });
    const currency = await rawCall(sandbox, 'POST', '/v3/pay/transactions/native', {
      body: JSON.stringify({ ...JSON.parse(body), amount: { total: 100, currency: 'XYZ' } }),
    });
    expect(currency.json).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: '/amount/currency', value: 'XYZ', location: 'body' },
    });
  });
});
