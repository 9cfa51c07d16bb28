import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const LIB = join(__dirname, '..', '..', 'lib');

/**
 * Runtime facts load per family on first use: a fresh process that requires the library and calls one endpoint
 * (over loopback, signed and verified) has loaded that one family's JSON file, not 1,000 schemas. The build keeps
 * each `require` of a facts file lazy (esbuild wraps the inlined JSON in a function run on first require).
 */
describe('lazy runtime facts', () => {
  it('a fresh process calling one endpoint loads one family', () => {
    const script = `
      const http = require('node:http');
      const { generateKeyPairSync } = require('node:crypto');
      require('ts-node/register/transpile-only');
      const { Builder } = require(${JSON.stringify(LIB)});
      const lookup = require(${JSON.stringify(join(LIB, 'catalog', 'lookup'))});
      const factsModules = () =>
        Object.keys(require.cache)
          .filter((f) => /generated[\\\\/](facts|responses|operations)/.test(f))
          .map((f) => f.split(/[\\\\/]/).slice(-2).join('/'));
      const key = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
      const merchant = key();
      const platform = key();
      const server = http.createServer((req, res) => {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"code":"NOT_FOUND","message":"none"}');
      });
      server.listen(0, '127.0.0.1', async () => {
        const before = factsModules();
        const instance = Builder.factory({
          mchid: '1900000001',
          serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
          privateKey: merchant.privateKey,
          certs: { PUB_KEY_ID_0100000000000000000000000000: platform.publicKey },
          baseURL: 'http://127.0.0.1:' + server.address().port + '/',
        });
        const error = await instance.v3.pay.transactions.id._transaction_id_
          .get({ transaction_id: 'T1', query: { mchid: '1900000001' } })
          .catch((e) => e);
        server.close();
        console.log(JSON.stringify({ before, status: error && error.status, loaded: lookup.loadedFamilies(), modules: factsModules() }));
      });
    `;

    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 }));
    expect(out.before).toEqual([]); // requiring the package loads no facts
    expect(out.status).toBe(404); // the call went out, signed, and its answer came back
    expect(out.loaded).toEqual(['v3/pay']);
    expect(out.modules).toEqual(['facts/v3-pay.json']); // one family; no response schemas, no index
  }, 70_000);
});
