import type { KeyObject } from 'node:crypto';
import { Rsa, oaepLimit } from '../crypto/rsa';
import type { CryptoBackend } from '../crypto/backend';
import type { FieldIssue } from '../errors';
import type { PlatformKeys } from '../verify/platform-keys';
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

function plaintextFields(
  route: RouteFacts,
  bag: Bag,
): Array<{ location: 'query' | 'json'; name: string; value: string }> {
  const found: Array<{ location: 'query' | 'json'; name: string; value: string }> = [];
  for (const location of ['query', 'json'] as const) {
    const fields = bag[location];
    for (const name of route.encrypted[location]) {
      const value = fields?.[name];
      if (typeof value === 'string' && !looksEncrypted(value)) found.push({ location, name, value });
    }
  }
  return found;
}

function hasEncryptedField(route: RouteFacts, bag: Bag): boolean {
  return (['query', 'json'] as const).some((location) =>
    route.encrypted[location].some((name) => bag[location]?.[name] !== undefined),
  );
}

/** Without `encrypt`, a sensitive field must arrive already encrypted, and `Wechatpay-Serial` must name the key. */
export function encryptionIssues(route: RouteFacts, bag: Bag): FieldIssue[] {
  const issues: FieldIssue[] = plaintextFields(route, bag).map(({ location, name }) => ({
    path: `${location}.${name}`,
    issue: 'is sensitive and must be RSA-OAEP encrypted: pass `encrypt: true`, or encrypt it with Rsa.encrypt',
  }));
  if (hasEncryptedField(route, bag) && serialHeader(bag.headers) === undefined) {
    issues.push({
      path: 'headers.Wechatpay-Serial',
      issue: 'is required with encrypted fields: it names the key they were encrypted with',
    });
  }
  return issues;
}

interface EncryptionPlan<B, K> {
  bag: B;
  issues: FieldIssue[];
  /** Fields still to encrypt, in `bag` (a copy), with the key chosen. */
  jobs: Array<{ location: 'query' | 'json'; name: string; value: string }>;
  key?: K;
}

function planEncryption<B extends Bag, K>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys<K>,
  limitOf: (key: K) => number,
): EncryptionPlan<B, K> {
  const plain = plaintextFields(route, bag);
  const chosenSerial = serialHeader(bag.headers);
  const chosen = chosenSerial !== undefined ? { serial: chosenSerial, key: keys.get(chosenSerial) } : keys.preferred();
  if (!hasEncryptedField(route, bag)) return { bag, issues: [], jobs: [] };
  if (!chosen?.key) {
    return {
      bag,
      jobs: [],
      issues: [
        { path: 'headers.Wechatpay-Serial', issue: `${chosenSerial ?? 'no key'} is not among the configured certs` },
      ],
    };
  }
  const copy: B = { ...bag, query: bag.query && { ...bag.query }, json: bag.json && { ...bag.json } };
  const issues: FieldIssue[] = [];
  const jobs: EncryptionPlan<B, K>['jobs'] = [];
  const limit = limitOf(chosen.key);
  for (const field of plain) {
    const bytes = Buffer.byteLength(field.value, 'utf8');
    if (bytes > limit) {
      issues.push({
        path: `${field.location}.${field.name}`,
        issue: `is ${bytes} bytes; RSA-OAEP encryption takes at most ${limit}`,
      });
      continue;
    }
    jobs.push(field);
  }
  if (chosenSerial === undefined) copy.headers = { ...bag.headers, 'Wechatpay-Serial': chosen.serial };
  return { bag: copy, issues, jobs, key: chosen.key };
}

/**
 * A copy of the bag with the endpoint's plaintext sensitive fields encrypted (values already encrypted are left
 * alone) and `Wechatpay-Serial` naming the key used: the caller's choice if given, else the preferred key.
 */
export function encryptFields<B extends Bag>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys,
): { bag: B; issues: FieldIssue[] } {
  const plan = planEncryption(route, bag, keys, oaepLimit);
  for (const { location, name, value } of plan.jobs) plan.bag[location]![name] = Rsa.encrypt(value, plan.key!);
  return { bag: plan.bag, issues: plan.issues };
}

/** `encryptFields` through an asynchronous crypto backend (WebCrypto). */
export async function encryptFieldsAsync<B extends Bag, K>(
  route: RouteFacts,
  bag: B,
  keys: PlatformKeys<K>,
  backend: Pick<CryptoBackend<K>, 'encrypt' | 'oaepLimit'>,
): Promise<{ bag: B; issues: FieldIssue[] }> {
  const plan = planEncryption(route, bag, keys, (key) => backend.oaepLimit(key));
  const encrypted = await Promise.all(plan.jobs.map(({ value }) => backend.encrypt(value, plan.key!)));
  plan.jobs.forEach(({ location, name }, index) => (plan.bag[location]![name] = encrypted[index]));
  return { bag: plan.bag, issues: plan.issues };
}

type Decrypt = (ciphertext: string) => string;

function decryptAt(node: unknown, path: string[], decrypt: Decrypt): unknown {
  if (node === null || typeof node !== 'object' || path.length === 0) return node;
  const [head, ...rest] = path;
  if (head!.endsWith('[]')) {
    const name = head!.slice(0, -2);
    const list = (node as Record<string, unknown>)[name];
    if (!Array.isArray(list)) return node;
    return {
      ...node,
      [name]: list.map((item) => (rest.length ? decryptAt(item, rest, decrypt) : decryptValue(item, decrypt))),
    };
  }
  const value = (node as Record<string, unknown>)[head!];
  if (value === undefined) return node;
  return { ...node, [head!]: rest.length ? decryptAt(value, rest, decrypt) : decryptValue(value, decrypt) };
}

function decryptValue(value: unknown, decrypt: Decrypt): unknown {
  if (typeof value !== 'string' || value === '') return value;
  return decrypt(value);
}

function decryptAll<T>(data: T, paths: readonly string[], decrypt: Decrypt): T {
  let out: unknown = data;
  for (const path of paths) out = decryptAt(out, path.split('.'), decrypt);
  return out as T;
}

/** A copy of a reply with the fields WeChat Pay encrypted to the merchant key decrypted. */
export function decryptFields<T>(data: T, paths: readonly string[], privateKey: KeyObject): T {
  return decryptAll(data, paths, (ciphertext) => Rsa.decrypt(ciphertext, privateKey));
}

/** `decryptFields` through an asynchronous crypto backend: find the ciphertexts, decrypt them at once, put them back. */
export async function decryptFieldsAsync<T, K>(
  data: T,
  paths: readonly string[],
  privateKey: K,
  backend: Pick<CryptoBackend<K>, 'decrypt'>,
): Promise<T> {
  const found = new Set<string>();
  decryptAll(data, paths, (ciphertext) => (found.add(ciphertext), ciphertext));
  const plain = new Map<string, string>();
  await Promise.all(
    [...found].map(async (ciphertext) => plain.set(ciphertext, await backend.decrypt(ciphertext, privateKey))),
  );
  return decryptAll(data, paths, (ciphertext) => plain.get(ciphertext)!);
}
