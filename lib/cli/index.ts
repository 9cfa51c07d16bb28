import { certificatesCommand } from './certificates-command';
import { sandboxCommand } from './sandbox-command';

const USAGE = `usage: wechatpay-chain <command> [options]

commands:
  sandbox        start the local APIv3 gateway (wechatpay-chain sandbox --help)
  certificates   download platform certificates to PEM files (wechatpay-chain certificates --help)
`;

/** The CLI; returns a stopper for long-running commands. */
export async function run(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<(() => Promise<void>) | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sandbox':
      return sandboxCommand(rest, out);
    case 'certificates':
      return certificatesCommand(rest, out);
    case undefined:
    case '--help':
    case 'help':
      out(USAGE);
      return undefined;
    default:
      throw new Error(`unknown command ${command}\n${USAGE}`);
  }
}
