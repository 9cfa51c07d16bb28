// Writes the ESM entry points of the dual package. They re-export the CommonJS build, so `import` and
// `require` share one module instance (one set of error classes: `instanceof` works across both).
// Each .mjs gets a .d.mts beside it: TypeScript under node16/nodenext/bundler then sees ESM types for the
// ESM file, instead of the CommonJS .d.ts "masquerading" as them (what @arethetypeswrong/cli checks).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const entries = {
  index: '../index.js',
  sandbox: '../sandbox/index.js',
  redis: '../redis/index.js',
};

mkdirSync(join(dist, 'esm'), { recursive: true });
for (const [name, target] of Object.entries(entries)) {
  const names = Object.keys(require(join(dist, 'esm', target))).filter(
    (key) => key !== 'default' && key !== '__esModule',
  );
  const body = [
    `import cjs from '${target}';`,
    `export const { ${names.join(', ')} } = cjs;`,
    'export default cjs;',
    '',
  ];
  writeFileSync(join(dist, 'esm', `${name}.mjs`), body.join('\n'));
  // the same names, typed from the CommonJS declarations; the default export is the whole module, as above
  const types = [`export * from '${target}';`, `import * as cjs from '${target}';`, 'export default cjs;', ''];
  writeFileSync(join(dist, 'esm', `${name}.d.mts`), types.join('\n'));
}
