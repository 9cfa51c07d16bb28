import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderCatalog } from '../../scripts/generate-catalog';

const ROOT = join(__dirname, '..', '..');

/** The committed catalog is exactly what the generator makes of facts/: types, routes and docs cannot drift. */
describe('generated catalog', () => {
  const files = renderCatalog();

  it.each([...files.keys()].map((file) => [relative(ROOT, file), file]))(
    '%s matches a fresh generation',
    (_name, file) => {
      expect(readFileSync(file, 'utf8')).toBe(files.get(file));
    },
  );

  it('docs/api holds no page the facts do not produce', () => {
    const pages = readdirSync(join(ROOT, 'docs', 'api')).map((name) => join(ROOT, 'docs', 'api', name));
    expect(pages.filter((page) => !files.has(page))).toEqual([]);
  });

  it('covers all 11 wb-channel endpoints', () => {
    const routes = readFileSync(join(ROOT, 'lib/catalog/generated/routes.ts'), 'utf8');
    expect(routes.match(/"method":/g)).toHaveLength(11);
  });
});
