// Bundles a Cloudflare Worker that imports the BUILT package (dist/), as wrangler would: esbuild, the workerd /
// worker / browser export conditions (axios' fetch build, jose's WebCrypto build), node:* left to nodejs_compat.
// The browser platform applies package.json `browser` maps: axios' ESM entry maps its node adapter away by one.
// Usage: node scripts/runtimes/build-worker.js <entry.mjs> <out.js> [esbuild module dir]
const { resolve } = require('node:path');

const [entry, outfile, esbuildDir] = process.argv.slice(2);
const esbuild = require(esbuildDir ? resolve(esbuildDir) : 'esbuild');
const root = resolve(__dirname, '..', '..');

/**
 * The CommonJS build `require`s node builtins; in an ES module worker a bare `require` does not exist, so each one
 * becomes a tiny CommonJS module that re-exports the ESM builtin workerd provides under nodejs_compat.
 */
const nodeBuiltins = {
  name: 'node-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'require-call'
        ? { path: args.path, namespace: 'node-builtin' }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `import * as m from '${args.path}'; module.exports = m;`,
      loader: 'js',
    }));
  },
};

esbuild
  .build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    alias: { 'wechatpay-chain': resolve(root, 'dist', 'index.mjs') },
    plugins: [nodeBuiltins],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
