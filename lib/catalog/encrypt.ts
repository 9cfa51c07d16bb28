import type { KeyObject } from 'node:crypto';
import { Rsa, oaepLimit } from '../crypto/rsa';
import type { CryptoBackend } from '../crypto/backend';
import type { FieldIssue } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
import { mapAt, valuesAt } from './field-paths';
import { isBase64Shaped } from './base64-shape';
import type { RouteFacts } from './route-facts';
import { refusedSensitiveValues, replaceSensitive, sensitiveValues, type SensitiveHit } from './schema-sensitive-paths';

/** An RSA-OAEP ciphertext is base64 of exactly one modulus length: what no plaintext field looks like. */
export function looksEncrypted(value: string, modulusBytes = 256): boolean {
  return value.length === Math.ceil(modulusBytes / 3) * 4 && isBase64Shaped(value);
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

const isPlaintext = (value: unknown): value is string => typeof value === 'string' && !looksEncrypted(value);
/** Anything but a string at a sensitive field would go out as itself: it is neither ciphertext nor text to encrypt. */
const notCiphertext = (value: unknown): boolean => typeof value !== 'string' || !looksEncrypted(value);

/**
 * A sensitive field given as a number (or anything but a string) is refused, not encrypted as `String(n)`: a
 * 16-19 digit account or card number given as a number has already lost digits past 2^53.
 */
const notText = (value: unknown): string =>
  `is sensitive and must be a string to be RSA-OAEP encrypted, got ${Array.isArray(value) ? 'array' : typeof value}`;

/** Without `encrypt`, a sensitive field must arrive already encrypted, and `Wechatpay-Serial` must name the key. */
export function encryptionIssues(route: RouteFacts, bag: Bag): FieldIssue[] {
  const plaintexts: SensitiveHit[] = [];
  if (refusedSensitiveValues(route, bag, notCiphertext, plaintexts) === 0) return [];
  const issues: FieldIssue[] = plaintexts.map(({ where, value }) => ({
    path: where,
    issue:
      typeof value === 'string'
        ? 'is sensitive and must be RSA-OAEP encrypted: pass `encrypt: true`, or encrypt it with Rsa.encrypt'
        : notText(value),
  }));
  if (serialHeader(bag.headers) === undefined) {
    issues.push({
      path: 'headers.Wechatpay-Serial',
      issue: 'is required with encrypted fields: it names the key they were encrypted with',
    });
  }
  return issues;
}

interface EncryptionPlan<K> {
  issues: FieldIssue[];
  /** Plaintext sensitive values within the OAEP limit, and where they are (`json.items[0].id_card`). */
  jobs: Array<SensitiveHit & { value: string }>;
  key?: K;
  /** Set when the caller named no key: the `Wechatpay-Serial` to add. */
  serial?: string;
}

/** A key's OAEP limit, asked once per key: `asymmetricKeyDetails` builds a new object on every read. */
const limits = new WeakMap<object, number>();

function limitFor<K>(key: K, limitOf: (key: K) => number): number {
  if (typeof key !== 'object' || key === null) return limitOf(key);
  let limit = limits.get(key);
  if (limit === undefined) limits.set(key, (limit = limitOf(key)));
  return limit;
}

const NOTHING_PLANNED: EncryptionPlan<never> = Object.freeze({ issues: [], jobs: [] });

/** Which key encrypts (the caller's `Wechatpay-Serial`, else the preferred one) and which values it must encrypt. */
function planEncryption<K>(
  route: RouteFacts,
  bag: Bag,
  keys: PlatformKeys<K>,
  limitOf: (key: K) => number,
): EncryptionPlan<K> {
  const given = sensitiveValues(route, bag);
  if (given.length === 0) return NOTHING_PLANNED as EncryptionPlan<K>;
  const chosenSerial = serialHeader(bag.headers);
  const chosen = chosenSerial !== undefined ? { serial: chosenSerial, key: keys.get(chosenSerial) } : keys.preferred();
  if (!chosen?.key) {
    return {
      jobs: [],
      issues: [
        { path: 'headers.Wechatpay-Serial', issue: `${chosenSerial ?? 'no key'} is not among the configured certs` },
      ],
    };
  }
  const limit = limitFor(chosen.key, limitOf);
  const issues: FieldIssue[] = [];
  const jobs: EncryptionPlan<K>['jobs'] = [];
  for (const hit of given) {
    if (typeof hit.value !== 'string') {
      issues.push({ path: hit.where, issue: notText(hit.value) });
      continue;
    }
    if (!isPlaintext(hit.value)) continue;
    const bytes = Buffer.byteLength(hit.value, 'utf8');
    if (bytes > limit)
      issues.push({ path: hit.where, issue: `is ${bytes} bytes; RSA-OAEP encryption takes at most ${limit}` });
    else jobs.push(hit as SensitiveHit & { value: string });
  }
  return { issues, jobs, key: chosen.key, serial: chosenSerial === undefined ? chosen.serial : undefined };
}

/** A copy of the bag with each planned value replaced by its ciphertext (the caller's bag is left as given). */
function applyEncryption<B extends Bag>(
  bag: B,
  jobs: readonly SensitiveHit[],
  ciphertexts: string[],
  serial?: string,
): B {
  // Object.assign, not spread: V8 adds a property to a spread clone ~1 µs slower (bench/validation.ts)
  const copy: B = Object.assign({}, bag);
  replaceSensitive(copy, jobs, ciphertexts);
  if (serial !== undefined) copy.headers = Object.assign({}, bag.headers, { 'Wechatpay-Serial': serial });
  return copy;
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
  return encryptFieldsWith(route, bag, keys, oaepLimit, Rsa.encrypt);
}

/** `encryptFields` with the RSA-OAEP step given: bench/validation.ts times everything but the RSA itself. */
export function encryptFieldsWith<B extends Bag, K>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys<K>,
  limitOf: (key: K) => number,
  encryptOne: (value: string, key: K) => string,
): { bag: B; issues: FieldIssue[] } {
  const plan = planEncryption(route, bag, keys, limitOf);
  if (plan.key === undefined) return { bag, issues: plan.issues };
  const ciphertexts = plan.jobs.map(({ value }) => encryptOne(value, plan.key!));
  return { bag: applyEncryption(bag, plan.jobs, ciphertexts, plan.serial), issues: plan.issues };
}

/** `encryptFields` through an asynchronous crypto backend (WebCrypto). */
export async function encryptFieldsAsync<B extends Bag, K>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys<K>,
  backend: Pick<CryptoBackend<K>, 'encrypt' | 'oaepLimit'>,
): Promise<{ bag: B; issues: FieldIssue[] }> {
  const plan = planEncryption(route, bag, keys, (key) => backend.oaepLimit(key));
  if (plan.key === undefined) return { bag, issues: plan.issues };
  const ciphertexts = await Promise.all(plan.jobs.map(({ value }) => backend.encrypt(value, plan.key!)));
  return { bag: applyEncryption(bag, plan.jobs, ciphertexts, plan.serial), issues: plan.issues };
}

const isCiphertext = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A copy of a reply with the fields WeChat Pay encrypted to the merchant key decrypted. */
export function decryptFields<T>(data: T, paths: readonly string[], privateKey: KeyObject): T {
  let out: unknown = data;
  for (const path of paths) {
    out = mapAt(out, path, (value) => (isCiphertext(value) ? Rsa.decrypt(value, privateKey) : value), '');
  }
  return out as T;
}

/** `decryptFields` through an asynchronous crypto backend: find the ciphertexts, decrypt them at once, put them back. */
export async function decryptFieldsAsync<T, K>(
  data: T,
  paths: readonly string[],
  privateKey: K,
  backend: Pick<CryptoBackend<K>, 'decrypt'>,
): Promise<T> {
  const found = paths.flatMap((path) => valuesAt(data, path, '')).filter(({ value }) => isCiphertext(value));
  const plain = await Promise.all(found.map(({ value }) => backend.decrypt(value as string, privateKey)));
  const byWhere = new Map(found.map(({ where }, index) => [where, plain[index]!]));
  let out: unknown = data;
  for (const path of paths) out = mapAt(out, path, (value, where) => byWhere.get(where) ?? value, '');
  return out as T;
}
