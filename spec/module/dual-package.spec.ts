import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The built package as users load it (self-reference by name, through `exports`). `npm test` builds first. */
const root = join(__dirname, '..', '..');
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

const PROBE = `
  const names = ['Builder', 'Rsa', 'AesGcm', 'AesEcb', 'Hash', 'Formatter', 'Transformer', 'ApiError', 'SignatureError', 'ConfigError'];
  const missing = names.filter((name) => typeof m[name] === 'undefined');
  const vector = m.AesEcb.encrypt('hello', '0123456789abcdef0123456789abcdef');
  console.log(JSON.stringify({ missing, vector, factory: typeof m.Builder.factory }));
`;

describe('dual package', () => {
  it('ships JS, type declarations and source maps for both formats', () => {
    for (const file of [
      'index.js',
      'index.d.ts',
      'index.mjs',
      'index.d.mts',
      'sandbox/index.mjs',
      'sandbox/index.d.mts',
    ]) {
      expect(existsSync(join(root, 'dist', file))).toBe(true);
    }
    const code = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      /\.m?js$/.test(file),
    );
    expect(code.filter((file) => !existsSync(join(root, 'dist', `${file}.map`)))).toEqual([]);
  });

  it('the ESM build is ESM: no file of it loads the CommonJS build', () => {
    const esm = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.mjs'),
    );
    const imports = esm.flatMap((file) =>
      [...readFileSync(join(root, 'dist', file), 'utf8').matchAll(/\bfrom\s*["']([^"']+)["']|\brequire\(/g)].map(
        (match) => match[1] ?? 'require(',
      ),
    );
    expect(imports.filter((target) => target === 'require(' || /\.c?js$/.test(target))).toEqual([]);
  });

  it.each([
    ['require', ['-e', `const m = require('wechatpay-chain');${PROBE}`]],
    ['import', ['--input-type=module', '-e', `import * as m from 'wechatpay-chain';${PROBE}`]],
  ])('%s loads every public name', (_how, args) => {
    expect(JSON.parse(run(args))).toEqual({ missing: [], vector: 'pZwJZBLuy3mDACEQT4YTBw==', factory: 'function' });
  });

  it.each([
    ['require', ['-e', `console.log(typeof require('wechatpay-chain/sandbox').Sandbox.start)`]],
    [
      'import',
      [
        '--input-type=module',
        '-e',
        `import { Sandbox } from 'wechatpay-chain/sandbox'; console.log(typeof Sandbox.start)`,
      ],
    ],
  ])('%s loads the sandbox subpath', (_how, args) => {
    expect(run(args)).toBe('function');
  });

  it('import and require give one set of error classes: an error of either is an instance of both', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import * as esm from 'wechatpay-chain'; import { createRequire } from 'node:module';
       const cjs = createRequire(process.cwd() + '/')('wechatpay-chain');
       const fromCjs = new cjs.ApiV2Error({ status: 200, headers: {}, body: '', verified: true, data: {} });
       const fromEsm = new esm.ConfigError([{ path: 'mchid', issue: 'is required' }]);
       console.log(JSON.stringify([
         fromCjs instanceof esm.ApiV2Error, fromCjs instanceof esm.ApiError, fromCjs instanceof esm.WechatpayError,
         fromEsm instanceof cjs.ConfigError, fromEsm instanceof cjs.WechatpayError,
         fromCjs instanceof esm.ConfigError, fromEsm instanceof cjs.ApiError, new Error('x') instanceof esm.WechatpayError,
       ]));`,
    ]);
    expect(JSON.parse(out)).toEqual([true, true, true, true, true, false, false, false]);
  });
});
