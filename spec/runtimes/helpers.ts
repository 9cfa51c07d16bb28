import { execFile } from 'node:child_process';
import { createCipheriv, privateDecrypt, constants, randomBytes, sign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys, rsaPair, strangerKeys } from '../helpers/keys';

export const ROOT = resolve(__dirname, '..', '..');
const RUNTIMES = join(ROOT, '.runtimes', 'node_modules');

/** A runtime binary installed by `npm run runtimes:setup` (scripts/runtimes/setup.sh), or undefined. */
export function runtimeBin(name: 'bun' | 'deno' | 'workerd'): string | undefined {
  const path = join(RUNTIMES, '.bin', name);
  return existsSync(path) ? path : undefined;
}
export const esbuildDir = () => join(RUNTIMES, 'esbuild');

/**
 * Specs of a runtime that is not installed are skipped, unless WECHATPAY_RUNTIMES=required (CI), where a missing
 * runtime fails instead of passing quietly.
 */
export function describeRuntime(name: 'bun' | 'deno' | 'workerd', body: (bin: string) => void): void {
  const bin = runtimeBin(name);
  if (bin) return describe(`on ${name}`, () => body(bin));
  if (process.env.WECHATPAY_RUNTIMES === 'required') {
    return describe(`on ${name}`, () => {
      it('is installed (run npm run runtimes:setup)', () => expect(runtimeBin(name)).toBeDefined());
    });
  }
  describe.skip(`on ${name} (not installed: npm run runtimes:setup)`, () => body(''));
}

/**
 * A project directory where `wechatpay-chain` is installed as a user gets it: package.json and the BUILT dist/
 * copied into node_modules (its own dependencies linked from ours), plus the runtime scripts.
 */
export function packageFixture(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-runtimes-'));
  const pkg = join(dir, 'node_modules', 'wechatpay-chain');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  for (const file of ['exercise.mjs', 'smoke.mjs', 'worker.mjs']) {
    cpSync(join(ROOT, 'scripts', 'runtimes', file), join(dir, file));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true, type: 'module' }));
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TARGET = {
  mchid: '1900016681',
  bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc',
  available_amount: 100_000,
};
export const APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
export const SENSITIVE = '张三 13800138000';

export interface World {
  sandbox: SandboxHandle;
  platform: { privateKey: string; publicKey: string };
  input: Record<string, unknown>;
}

/** The sandbox under Node on loopback, with a platform key we hold (to decrypt what the runtime encrypted). */
export async function startWorld(runtime: string, notifyUrl?: string): Promise<World> {
  const platform = rsaPair();
  const sandbox = await Sandbox.start({
    merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    accounts: [TARGET as never],
    platformPrivateKey: platform.privateKey,
    apiv3Key: APIV3_KEY,
    settleDelayMs: 60_000,
    ...(notifyUrl ? { notifyUrl, callbackRetryDelaysMs: [] } : {}),
  });
  const input = {
    runtime,
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [sandbox.platformSerial]: platform.publicKey },
    platformSerial: sandbox.platformSerial,
    strangerPublicKey: strangerKeys().publicKey,
    baseURL: sandbox.url,
    apiv3Key: APIV3_KEY,
    target: TARGET,
    sensitive: SENSITIVE,
  };
  return { sandbox, platform, input };
}

export const decryptWithPlatform = (world: World, ciphertext: string): string =>
  privateDecrypt(
    { key: world.platform.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(ciphertext, 'base64'),
  ).toString('utf8');

/** A callback as WeChat Pay sends it, built with node:crypto alone. */
export function signedCallback(world: World, resource: unknown): { headers: Record<string, string>; body: string } {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(APIV3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]);
  const body = JSON.stringify({
    id: 'EV-1',
    create_time: '2026-11-23T12:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.toString('base64'),
      associated_data: 'transaction',
      nonce,
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`), world.platform.privateKey);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': headerNonce,
      'Wechatpay-Signature': signature.toString('base64'),
      'Wechatpay-Serial': world.sandbox.platformSerial,
    },
  };
}

/** Run a runtime binary, bounded in time; resolves with stdout, rejects with stderr. */
export function run(bin: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(bin, args, { cwd, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${bin} ${args.join(' ')} failed: ${stderr || error.message}`)) : resolvePromise(stdout),
    );
  });
}
