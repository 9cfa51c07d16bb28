import { join } from 'node:path';
import { format } from 'node:util';
import type * as Package from '../../lib';
import type * as SandboxModule from '../../lib/sandbox';
import { extractExamples, handWrittenDocs, outputMatches } from './extract';
import { docsWorld, NAMES, type DocsWorld } from './fixture';
import { runExample } from './run-example';
import { typecheckExamples } from './typecheck';

/**
 * Every TypeScript example in README.md and docs/*.md, run as pasted against a sandbox: the built package
 * (`npm test` builds first), the key files the docs write as `file:///keys/...` standing there (the `certs` of the
 * sandbox in place of WeChat Pay's), and the names the prose assumes (`instance`, `out_request_no`, `order`, ...)
 * made real by ./fixture.ts. What an example prints must be what its page shows (```text output). Every block, run
 * or not, is type-checked against the built package's types. How pages mark blocks: ./extract.ts.
 */
const root = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built package, as users load it
const pkg = require(join(root, 'dist')) as typeof Package;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built package, as users load it
const sandboxModule = require(join(root, 'dist', 'sandbox')) as typeof SandboxModule;
const examples = extractExamples(root, handWrittenDocs(root));
/** Frameworks the docs show but this repository does not install: their blocks are `no-run`, and typed loosely. */
const NOT_INSTALLED = [
  'express',
  'koa',
  '@koa/router',
  'koa-body',
  'fastify',
  '@nestjs/common',
  '@nestjs/core',
  'pino',
  'https-proxy-agent',
];

describe('docs examples run as written', () => {
  let world: DocsWorld;
  const started: SandboxModule.SandboxHandle[] = [];

  /** Where the docs say `file:///keys/NAME`, a user has their own files: here, ours. */
  const localize = (config: Package.BuilderConfig): Package.BuilderConfig => {
    const placeholder = (value: unknown): value is string =>
      typeof value === 'string' && value.startsWith('file:///keys/');
    const file = (value: unknown) => {
      if (!placeholder(value)) return value;
      const local = world.keyFiles[value.slice('file:///keys/'.length)];
      if (local === undefined) throw new Error(`the docs name a key file the spec does not provide: ${value}`);
      return `file://${local}`;
    };
    const { merchant } = config;
    return {
      baseURL: world.sandbox.url,
      ...config,
      privateKey: file(config.privateKey) as Package.KeyLike,
      // WeChat Pay's keys are the sandbox's
      ...(Object.values(config.certs ?? {}).some(placeholder) ? { certs: world.sandbox.certs } : {}),
      ...(merchant ? { merchant: { ...merchant, cert: file(merchant.cert), key: file(merchant.key) } as never } : {}),
    };
  };
  const modules: Record<string, unknown> = {
    'wechatpay-chain': {
      ...pkg,
      Builder: {
        ...pkg.Builder,
        factory: (config: Package.BuilderConfig) => pkg.Builder.factory(localize(config)),
        create: (config: Package.BuilderConfig, options?: Package.CreateOptions) =>
          pkg.Builder.create(localize(config), options),
      },
    },
    'wechatpay-chain/sandbox': {
      ...sandboxModule,
      Sandbox: {
        ...sandboxModule.Sandbox,
        start: async (options: SandboxModule.SandboxOptions) => {
          const handle = await sandboxModule.Sandbox.start(options);
          started.push(handle);
          return handle;
        },
      },
    },
  };
  // anything else an example imports (node:http, axios, ...) is what Node itself gives
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resolve = (specifier: string) => modules[specifier] ?? require(specifier);

  beforeAll(async () => {
    world = await docsWorld(pkg, sandboxModule);
  });
  afterAll(async () => {
    await Promise.all(started.map((handle) => handle.stop()));
    await world?.stop();
  });

  it('finds the examples; every block is marked as it should be, and every one not run says why (a comment above it)', () => {
    expect(examples.length).toBeGreaterThan(30);
    for (const { where, problem, mode, reason } of examples) {
      expect({ where, problem }).toEqual({ where, problem: undefined });
      if (mode !== 'run') expect({ where, reason }).toEqual({ where, reason: expect.any(String) });
    }
  });

  const runnable = examples.filter((example) => example.mode === 'run');
  it.each(runnable.map((example) => [example.where, example] as const))('%s', async (_where, example) => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(format(...args));
    const console = { log: capture, info: capture, debug: capture, warn: capture, error: capture };
    await runExample(example.code, resolve, { ...world.fixture, console });
    const documented = example.output ?? '';
    if (!outputMatches(printed.join('\n'), documented)) expect(printed.join('\n')).toBe(documented);
  });

  // last: compiling blocks the event loop for seconds, long enough for the sandbox to close idle keep-alive sockets
  it('type-checks every TypeScript block against the built package', () => {
    const typed = examples.filter((example) => example.language === 'ts');
    const found = typecheckExamples(root, typed, NAMES, NOT_INSTALLED);
    const failing = [...found].filter(([, diagnostics]) => diagnostics.length > 0);
    expect(Object.fromEntries(failing)).toEqual({});
  }, 60_000);
});
