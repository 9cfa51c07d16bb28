import { readFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * The catalog's JSON facts enter the bundle as one string each, parsed on first require: V8 skims a string literal
 * where it would tokenise the same data as an object literal on every load of the package (2 MB of facts).
 */
const factsAsStrings: Plugin = {
  name: 'facts-as-strings',
  setup(build) {
    build.onLoad({ filter: /[\\/]catalog[\\/]generated[\\/].*\.json$/ }, async ({ path }) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

/**
 * The package's entry points, `dist/<name>` -> source: adding one is a line here and its `exports` in package.json.
 * Each format is built in one pass with code splitting, so what two entries share (the error classes above all)
 * lives in one chunk: `wechatpay-chain` and `wechatpay-chain/sandbox` meet one instance of each class.
 */
const entry = {
  index: 'lib/index.ts',
  'sandbox/index': 'lib/sandbox/index.ts',
  'redis/index': 'lib/redis/index.ts',
  'cli/index': 'lib/cli/index.ts',
};

export default defineConfig({
  entry,
  format: ['cjs', 'esm'],
  outDir: 'dist',
  target: 'node20',
  platform: 'node',
  // `node:crypto` as written: workerd (nodejs_compat) and Deno resolve builtins by the prefix
  removeNodeProtocol: false,
  tsconfig: 'tsconfig.build.json',
  splitting: true,
  sourcemap: true,
  // class names as written: an error's class is recognised by name across the CommonJS and ESM copies (lib/errors)
  keepNames: true,
  esbuildPlugins: [factsAsStrings],
  dts: true,
  clean: true,
});
