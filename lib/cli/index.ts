import { UsageError } from './args';
import { certificatesCommand } from './certificates-command';
import { requestCommand } from './request-command';
import { sandboxCommand } from './sandbox-command';
import { VERSION } from '../version';

export { UsageError } from './args';

const USAGE = `usage: wechatpay-chain <command> [options]

commands:
  request        send one signed, verified APIv3 request (wechatpay-chain request --help)
  sandbox        start the local WeChat Pay gateway (wechatpay-chain sandbox --help)
  certificates   download platform certificates to PEM files (wechatpay-chain certificates --help)

  -h, --help     this text
  --version      the package version (${VERSION})
`;

/**
 * The CLI; returns a stopper for long-running commands. A UsageError means the command line was wrong
 * (exit 2, usage printed); any other rejection means the command itself failed (exit 1).
 */
export async function run(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<(() => Promise<void>) | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'request':
      return requestCommand(rest, out);
    case 'sandbox':
      return sandboxCommand(rest, out);
    case 'certificates':
      return certificatesCommand(rest, out);
    case undefined:
      // a bare `wechatpay-chain` did nothing it was asked to: usage on stderr, exit 2, as for any wrong line
      throw new UsageError('missing command', USAGE);
    case '-h':
    case '--help':
    case 'help':
      out(USAGE);
      return undefined;
    case '--version':
    case '-v':
      out(VERSION);
      return undefined;
    default:
      throw new UsageError(command.startsWith('-') ? `unknown option ${command}` : `unknown command ${command}`, USAGE);
  }
}
