import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/**
 * ajv compiled schemas with `new Function` (refused on Workers) and cost ~100 ms on a first validated call; it is a
 * devDependency now (the differential spec's reference). A require of it under lib/ would break installed packages.
 */
describe('ajv is not needed at run time', () => {
  it('no module under lib/ imports or requires it', () => {
    const importing = sources(join(ROOT, 'lib'))
      .filter((file) =>
        /from ['"]ajv['"]|require\(['"]ajv['"]\)|import\(['"]ajv['"]\)/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(ROOT, file));
    expect(importing).toEqual([]);
  });

  it('the package does not depend on it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('ajv');
    expect(Object.keys(pkg.peerDependencies ?? {})).not.toContain('ajv');
  });
});
