import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Run the openssl CLI: an implementation independent of ours, to check our bytes against. */
export function openssl(args: string[], input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A scratch directory removed at the end of the test file. */
export function scratch(): { path(name: string, content?: string | Buffer): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-chain-'));
  return {
    path(name, content) {
      const file = join(dir, name);
      if (content !== undefined) writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
