/**
 * How long `Builder.factory` takes, cold (first call in a fresh process: config validator, key parsing, axios
 * instance) and warm (median of later calls with the same key material). Target: cold < 5 ms.
 * Run: npx ts-node --transpile-only bench/factory.ts (from source), or with FACTORY_FROM=/abs/path/to/dist to time
 * a build (how users load it).
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const merchant = pair();
const platform = pair();
const config = {
  mchid: '1900000001',
  serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
  privateKey: merchant.privateKey,
  certs: { PUB_KEY_ID_0114232134912410000000000000: platform.publicKey },
  apiv3Key: '0123456789abcdef0123456789abcdef',
  baseURL: 'http://127.0.0.1:1/',
};

// the SDK is imported after the keys exist, so import cost is reported on its own line
const importStart = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Builder } = require(process.env.FACTORY_FROM ?? '../lib') as typeof import('../lib');
const importMs = performance.now() - importStart;

const coldStart = performance.now();
Builder.factory(config);
const coldMs = performance.now() - coldStart;

const samples: number[] = [];
for (let i = 0; i < 200; i += 1) {
  const start = performance.now();
  Builder.factory(config);
  samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
const median = samples[samples.length >> 1]!;
const p95 = samples[Math.floor(samples.length * 0.95)]!;
console.log(
  `import ${importMs.toFixed(1)} ms; factory cold ${coldMs.toFixed(2)} ms; warm median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms`,
);
