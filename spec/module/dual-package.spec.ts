import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  it('ships JS and type declarations', () => {
    expect(existsSync(join(root, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'esm', 'index.mjs'))).toBe(true);
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

  it('import and require share one module: error classes match across both', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { ApiError } from 'wechatpay-chain'; import { createRequire } from 'node:module';
       const require = createRequire(process.cwd() + '/'); console.log(require('wechatpay-chain').ApiError === ApiError);`,
    ]);
    expect(out).toBe('true');
  });
});
