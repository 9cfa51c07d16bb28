import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Example {
  /** `docs/keys.md:12`: where the fence opens. */
  where: string;
  code: string;
  /** Fence info after the language: `ts fragment` marks a part of a larger program, shown but not run. */
  meta: string;
}

const FENCE = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm;

/** The hand-written docs: README.md and docs/*.md (docs/api/ is generated and checked by the catalog's specs). */
export function handWrittenDocs(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs.sort()];
}

export function extractExamples(root: string, files: string[]): Example[] {
  const examples: Example[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(FENCE)) {
      const line = text.slice(0, match.index).split('\n').length;
      examples.push({ where: `${relative(root, file)}:${line}`, meta: match[2]!.trim(), code: match[3]! });
    }
  }
  return examples;
}
