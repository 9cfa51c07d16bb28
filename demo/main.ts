/**
 * The main job: start the sandbox with throwaway keys, build a client, and walk the seed endpoints end to end
 * over real signed HTTP on loopback, then a payment from order to refund callback. Run with `npm run demo`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, Builder, Webhook, type WebhookEvent, type WechatpayInstance } from '../lib';
import { DEMO_ACCOUNT, Sandbox, type SandboxHandle } from '../lib/sandbox';

const MCHID = '1900000001';
const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const target = { mchid: DEMO_ACCOUNT.mchid, bal_account_no: DEMO_ACCOUNT.bal_account_no };

const step = (title: string) => console.log(`\n▶ ${title}`);
const show = (label: string, value: unknown) => console.log(`  ${label}: ${JSON.stringify(value)}`);

async function main(): Promise<void> {
  const merchant = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  // the merchant's callback endpoint: Webhook verifies and decrypts what the sandbox sends
  const endpoint: { webhook?: Webhook } = {};
  const inbox = new Inbox();
  const receiver = createServer((req, res) => endpoint.webhook!.listener((event) => inbox.add(event))(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wechatpay/notify`;

  const sandbox = await Sandbox.start({
    merchants: [{ mchid: MCHID, serial: SERIAL, publicKey: merchant.publicKey }],
    notifyUrl,
    probe: true,
  });
  endpoint.webhook = new Webhook({ certs: sandbox.certs, apiv3Key: sandbox.apiv3Key });
  console.log(`sandbox on ${sandbox.url}, replies signed by ${sandbox.platformSerial}`);

  const instance = Builder.factory({
    mchid: MCHID,
    serial: SERIAL,
    privateKey: merchant.privateKey,
    certs: { [sandbox.platformSerial]: sandbox.platformPublicKey },
    baseURL: sandbox.url,
    encrypt: true, // bal_account_no and card_no are RSA-OAEP encrypted for us; Wechatpay-Serial is set
  });
  const orders = instance.v3.aggracctBc.wbChannel.controlOrders;

  step('POST /v3/aggracct-bc/wb-channel/control-orders/punish');
  const punished = await orders.punish.post({
    json: { out_request_no: 'WB-P-0001', ...target, punish_scene: 1, punish_reason: '风险管控' },
  });
  show(`${punished.status}`, punished.data);

  step('POST /v3/aggracct-bc/wb-channel/control-orders/recover (bal_account_no encrypted)');
  const recoverJson = {
    out_request_no: 'WB-R-0001',
    related_webank_punish_no: 'WB-P-0001',
    related_wxpay_punish_no: punished.data.wxpay_punish_no,
    ...target,
    recover_reason: '风险解除',
  };
  const recovered = await instance
    .chain('v3/aggracct-bc/wb-channel/control-orders/recover')
    .post({ json: recoverJson });
  show(`${recovered.status}`, recovered.data);

  step('the same recover again (re-entry: same number, same parameters)');
  const again = await instance['v3/aggracct-bc/wb-channel/control-orders/recover'].postAsync({ json: recoverJson });
  show(`${again.status} same answer`, again.data.wxpay_recover_no === recovered.data.wxpay_recover_no);

  step('a recover that breaks a rule (the punish order is already released)');
  try {
    await orders.recover.post({ json: { ...recoverJson, out_request_no: 'WB-R-0002' } });
  } catch (error) {
    if (!ApiError.isApiError(error)) throw error;
    show(`${error.status} ${error.code}`, {
      message: error.message,
      requestId: error.requestId,
      verified: error.verified,
    });
  }

  step('POST /v3/aggracct-bc/wb-channel/special-reduction');
  const reduction = await instance.v3.aggracctBc.wbChannel.specialReduction.post({
    json: {
      ...target,
      out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
      reduction_type: 'JUDICIAL_DEDUCTION',
      amount: 1200,
      reason: '司法案件号：202508080009',
    },
  });
  show(`${reduction.status}`, {
    state: reduction.data.state,
    amount: reduction.data.amount,
    quota_change_no: reduction.data.quota_change_no,
  });

  step('GET /v3/aggracct-bc/wb-channel/special-reduction/{out_request_no} (the _out_request_no_ style)');
  const reductionQuery = await instance.v3.aggracctBc.wbChannel.specialReduction._out_request_no_.get({
    out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
    query: target,
    decrypt: true,
  });
  show(`${reductionQuery.status}`, reductionQuery.data);

  step('GET /v3/aggracct-bc/wb-channel/account/balance');
  const balance = await instance.v3.aggracctBc.wbChannel.account.balance.get({ query: target });
  show(`${balance.status}`, balance.data);

  step('callbacks: the orders settle, WeChat Pay (the sandbox) notifies');
  sandbox.settle();
  const event = await inbox.next('AGGRACCT_BC.PUNISH.SUCCESS');
  await sandbox.callbacksIdle();
  for (const callback of sandbox.callbacks) {
    show(
      callback.probe ? 'probe (must be refused)' : callback.event_type,
      callback.attempts.map((attempt) => attempt.status),
    );
  }
  show(`verified by ${event.serial}, decrypted`, event.resource);

  await paymentWalkthrough(instance, sandbox, inbox);

  await sandbox.stop();
  receiver.close();
  console.log('\n✔ every request was signed, every reply and callback verified');
}

/** Callbacks as they arrive, verified and decrypted by Webhook; `next(type)` waits for the next one of a type. */
class Inbox {
  private readonly events: WebhookEvent[] = [];
  private readonly waiting: Array<{ type: string; resolve: (event: WebhookEvent) => void }> = [];

  add(event: WebhookEvent): void {
    const index = this.waiting.findIndex((waiter) => waiter.type === event.envelope.event_type);
    if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(event);
    else this.events.push(event);
  }

  next(type: string): Promise<WebhookEvent> {
    const index = this.events.findIndex((event) => event.envelope.event_type === type);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]!);
    return new Promise((resolve) => this.waiting.push({ type, resolve }));
  }
}

/** The payment lifecycle on the same sandbox: order, pay, callback, query, refund, refund callback. */
async function paymentWalkthrough(instance: WechatpayInstance, sandbox: SandboxHandle, inbox: Inbox): Promise<void> {
  const outTradeNo = `DEMO${Date.now()}`;
  step('POST /v3/pay/transactions/native (a Native order: the payer scans code_url)');
  const placed = await instance.chain('v3/pay/transactions/native').post({
    json: {
      appid: 'wxd678efh567hg6787',
      mchid: MCHID,
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: outTradeNo,
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 888, currency: 'CNY' },
    },
  });
  show(`${placed.status}`, placed.data);

  step(`sandbox.pay('${outTradeNo}') (the payer pays; POST /sandbox/pay/{out_trade_no} does the same over HTTP)`);
  sandbox.pay(outTradeNo);
  const paid = await inbox.next('TRANSACTION.SUCCESS');
  show(`TRANSACTION.SUCCESS verified by ${paid.serial}, decrypted`, paid.resource);

  step('GET /v3/pay/transactions/out-trade-no/{out_trade_no}');
  const queried = await instance
    .chain('v3/pay/transactions/out-trade-no/{out_trade_no}')
    .get({ out_trade_no: outTradeNo, query: { mchid: MCHID } });
  const transaction = queried.data as { trade_state: string; transaction_id: string };
  show(`${queried.status}`, { trade_state: transaction.trade_state, transaction_id: transaction.transaction_id });

  step('POST /v3/refund/domestic/refunds (a partial refund by transaction_id)');
  const refundJson = {
    transaction_id: transaction.transaction_id,
    out_refund_no: `${outTradeNo}R1`,
    reason: '商品已售完',
    amount: { refund: 300, total: 888, currency: 'CNY' },
  };
  const refund = await instance.chain('v3/refund/domestic/refunds').post({ json: refundJson });
  show(`${refund.status}`, refund.data);

  step('a refund of more than is left (888 - 300 = 588 fen) is refused');
  try {
    await instance.chain('v3/refund/domestic/refunds').post({
      json: { ...refundJson, out_refund_no: `${outTradeNo}R2`, amount: { refund: 600, total: 888, currency: 'CNY' } },
    });
  } catch (error) {
    if (!ApiError.isApiError(error)) throw error;
    show(`${error.status} ${error.code}`, error.message);
  }

  step('the refund settles; REFUND.SUCCESS arrives');
  sandbox.settle();
  const refunded = await inbox.next('REFUND.SUCCESS');
  show(`REFUND.SUCCESS verified by ${refunded.serial}, decrypted`, refunded.resource);
  await sandbox.callbacksIdle();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
