// Writes the ESM entry points of the dual package. They re-export the CommonJS build, so `import` and
// `require` share one module instance (one set of error classes: `instanceof` works across both).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const entries = {
  'index.mjs': '../index.js',
  'sandbox.mjs': '../sandbox/index.js',
};

mkdirSync(join(dist, 'esm'), { recursive: true });
for (const [file, target] of Object.entries(entries)) {
  const names = Object.keys(require(join(dist, 'esm', target))).filter(
    (name) => name !== 'default' && name !== '__esModule',
  );
  const body = [
    `import cjs from '${target}';`,
    `export const { ${names.join(', ')} } = cjs;`,
    'export default cjs;',
    '',
  ].join('\n');
  writeFileSync(join(dist, 'esm', file), body);
}
