import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuilderConfig } from '../builder';
import { UsageError, pairs } from './args';
import { locateJsonError } from './json-location';

/** The credential flags every command that talks to WeChat Pay accepts, and their environment variables. */
export const CREDENTIAL_OPTIONS = {
  config: { type: 'string' },
  mchid: { type: 'string' },
  serial: { type: 'string' },
  'private-key': { type: 'string' },
  cert: { type: 'string', multiple: true },
  'apiv3-key': { type: 'string' },
  'base-url': { type: 'string' },
} as const;

export const CREDENTIAL_HELP = `credentials (each source overrides the one before: --config file, then WECHATPAY_* environment, then flags):
  --config FILE         JSON with Builder.factory fields; key fields as file paths (relative to FILE) or file:// URLs
  --mchid ID            merchant id                                (WECHATPAY_MCHID)
  --serial SERIAL       merchant API certificate serial            (WECHATPAY_SERIAL)
  --private-key FILE    merchant private key, path or file:// URL  (WECHATPAY_PRIVATE_KEY)
  --cert ID=FILE        WeChat Pay public key or platform certificate, repeatable
                                                                   (WECHATPAY_CERTS=ID=FILE,ID=FILE)
  --apiv3-key KEY       APIv3 key, 32 bytes                        (WECHATPAY_APIV3_KEY)
  --base-url URL        default https://api.mch.weixin.qq.com/     (WECHATPAY_BASE_URL)`;

export interface Credentials {
  config: BuilderConfig;
  /** Key file locations and keys as given: scrubbed from anything the CLI prints. */
  secrets: string[];
}

/** A key given as a path or `file://` URL becomes a `file://` URL; inline PEM is kept. Paths resolve from `base`. */
function keyLocation(value: unknown, base: string, field: string, secrets: string[]): unknown {
  if (typeof value !== 'string') return value;
  if (value.includes('-----BEGIN')) return value;
  const url = value.startsWith('file://') ? value : pathToFileURL(resolve(base, value)).href;
  secrets.push(value, url, fileURLToPath(url));
  if (url === '') throw new UsageError(`${field} is empty`);
  return url;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the source around the error: part of a key, in this file
    const where = locateJsonError(text);
    throw new UsageError(
      where
        ? `--config: not JSON at line ${where.line}, column ${where.column}` +
            `${where.field ? ` (in field ${where.field})` : ''}: expected ${where.expected}`
        : '--config: not JSON',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError('--config: the file must hold one JSON object of Builder.factory fields');
  return parsed as Record<string, unknown>;
}

/** Resolve key fields of one layer against `base` (the config file's folder, or the working directory). */
function localizeKeys(layer: Record<string, unknown>, base: string, secrets: string[]): Record<string, unknown> {
  const result = { ...layer };
  if (result.privateKey !== undefined) result.privateKey = keyLocation(result.privateKey, base, 'privateKey', secrets);
  if (result.certs !== null && typeof result.certs === 'object') {
    const certs: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(result.certs))
      certs[id] = keyLocation(value, base, `certs.${id}`, secrets);
    result.certs = certs;
  }
  if (result.merchant !== null && typeof result.merchant === 'object') {
    const merchant: Record<string, unknown> = { ...result.merchant };
    for (const part of ['cert', 'key', 'ca'])
      if (merchant[part] !== undefined) merchant[part] = keyLocation(merchant[part], base, `merchant.${part}`, secrets);
    result.merchant = merchant;
  }
  if (typeof result.apiv3Key === 'string') secrets.push(result.apiv3Key);
  if (typeof result.secret === 'string') secrets.push(result.secret);
  return result;
}

function defined(layer: Record<string, unknown>): Record<string, unknown> {
  // an empty variable (WECHATPAY_MCHID=) counts as unset, as shells and CI templates produce them
  return Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined && value !== ''));
}

/** Pairs from `ID=FILE,ID=FILE` (environment) or repeated `--cert ID=FILE`. */
function certsOf(flag: string, items: string[] | undefined): Record<string, string> | undefined {
  return items === undefined || items.length === 0 ? undefined : pairs(flag, items, '=');
}

/** Build the client config: --config file, then WECHATPAY_* environment, then flags; later sources win per field. */
export function resolveCredentials(
  values: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const secrets: string[] = [];
  const cwd = process.cwd();
  const file = values.config as string | undefined;
  const fromFile = file === undefined ? {} : localizeKeys(readConfigFile(file), dirname(resolve(file)), secrets);
  const envCerts = env.WECHATPAY_CERTS?.split(',').filter((item) => item.trim() !== '');
  const fromEnv = localizeKeys(
    defined({
      mchid: env.WECHATPAY_MCHID,
      serial: env.WECHATPAY_SERIAL,
      privateKey: env.WECHATPAY_PRIVATE_KEY,
      certs: certsOf('WECHATPAY_CERTS', envCerts),
      apiv3Key: env.WECHATPAY_APIV3_KEY,
      baseURL: env.WECHATPAY_BASE_URL,
    }),
    cwd,
    secrets,
  );
  const fromFlags = localizeKeys(
    defined({
      mchid: values.mchid,
      serial: values.serial,
      privateKey: values['private-key'],
      certs: certsOf('cert', values.cert as string[] | undefined),
      apiv3Key: values['apiv3-key'],
      baseURL: values['base-url'],
    }),
    cwd,
    secrets,
  );
  const config = { ...fromFile, ...fromEnv, ...fromFlags } as unknown as BuilderConfig;
  const missing = (['mchid', 'serial', 'privateKey'] as const).filter((field) => config[field] === undefined);
  if (missing.length > 0) {
    const flags = { mchid: '--mchid', serial: '--serial', privateKey: '--private-key' };
    throw new UsageError(
      `missing credentials: ${missing.map((field) => flags[field]).join(', ')} (or --config, or WECHATPAY_*)`,
    );
  }
  return { config, secrets: secrets.filter((secret) => secret.length > 0) };
}

/** Replace every key location and key in `text`: the CLI never echoes where keys live or what they are. */
export function scrub(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    result = result.split(secret).join('<redacted>');
  return result;
}
