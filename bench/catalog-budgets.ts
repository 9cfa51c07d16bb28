/**
 * `npm run bench:catalog`: the whole-API catalog's budgets, measured (run after `npm run build`).
 * - a fresh process: require('wechatpay-chain') + a first signed call on loopback < 150 ms; RSS after import < 40 MB
 * - the packed and installed package size (npm pack)
 * - a consumer project outside the repo (the packed package installed; moduleResolution node16 and bundler) that
 *   uses 30 operations: it must compile, its @ts-expect-error lines must fail to compile, and
 *   tsc --extendedDiagnostics must report check time < 3 s and memory < 500 MB.
 * Exits non-zero when a budget is missed or the consumer check fails; `--types-only` runs the consumer check alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerSource } from './catalog-consumer';

const ROOT = join(__dirname, '..');
const failures: string[] = [];
const budget = (name: string, value: number, limit: number, unit: string) => {
  const ok = value < limit;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${value.toFixed(1)} ${unit} (budget < ${limit} ${unit})`);
  if (!ok) failures.push(name);
};

/** A child process: import, sign and send one call to a loopback server, report the times and memory. */
const FIRST_CALL = `
const t0 = process.hrtime.bigint();
const { Builder } = require(${JSON.stringify(join(ROOT, 'dist'))});
const imported = process.hrtime.bigint();
const rss = process.memoryUsage().rss;
const http = require('node:http');
const { generateKeyPairSync } = require('node:crypto');
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = http.createServer((req, res) => { res.writeHead(404, { 'Content-Type': 'application/json' }); res.end('{"code":"NOT_FOUND","message":"x"}'); });
server.listen(0, '127.0.0.1', async () => {
  const t1 = process.hrtime.bigint();
  const instance = Builder.factory({ mchid: '1900000001', serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    privateKey: merchant.privateKey, certs: { PUB_KEY_ID_0100000000000000000000000000: platform.publicKey },
    baseURL: 'http://127.0.0.1:' + server.address().port + '/' });
  const error = await instance.v3.pay.transactions.outTradeNo._out_trade_no_
    .get({ out_trade_no: 'T1', query: { mchid: '1900000001' } }).catch((e) => e);
  const t2 = process.hrtime.bigint();
  server.close();
  console.log(JSON.stringify({ importMs: Number(imported - t0) / 1e6, callMs: Number(t2 - t1) / 1e6, rss, status: error.status }));
});`;

function firstCall(): void {
  const runs = [0, 1, 2].map(
    () =>
      JSON.parse(execFileSync(process.execPath, ['-e', FIRST_CALL], { encoding: 'utf8' })) as Record<string, number>,
  );
  const best = runs.sort((a, b) => a.importMs! + a.callMs! - (b.importMs! + b.callMs!))[0]!;
  if (best.status !== 404) failures.push('first call did not reach the loopback server');
  console.log(`     require: ${best.importMs!.toFixed(1)} ms; first signed call: ${best.callMs!.toFixed(1)} ms`);
  budget(
    'require + first signed call (fresh process, best of 3; key generation excluded)',
    best.importMs! + best.callMs!,
    150,
    'ms',
  );
  budget('RSS after import', best.rss! / 2 ** 20, 40, 'MB');
}

function tsc(dir: string, args: string[]): string {
  try {
    return execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    failures.push(`tsc ${args.join(' ')} in ${dir}`);
    return out;
  }
}

function consumer(): void {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-consumer-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }),
    ) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>;
    const { filename, size, unpackedSize, entryCount } = packed[0]!;
    console.log(
      `     package: ${(size / 2 ** 20).toFixed(2)} MB packed, ${(unpackedSize / 2 ** 20).toFixed(2)} MB installed, ${entryCount} files`,
    );
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, filename)], {
      cwd: dir,
      stdio: 'ignore',
    });
    // its own @types/node and axios come with the package's dependencies; link node types from the repo
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    execFileSync('cp', ['-r', join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node')]);
    writeFileSync(join(dir, 'consumer.ts'), consumerSource());
    for (const [moduleKind, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      const config = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: moduleKind,
          moduleResolution: resolution,
          target: 'es2022',
          types: ['node'],
          skipLibCheck: true,
        },
        files: ['consumer.ts'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
      const out = tsc(dir, ['-p', '.', '--extendedDiagnostics']);
      const number = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(out)?.[1] ?? NaN);
      console.log(
        `     ${resolution}: types ${number('Types')}, instantiations ${number('Instantiations')}, files ${number('Files')}`,
      );
      budget(`consumer (${resolution}) check time`, number('Check time'), 3, 's');
      budget(`consumer (${resolution}) memory`, number('Memory used') / 1024, 500, 'MB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `--types-only`: the consumer-project check alone (CI: timings on a shared, loaded machine are not budgets)
if (!process.argv.includes('--types-only')) firstCall();
consumer();
if (failures.length > 0) {
  console.error(`budgets missed: ${failures.join('; ')}`);
  process.exit(1);
}
