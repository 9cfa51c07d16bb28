import type { JsonWebKey, webcrypto } from 'node:crypto';
import { KeyLoadError, type KeyKind, type KeyLike } from '../keys';
import { isKeyPassphrasePair, unknownSchemeOf } from '../key-forms';
import { firstPemBlock, pkcs1PrivateToPkcs8, pkcs1PublicToSpki, toPem } from '../der';
import { certificateToPem, decryptPair, isCertificateObject, schemeFailure, schemeToPem } from './php-forms';

type CryptoKey = webcrypto.CryptoKey;

/** JOSE names of the two ways WeChat Pay uses an RSA key: RSASSA-PKCS1-v1_5 SHA-256, RSA-OAEP (SHA-1). */
const SIGNING = 'RS256';
const OAEP = 'RSA-OAEP';

/**
 * An RSA key imported into WebCrypto. A `CryptoKey` is bound to one algorithm, so the key is imported twice:
 * once to sign/verify, once to OAEP-encrypt/decrypt (the toolkit and the client need both).
 */
export class WebRsaKey {
  constructor(
    readonly type: KeyKind,
    readonly modulusBits: number,
    private readonly signingKey: CryptoKey | undefined,
    private readonly oaepKey: CryptoKey | undefined,
  ) {}

  /** For `crypto.subtle.sign` / `verify`. */
  get signing(): CryptoKey {
    if (!this.signingKey)
      throw new KeyLoadError('this CryptoKey is not extractable and was not made for RSASSA-PKCS1-v1_5');
    return this.signingKey;
  }

  /** For `crypto.subtle.encrypt` / `decrypt`. */
  get oaep(): CryptoKey {
    if (!this.oaepKey) throw new KeyLoadError('this CryptoKey is not extractable and was not made for RSA-OAEP');
    return this.oaepKey;
  }

  static is(thing: unknown): thing is WebRsaKey {
    return thing instanceof WebRsaKey;
  }
}

type Jose = typeof import('jose');
let josePromise: Promise<Jose> | undefined;

/** jose 6 is ESM-only: loaded on first use, so neither `require` of this package nor the Node backend pays for it. */
function jose(): Promise<Jose> {
  josePromise ??= import('jose').catch((error: unknown) => {
    josePromise = undefined;
    throw new KeyLoadError(`${JOSE_MISSING} for WebCrypto key import: ${(error as Error).message}`);
  });
  return josePromise;
}

const FILE_SCHEME = 'file://';
const JOSE_MISSING = 'cannot load jose';
const joseMissing = (error: unknown) =>
  error instanceof KeyLoadError && error.message.startsWith(JOSE_MISSING) ? error : undefined;

/** node:fs where the runtime has one (Node, Bun, Deno); Workers and browsers have no file system. */
async function fileSystem() {
  try {
    const [{ readFile }, { fileURLToPath }] = await Promise.all([import('node:fs/promises'), import('node:url')]);
    if (typeof readFile !== 'function') throw new TypeError('node:fs/promises has no readFile');
    return { readFile, fileURLToPath };
  } catch {
    throw new KeyLoadError('a file:// key needs a file system (node:fs), which this runtime lacks: give the PEM text');
  }
}

async function readKeyFile(uri: string): Promise<Uint8Array> {
  const { readFile, fileURLToPath } = await fileSystem();
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    path = uri.slice(FILE_SCHEME.length);
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new KeyLoadError(`cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`);
  }
}

function isCryptoKey(thing: unknown): thing is CryptoKey {
  const CryptoKeyClass = (globalThis as { CryptoKey?: new () => unknown }).CryptoKey;
  return CryptoKeyClass !== undefined && thing instanceof CryptoKeyClass;
}

/** node's KeyObject, recognised without importing node:crypto (absent on some runtimes). */
function isKeyObject(thing: unknown): thing is { type: string; export(options: { format: 'jwk' }): JsonWebKey } {
  const candidate = thing as { type?: unknown; export?: unknown; asymmetricKeyType?: unknown };
  return (
    typeof candidate?.export === 'function' && typeof candidate.type === 'string' && 'asymmetricKeyType' in candidate
  );
}

async function both(kind: KeyKind, load: (alg: string) => Promise<CryptoKey>): Promise<WebRsaKey> {
  const [signing, oaep] = await Promise.all([load(SIGNING), load(OAEP)]);
  const bits = (signing.algorithm as { modulusLength?: number }).modulusLength ?? 2048;
  if (signing.type !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${signing.type} key`);
  return new WebRsaKey(kind, bits, signing, oaep);
}

async function fromPem(pem: string, kind: KeyKind): Promise<WebRsaKey> {
  const block = firstPemBlock(pem);
  if (!block) throw new KeyLoadError('string is neither PEM text nor a file:// path');
  const isPrivatePem = /^(?:RSA |EC |ENCRYPTED )?PRIVATE KEY$/.test(block.label);
  if (kind === 'public' && isPrivatePem) {
    throw new KeyLoadError('expected a public key or certificate, got a private key');
  }
  if (kind === 'private' && !isPrivatePem) throw new KeyLoadError('expected a private key PEM (PKCS#8 or PKCS#1)');
  const { importPKCS8, importSPKI, importX509 } = await jose();
  switch (block.label) {
    case 'PRIVATE KEY':
      return both(kind, (alg) => importPKCS8(pem, alg));
    case 'RSA PRIVATE KEY': {
      const pkcs8 = toPem('PRIVATE KEY', pkcs1PrivateToPkcs8(block.der));
      return both(kind, (alg) => importPKCS8(pkcs8, alg));
    }
    case 'PUBLIC KEY':
      return both(kind, (alg) => importSPKI(pem, alg));
    case 'RSA PUBLIC KEY': {
      const spki = toPem('PUBLIC KEY', pkcs1PublicToSpki(block.der));
      return both(kind, (alg) => importSPKI(spki, alg));
    }
    case 'CERTIFICATE': {
      const certificate = toPem('CERTIFICATE', block.der);
      return both(kind, (alg) => importX509(certificate, alg));
    }
    default:
      throw new KeyLoadError(`unsupported PEM block "${block.label}"`);
  }
}

async function fromDer(der: Uint8Array, kind: KeyKind): Promise<WebRsaKey> {
  const attempts =
    kind === 'private'
      ? [toPem('PRIVATE KEY', der), toPem('RSA PRIVATE KEY', der)]
      : [toPem('PUBLIC KEY', der), toPem('RSA PUBLIC KEY', der), toPem('CERTIFICATE', der)];
  for (const pem of attempts) {
    try {
      return await fromPem(pem, kind);
    } catch {
      // try the next encoding
    }
  }
  throw new KeyLoadError(`bytes are neither PEM nor a DER ${kind} key`);
}

async function fromJwk(jwk: JsonWebKey, kind: KeyKind): Promise<WebRsaKey> {
  const hasPrivatePart = typeof jwk.d === 'string';
  if (kind === 'private' && !hasPrivatePart) throw new KeyLoadError('JWK has no private part ("d")');
  if (kind === 'public' && hasPrivatePart) throw new KeyLoadError('expected a public JWK, got one with a private part');
  if (jwk.kty !== 'RSA') throw new KeyLoadError(`expected an RSA key, got ${String(jwk.kty)}`);
  const { importJWK } = await jose();
  // `alg`, `use` and `key_ops` of the given JWK would pin it to one algorithm: the key is imported for two
  const { alg: _alg, use: _use, key_ops: _ops, ...material } = jwk as JsonWebKey & { alg?: string; key_ops?: string[] };
  return both(kind, async (alg) => (await importJWK({ ...material, alg }, alg)) as CryptoKey);
}

async function fromCryptoKey(key: CryptoKey, kind: KeyKind): Promise<WebRsaKey> {
  if (key.type !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${key.type} key`);
  const algorithm = key.algorithm as { name: string; modulusLength?: number; hash?: { name: string } };
  const bits = algorithm.modulusLength;
  if (bits === undefined) throw new KeyLoadError(`expected an RSA key, got ${algorithm.name}`);
  if (key.extractable) {
    return fromJwk((await crypto.subtle.exportKey('jwk', key)) as JsonWebKey, kind);
  }
  // not extractable: usable only for the algorithm it was made for
  const isSigning = algorithm.name === 'RSASSA-PKCS1-v1_5' && algorithm.hash?.name === 'SHA-256';
  const isOaep = algorithm.name === 'RSA-OAEP' && algorithm.hash?.name === 'SHA-1';
  if (!isSigning && !isOaep) {
    throw new KeyLoadError(
      `CryptoKey is ${algorithm.name}/${algorithm.hash?.name ?? '?'}, not RSASSA-PKCS1-v1_5 SHA-256 or RSA-OAEP SHA-1`,
    );
  }
  return new WebRsaKey(kind, bits, isSigning ? key : undefined, isOaep ? key : undefined);
}

/** The same words as the synchronous loader for a string that is no key form. */
function unknownString(text: string): string {
  const scheme = unknownSchemeOf(text);
  return scheme !== undefined
    ? `unknown key scheme ${scheme}://; expected file://, private.pkcs1://, private.pkcs8://, public.pkcs1:// or public.spki://`
    : 'string is neither PEM text nor a file:// path, nor a private.pkcs1://, private.pkcs8://, public.pkcs1:// or public.spki:// string';
}

async function decode(thing: KeyLike | WebRsaKey | Uint8Array, kind: KeyKind): Promise<WebRsaKey> {
  if (WebRsaKey.is(thing)) {
    if (thing.type !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${thing.type} key`);
    return thing;
  }
  if (isCryptoKey(thing)) return fromCryptoKey(thing, kind);
  if (isCertificateObject(thing)) return fromPem(certificateToPem(thing, kind), kind);
  if (isKeyPassphrasePair(thing)) return decode(await decryptPair(thing, kind, readKeyFile), kind);
  if (isKeyObject(thing)) {
    if (thing.type !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${thing.type} key`);
    return fromJwk(thing.export({ format: 'jwk' }), kind);
  }
  if (thing instanceof Uint8Array) {
    const head = Buffer.from(thing.subarray(0, 64)).toString('latin1');
    return head.includes('-----BEGIN') ? fromPem(Buffer.from(thing).toString('utf8'), kind) : fromDer(thing, kind);
  }
  if (typeof thing === 'string') {
    if (thing.startsWith(FILE_SCHEME)) return decode(await readKeyFile(thing), kind);
    const scheme = schemeToPem(thing, kind);
    // jose's refusal of the DER says less than naming the scheme does; a jose that does not load says itself
    if (scheme)
      return fromPem(scheme.pem, kind).catch((error: unknown) =>
        Promise.reject(joseMissing(error) ?? schemeFailure(scheme, kind)),
      );
    if (thing.includes('-----BEGIN')) return fromPem(thing, kind);
    throw new KeyLoadError(unknownString(thing));
  }
  if (thing !== null && typeof thing === 'object' && typeof (thing as JsonWebKey).kty === 'string') {
    return fromJwk(thing as JsonWebKey, kind);
  }
  throw new KeyLoadError(
    'unsupported key type; expected PEM, file://, Buffer, KeyObject, CryptoKey, JWK, X509Certificate or [key, passphrase]',
  );
}

/**
 * Import key material into WebCrypto through jose (PKCS#8, SPKI, X.509, JWK; PKCS#1 re-wrapped first).
 * Same inputs and the same `KeyLoadError` messages as the synchronous `loadKey`; never echoes key bytes.
 */
export async function importKey(thing: KeyLike | WebRsaKey, kind: KeyKind): Promise<WebRsaKey> {
  try {
    return await decode(thing, kind);
  } catch (error) {
    if (error instanceof KeyLoadError) throw error;
    // jose's and WebCrypto's messages describe the decoder failure, never the input bytes
    throw new KeyLoadError(`cannot parse ${kind} key: ${(error as Error).message}`);
  }
}
