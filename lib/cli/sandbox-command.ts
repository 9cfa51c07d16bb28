import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SETTLE_DELAY_MS, Sandbox, type SandboxMode } from '../sandbox';
import { UsageError, integerOption, parseCommand } from './args';

const USAGE = `wechatpay-chain sandbox [options]

Starts a local WeChat Pay gateway on loopback and prints a client config for it. It checks every request's
signature, signs every reply and callback, and serves:
  - the payment lifecycle: JSAPI, Native, App and H5 orders, query, close, refunds, trade and fund-flow bills,
    media upload, with signed, encrypted callbacks (TRANSACTION.SUCCESS, REFUND.SUCCESS)
  - GET /v3/certificates (certificate mode), the aggracct-bc wb-channel family with its business rules,
    APIv2 unifiedorder, orderquery and refund
  - every other catalogued operation, answered from its documented facts
  - test hooks (JSON only, refused from other sites): POST /sandbox/pay/{out_trade_no} pays an order;
    POST /sandbox/request-payment takes the JSAPI or App parameters the front end would, checks paySign/sign
    and pays the order

  --port N                 port to listen on (default 8080; 0 picks a free one)
  --host H                 address to bind (default 127.0.0.1)
  --merchant M,S,PEM       a merchant allowed to call: mchid, API certificate serial, public key file
                           (repeatable; without it a throwaway merchant key pair is generated)
  --mode public-key|certificate|both   platform key kind (default public-key, or what --state-dir holds)
  --notify-url URL         where callbacks are sent
  --apiv3-key KEY          32-byte APIv3 key (default: generated)
  --state-dir DIR          keep keys, serials, APIv3 key, ledger and the printed config in DIR across restarts
                           (default: a temporary folder, removed when the sandbox stops)
  --probe                  send a WECHATPAY/SIGNTEST/ probe before the first callback
  --settle-ms N            delay before orders settle (default ${DEFAULT_SETTLE_DELAY_MS})
  -h, --help               this text
  --version                the package version
`;

const THROWAWAY = { mchid: '1900000001', serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C' };

/** The throwaway merchant's key: kept in a state folder (so printed configs stay valid), else generated. */
function throwawayKey(dir: string): { file: string; publicKey: string } {
  const file = join(dir, 'apiclient_key.pem');
  if (existsSync(file))
    return {
      file,
      publicKey: createPublicKey(readFileSync(file, 'utf8')).export({ type: 'spki', format: 'pem' }).toString(),
    };
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(file, pair.privateKey, { mode: 0o600 });
  return { file, publicKey: pair.publicKey };
}

/**
 * Where the merchant key and printed config live: the state folder, or a temporary folder that is removed however
 * the sandbox ends (its stopper, a signal handled by the CLI, or the process exiting), since it holds a private key.
 */
function workFolder(stateDir: string | undefined): { dir: string; remove: () => void } {
  if (stateDir !== undefined) {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    return { dir: stateDir, remove: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sandbox-'));
  const remove = () => {
    process.off('exit', remove);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', remove);
  return { dir, remove };
}

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
      mode: { type: 'string' },
      'notify-url': { type: 'string' },
      'apiv3-key': { type: 'string' },
      'state-dir': { type: 'string' },
      probe: { type: 'boolean', default: false },
      'settle-ms': { type: 'string', default: String(DEFAULT_SETTLE_DELAY_MS) },
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
    mode?: string;
    'notify-url'?: string;
    'apiv3-key'?: string;
    'state-dir'?: string;
    probe: boolean;
    'settle-ms': string;
  };
  const port = integerOption('port', values.port, 65535);
  const settleDelayMs = integerOption('settle-ms', values['settle-ms']);
  if (values.mode !== undefined && !['public-key', 'certificate', 'both'].includes(values.mode))
    throw new UsageError(`--mode must be public-key, certificate or both, got ${values.mode}`, USAGE);
  const merchants = (values.merchant ?? []).map((spec) => {
    const [mchid, serial, file] = spec.split(',');
    if (!mchid || !serial || !file) throw new UsageError(`--merchant takes MCHID,SERIAL,PUBLIC_KEY_FILE, got ${spec}`);
    return { mchid, serial, publicKey: readFileSync(file, 'utf8') };
  });
  const stateDir = values['state-dir'] === undefined ? undefined : resolve(values['state-dir']);
  const work = workFolder(stateDir);
  try {
    let merchantKeyFile: string | undefined;
    if (merchants.length === 0) {
      const key = throwawayKey(work.dir);
      merchantKeyFile = key.file;
      merchants.push({ ...THROWAWAY, publicKey: key.publicKey });
    }
    const sandbox = await Sandbox.start({
      port,
      host: values.host,
      merchants,
      // absent: the state folder's mode, else public-key (the library's default)
      mode: values.mode as SandboxMode | undefined,
      notifyUrl: values['notify-url'],
      apiv3Key: values['apiv3-key'],
      probe: values.probe,
      settleDelayMs,
      stateDir,
    });
    const certs: Record<string, string> = {};
    for (const [serial, pem] of Object.entries(sandbox.certs)) {
      const file = join(work.dir, `${serial}.pem`);
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
    const configFile = join(work.dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
    out(`sandbox listening on ${sandbox.url}`);
    out(`replies signed by ${sandbox.platformSerial}`);
    out(`Builder.factory(${JSON.stringify(config, null, 2)})`);
    out(`the same config as a file: wechatpay-chain request --config ${configFile} <path> ...`);
    return async () => {
      try {
        await sandbox.stop();
      } finally {
        work.remove();
      }
    };
  } catch (error) {
    work.remove();
    throw error;
  }
}
