/**
 * `npm run bench:tsserver` (after `npm run build`): editor latency on the whole-API catalog types. Starts
 * TypeScript's own tsserver on a consumer project outside the repo (it depends on the built package through
 * `node_modules/wechatpay-chain`, `moduleResolution` node16), opens the consumer file of bench/catalog-consumer.ts
 * with a few lines appended, and times, in ms:
 * - cold: tsserver's start, the project's load (`projectInfo`: every file parsed and bound), then the first
 *   `completionInfo` after `instance.v3.pay.transactions.` (the checker's first work on the catalog types);
 * - `completionInfo` after `instance.v3.` and after `instance.v3.pay.transactions.`, warm (median of ROUNDS, each
 *   after an edit to the file, as while typing);
 * - `quickinfo` on a typed call's verb (`...jsapi.post`), warm.
 * Reports; exits non-zero if a warm median is over 500 ms (the issue: completion must stay usable).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from 'typescript';
import { consumerSource } from './catalog-consumer';
import { median } from './measure';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const WARM_BUDGET_MS = 500;

/** The probe lines; each marker's position is where the editor asks. */
const PROBES = `
export function probes(): void {
  const atV3 = instance.v3.;
  const atTransactions = instance.v3.pay.transactions.;
  const atVerb = instance.v3.pay.transactions.jsapi.post;
}
`;

interface Reply {
  request_seq: number;
  success: boolean;
  body?: unknown;
  message?: string;
}

/** A tsserver child speaking its JSON protocol (requests on stdin, Content-Length framed messages on stdout). */
class TsServer {
  private readonly child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/lib/tsserver.js'), '--disableAutomaticTypingAcquisition'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  constructor() {
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Reply & {
        type: string;
      };
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.type === 'response') this.waiting.get(message.request_seq)?.(message);
    }
  }

  /** Send a request; resolve with its reply and how long it took (ms). Requests without a reply resolve at once. */
  request(command: string, args: unknown, expectReply = true): Promise<{ reply?: Reply; ms: number }> {
    const seq = ++this.seq;
    const started = performance.now();
    const reply = expectReply
      ? new Promise<{ reply: Reply; ms: number }>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`tsserver: no reply to ${command} in 120 s`)), 120_000);
          this.waiting.set(seq, (message) => {
            clearTimeout(timer);
            this.waiting.delete(seq);
            resolve({ reply: message, ms: performance.now() - started });
          });
        })
      : Promise.resolve({ ms: 0 });
    this.child.stdin.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    return reply;
  }

  close(): void {
    this.child.kill();
  }
}

/** 1-based line and offset just after `marker` (its first occurrence). */
function positionAfter(text: string, marker: string): { line: number; offset: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((content) => content.includes(marker));
  if (line < 0) throw new Error(`marker ${marker} not in the probe file`);
  return { line: line + 1, offset: lines[line]!.indexOf(marker) + marker.length + 1 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-tsserver-'));
  const server = new TsServer();
  try {
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    // the built package as a dependency (its own axios resolves from the repo, as npm would place it)
    symlinkSync(ROOT, join(dir, 'node_modules', 'wechatpay-chain'), 'dir');
    symlinkSync(join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      types: ['node'],
      skipLibCheck: true,
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const text = consumerSource() + PROBES;
    const file = join(dir, 'consumer.ts');
    writeFileSync(file, text);

    const boot = await server.request('configure', { preferences: {} });
    await server.request('open', { file, fileContent: text }, false);
    const program = await server.request('projectInfo', { file, needFileNameList: true });
    const files = (program.reply?.body as { fileNames?: string[] } | undefined)?.fileNames?.length ?? NaN;
    const v3 = positionAfter(text, 'atV3 = instance.v3.');
    const transactions = positionAfter(text, 'atTransactions = instance.v3.pay.transactions.');
    const verb = positionAfter(text, 'atVerb = instance.v3.pay.transactions.jsapi.po');
    const completion = async (at: { line: number; offset: number }, expect: string) => {
      const { reply, ms } = await server.request('completionInfo', { file, ...at });
      const names = ((reply?.body as { entries?: { name: string }[] } | undefined)?.entries ?? []).map((e) => e.name);
      if (!reply?.success || !names.includes(expect)) {
        throw new Error(`completion at ${JSON.stringify(at)} lacks ${expect}: ${reply?.message ?? names.join(',')}`);
      }
      return { ms, count: names.length };
    };
    const cold = await completion(transactions, 'jsapi');
    const coldV3 = await completion(v3, 'pay');
    // each warm round follows an edit (a space typed, then removed, at the end of the file), as while typing
    const end = { line: text.split('\n').length, offset: 1 };
    const edit = async (insert: string, endOffset: number) =>
      server.request('change', { file, ...end, endLine: end.line, endOffset, insertString: insert }, false);
    const rounds: Record<'v3' | 'transactions' | 'quickinfo', number[]> = { v3: [], transactions: [], quickinfo: [] };
    for (let round = 0; round < ROUNDS; round++) {
      await edit(' ', 1);
      rounds.v3.push((await completion(v3, 'pay')).ms);
      await edit('', 2);
      rounds.transactions.push((await completion(transactions, 'jsapi')).ms);
      await edit(' ', 1);
      const { reply, ms } = await server.request('quickinfo', { file, ...verb });
      if (!reply?.success) throw new Error(`quickinfo failed: ${reply?.message}`);
      rounds.quickinfo.push(ms);
      await edit('', 2);
    }
    const warm = (key: keyof typeof rounds) => median(rounds[key]);
    console.log(`tsserver (TypeScript ${version}), consumer: 30 operations, node16; ms`);
    console.log(
      `cold: tsserver start ${boot.ms.toFixed(0)}, project load (${files} files) ${program.ms.toFixed(0)}, ` +
        `first completion after instance.v3.pay.transactions. (${cold.count} entries) ${cold.ms.toFixed(0)}`,
    );
    console.log(`completion after instance.v3. (${coldV3.count} entries): first ${coldV3.ms.toFixed(0)}`);
    console.log(
      `warm, after an edit, median of ${ROUNDS}: completion v3. ${warm('v3').toFixed(1)}, ` +
        `completion v3.pay.transactions. ${warm('transactions').toFixed(1)}, quickinfo on jsapi.post ${warm('quickinfo').toFixed(1)}`,
    );
    const slow = (['v3', 'transactions', 'quickinfo'] as const).filter((key) => warm(key) > WARM_BUDGET_MS);
    if (slow.length > 0) {
      console.error(`over ${WARM_BUDGET_MS} ms warm: ${slow.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
