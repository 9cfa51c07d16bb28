import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../lib/cli';
import { BIN } from '../helpers/cli';

/**
 * Issue 20.9: every `wechatpay-chain sandbox` left its temporary folder behind, holding a throwaway merchant
 * private key (`npm test` left two). It is now removed on every exit path: the stopper, SIGINT/SIGTERM, the
 * process exiting, and a start that fails.
 */
jest.setTimeout(60_000);

const folderOf = (output: string) => /--config (\S+)\/config\.json/.exec(output)?.[1];

/** The CLI in a child whose temporary folder is `tmp`, until it has printed its config (or exited). */
function startChild(tmp: string, args: string[]) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string | undefined>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (folderOf(output)) resolve(folderOf(output));
    });
    void exited.then(() => resolve(undefined));
  });
  child.stderr.resume();
  return { child, ready, exited };
}

describe('the CLI sandbox removes its temporary folder on every exit path (issue 20.9)', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'wechatpay-cli-tmp-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("when stopped through run()'s stopper", async () => {
    let output = '';
    const stop = await run(['sandbox', '--port', '0'], (line) => (output += `${line}\n`));
    const folder = folderOf(output)!;
    expect(existsSync(join(folder, 'apiclient_key.pem'))).toBe(true);
    await stop!();
    expect(existsSync(folder)).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('on %s', async (signal) => {
    const { child, ready, exited } = startChild(tmp, [BIN, 'sandbox', '--port', '0']);
    const folder = await ready;
    expect(folder && existsSync(join(folder, 'apiclient_key.pem'))).toBe(true);
    child.kill(signal);
    // 0 once the sandbox is fully up; a signal in the instant before, the shell's 128+n: the folder goes either way
    expect([0, signal === 'SIGINT' ? 130 : 143]).toContain(await exited);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('when the process exits without stopping the sandbox', async () => {
    const script = `require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'cli', 'index.js'))})
      .run(['sandbox', '--port', '0'], (line) => console.log(line)).then(() => setTimeout(() => process.exit(0), 50));`;
    const { ready, exited } = startChild(tmp, ['-e', script]);
    expect(await ready).toBeDefined();
    expect(await exited).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('when the sandbox cannot start (its port is taken)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const { exited } = startChild(tmp, [BIN, 'sandbox', '--port', port]);
      expect(await exited).toBe(1);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
