import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Example } from './extract';
import { typecheckExamples } from './typecheck';

/**
 * Every type name a docs page tells a reader to take from the package is one the BUILT package exports (`npm test`
 * builds first): the endpoint pages' "Types from `wechatpay-chain`" line (its names and its `Endpoints['KEY']`) and
 * any `import ... from 'wechatpay-chain'` in any page. Each page becomes one module that imports them, type-checked
 * as a user's project would (./typecheck.ts): a name the package does not export is TS2305/TS2724 on that page.
 */
const root = join(__dirname, '..', '..');
const docsDir = join(root, 'docs');

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const ENDPOINT_TYPE = /^Endpoints\['[A-Z]+ \/[^']*'\]$/;
/** A prose line that hands the reader type names: "Types from `wechatpay-chain`: ..." (or "Types: ... from"). */
const TYPES_LINE = /^Types\b.*`wechatpay-chain`.*$/gm;
const IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'wechatpay-chain'/g;

interface Named {
  names: Set<string>;
  indexed: Set<string>;
}

function namedOn(text: string): Named {
  const names = new Set<string>();
  const indexed = new Set<string>();
  for (const [line] of text.matchAll(TYPES_LINE)) {
    for (const [, span] of line.matchAll(/`([^`]+)`/g)) {
      if (ENDPOINT_TYPE.test(span!)) indexed.add(span!);
      else if (IDENTIFIER.test(span!)) names.add(span!);
    }
  }
  for (const [, list] of text.matchAll(IMPORT)) {
    for (const item of list!.split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]!;
      if (name) names.add(name);
    }
  }
  return { names, indexed };
}

describe('docs pages name only types the package exports', () => {
  const pages = markdownFiles(docsDir).map((file) => ({
    where: relative(root, file),
    ...namedOn(readFileSync(file, 'utf8')),
  }));

  it('every endpoint page names its types', () => {
    const endpointPages = pages.filter(
      ({ where }) => where.startsWith(join('docs', 'api') + '/') && !where.endsWith('README.md'),
    );
    // the whole catalog (spec/catalog/generated.spec.ts counts it exactly): not a vacuous pass
    expect(endpointPages.length).toBeGreaterThan(1100);
    const without = endpointPages.filter(({ names, indexed }) => names.size === 0 || indexed.size === 0);
    expect(without.map(({ where }) => where)).toEqual([]);
  });

  it('every named type imports from the built package', () => {
    const examples: Example[] = pages
      .filter(({ names, indexed }) => names.size > 0 || indexed.size > 0)
      .map(({ where, names, indexed }) => {
        const imported = new Set(names);
        if (indexed.size > 0) imported.add('Endpoints');
        const aliases = [...indexed].map((type, index) => `type Named${index} = ${type};`);
        return {
          where,
          language: 'ts',
          mode: 'no-run',
          code: [`import type { ${[...imported].join(', ')} } from 'wechatpay-chain';`, ...aliases].join('\n'),
        };
      });
    const failures = [...typecheckExamples(root, examples, '', [])].filter(([, problems]) => problems.length > 0);
    expect(failures.map(([where, problems]) => `${where}: ${problems[0]}`)).toEqual([]);
  }, 300_000);
});
