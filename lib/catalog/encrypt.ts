import type { KeyObject } from 'node:crypto';
import { Rsa, oaepLimit } from '../crypto/rsa';
import type { FieldIssue } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
import { mapAt, valuesAt } from './field-paths';
import type { RouteFacts } from './route-facts';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An RSA-OAEP ciphertext is base64 of exactly one modulus length: what no plaintext field looks like. */
export function looksEncrypted(value: string, modulusBytes = 256): boolean {
  return value.length === Math.ceil(modulusBytes / 3) * 4 && BASE64.test(value);
}

function serialHeader(headers: Record<string, unknown> | undefined): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'wechatpay-serial' && typeof value === 'string') return value;
  }
  return undefined;
}

interface Bag {
  query?: Record<string, unknown>;
  json?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

const LOCATIONS = ['query', 'json'] as const;

/** Sensitive values at any depth (arrays included) that are given, and those given in plaintext. */
function sensitiveValues(route: RouteFacts, bag: Bag): Array<{ where: string; value: unknown }> {
  return LOCATIONS.flatMap((location) =>
    route.encrypted[location].flatMap((path) => valuesAt(bag[location], path, location)),
  ).filter(({ value }) => value !== undefined && value !== null);
}

const isPlaintext = (value: unknown): value is string => typeof value === 'string' && !looksEncrypted(value);

/** Without `encrypt`, a sensitive field must arrive already encrypted, and `Wechatpay-Serial` must name the key. */
export function encryptionIssues(route: RouteFacts, bag: Bag): FieldIssue[] {
  const given = sensitiveValues(route, bag);
  const issues: FieldIssue[] = given
    .filter(({ value }) => isPlaintext(value))
    .map(({ where }) => ({
      path: where,
      issue: 'is sensitive and must be RSA-OAEP encrypted: pass `encrypt: true`, or encrypt it with Rsa.encrypt',
    }));
  if (given.length > 0 && serialHeader(bag.headers) === undefined) {
    issues.push({
      path: 'headers.Wechatpay-Serial',
      issue: 'is required with encrypted fields: it names the key they were encrypted with',
    });
  }
  return issues;
}

/**
 * A copy of the bag with the endpoint's plaintext sensitive fields encrypted at any depth, array items included
 * (values already encrypted are left alone), and `Wechatpay-Serial` naming the key used: the caller's choice if
 * given, else the preferred key.
 */
export function encryptFields<B extends Bag>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys,
): { bag: B; issues: FieldIssue[] } {
  if (sensitiveValues(route, bag).length === 0) return { bag, issues: [] };
  const chosenSerial = serialHeader(bag.headers);
  const chosen = chosenSerial !== undefined ? { serial: chosenSerial, key: keys.get(chosenSerial) } : keys.preferred();
  if (!chosen?.key) {
    return {
      bag,
      issues: [
        { path: 'headers.Wechatpay-Serial', issue: `${chosenSerial ?? 'no key'} is not among the configured certs` },
      ],
    };
  }
  const key = chosen.key;
  const limit = oaepLimit(key);
  const issues: FieldIssue[] = [];
  const encryptOne = (value: unknown, where: string): unknown => {
    if (!isPlaintext(value)) return value;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > limit) {
      issues.push({ path: where, issue: `is ${bytes} bytes; RSA-OAEP encryption takes at most ${limit}` });
      return value;
    }
    return Rsa.encrypt(value, key);
  };
  const copy: B = { ...bag };
  for (const location of LOCATIONS) {
    let fields: unknown = bag[location];
    for (const path of route.encrypted[location]) fields = mapAt(fields, path, encryptOne, location);
    if (fields !== undefined) copy[location] = fields as B[typeof location];
  }
  if (chosenSerial === undefined) copy.headers = { ...bag.headers, 'Wechatpay-Serial': chosen.serial };
  return { bag: copy, issues };
}

function decryptValue(value: unknown, key: KeyObject): unknown {
  if (typeof value !== 'string' || value === '') return value;
  return Rsa.decrypt(value, key);
}

/** A copy of a reply with the fields WeChat Pay encrypted to the merchant key decrypted. */
export function decryptFields<T>(data: T, paths: readonly string[], privateKey: KeyObject): T {
  let out: unknown = data;
  for (const path of paths) out = mapAt(out, path, (value) => decryptValue(value, privateKey), '');
  return out as T;
}
