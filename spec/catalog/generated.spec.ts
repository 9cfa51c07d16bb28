import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listOperations } from '../../lib/catalog/lookup';
import { renderCatalog } from '../../scripts/generate-catalog';

const ROOT = join(__dirname, '..', '..');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The committed catalog is exactly what the generator makes of facts/: types, routes and docs cannot drift. */
describe('generated catalog', () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = renderCatalog();
  }, 180_000);

  it('every generated file matches a fresh generation (run `npm run catalog` if not)', () => {
    const stale = [...files]
      .filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content)
      .map(([file]) => relative(ROOT, file));
    expect(stale).toEqual([]);
  });

  it('docs/api and lib/catalog/generated hold no file the facts do not produce', () => {
    const owned = [join(ROOT, 'docs', 'api'), join(ROOT, 'lib', 'catalog', 'generated')].flatMap(listFiles);
    expect(owned.filter((file) => !files.has(file)).map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('covers the whole API: 993 APIv3, 136 APIv2, 21 Hong Kong and 5 cross-border operations, one doc page each', () => {
    const operations = listOperations();
    expect(operations.filter(({ path }) => path.startsWith('v3/'))).toHaveLength(993);
    expect(operations.filter(({ path }) => path.startsWith('v2/'))).toHaveLength(136);
    expect(operations.filter(({ path }) => path.startsWith('hk/v3/'))).toHaveLength(21);
    expect(operations.filter(({ path }) => path.startsWith('global/v3/'))).toHaveLength(5);
    const pages = [...files.keys()].filter(
      (file) => file.includes(`${join('docs', 'api')}/`) && !file.endsWith('README.md'),
    );
    expect(pages).toHaveLength(993 + 136 + 21 + 5);
  });

  it('stays reviewable: no generated file over 1 MB, runtime facts as JSON with one operation a line', () => {
    const generated = [...files].filter(([file]) => file.startsWith(join(ROOT, 'lib', 'catalog', 'generated')));
    const large = generated.filter(([, content]) => Buffer.byteLength(content) > 1_000_000).map(([file]) => file);
    expect(large).toEqual([]);
    const facts = generated.filter(
      ([file]) => /generated[\\/](facts|responses)[\\/]/.test(file) && !file.endsWith('README.md'),
    );
    expect(facts.length).toBeGreaterThan(100);
    for (const [file, content] of facts) {
      expect(file).toMatch(/\.json$/);
      const parsed = JSON.parse(content) as unknown[] | Record<string, unknown>;
      // a line per operation between the brackets: a diff names the operations it changes
      const entries = Array.isArray(parsed) ? parsed.length : Object.keys(parsed).length;
      expect(content.trimEnd().split('\n')).toHaveLength(entries === 0 ? 1 : entries + 2);
    }
  });
});
