import { randomBytes, sign } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, type WebhookEvent } from '../../lib';
import type { AppPaymentParams, JsapiPaymentParams } from '../../lib/sandbox';
import { MCHID, merchantKeys, strangerKeys } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from './helpers';
import { independentlyVerified, type Raw } from './raw';

/**
 * The sandbox plays the payer's WeChat client: it takes the parameters a merchant hands `wx.requestPayment` or the
 * App SDK, checks their signature with the merchant's public key and the prepay id it issued, and pays the order.
 * The parameters are built here with node:crypto directly, as the official docs describe them.
 */
type Json = Record<string, unknown>;
const APPID = 'wxd678efh567hg6787';

function jsapiParams(prepayId: string, key = merchantKeys().privateKey): JsapiPaymentParams {
  const timeStamp = String(Math.floor(Date.now() / 1000));
  const nonceStr = randomBytes(16).toString('hex');
  const pkg = `prepay_id=${prepayId}`;
  const paySign = sign('sha256', Buffer.from(`${APPID}\n${timeStamp}\n${nonceStr}\n${pkg}\n`), key).toString('base64');
  return { appId: APPID, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

function appParams(prepayId: string, key = merchantKeys().privateKey): AppPaymentParams {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const noncestr = randomBytes(16).toString('hex');
  const sign_ = sign('sha256', Buffer.from(`${APPID}\n${timestamp}\n${noncestr}\n${prepayId}\n`), key);
  return {
    appid: APPID,
    partnerid: MCHID,
    prepayid: prepayId,
    package: 'Sign=WXPay',
    noncestr,
    timestamp,
    sign: sign_.toString('base64'),
  };
}

/** A POST with a JSON body and no signature, as a test tool or a browser page would send it. */
function hook(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<Raw> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
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

describe('sandbox request-payment: the front end paying an order', () => {
  let f: SandboxFixture;
  let receiver: Server;
  const events: WebhookEvent<Json>[] = [];

  beforeAll(async () => {
    const rx: { webhook?: Webhook } = {};
    receiver = createServer(
      (req, res) => void rx.webhook!.listener<Json>((event) => void events.push(event))(req, res),
    );
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
    f = await startSandbox({ notifyUrl });
    rx.webhook = new Webhook({ certs: f.sandbox.certs, apiv3Key: f.sandbox.apiv3Key });
  });
  afterAll(async () => {
    await f.sandbox.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const placeOrder = async (kind: 'jsapi' | 'app', out_trade_no: string): Promise<string> => {
    const json: Json = {
      appid: APPID,
      mchid: MCHID,
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no,
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 100, currency: 'CNY' },
      ...(kind === 'jsapi' ? { payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } } : {}),
    };
    const reply = await f.instance.chain(`v3/pay/transactions/${kind}`).post({ json } as never);
    return (reply.data as { prepay_id: string }).prepay_id;
  };
  const state = async (out_trade_no: string) => {
    const reply = await f.instance
      .chain('v3/pay/transactions/out-trade-no/{out_trade_no}')
      .get({ out_trade_no, query: { mchid: MCHID } });
    return reply.data.trade_state;
  };

  it('pays a JSAPI order from its signed parameters over HTTP and sends TRANSACTION.SUCCESS', async () => {
    const prepayId = await placeOrder('jsapi', 'ORDER-FRONT-1');
    const reply = await hook(f.sandbox.url, '/sandbox/request-payment', JSON.stringify(jsapiParams(prepayId)));
    expect([reply.status, reply.json.trade_state, reply.json.out_trade_no]).toEqual([200, 'SUCCESS', 'ORDER-FRONT-1']);
    expect(independentlyVerified(f.sandbox, reply)).toBe(true);
    expect(await state('ORDER-FRONT-1')).toBe('SUCCESS');
    await f.sandbox.callbacksIdle();
    const paid = events.find((event) => (event.resource as Json).out_trade_no === 'ORDER-FRONT-1');
    // read from the envelope or the top level: the event's shape is being typed elsewhere
    const eventType = (paid as unknown as Json | undefined)?.event_type ?? paid?.envelope.event_type;
    expect(eventType).toBe('TRANSACTION.SUCCESS');
  });

  it('pays an App order from code: handle.requestPayment(params)', async () => {
    const prepayId = await placeOrder('app', 'ORDER-FRONT-2');
    expect(f.sandbox.requestPayment(appParams(prepayId))).toMatchObject({
      out_trade_no: 'ORDER-FRONT-2',
      trade_state: 'SUCCESS',
      trade_type: 'APP',
    });
    expect(await state('ORDER-FRONT-2')).toBe('SUCCESS');
  });

  it('answers a wrong paySign or sign with 400 SIGN_ERROR and pays nothing', async () => {
    const jsapiId = await placeOrder('jsapi', 'ORDER-FRONT-3');
    const forged = jsapiParams(jsapiId, strangerKeys().privateKey);
    const reply = await hook(f.sandbox.url, '/sandbox/request-payment', JSON.stringify(forged));
    expect([reply.status, reply.json.code]).toEqual([400, 'SIGN_ERROR']);
    // a signed set with one field changed afterwards does not verify either
    const tampered = { ...jsapiParams(jsapiId), timeStamp: '1' };
    expect((await hook(f.sandbox.url, '/sandbox/request-payment', JSON.stringify(tampered))).json.code).toBe(
      'SIGN_ERROR',
    );
    expect(await state('ORDER-FRONT-3')).toBe('NOTPAY');

    const appId = await placeOrder('app', 'ORDER-FRONT-4');
    expect(() => f.sandbox.requestPayment(appParams(appId, strangerKeys().privateKey))).toThrow(/SIGN_ERROR/);
    expect(await state('ORDER-FRONT-4')).toBe('NOTPAY');
  });

  it('answers a prepay id it never issued with 404', async () => {
    const reply = await hook(
      f.sandbox.url,
      '/sandbox/request-payment',
      JSON.stringify(jsapiParams('wx201410272009395522657a690389285100')),
    );
    expect(reply.status).toBe(404);
    expect(() => f.sandbox.requestPayment(appParams('wx201410272009395522657a690389285100'))).toThrow(/404|NOT_EXIST/);
  });
});
