import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI, as `npx wechatpay-chain` runs it. */
export const BIN = join(__dirname, '..', '..', 'bin', 'wechatpay-chain.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI once as a child process; bounded so a CLI that never exits fails the test instead of hanging. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number | string }).code ?? null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}
