// One cold start, in a fresh process: require, factory, first signed + verified call. Prints JSON timings (ms): wall
// time, and this process's CPU time (user + system, all threads: `cpu*` keys), which a busy machine disturbs less.
const { performance } = require('node:perf_hooks');
const { Agent } = require('node:http');

async function main() {
  const [which, port] = process.argv.slice(2);
  const { MERCHANT_KEY, PLATFORM_PUBLIC } = process.env;
  const serial = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
  const platform = 'PUB_KEY_ID_0114232134912410000000000000';
  const config = {
    mchid: '1900000001',
    serial,
    privateKey: MERCHANT_KEY,
    certs: { [platform]: PLATFORM_PUBLIC },
    baseURL: `http://127.0.0.1:${port}/`,
    httpAgent: new Agent({ keepAlive: false }),
    // COLD_VALIDATION=false: our first call without the catalog's field validation (the peer has none)
    ...(which === 'ours' && process.env.COLD_VALIDATION === 'false' ? { validation: false } : {}),
  };
  // a complete, valid body: the catalog's validation runs on our first call, as it would for a user
  const json = {
    out_request_no: 'R-1',
    related_webank_punish_no: 'P-1',
    related_wxpay_punish_no: 'W-1',
    mchid: '1900016681',
    bal_account_no: 'x'.repeat(344),
  };
  const headers = { 'Wechatpay-Serial': platform };
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const c0 = cpu();
  const t0 = performance.now();
  const mod = require(which === 'ours' ? '../dist' : 'wechatpay-axios-plugin');
  const t1 = performance.now();
  const c1 = cpu();
  const client = which === 'ours' ? mod.Builder.factory(config) : new mod.Wechatpay(config);
  const t2 = performance.now();
  const c2 = cpu();
  const node = client.v3.aggracctBc.wbChannel.controlOrders.recover;
  await (which === 'ours' ? node.post({ json, headers }) : node.post(json, { headers }));
  const t3 = performance.now();
  const c3 = cpu();
  const wall = { require: t1 - t0, factory: t2 - t1, firstCall: t3 - t2, total: t3 - t0 };
  const used = { cpuRequire: c1 - c0, cpuFactory: c2 - c1, cpuFirstCall: c3 - c2, cpuTotal: c3 - c0 };
  process.stdout.write(JSON.stringify({ ...wall, ...used }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.message));
  process.exit(1);
});
