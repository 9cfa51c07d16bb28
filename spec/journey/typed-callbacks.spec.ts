import { createCipheriv, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FetchWebhook,
  PayParams,
  Webhook,
  combineTransactionOf,
  partnerRefundOf,
  partnerTransactionOf,
  type CallbackEvent,
} from '../../lib';
import { MCHID, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from '../sandbox/helpers';

const APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

/** A signed, encrypted callback of `eventType` built with node:crypto alone, as WeChat Pay sends it. */
function callback(eventType: string, resource: unknown) {
  const iv = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(APIV3_KEY), Buffer.from(iv));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]);
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-01-01T10:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '通知',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ciphertext.toString('base64'),
      associated_data: 'transaction',
      nonce: iv,
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKeys().privateKey);
  const headers = {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature.toString('base64'),
    'wechatpay-serial': PLATFORM_SERIAL,
  };
  return { headers, body };
}

const webhook = () => new Webhook({ certs: { [PLATFORM_SERIAL]: platformKeys().publicKey }, apiv3Key: APIV3_KEY });

const PAID = {
  appid: 'wxd678efh567hg6787',
  mchid: MCHID,
  out_trade_no: '1217752501201407033233368018',
  transaction_id: '1217752501201407033233368018',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'CMC',
  success_time: '2026-01-01T10:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};
const PARTNER_PAID = {
  ...PAID,
  appid: undefined,
  mchid: undefined,
  sp_appid: 'wx8888888888888888',
  sp_mchid: '1230000109',
  sub_mchid: '1900000109',
  payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
};
const COMBINE_PAID = {
  combine_appid: 'wxd678efh567hg6787',
  combine_mchid: '1900000109',
  combine_out_trade_no: 'P20150806125346',
  sub_orders: [
    {
      mchid: '1900000109',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      bank_type: 'CMC',
      attach: '深圳分店',
      success_time: '2026-01-01T10:00:00+08:00',
      transaction_id: '4200000000000000000000000001',
      out_trade_no: '20150806125346',
      amount: { total_amount: 10, currency: 'CNY', payer_amount: 10, payer_currency: 'CNY' },
    },
  ],
  combine_payer_info: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
};
const REFUNDED = {
  mchid: MCHID,
  out_trade_no: '1217752501201407033233368018',
  transaction_id: '1217752501201407033233368018',
  out_refund_no: '1217752501201407033233368018',
  refund_id: '1217752501201407033233368018',
  refund_status: 'SUCCESS',
  success_time: '2026-01-01T10:00:00+08:00',
  user_received_account: '招商银行信用卡0403',
  amount: { total: 100, refund: 100, payer_total: 100, payer_refund: 100 },
};

describe('typed callback events: event_type at the top narrows resource', () => {
  it('parse puts the envelope event_type at the top of the event, next to the decrypted resource', () => {
    const event = webhook().parse(callback('REFUND.SUCCESS', REFUNDED));
    expect(event.event_type).toBe('REFUND.SUCCESS');
    expect(event.event_type).toBe(event.envelope.event_type);
    if (event.event_type !== 'REFUND.SUCCESS') throw new Error('not narrowed');
    expect(event.resource.amount.refund).toBe(100);
    expect(event.resource).toEqual(REFUNDED);
  });

  it('handle carries event_type too, and an unmapped event type arrives as a plain record', () => {
    const handled = webhook().handle(callback('COUPON.USE', { stock_id: '9856000', coupon_id: '98674556' }));
    expect(handled.ok).toBe(true);
    if (!handled.ok) return;
    expect(handled.event_type).toBe('COUPON.USE');
    expect(handled.resource).toEqual({ stock_id: '9856000', coupon_id: '98674556' });
  });

  it('tells an ordinary, a partner and a combine TRANSACTION.SUCCESS apart by their resource', () => {
    const kinds = [PAID, PARTNER_PAID, COMBINE_PAID].map((resource) => {
      const event: CallbackEvent = webhook().parse(callback('TRANSACTION.SUCCESS', resource));
      const combine = combineTransactionOf(event);
      if (combine) return `combine ${combine.sub_orders[0]!.amount.total_amount}`;
      const partner = partnerTransactionOf(event);
      if (partner) return `partner ${partner.sub_mchid}`;
      if (event.event_type === 'TRANSACTION.SUCCESS') return `direct ${event.resource.amount.total}`;
      return 'other';
    });
    expect(kinds).toEqual(['direct 100', 'partner 1900000109', 'combine 10']);
  });

  it('partnerRefundOf: a partner refund notification; a direct one is not', () => {
    const partner = webhook().parse(
      callback('REFUND.CLOSED', { ...REFUNDED, mchid: undefined, sp_mchid: '1230000109', sub_mchid: '1900000109' }),
    );
    const direct = webhook().parse(callback('REFUND.CLOSED', REFUNDED));
    expect([partnerRefundOf(partner)?.sub_mchid, partnerRefundOf(direct)]).toEqual(['1900000109', undefined]);
    // a transaction with sp_mchid is not a refund
    expect(partnerRefundOf(webhook().parse(callback('TRANSACTION.SUCCESS', PARTNER_PAID)))).toBeUndefined();
  });

  it('FetchWebhook.parse and respond carry event_type at the top', async () => {
    const fetchWebhook = await FetchWebhook.create({
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      apiv3Key: APIV3_KEY,
    });
    const { headers, body } = callback('TRANSACTION.SUCCESS', PAID);
    const event = await fetchWebhook.parse(new Request('http://127.0.0.1/notify', { method: 'POST', headers, body }));
    expect(event.event_type).toBe('TRANSACTION.SUCCESS');
    const seen: string[] = [];
    const response = await fetchWebhook.respond(
      new Request('http://127.0.0.1/notify', { method: 'POST', headers, body }),
      (received) => {
        if (received.event_type === 'TRANSACTION.SUCCESS') seen.push(received.resource.transaction_id);
      },
    );
    expect(response.status).toBe(204);
    expect(seen).toEqual([PAID.transaction_id]);
  });
});

describe('the journey against the sandbox: order, front-end parameters, TRANSACTION.SUCCESS, refund, REFUND.SUCCESS', () => {
  let fixture: SandboxFixture;
  let server: Server;
  const events: CallbackEvent[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    const receiver: { hook?: Webhook } = {};
    server = createServer((req, res) =>
      receiver.hook!.listener((event) => {
        events.push(event);
        // the narrowing a merchant writes, checked at run time on the sandbox's real callbacks
        if (event.event_type === 'TRANSACTION.SUCCESS')
          seen.push(`paid ${event.resource.out_trade_no} ${event.resource.amount.total}`);
        if (event.event_type === 'REFUND.SUCCESS')
          seen.push(`refunded ${event.resource.out_refund_no} ${event.resource.amount.refund}`);
      })(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
    fixture = await startSandbox({ notifyUrl });
    receiver.hook = new Webhook({ certs: fixture.sandbox.certs, apiv3Key: fixture.sandbox.apiv3Key });
  });
  afterAll(async () => {
    await fixture.sandbox.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('pays a JSAPI order and refunds it; the callbacks arrive typed as the official pages describe them', async () => {
    const { data } = await fixture.instance.v3.pay.transactions.jsapi.post({
      json: {
        appid: 'wxd678efh567hg6787',
        mchid: MCHID,
        description: 'Image形象店-深圳腾大-QQ公仔',
        out_trade_no: 'JOURNEY-0001',
        notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
        amount: { total: 100, currency: 'CNY' },
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
      },
    });
    const params = PayParams.jsapi({
      appId: 'wxd678efh567hg6787',
      prepayId: data.prepay_id,
      privateKey: merchantKeys().privateKey,
    });
    expect(params.package).toBe(`prepay_id=${data.prepay_id}`);

    fixture.sandbox.pay('JOURNEY-0001');
    await fixture.sandbox.callbacksIdle();
    await fixture.instance.v3.refund.domestic.refunds.post({
      json: {
        out_trade_no: 'JOURNEY-0001',
        out_refund_no: 'JOURNEY-R-0001',
        amount: { refund: 100, total: 100, currency: 'CNY' },
      },
    });
    fixture.sandbox.settle(); // the refund succeeds now rather than after the sandbox's delay
    await fixture.sandbox.callbacksIdle();
    expect(seen).toEqual(['paid JOURNEY-0001 100', 'refunded JOURNEY-R-0001 100']);
    const paid = events[0]!;
    expect(paid.event_type).toBe('TRANSACTION.SUCCESS');
    // every field the Transaction type requires is in the sandbox's callback
    expect(Object.keys(paid.resource)).toEqual(
      expect.arrayContaining([
        'appid',
        'mchid',
        'out_trade_no',
        'transaction_id',
        'trade_type',
        'trade_state',
        'trade_state_desc',
        'bank_type',
        'success_time',
        'payer',
        'amount',
      ]),
    );
  });
});
