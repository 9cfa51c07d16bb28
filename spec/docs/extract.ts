import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * How a docs page marks its code blocks (the fence info after the language):
 * - ```` ```ts ````: run against the sandbox, and type-checked.
 * - ```` ```ts no-run ````: type-checked only, for code that cannot run here (another runtime, a real WeChat Pay host,
 *   a framework that is not installed). An HTML comment right above the fence says why, for maintainers (readers
 *   do not see it): `<!-- no-run: <reason> -->`.
 * - ```` ```js other-sdk ````: another SDK's code, shown for comparison (migration); neither run nor checked, with
 *   the same comment (`<!-- other-sdk: <reason> -->`).
 * - ```` ```text output ```` right after a run block: what it prints (`console`), line by line; `...` in a line
 *   matches anything. A run block without one must print nothing.
 */
export type Mode = 'run' | 'no-run' | 'other-sdk';

export interface Example {
  /** `docs/keys.md:12`: where the fence opens. */
  where: string;
  /** `ts` or `js`. */
  language: string;
  code: string;
  mode: Mode;
  /** The reason in the comment above a `no-run` / `other-sdk` block (undefined when missing: a spec failure). */
  reason?: string;
  /** The `text output` block that follows a run block. */
  output?: string;
  /** Anything unexpected about the fence (an unknown mark): a spec failure. */
  problem?: string;
}

// a fence may be indented (inside a list item): its code is dedented by as much
const FENCE = /^([ \t]*)```(ts|typescript|js|javascript)(?!\w)([^\n]*)\n([\s\S]*?)^\1```[^\S\n]*\n/gm;
const OUTPUT = /^\s*```text output\n([\s\S]*?)\n```/;
const REASON = /<!-- (?:no-run|other-sdk): ([^\n]+?) -->\s*$/;

/** The hand-written docs: README.md and docs/*.md (docs/api/ is generated and checked by the catalog's specs). */
export function handWrittenDocs(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs.sort()];
}

function modeOf(meta: string): Mode | undefined {
  if (meta === '') return 'run';
  if (meta === 'no-run' || meta === 'other-sdk') return meta;
  return undefined;
}

export function extractExamples(root: string, files: string[]): Example[] {
  const examples: Example[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(FENCE)) {
      const before = text.slice(0, match.index);
      const line = before.split('\n').length;
      const language = match[2]!.startsWith('t') ? 'ts' : 'js';
      const meta = match[3]!.trim();
      const mode = modeOf(meta);
      const example: Example = {
        where: `${relative(root, file)}:${line}`,
        language,
        code: match[4]!.replace(new RegExp(`^${match[1]}`, 'gm'), ''),
        mode: mode ?? 'no-run',
      };
      if (mode === undefined) example.problem = `unknown fence mark "${meta}": use none, no-run or other-sdk`;
      if (language === 'js' && mode !== 'other-sdk') example.problem = 'a js block here is another SDK: mark other-sdk';
      if (mode !== 'run') example.reason = REASON.exec(before.trimEnd())?.[1];
      else example.output = OUTPUT.exec(text.slice(match.index + match[0].length))?.[1];
      examples.push(example);
    }
  }
  return examples;
}

/**
 * What was printed against what the page shows: equal, but for `...`, which matches anything (lines too), and
 * `<a placeholder>`, which matches any text on its line.
 */
export function outputMatches(printed: string, documented: string): boolean {
  const pattern = documented
    .split(/(\.\.\.|<[a-z][a-z _-]*>)/)
    .map((part, index) => (index % 2 === 0 ? escape(part) : part === '...' ? '[\\s\\S]*?' : '[^\\n]+?'))
    .join('');
  return new RegExp(`^${pattern}$`).test(printed);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
