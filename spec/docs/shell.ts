import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Shell blocks of the docs (```` ```sh ````), marked as the TypeScript ones are: none (run, offline, against the
 * sandbox), or `no-run` with `<!-- no-run: <reason> -->` above (a comment: readers do not see it). In a run block, lines
 * `# ...` are the output the commands before them print (`...` matches anything).
 */
export interface ShellExample {
  where: string;
  code: string;
  mode: 'run' | 'no-run';
  reason?: string;
  /** The `# ` lines, as one text; '' when the block shows no output. */
  output: string;
  problem?: string;
}

const FENCE = /^```(sh|bash|shell)(?!\w)([^\n]*)\n([\s\S]*?)^```/gm;
const REASON = /<!-- no-run: ([^\n]+?) -->\s*$/;
/** A JSON block (a config file the page describes), by page. */
const JSON_FENCE = /^```json\n([\s\S]*?)^```/m;

export function extractShell(root: string, files: string[]): ShellExample[] {
  const examples: ShellExample[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(FENCE)) {
      const before = text.slice(0, match.index);
      const meta = match[2]!.trim();
      const code = match[3]!;
      const example: ShellExample = {
        where: `${relative(root, file)}:${before.split('\n').length}`,
        code,
        mode: meta === 'no-run' ? 'no-run' : 'run',
        output: code
          .split('\n')
          .filter((line) => line.startsWith('# '))
          .map((line) => line.slice(2))
          .join('\n'),
      };
      if (meta !== '' && meta !== 'no-run') example.problem = `unknown fence mark "${meta}": use none or no-run`;
      if (example.mode === 'no-run') example.reason = REASON.exec(before.trimEnd())?.[1];
      examples.push(example);
    }
  }
  return examples;
}

/** The first ```json block of a page. */
export function jsonBlockOf(file: string): unknown {
  const match = JSON_FENCE.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file} has no json block`);
  return JSON.parse(match[1]!);
}

/**
 * Run a block with bash in `cwd`. `npx wechatpay-chain` is this repository's built CLI, as an installed package
 * gives it (npx would otherwise ask the registry). Bounded in time: a command that never ends fails the test.
 */
export function runShell(
  code: string,
  cwd: string,
  bin: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const prelude = [
    'set -euo pipefail',
    `npx() { if [ "$1" = wechatpay-chain ]; then shift; node ${JSON.stringify(bin)} "$@"; else command npx "$@"; fi; }`,
  ].join('\n');
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${prelude}\n${code}`],
      { cwd, env: { ...process.env, ...env }, timeout: 20_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const exit = error ? (error as { code?: number | string }).code : 0;
        resolve({ code: typeof exit === 'number' ? exit : null, stdout, stderr });
      },
    );
  });
}
