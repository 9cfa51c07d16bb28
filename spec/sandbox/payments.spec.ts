import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ApiError, Webhook, downloadBill, type WebhookEvent } from '../../lib';
import type { SandboxHandle } from '../../lib/sandbox';
import { MCHID } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from './helpers';
import { independentlyVerified, rawCall } from './raw';

/** The payment lifecycle on one ledger, driven by our client; callbacks received and verified by Webhook. */
type Json = Record<string, unknown>;

const APPID = 'wxd678efh567hg6787';
const order = (out_trade_no: string, extra: Json = {}): Json => ({
  appid: APPID,
  mchid: MCHID,
  description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no,
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
  amount: { total: 100, currency: 'CNY' },
  ...extra,
});

interface Receiver {
  server: Server;
  url: string;
  events: WebhookEvent<Json>[];
  webhook?: Webhook;
}

async function receiver(failFirst = 0): Promise<Receiver> {
  const state: Receiver = { server: undefined as unknown as Server, url: '', events: [] };
  let failures = failFirst;
  state.server = createServer((req, res) => {
    if (failures > 0) {
      failures--;
      req.resume();
      res.writeHead(500).end();
      return;
    }
    void state.webhook!.listener<Json>((event) => void state.events.push(event))(req, res);
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.server.unref();
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/notify`;
  return state;
}

async function fixture(failFirst = 0): Promise<SandboxFixture & { rx: Receiver }> {
  const rx = await receiver(failFirst);
  // validation off: these specs send what the sandbox must refuse itself, which the client would catch first
  const started = await startSandbox({ notifyUrl: rx.url, callbackRetryDelaysMs: [20, 20, 20] }, { validation: false });
  rx.webhook = new Webhook({ certs: started.sandbox.certs, apiv3Key: started.sandbox.apiv3Key });
  return { ...started, rx };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ApiError.isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('sandbox payment lifecycle', () => {
  let f: SandboxFixture & { rx: Receiver };
  let sandbox: SandboxHandle;
  const post = (path: string, json: Json) => f.instance.chain(path).post({ json });
  const get = (path: string, query: Json = { mchid: MCHID }) => f.instance.chain(path).get({ query });
  beforeAll(async () => {
    f = await fixture();
    sandbox = f.sandbox;
  });
  afterAll(async () => {
    await sandbox.stop();
    f.rx.server.close();
  });

  it('places JSAPI, Native, App and H5 orders with their prepay_id, code_url and h5_url', async () => {
    const jsapi = await post(
      'v3/pay/transactions/jsapi',
      order('ORDER-JSAPI', { payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } }),
    );
    expect(jsapi.data).toEqual({ prepay_id: expect.stringMatching(/^wx\d{14}[0-9a-f]{18}$/) });
    const native = await post('v3/pay/transactions/native', order('ORDER-NATIVE'));
    expect(native.data).toEqual({ code_url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) });
    const app = await post('v3/pay/transactions/app', order('ORDER-APP'));
    expect(app.data).toEqual({ prepay_id: expect.stringMatching(/^wx/) });
    const h5 = await post(
      'v3/pay/transactions/h5',
      order('ORDER-H5', { scene_info: { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } } }),
    );
    expect(h5.data).toEqual({ h5_url: expect.stringMatching(/^https:\/\/wx\.tenpay\.com\/.*prepay_id=wx/) });
    const queried = await get('v3/pay/transactions/out-trade-no/ORDER-H5');
    expect(queried.data).toMatchObject({
      out_trade_no: 'ORDER-H5',
      trade_type: 'MWEB',
      trade_state: 'NOTPAY',
      amount: { total: 100 },
    });
    expect(queried.data).not.toHaveProperty('transaction_id');
  });

  it.each<[string, string, Json, string]>([
    ['JSAPI without payer.openid', 'jsapi', order('ORDER-BAD-1'), '/payer/openid'],
    ['H5 without scene_info', 'h5', order('ORDER-BAD-2'), '/scene_info/payer_client_ip'],
    ['a zero amount', 'native', order('ORDER-BAD-3', { amount: { total: 0 } }), '/amount/total'],
    ['a short out_trade_no', 'native', order('ABC'), '/out_trade_no'],
    ['another merchant', 'native', order('ORDER-BAD-4', { mchid: '1230000109' }), '/mchid'],
    ['a plain http notify_url', 'native', order('ORDER-BAD-5', { notify_url: 'http://example.com/n' }), '/notify_url'],
  ])('refuses %s with 400 PARAM_ERROR naming the field', async (_case, kind, json, field) => {
    const error = await failure(post(`v3/pay/transactions/${kind}`, json));
    expect([error.status, error.code, (error.detail as Json | undefined)?.field]).toEqual([400, 'PARAM_ERROR', field]);
  });

  it('answers a repeated order with the first prepay, and a changed one with INVALID_REQUEST', async () => {
    const first = await post('v3/pay/transactions/native', order('ORDER-AGAIN'));
    const again = await post('v3/pay/transactions/native', order('ORDER-AGAIN'));
    expect(again.data).toEqual(first.data);
    const changed = await failure(post('v3/pay/transactions/native', order('ORDER-AGAIN', { amount: { total: 101 } })));
    expect([changed.status, changed.code]).toEqual([400, 'INVALID_REQUEST']);
    const otherKind = await failure(post('v3/pay/transactions/app', order('ORDER-AGAIN')));
    expect(otherKind.code).toBe('INVALID_REQUEST');
  });

  it('pays an order: TRANSACTION.SUCCESS verified by Webhook, then queryable by transaction_id', async () => {
    await post('v3/pay/transactions/jsapi', order('ORDER-PAY', { payer: { openid: 'o-payer' }, attach: 'cart-7' }));
    const paid = sandbox.pay('ORDER-PAY');
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', transaction_id: expect.stringMatching(/^42000\d{18}$/) });
    await sandbox.callbacksIdle();
    const event = f.rx.events.find((e) => e.resource.out_trade_no === 'ORDER-PAY')!;
    expect(event.envelope.event_type).toBe('TRANSACTION.SUCCESS');
    expect(event.envelope.resource.original_type).toBe('transaction');
    expect(event.serial).toBe(sandbox.platformSerial);
    expect(event.resource).toMatchObject({
      mchid: MCHID,
      appid: APPID,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      attach: 'cart-7',
      payer: { openid: 'o-payer' },
      amount: { total: 100, payer_total: 100, currency: 'CNY' },
      success_time: expect.stringMatching(/\+08:00$/),
    });
    const byId = await get(`v3/pay/transactions/id/${String(paid.transaction_id)}`);
    expect(byId.data).toEqual(event.resource);
    expect(
      (await failure(post('v3/pay/transactions/jsapi', order('ORDER-PAY', { payer: { openid: 'o-payer' } })))).code,
    ).toBe('ORDERPAID');
    const close = await failure(post('v3/pay/transactions/out-trade-no/ORDER-PAY/close', { mchid: MCHID }));
    expect([close.status, close.code]).toEqual([400, 'ORDERPAID']);
    expect(() => sandbox.pay('ORDER-PAY')).toThrow(/SUCCESS/);
  });

  it('closes a pending order (204), which then cannot be paid or placed again', async () => {
    await post('v3/pay/transactions/native', order('ORDER-CLOSE'));
    const closed = await post('v3/pay/transactions/out-trade-no/ORDER-CLOSE/close', { mchid: MCHID });
    expect([closed.status, closed.data]).toEqual([204, undefined]);
    expect((await get('v3/pay/transactions/out-trade-no/ORDER-CLOSE')).data).toMatchObject({ trade_state: 'CLOSED' });
    expect(() => sandbox.pay('ORDER-CLOSE')).toThrow(/CLOSED/);
    expect((await failure(post('v3/pay/transactions/native', order('ORDER-CLOSE')))).code).toBe('ORDER_CLOSED');
  });

  it('answers unknown orders 404 ORDER_NOT_EXIST, and an unpaid order is not found by its transaction id', async () => {
    expect((await failure(get('v3/pay/transactions/out-trade-no/NO-SUCH-ORDER'))).code).toBe('ORDER_NOT_EXIST');
    await post('v3/pay/transactions/native', order('ORDER-UNPAID'));
    const hidden = sandbox.payments.order(MCHID, 'ORDER-UNPAID')!.transaction_id;
    expect((await failure(get(`v3/pay/transactions/id/${hidden}`))).status).toBe(404);
    expect(() => sandbox.pay('NO-SUCH-ORDER')).toThrow(/不存在/);
  });

  it('refunds partially and fully, refuses an over-refund, and a repeated refund number gets the first refund', async () => {
    await post('v3/pay/transactions/native', order('ORDER-REFUND', { amount: { total: 1000, currency: 'CNY' } }));
    const paid = sandbox.pay('ORDER-REFUND');
    const refund = (out_refund_no: string, amount: number, extra: Json = {}) =>
      post('v3/refund/domestic/refunds', {
        transaction_id: paid.transaction_id,
        out_refund_no,
        reason: '商品已售完',
        amount: { refund: amount, total: 1000, currency: 'CNY' },
        ...extra,
      });
    const first = await refund('REFUND-1', 300);
    expect(first.data).toMatchObject({
      out_refund_no: 'REFUND-1',
      out_trade_no: 'ORDER-REFUND',
      status: 'PROCESSING',
      amount: { total: 1000, refund: 300, payer_refund: 300 },
    });
    const repeated = await refund('REFUND-1', 300);
    expect(repeated.data).toMatchObject({ refund_id: first.data.refund_id, amount: { refund: 300 } });
    const over = await failure(refund('REFUND-2', 701));
    expect([over.status, over.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(over.message).toContain('700');
    const wrongTotal = await failure(refund('REFUND-3', 1, { amount: { refund: 1, total: 999, currency: 'CNY' } }));
    expect((wrongTotal.detail as Json).field).toBe('/amount/total');
    const rest = await post('v3/refund/domestic/refunds', {
      out_trade_no: 'ORDER-REFUND',
      out_refund_no: 'REFUND-4',
      amount: { refund: 700, total: 1000, currency: 'CNY' },
    });
    expect(rest.data).toMatchObject({ status: 'PROCESSING', amount: { refund: 700 } });
    expect((await failure(refund('REFUND-5', 1))).code).toBe('INVALID_REQUEST');
    expect((await get('v3/pay/transactions/out-trade-no/ORDER-REFUND')).data).toMatchObject({ trade_state: 'REFUND' });

    sandbox.settle();
    await sandbox.callbacksIdle();
    const refunds = f.rx.events.filter((e) => e.envelope.event_type === 'REFUND.SUCCESS');
    expect(
      refunds.map((e) => [e.resource.out_refund_no, e.resource.refund_status, (e.resource.amount as Json).refund]),
    ).toEqual(
      expect.arrayContaining([
        ['REFUND-1', 'SUCCESS', 300],
        ['REFUND-4', 'SUCCESS', 700],
      ]),
    );
    expect(refunds.every((e) => e.envelope.resource.original_type === 'refund')).toBe(true);
    const queried = await f.instance
      .chain('v3/refund/domestic/refunds/{out_refund_no}')
      .get({ out_refund_no: 'REFUND-4' });
    expect(queried.data).toMatchObject({
      status: 'SUCCESS',
      success_time: expect.any(String),
      refund_id: rest.data.refund_id,
    });
    expect((await failure(f.instance.chain('v3/refund/domestic/refunds/NO-SUCH').get())).code).toBe(
      'RESOURCE_NOT_EXISTS',
    );
  });

  it('refuses to refund an unpaid order', async () => {
    await post('v3/pay/transactions/native', order('ORDER-NOREFUND'));
    const error = await failure(
      post('v3/refund/domestic/refunds', {
        out_trade_no: 'ORDER-NOREFUND',
        out_refund_no: 'REFUND-X',
        amount: { refund: 1, total: 100, currency: 'CNY' },
      }),
    );
    expect([error.status, error.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('serves trade and fund flow bills whose files match hash_value (plain and GZIP)', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const link = await get('v3/bill/tradebill', { bill_date: today, bill_type: 'ALL' });
    expect(link.data).toMatchObject({ hash_type: 'SHA1', download_url: expect.stringContaining(sandbox.url) });
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    const result = await downloadBill(f.instance, link.data as never, { to: sink });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(result.sha1).toBe((link.data as Json).hash_value);
    expect(text).toContain('`ORDER-PAY');
    expect(text).toContain('`REFUND-4');
    expect(text.split('\r\n')[0]).toMatch(/^交易时间,公众账号ID,商户号/);

    const gz = await get('v3/bill/fundflowbill', { bill_date: today, tar_type: 'GZIP' });
    const gzChunks: Buffer[] = [];
    const gzSink = new Writable({ write: (chunk: Buffer, _e, done) => (gzChunks.push(chunk), done()) });
    await downloadBill(f.instance, gz.data as never, { to: gzSink, gzip: true });
    const flow = Buffer.concat(gzChunks);
    expect(createHash('sha1').update(flow).digest('hex')).toBe((gz.data as Json).hash_value);
    expect(flow.toString('utf8')).toMatch(/退款`?,`支出,`7\.00/);

    const future = await failure(get('v3/bill/tradebill', { bill_date: '2999-01-01' }));
    expect(future.code).toBe('INVALID_REQUEST');
    const badDate = await failure(get('v3/bill/tradebill', { bill_date: '2024-02-30' }));
    expect((badDate.detail as Json).field).toBe('bill_date');
  });

  it('uploads an image and returns its media_id; a meta sha256 that does not match is PARAM_ERROR', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    );
    const uploaded = await f.instance
      .chain('v3/merchant/media/upload')
      .post({ media: { file: png, filename: 'pixel.png' } });
    expect(uploaded.data).toEqual({ media_id: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) });
    const meta = JSON.stringify({ filename: 'pixel.png', sha256: '0'.repeat(64) });
    const body = Buffer.concat([
      Buffer.from(
        `--B\r\nContent-Disposition: form-data; name="meta";\r\nContent-Type: application/json\r\n\r\n${meta}\r\n`,
      ),
      Buffer.from(
        '--B\r\nContent-Disposition: form-data; name="file"; filename="pixel.png";\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from('\r\n--B--\r\n'),
    ]);
    const reply = await rawCall(sandbox, 'POST', '/v3/merchant/media/upload', {
      body,
      signed: meta,
      headers: { 'Content-Type': 'multipart/form-data; boundary=B' },
    });
    expect([reply.status, reply.json.code, reply.json.detail?.field]).toEqual([400, 'PARAM_ERROR', '/meta/sha256']);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
    const unsigned = await rawCall(sandbox, 'POST', '/v3/merchant/media/upload', {
      body,
      headers: { 'Content-Type': 'multipart/form-data; boundary=B' },
    });
    expect([unsigned.status, unsigned.json.code]).toEqual([401, 'SIGN_ERROR']);
  });

  it('marks an order paid through the HTTP hook POST /sandbox/pay/{out_trade_no}', async () => {
    await post('v3/pay/transactions/native', order('ORDER-HOOK'));
    const reply = await rawCall(sandbox, 'POST', '/sandbox/pay/ORDER-HOOK');
    expect([reply.status, reply.json.trade_state]).toEqual([200, 'SUCCESS']);
    expect(independentlyVerified(sandbox, reply)).toBe(true);
    const again = await rawCall(sandbox, 'POST', '/sandbox/pay/ORDER-HOOK');
    expect(again.status).toBe(400);
  });
});

describe('callbacks carry the state of the moment the event happened', () => {
  it('a TRANSACTION.SUCCESS retried after a full refund still says SUCCESS', async () => {
    const f = await fixture(1);
    const native: string = 'v3/pay/transactions/native'; // untyped: the order is built loosely here
    await f.instance.chain(native).post({ json: order('ORDER-SNAP') });
    f.sandbox.pay('ORDER-SNAP');
    await f.instance.chain('v3/refund/domestic/refunds').post({
      json: {
        out_trade_no: 'ORDER-SNAP',
        out_refund_no: 'SNAP-R',
        amount: { refund: 100, total: 100, currency: 'CNY' },
      },
    });
    f.sandbox.settle();
    await f.sandbox.callbacksIdle();
    const payment = f.sandbox.callbacks.find((c) => c.event_type === 'TRANSACTION.SUCCESS')!;
    expect(payment.attempts.map((a) => a.status)).toEqual([500, 204]);
    const event = f.rx.events.find((e) => e.envelope.event_type === 'TRANSACTION.SUCCESS')!;
    expect(event.resource).toMatchObject({ trade_state: 'SUCCESS', trade_state_desc: '支付成功' });
    expect(
      (await f.instance.chain('v3/pay/transactions/out-trade-no/ORDER-SNAP').get({ query: { mchid: MCHID } })).data,
    ).toMatchObject({ trade_state: 'REFUND' });
    await f.sandbox.stop();
    f.rx.server.close();
  });
});
