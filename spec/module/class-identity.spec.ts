import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

/**
 * The built package has two entries (the package and `wechatpay-chain/sandbox`) in two formats (CommonJS and ESM,
 * tsup.config.ts). Within a format both entries share one chunk of each module; across formats each has its own
 * classes, recognised by one another (lib/errors: `instanceof` by brand and class name). Either way an error from
 * a client the sandbox helped build is `instanceof` the package's classes.
 */
const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/** Needs `main` (the package) and `Sandbox` in scope; prints which checks hold. */
const BODY = `
  const { MERCHANT_KEY, MERCHANT_PUBLIC } = process.env;
  const sandbox = await Sandbox.start({
    merchants: [{ mchid: ${JSON.stringify(MCHID)}, serial: ${JSON.stringify(MERCHANT_SERIAL)}, publicKey: MERCHANT_PUBLIC }],
    settleDelayMs: 60_000,
  });
  const client = (certs) => main.Builder.factory({
    mchid: ${JSON.stringify(MCHID)}, serial: ${JSON.stringify(MERCHANT_SERIAL)}, privateKey: MERCHANT_KEY,
    certs, baseURL: sandbox.url,
  });
  const trusted = client(sandbox.certs);
  // an operation the sandbox does not know: a signed 404
  const api = await trusted.v3.pay.transactions.outTradeNo._out_trade_no_
    .get({ out_trade_no: 'T1', query: { mchid: ${JSON.stringify(MCHID)} } }).catch((e) => e);
  // a reply signed by a key the client holds under another serial
  const stranger = client({ PUB_KEY_ID_0100000000000000000000000000: sandbox.platformPublicKey });
  const signature = await stranger.v3.pay.transactions.outTradeNo._out_trade_no_
    .get({ out_trade_no: 'T1', query: { mchid: ${JSON.stringify(MCHID)} } }).catch((e) => e);
  const webhook = (() => {
    try {
      new main.Webhook({ certs: sandbox.certs, apiv3Key: sandbox.apiv3Key }).parse({ headers: {}, body: '{}' });
    } catch (e) {
      return e;
    }
  })();
  await sandbox.stop();
  console.log(JSON.stringify({
    api: api instanceof main.ApiError && api instanceof main.WechatpayError && api.status,
    signature: signature instanceof main.SignatureError && signature instanceof main.WechatpayError && signature.reason,
    webhook: webhook instanceof main.WechatpayError,
    // declared in the callbacks module, extending the base class of lib/errors
    webhookClass: main.WebhookError.prototype instanceof main.WechatpayError,
  }));
`;

describe('one module instance across the entry points of the built package', () => {
  const env = () => ({
    ...process.env,
    MERCHANT_KEY: merchantKeys().privateKey,
    MERCHANT_PUBLIC: merchantKeys().publicKey,
  });
  const expected = { api: 404, signature: 'UNKNOWN_SERIAL', webhook: true, webhookClass: true };

  it('require: errors of a client the sandbox served are the package classes', async () => {
    const script = `const main = require('wechatpay-chain'); const { Sandbox } = require('wechatpay-chain/sandbox');
      (async () => { ${BODY} })();`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: root, env: env() });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 30_000);

  it('import: the ESM build gives classes that the CommonJS build recognises both ways', async () => {
    const script = `import * as main from 'wechatpay-chain'; import { Sandbox } from 'wechatpay-chain/sandbox';
      import { createRequire } from 'node:module';
      const required = createRequire(process.cwd() + '/')('wechatpay-chain');
      const [esmError, cjsError] = [new main.ConfigError([]), new required.ConfigError([])];
      if (!(esmError instanceof required.ConfigError) || !(cjsError instanceof main.WechatpayError)) throw new Error('two');
      ${BODY}`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: env() });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 30_000);
});
