import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Builder, type BuilderConfig } from '../../lib';
import { VERSION } from '../../lib/version';
import { runCli } from '../helpers/cli';

const BIN = join(__dirname, '..', '..', 'bin', 'wechatpay-chain.js');

/** The built CLI as users run it: it prints a config, and a client built from that config works. */
// each case starts node processes; on a shared 2-core machine that is seconds, bounded here
jest.setTimeout(60_000);

describe('wechatpay-chain sandbox (CLI)', () => {
  it('starts, prints a working client config, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--settle-ms', '10'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const config = await new Promise<BuilderConfig>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Builder\.factory\((\{[\s\S]*\})\)/.exec(output);
        if (match) resolve(JSON.parse(match[1]!) as BuilderConfig);
      });
      child.on('exit', (code) => reject(new Error(`CLI exited ${code}: ${output}`)));
    });
    try {
      expect(output).toMatch(/sandbox listening on http:\/\/127\.0\.0\.1:\d+\//);
      const instance = Builder.factory({ ...config, encrypt: true });
      const { data } = await instance.v3.aggracctBc.wbChannel.account.balance.get({
        query: { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' },
      });
      expect(data).toEqual({ in_transit_reduction_exist: false, balance: 1_000_000 });
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('--state-dir keeps the merchant key, platform keys, APIv3 key and orders across a restart', async () => {
    const { scratch } = await import('../helpers/openssl');
    const dir = scratch();
    const stateDir = dir.path('state');
    const serve = async () => {
      const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--state-dir', stateDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const config = await new Promise<BuilderConfig>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Builder\.factory\((\{[\s\S]*?\n\})\)/.exec(output);
          if (match) resolve(JSON.parse(match[1]!) as BuilderConfig);
        });
        child.on('exit', (code) => reject(new Error(`CLI exited ${code}: ${output}`)));
      });
      const stop = async () => {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      };
      return { config, stop };
    };
    try {
      const first = await serve();
      const order = {
        appid: 'wxd678efh567hg6787',
        mchid: first.config.mchid,
        description: 'Image形象店-深圳腾大-QQ公仔',
        out_trade_no: 'ORDER-CLI-KEPT',
        notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
        amount: { total: 100, currency: 'CNY' },
      };
      await Builder.factory(first.config).v3.pay.transactions.native.post({ json: order });
      await first.stop();
      const second = await serve();
      try {
        const { baseURL: _first, ...kept } = first.config;
        const { baseURL: _second, ...again } = second.config;
        expect(again).toEqual(kept);
        const { data } = await Builder.factory(second.config).v3.pay.transactions.outTradeNo._out_trade_no_.get({
          out_trade_no: 'ORDER-CLI-KEPT',
          query: { mchid: first.config.mchid },
        });
        expect(data).toMatchObject({ out_trade_no: 'ORDER-CLI-KEPT', trade_state: 'NOTPAY' });
      } finally {
        await second.stop();
      }
    } finally {
      dir.remove();
    }
  });

  it('prints help and version and exits, on every command', async () => {
    // -h and --help are one option; each spelling is tried on two commands to keep the process count down
    const helps: string[][] = [['-h'], ['request', '--help'], ['sandbox', '--help'], ['certificates', '-h']];
    const results = await Promise.all(helps.map((args) => runCli(args, {}, 10_000)));
    results.forEach((help, index) => {
      expect({ args: helps[index], code: help.code }).toEqual({ args: helps[index], code: 0 });
      expect(help.stdout).toMatch(/^(usage: )?wechatpay-chain/);
    });
    const versions = await Promise.all([['--version'], ['sandbox', '--version']].map((args) => runCli(args)));
    for (const version of versions) expect(version.stdout.trim()).toBe(VERSION);
  });

  it('answers an unknown flag or a non-numeric port with a clear message and the usage, exit code 2', async () => {
    const unknown = await runCli(['sandbox', '--prot', '8080']);
    expect(unknown.code).toBe(2);
    // our own words, not node:util's parser text (which talks about positionals and '--')
    expect(unknown.stderr).toMatch(
      /^unknown option --prot \(did you mean --port\?\)\n\nwechatpay-chain sandbox \[options\]/,
    );
    expect(unknown.stderr).not.toMatch(/positional|Unknown option '/);
    const port = await runCli(['sandbox', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toBe('--port must be a whole number from 0 to 65535, got "abc"\n');
  });

  it('with no arguments at all, prints the usage to stderr and exits 2', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^missing command\n\nusage: wechatpay-chain <command>/);
    expect(bare.stdout).toBe('');
  });

  it("sandbox --help describes what the sandbox serves, and its --settle-ms default is the library's", async () => {
    const help = await runCli(['sandbox', '--help']);
    expect(help.stdout).toMatch(/payment lifecycle: JSAPI, Native, App and H5 orders/);
    expect(help.stdout).toMatch(/POST \/sandbox\/request-payment/);
    expect(help.stdout).toMatch(/--state-dir DIR/);
    const { DEFAULT_SETTLE_DELAY_MS } = await import('../../lib/sandbox');
    expect(help.stdout).toContain(
      `--settle-ms N            delay before orders settle (default ${DEFAULT_SETTLE_DELAY_MS})`,
    );
  });

  it('refuses an unknown command with exit code 2', async () => {
    const child = spawn(process.execPath, [BIN, 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2);
    expect(stderr).toMatch(/unknown command nope/);
  });
});

describe('wechatpay-chain certificates (CLI)', () => {
  it.each([
    ['a plain path', (file: string) => file],
    ['a file:// URL', (file: string) => pathToFileURL(file).href],
  ])('downloads, verifies and writes the platform certificates (--private-key as %s)', async (_how, keyArg) => {
    const { Sandbox } = await import('../../lib/sandbox');
    const { merchantKeys, MCHID, MERCHANT_SERIAL } = await import('../helpers/keys');
    const { scratch } = await import('../helpers/openssl');
    const dir = scratch();
    const sandbox = await Sandbox.start({
      mode: 'certificate',
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
    try {
      const keyFile = dir.path('apiclient_key.pem', merchantKeys().privateKey);
      const args = [
        BIN,
        'certificates',
        '--mchid',
        MCHID,
        '--serial',
        MERCHANT_SERIAL,
        '--private-key',
        keyArg(keyFile),
        '--base-url',
        sandbox.url,
        '--out',
        dir.path('certs'),
      ];
      const child = spawn(process.execPath, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WECHATPAY_APIV3_KEY: sandbox.apiv3Key },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
      expect(stdout).toContain(sandbox.platformSerial);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(dir.path(`certs/${sandbox.platformSerial}.pem`), 'utf8')).toBe(
        sandbox.certs[sandbox.platformSerial],
      );
    } finally {
      await sandbox.stop();
      dir.remove();
    }
  });

  it('a failed download exits 1 with the status/code prefix request prints (docs/protocol.md)', async () => {
    const { Sandbox } = await import('../../lib/sandbox');
    const { merchantKeys, MCHID, MERCHANT_SERIAL } = await import('../helpers/keys');
    const { scratch } = await import('../helpers/openssl');
    const dir = scratch();
    // a merchant on the WeChat Pay public key only: WeChat Pay has no platform certificate for it
    const sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
    try {
      const result = await runCli(
        [
          'certificates',
          '--mchid',
          MCHID,
          '--serial',
          MERCHANT_SERIAL,
          '--private-key',
          dir.path('apiclient_key.pem', merchantKeys().privateKey),
          '--cert',
          `${sandbox.platformSerial}=${dir.path('pub_key.pem', sandbox.platformPublicKey)}`,
          '--base-url',
          sandbox.url,
          '--out',
          dir.path('certs'),
        ],
        { WECHATPAY_APIV3_KEY: sandbox.apiv3Key },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^HTTP 404 RESOURCE_NOT_EXISTS: 无可用的平台证书\nRequest-ID: [0-9A-F]{32}\n/);
      expect(result.stderr).toContain('uses the WeChat Pay public key');
    } finally {
      await sandbox.stop();
      dir.remove();
    }
  });
});
