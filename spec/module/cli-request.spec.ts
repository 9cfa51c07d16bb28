import { pathToFileURL } from 'node:url';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { runCli } from '../helpers/cli';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { scratch } from '../helpers/openssl';

const ACCOUNT = { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' };
const BALANCE_QUERY = ['--query', `mchid=${ACCOUNT.mchid}`, '--query', `bal_account_no=${ACCOUNT.bal_account_no}`];

/** `wechatpay-chain request`, the built CLI as a child process, against a sandbox on loopback. */
// each case starts node processes; on a shared 2-core machine that is seconds, bounded here
jest.setTimeout(60_000);

describe('wechatpay-chain request (CLI)', () => {
  const dir = scratch();
  let sandbox: SandboxHandle;
  let configFile: string;
  let keyFile: string;
  let certFile: string;

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
      settleDelayMs: 10,
    });
    keyFile = dir.path('apiclient_key.pem', merchantKeys().privateKey);
    certFile = dir.path('pub_key.pem', sandbox.certs[sandbox.platformSerial]!);
    // key fields as paths relative to the config file, as a user writes it
    configFile = dir.path(
      'config.json',
      JSON.stringify({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: 'apiclient_key.pem',
        certs: { [sandbox.platformSerial]: './pub_key.pem' },
        baseURL: sandbox.url,
      }),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
    dir.remove();
  });

  it('sends a signed request named in dotted chain form and prints status, Request-ID and the pretty body', async () => {
    const result = await runCli([
      'request',
      'v3.aggracctBc.wbChannel.account.balance',
      '--config',
      configFile,
      '--encrypt',
      ...BALANCE_QUERY,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [status, requestId, ...body] = result.stdout.trimEnd().split('\n');
    expect(status).toBe('HTTP 200');
    expect(requestId).toMatch(/^Request-ID: [0-9A-F]{32}$/);
    expect(body.length).toBeGreaterThan(1); // pretty-printed, one field a line
    expect(JSON.parse(body.join('\n'))).toEqual({ in_transit_reduction_exist: false, balance: 1_000_000 });
  });

  it('takes credentials from WECHATPAY_* variables, flags overriding them; --raw prints the body only', async () => {
    const result = await runCli(
      [
        'request',
        '/v3/aggracct-bc/wb-channel/account/balance',
        '--encrypt',
        '--raw',
        '--base-url',
        sandbox.url,
        ...BALANCE_QUERY,
      ],
      {
        WECHATPAY_MCHID: MCHID,
        WECHATPAY_SERIAL: MERCHANT_SERIAL,
        WECHATPAY_PRIVATE_KEY: pathToFileURL(keyFile).href,
        WECHATPAY_CERTS: `${sandbox.platformSerial}=${certFile}`,
        WECHATPAY_BASE_URL: 'http://127.0.0.1:9/', // a closed port: the flag must win
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"in_transit_reduction_exist":false,"balance":1000000}\n');
  });

  it('sends --json and --var, and a business error exits 1 with status, code, message and Request-ID', async () => {
    const body = dir.path('reduction.json', JSON.stringify({ ...ACCOUNT, out_request_no: 'x' }));
    const sent = await runCli([
      'request',
      'v3/aggracct-bc/wb-channel/special-reduction',
      '--config',
      configFile,
      '--json',
      `@${body}`,
    ]);
    // the CLI refuses the plaintext account number locally unless asked to encrypt it
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(/ValidationError: .*bal_account_no/);

    const missing = await runCli([
      'request',
      'v3.aggracctBc.wbChannel.specialReduction._out_request_no_',
      '--config',
      configFile,
      '--var',
      'out_request_no=no-such-order',
      '--encrypt',
      ...BALANCE_QUERY,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^HTTP 404 [A-Z_]+: .+\nRequest-ID: [0-9A-F]{32}\n/);
  });

  it('never echoes where the private key lives, whether given as a path or a file:// URL', async () => {
    const hidden = dir.path('secret-location/apiclient_key.pem');
    for (const given of [hidden, pathToFileURL(hidden).href]) {
      const result = await runCli(['request', 'v3/x', '--config', configFile, '--private-key', given]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ConfigError: .*privateKey/);
      expect(result.stderr + result.stdout).not.toContain('secret-location');
    }
  });

  it('refuses bad command lines with exit code 2 and the usage', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['request', 'v3/x', '--config', configFile, '--nope'],
        /^unknown option --nope\n[\s\S]*wechatpay-chain request <path>/,
      ],
      [['request', '--config', configFile], /exactly one <path>/],
      [['request', 'v3/x', '--config', configFile, '--method', 'FETCH'], /--method must be one of GET/],
      [
        ['request', 'v3/x', '--config', configFile, '--metod', 'GET'],
        /^unknown option --metod \(did you mean --method\?\)/,
      ],
      [['request', 'v3/x', '--config', configFile, '--json'], /^--json needs a value\n/],
      [['request', 'v3/x', '--config', configFile, '--raw=yes'], /^--raw is a switch and takes no value\n/],
      [['request', 'v3/x', '--config', configFile, '--json', '{nope'], /--json is not valid JSON/],
      [['request', 'v3/x', '--config', configFile, '--query', 'novalue'], /--query takes NAME=VALUE/],
      [['request', 'v3/x'], /missing credentials: --mchid, --serial, --private-key/],
    ];
    const env = { WECHATPAY_MCHID: '', WECHATPAY_SERIAL: '', WECHATPAY_PRIVATE_KEY: '' };
    const results = await Promise.all(cases.map(([args]) => runCli(args, env)));
    results.forEach((result, index) => {
      const [args, message] = cases[index]!;
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    });
  }, 60_000);
});
