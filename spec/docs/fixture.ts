import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Package from '../../lib';
import type * as SandboxModule from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';

/**
 * The world the docs' prose assumes, made real: a sandbox (certificate and public-key mode, an APIv2 key), a merchant
 * whose key files stand where the docs write `file:///keys/...`, orders placed and paid, and a callback the sandbox
 * really sent. `NAMES` declares the same names for the type check.
 */
export const ACCOUNT = { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' };
const APIV2_KEY = 'docsApiV2Key0123456789abcdefABCD';

export const NAMES = `
type Package = typeof import('wechatpay-chain');
declare const instance: import('wechatpay-chain').WechatpayInstance;
declare const config: import('wechatpay-chain').BuilderConfig;
declare const sandbox: import('wechatpay-chain/sandbox').SandboxHandle;
declare const out_request_no: string;
declare const related_webank_punish_no: string;
declare const related_wxpay_punish_no: string;
declare const mchid: string;
declare const bal_account_no: string;
declare const json: import('wechatpay-chain').AggracctBcWbChannelControlOrdersRecoverPostJson;
declare const certs: Record<string, import('wechatpay-chain').KeyLike>;
declare const apiv3Key: string;
declare const apiv2Key: string;
declare const secret: string;
declare const serial: string;
declare const privateKey: string;
declare const publicKey: string;
declare const order: import('wechatpay-chain').PayTransactionsNativePostJson;
declare const no: string;
declare const appid: string;
declare const out_trade_no: string;
declare const refund: import('wechatpay-chain').V2SecapiPayRefundPostXml;
declare const headers: Record<string, string>;
declare const rawBody: Buffer;
declare const resource: { ciphertext: string; nonce: string; associated_data: string };
declare const pem: string;
declare const privatePem: string;
declare const message: string;
declare const env: { MERCHANT_KEY: string; WECHATPAY_KEY_ID: string; WECHATPAY_KEY: string };
declare const PUB_KEY_ID: string;
declare const PUBLIC_KEY_PEM: string;
declare const save: (resource: unknown) => Promise<void>;
declare const path: string;
declare const webhook: import('wechatpay-chain').Webhook;
declare const metrics: {
  increment(name: string, tags?: Record<string, unknown>): void;
  timing(name: string, ms: number, tags?: Record<string, unknown>): void;
};
declare const alerting: { note(text: string): void };
declare const log: { warn(fields: object, message: string): void };
`;

export interface DocsWorld {
  fixture: Record<string, unknown>;
  /** Where `file:///keys/<name>` of the docs is, here. */
  keyFiles: Record<string, string>;
  sandbox: SandboxModule.SandboxHandle;
  stop(): Promise<void>;
}

/** A loopback receiver that keeps the first callback the sandbox sends it, as WeChat Pay's would arrive. */
async function callbackReceiver() {
  let resolve: (callback: { headers: IncomingHttpHeaders; body: Buffer }) => void;
  const received = new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((done) => (resolve = done));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  return { url, received, close: () => new Promise<void>((done) => server.close(() => done())) };
}

export async function docsWorld(pkg: typeof Package, sandboxModule: typeof SandboxModule): Promise<DocsWorld> {
  const dir = scratch();
  const keyFiles = {
    'apiclient_key.pem': dir.path('apiclient_key.pem', merchantKeys().privateKey),
    'apiclient_cert.pem': dir.path('apiclient_cert.pem'),
  };
  openssl(
    ['req', '-new', '-x509', '-key', keyFiles['apiclient_key.pem'], '-out', keyFiles['apiclient_cert.pem']].concat([
      '-days',
      '1',
      '-subj',
      '/CN=1900000001',
    ]),
  );
  const receiver = await callbackReceiver();
  const sandbox = await sandboxModule.Sandbox.start({
    merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey, secret: APIV2_KEY }],
    mode: 'both',
    signWith: 'certificate', // so a client with no WeChat Pay key at all can bootstrap from GET /v3/certificates
    settleDelayMs: 10,
  });
  const publicKeyId = Object.keys(sandbox.certs).find((id) => id.startsWith('PUB_KEY_ID_'))!;
  const publicKeyPem = pkg.Rsa.from(sandbox.certs[publicKeyId]!, 'public').export({ type: 'spki', format: 'pem' });
  const instance = pkg.Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: sandbox.certs,
    baseURL: sandbox.url,
    apiv3Key: sandbox.apiv3Key,
    secret: APIV2_KEY,
    merchant: { cert: `file://${keyFiles['apiclient_cert.pem']}`, key: `file://${keyFiles['apiclient_key.pem']}` },
    encrypt: true,
  });

  const wb = instance.v3.aggracctBc.wbChannel;
  const punished = await wb.controlOrders.punish.post({
    json: { out_request_no: 'DOCS-P-0001', ...ACCOUNT, punish_scene: 1, punish_reason: '风险管控' },
  });
  const wxpayPunishNo = (punished.data as { wxpay_punish_no: string }).wxpay_punish_no;
  // recovered once here: every recover the docs show is then the same call again (re-entry answers the first result)
  const recover = {
    out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
    related_webank_punish_no: 'DOCS-P-0001',
    related_wxpay_punish_no: wxpayPunishNo,
    ...ACCOUNT,
  };
  await wb.controlOrders.recover.post({ json: recover });
  await wb.specialReduction.post({
    json: {
      out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
      ...ACCOUNT,
      reduction_type: 'JUDICIAL_DEDUCTION',
      amount: 100,
      reason: 'docs',
    } as never,
  });
  const native = (out_trade_no: string) => ({
    appid: 'wxd678efh567hg6787',
    mchid: MCHID,
    description: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no,
    notify_url: receiver.url,
    amount: { total: 2, currency: 'CNY' },
  });
  const order = native('DOCS-ORDER-0001');
  await instance.v3.pay.transactions.native.post({ json: order });
  await instance.v3.pay.transactions.native.post({ json: native('DOCS-PAID-0001') });
  sandbox.pay('DOCS-PAID-0001');
  // docs/protocol.md downloads the bill of 2026-11-20: WeChat Pay (and the sandbox) has none for a day without trades
  await instance.v3.pay.transactions.native.post({ json: native('DOCS-BILL-0001') });
  Object.assign(sandbox.payments.order(MCHID, 'DOCS-BILL-0001')!, {
    trade_state: 'SUCCESS',
    success_time: Date.parse('2026-11-20T10:00:00+08:00'),
  });
  const callback = await receiver.received;
  const envelope = JSON.parse(callback.body.toString('utf8')) as { resource: Record<string, string> };

  const fixture: Record<string, unknown> = {
    instance,
    config: {
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: 'file:///keys/apiclient_key.pem',
      certs: { PUB_KEY_ID_0114232134912410000000000000: 'file:///keys/pub_key.pem' },
    },
    sandbox,
    out_request_no: 'htozr8denqegbt6tk6u10iymo7yww5pn',
    related_webank_punish_no: 'DOCS-P-0001',
    related_wxpay_punish_no: wxpayPunishNo,
    ...ACCOUNT,
    json: recover,
    certs: sandbox.certs,
    apiv3Key: sandbox.apiv3Key,
    apiv2Key: APIV2_KEY,
    secret: APIV2_KEY,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    publicKey: merchantKeys().publicKey,
    order,
    no: order.out_trade_no,
    appid: order.appid,
    out_trade_no: 'DOCS-PAID-0001',
    refund: {
      appid: order.appid,
      out_trade_no: 'DOCS-PAID-0001',
      out_refund_no: 'DOCS-R-0001',
      total_fee: '2',
      refund_fee: '1',
    },
    headers: callback.headers,
    rawBody: callback.body,
    resource: envelope.resource,
    pem: merchantKeys().publicKey,
    privatePem: merchantKeys().privateKey,
    message: 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    env: {
      MERCHANT_KEY: merchantKeys().privateKey,
      // the sandbox signs with its certificate (above): that is the WeChat Pay key these name
      WECHATPAY_KEY_ID: sandbox.platformSerial,
      WECHATPAY_KEY: sandbox.certs[sandbox.platformSerial],
    },
    PUB_KEY_ID: publicKeyId,
    PUBLIC_KEY_PEM: publicKeyPem,
    save: async () => undefined,
    webhook: new pkg.Webhook({ certs: sandbox.certs, apiv3Key: sandbox.apiv3Key }),
    path: dir.path(
      'front.jpg',
      Buffer.from(
        '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
        'base64',
      ),
    ),
    metrics: { increment: () => undefined, timing: () => undefined },
    alerting: { note: () => undefined },
    log: { warn: () => undefined },
  };
  return {
    fixture,
    keyFiles,
    sandbox,
    stop: async () => {
      await receiver.close();
      await sandbox.stop();
      dir.remove();
    },
  };
}
