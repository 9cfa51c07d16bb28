import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { TARGET, punishJson } from './helpers';

/** `Sandbox.start({ stateDir })`: a staging gateway keeps its identity and ledger across restarts. */
describe('sandbox stateDir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wechatpay-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (extra: Record<string, unknown> = {}) =>
    Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      stateDir: dir,
      settleDelayMs: 60_000,
      ...extra,
    });

  it('a restart keeps the platform key, serial, APIv3 key and the orders: the same client config keeps working', async () => {
    const first = await start({ mode: 'both' });
    const config = {
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: first.certs,
      apiv3Key: first.apiv3Key,
      encrypt: true,
    };
    const before = Builder.factory({ ...config, baseURL: first.url });
    await before.v3.pay.transactions.native.post({
      json: {
        appid: 'wxd678efh567hg6787',
        mchid: MCHID,
        description: 'Image形象店-深圳腾大-QQ公仔',
        out_trade_no: 'ORDER-KEPT-1',
        notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
        amount: { total: 100, currency: 'CNY' },
      },
    });
    first.pay('ORDER-KEPT-1');
    const punished = await before.v3.aggracctBc.wbChannel.controlOrders.punish.post({ json: punishJson('KEPT-P-1') });
    await first.stop();

    const second = await start();
    expect([second.platformSerial, second.platformPublicKey, second.apiv3Key]).toEqual([
      first.platformSerial,
      first.platformPublicKey,
      first.apiv3Key,
    ]);
    expect(second.certs).toEqual(first.certs);
    // the same config, only the port differs: replies verify with the kept keys, and the ledger answers
    const after = Builder.factory({ ...config, baseURL: second.url });
    const order = await after.v3.pay.transactions.outTradeNo._out_trade_no_.get({
      out_trade_no: 'ORDER-KEPT-1',
      query: { mchid: MCHID },
    });
    expect(order.data).toMatchObject({ out_trade_no: 'ORDER-KEPT-1', trade_state: 'SUCCESS' });
    const control = await after.v3.aggracctBc.wbChannel.controlOrders._out_request_no_.get({
      out_request_no: 'KEPT-P-1',
      query: { control_type: 'PUNISH', mchid: TARGET.mchid },
    });
    expect(control.data).toMatchObject({ punish_order: { wxpay_punish_no: punished.data.wxpay_punish_no } });
    // the certificate mode key is kept too: the certificates download decrypts with the kept APIv3 key
    await expect(after.v3.certificates.get()).resolves.toMatchObject({ status: 200 });
    await second.stop();
  });

  it('writes the state owner-only and atomically (no temporary file left), and refuses a clashing option', async () => {
    const sandbox = await start();
    await sandbox.stop();
    const files = readdirSync(dir);
    expect(files).toEqual(['sandbox-state.json']);
    expect(statSync(join(dir, 'sandbox-state.json')).mode & 0o077).toBe(0);
    await expect(start({ apiv3Key: 'a'.repeat(32) })).rejects.toThrow(/apiv3Key differs from what stateDir/);
    await expect(start({ mode: 'certificate' })).rejects.toThrow(/mode differs/);
  });
});
