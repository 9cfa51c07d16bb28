/**
 * Generates the endpoint catalog from facts/: runtime facts (lib/catalog/generated/: one lazily required JSON file
 * per family, response schemas apart, an operation index), types (lib/catalog/generated/endpoints.ts over one file
 * per family in generated/types/), one doc
 * page per operation grouped by business tag (docs/api/) and the docs' examples as code for the type checker
 * (types-spec/generated/). `--check` compares instead of writing (CI).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { emitEndpoints, emitRuntime } from './catalog/emit-code';
import { emitDocExamples } from './catalog/emit-docs';
import { emitDocTree } from './catalog/emit-doc-tree';
import { unusedKnownBroken } from './catalog/known-broken';
import { applyOverrides, markTwins, readErrors, readFacts } from './catalog/read-facts';

const ROOT = join(__dirname, '..');
const FACTS = join(ROOT, 'facts');
const DOCS_API = join(ROOT, 'docs', 'api');
const GENERATED = join(ROOT, 'lib', 'catalog', 'generated');
/** Directories the generator owns whole: a file in them that it did not write is stale. */
const OWNED = [DOCS_API, GENERATED];

const NOTE =
  'Written by `npm run catalog` from `facts/` (scripts/generate-catalog.ts): never edit by hand; CI checks\nthat regenerating reproduces it (`npm run catalog:check`).\n';

/** What each generated folder holds, written with it (every lib/ folder says what belongs there). */
const GENERATED_READMES: Record<string, string> = {
  'README.md': `# catalog/generated/\n\n${NOTE}\n- \`endpoints.ts\` the flat \`Endpoints\` map (\`"METHOD /path"\` -> params, query, json, response) over\n  \`types/\`; \`families.ts\` which family file holds a path; \`operations.json\` the operation index.\n- \`facts/\` runtime facts per family, \`responses/\` reply schemas (the sandbox's), \`responses.ts\` their loader.\n\nImports only \`catalog/\` types and \`request/\` types.\n`,
  'facts/README.md': `# catalog/generated/facts/\n\n${NOTE}\nOne JSON file per family, one operation a line: what validation, encryption and retry safety read.\n`,
  'responses/README.md': `# catalog/generated/responses/\n\n${NOTE}\nReply schemas per family, one operation a line; only the sandbox loads them.\n`,
  'types/README.md': `# catalog/generated/types/\n\n${NOTE}\nThe request and reply interfaces, one file per family (\`shared.ts\`: shapes several families use).\n`,
};

/** Every generated file, path -> content. */
export function renderCatalog(): Map<string, string> {
  const routes = markTwins(applyOverrides(readFacts(FACTS), FACTS));
  const stale = unusedKnownBroken();
  if (stale.length > 0)
    throw new Error(`facts/known-broken.yaml lists facts that are not broken:\n  ${stale.join('\n  ')}`);
  const errors = readErrors(FACTS);
  const files = new Map<string, string>();
  for (const [file, content] of emitRuntime(routes)) files.set(join(GENERATED, file), content);
  for (const [file, content] of emitEndpoints(routes)) files.set(join(GENERATED, file), content);
  for (const [file, content] of Object.entries(GENERATED_READMES)) files.set(join(GENERATED, file), content);
  files.set(join(ROOT, 'types-spec/generated/doc-examples.ts'), emitDocExamples(routes));
  for (const [file, content] of emitDocTree(routes, errors)) files.set(join(DOCS_API, file), content);
  return files;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function staleFiles(files: Map<string, string>): string[] {
  const stale = [...files]
    .filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content)
    .map(([file]) => file);
  const extra = OWNED.flatMap(listFiles).filter((file) => !files.has(file));
  return [...stale, ...extra].map((file) => relative(ROOT, file));
}

if (require.main === module) {
  const files = renderCatalog();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      console.error(`generated catalog is out of date; run \`npm run catalog\`:\n  ${stale.slice(0, 20).join('\n  ')}`);
      process.exit(1);
    }
    console.log(`catalog up to date (${files.size} files)`);
  } else {
    for (const dir of OWNED) rmSync(dir, { recursive: true, force: true });
    for (const [file, content] of files) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    console.log(`wrote ${files.size} files`);
  }
}
