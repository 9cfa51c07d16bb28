import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, type SandboxMode } from '../sandbox';
import { UsageError, integerOption, parseCommand } from './args';

const USAGE = `wechatpay-chain sandbox [options]

Starts a local WeChat Pay APIv3 gateway (aggracct-bc wb-channel) and prints what a client needs.

  --port N                 port to listen on (default 8080; 0 picks a free one)
  --host H                 address to bind (default 127.0.0.1)
  --merchant M,S,PEM       a merchant allowed to call: mchid, API certificate serial, public key file
                           (repeatable; without it a throwaway merchant key pair is generated)
  --mode public-key|certificate|both   platform key kind (default public-key)
  --notify-url URL         where callbacks are sent
  --apiv3-key KEY          32-byte APIv3 key (default: generated)
  --probe                  send a WECHATPAY/SIGNTEST/ probe before the first callback
  --settle-ms N            delay before orders settle (default 2000)
  -h, --help               this text
  --version                the package version
`;

export async function sandboxCommand(
  argv: string[],
  out: (line: string) => void,
): Promise<(() => Promise<void>) | undefined> {
  const parsed = parseCommand(
    argv,
    {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      merchant: { type: 'string', multiple: true },
      mode: { type: 'string', default: 'public-key' },
      'notify-url': { type: 'string' },
      'apiv3-key': { type: 'string' },
      probe: { type: 'boolean', default: false },
      'settle-ms': { type: 'string', default: '2000' },
    },
    USAGE,
    out,
  );
  // help and version print and return nothing to stop: the process exits instead of serving
  if (parsed.done) return undefined;
  const values = parsed.values as {
    port: string;
    host: string;
    merchant?: string[];
    mode: string;
    'notify-url'?: string;
    'apiv3-key'?: string;
    probe: boolean;
    'settle-ms': string;
  };
  const port = integerOption('port', values.port, 65535);
  const settleDelayMs = integerOption('settle-ms', values['settle-ms']);
  if (!['public-key', 'certificate', 'both'].includes(values.mode))
    throw new UsageError(`--mode must be public-key, certificate or both, got ${values.mode}`, USAGE);
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sandbox-'));
  const merchants = (values.merchant ?? []).map((spec) => {
    const [mchid, serial, file] = spec.split(',');
    if (!mchid || !serial || !file) throw new UsageError(`--merchant takes MCHID,SERIAL,PUBLIC_KEY_FILE, got ${spec}`);
    return { mchid, serial, publicKey: readFileSync(file, 'utf8') };
  });
  let merchantKeyFile: string | undefined;
  if (merchants.length === 0) {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    merchantKeyFile = join(dir, 'apiclient_key.pem');
    writeFileSync(merchantKeyFile, pair.privateKey, { mode: 0o600 });
    merchants.push({
      mchid: '1900000001',
      serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
      publicKey: pair.publicKey,
    });
  }
  const sandbox = await Sandbox.start({
    port,
    host: values.host,
    merchants,
    mode: values.mode as SandboxMode,
    notifyUrl: values['notify-url'],
    apiv3Key: values['apiv3-key'],
    probe: values.probe,
    settleDelayMs,
  });
  const certs: Record<string, string> = {};
  for (const [serial, pem] of Object.entries(sandbox.certs)) {
    const file = join(dir, `${serial}.pem`);
    writeFileSync(file, pem);
    certs[serial] = `file://${file}`;
  }
  const config = {
    mchid: merchants[0]!.mchid,
    serial: merchants[0]!.serial,
    privateKey: merchantKeyFile ? `file://${merchantKeyFile}` : '<your merchant private key>',
    certs,
    apiv3Key: sandbox.apiv3Key,
    baseURL: sandbox.url,
    // the sandbox, like WeChat Pay, takes sensitive fields only encrypted: let the client do it
    encrypt: true,
  };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  out(`sandbox listening on ${sandbox.url}`);
  out(`replies signed by ${sandbox.platformSerial}`);
  out(`Builder.factory(${JSON.stringify(config, null, 2)})`);
  out(`the same config as a file: wechatpay-chain request --config ${configFile} <path> ...`);
  return () => sandbox.stop();
}
