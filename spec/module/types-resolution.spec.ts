import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../helpers/openssl';

/**
 * The built package's types, as a consumer's tsc finds them under each moduleResolution users have
 * (node10 is NestJS's default; node16 from CommonJS and from ESM; bundler). `npm test` builds first.
 */
const root = join(__dirname, '..', '..');
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `
import { Builder, ApiError } from 'wechatpay-chain';
import { Sandbox } from 'wechatpay-chain/sandbox';
export const ok: [typeof Builder.factory, typeof ApiError.isApiError, typeof Sandbox.start] =
  [Builder.factory, ApiError.isApiError, Sandbox.start];
// a wrong use must fail, or the check proves nothing
// @ts-expect-error factory takes a config object
Builder.factory(42);
`;

function tsc(args: string[]): Promise<string> {
  return new Promise((resolve) =>
    execFile(process.execPath, [TSC, ...args], { timeout: 60_000 }, (error, stdout) =>
      resolve(error ? `exit ${(error as { code?: number }).code}: ${stdout}` : 'ok'),
    ),
  );
}

describe('type declarations resolve under every moduleResolution', () => {
  const dir = scratch();
  beforeAll(() => {
    mkdirSync(dir.path('node_modules'));
    symlinkSync(root, dir.path('node_modules/wechatpay-chain'), 'dir');
    dir.path('consumer.ts', CONSUMER);
    dir.path('consumer.cts', CONSUMER);
    dir.path('consumer.mts', CONSUMER);
  });
  afterAll(() => dir.remove());

  const strict = [
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--types',
    'node',
    '--typeRoots',
    join(root, 'node_modules/@types'),
  ];
  it.each([
    ['node10', ['--module', 'commonjs', '--moduleResolution', 'node10', '--ignoreDeprecations', '5.0'], 'consumer.ts'],
    ['node16 from CommonJS', ['--module', 'node16', '--moduleResolution', 'node16'], 'consumer.cts'],
    ['node16 from ESM', ['--module', 'node16', '--moduleResolution', 'node16'], 'consumer.mts'],
    ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler'], 'consumer.ts'],
  ])(
    '%s',
    async (_name, options, file) => {
      expect(await tsc([...strict, ...options, dir.path(file)])).toBe('ok');
    },
    90_000,
  ); // a full tsc run each; slow on a shared 2-core machine, bounded all the same
});
