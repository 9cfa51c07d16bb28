import { KeyObject, X509Certificate, createPrivateKey, createPublicKey, webcrypto, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type CryptoKey = webcrypto.CryptoKey;

/** Anything a key field accepts: PEM text, `file://` path, Buffer (PEM or DER), KeyObject, CryptoKey or JWK. */
export type KeyLike = string | Buffer | KeyObject | CryptoKey | JsonWebKey;
export type KeyKind = 'private' | 'public';

/** Thrown by {@link loadKey}; the message names the problem, never the key material. */
export class KeyLoadError extends Error {
  override readonly name = 'KeyLoadError';
  /** The config field whose key did not load, when known (`certs.PUB_KEY_ID_...`). */
  field?: string;
}

const FILE_SCHEME = 'file://';

function isCryptoKey(thing: unknown): thing is CryptoKey {
  // the global class (node >= 19); `webcrypto.CryptoKey` is not a runtime value on node 20
  const CryptoKeyClass = (globalThis as { CryptoKey?: new () => unknown }).CryptoKey;
  return CryptoKeyClass !== undefined && thing instanceof CryptoKeyClass;
}

function readKeyFile(uri: string): Buffer {
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    // `file://relative/path.pem` is not a valid URL but is what people write.
    path = uri.slice(FILE_SCHEME.length);
  }
  try {
    return readFileSync(path);
  } catch (error) {
    throw new KeyLoadError(`cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`);
  }
}

function fromPem(pem: string, kind: KeyKind): KeyObject {
  const isPrivatePem = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem);
  if (kind === 'public' && isPrivatePem) {
    throw new KeyLoadError('expected a public key or certificate, got a private key');
  }
  if (kind === 'private' && !isPrivatePem) {
    throw new KeyLoadError('expected a private key PEM (PKCS#8 or PKCS#1)');
  }
  return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
}

function fromDer(der: Buffer, kind: KeyKind): KeyObject {
  const attempts: Array<() => KeyObject> =
    kind === 'private'
      ? [
          () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
          () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
        ]
      : [
          () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
          () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
          () => new X509Certificate(der).publicKey,
        ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next encoding
    }
  }
  throw new KeyLoadError(`bytes are neither PEM nor a DER ${kind} key`);
}

function fromJwk(jwk: JsonWebKey, kind: KeyKind): KeyObject {
  const hasPrivatePart = typeof jwk.d === 'string';
  if (kind === 'private' && !hasPrivatePart) throw new KeyLoadError('JWK has no private part ("d")');
  if (kind === 'public' && hasPrivatePart) throw new KeyLoadError('expected a public JWK, got one with a private part');
  const input = { key: jwk, format: 'jwk' as const };
  return kind === 'private' ? createPrivateKey(input) : createPublicKey(input);
}

function decode(thing: KeyLike, kind: KeyKind): KeyObject {
  if (thing instanceof KeyObject) return thing;
  if (isCryptoKey(thing)) return KeyObject.from(thing);
  if (Buffer.isBuffer(thing)) {
    const head = thing.subarray(0, 64).toString('latin1');
    return head.includes('-----BEGIN') ? fromPem(thing.toString('utf8'), kind) : fromDer(thing, kind);
  }
  if (typeof thing === 'string') {
    if (thing.startsWith(FILE_SCHEME)) return decode(readKeyFile(thing), kind);
    if (thing.includes('-----BEGIN')) return fromPem(thing, kind);
    throw new KeyLoadError('string is neither PEM text nor a file:// path');
  }
  if (thing !== null && typeof thing === 'object' && typeof (thing as JsonWebKey).kty === 'string') {
    return fromJwk(thing as JsonWebKey, kind);
  }
  throw new KeyLoadError('unsupported key type; expected PEM, file://, Buffer, KeyObject, CryptoKey or JWK');
}

/**
 * Parse key material once into a `KeyObject` (RSA only, as WeChat Pay uses).
 * Synchronous on purpose: config errors surface at construction and the toolkit stays sync, as in wechatpay-php.
 */
export function loadKey(thing: KeyLike, kind: KeyKind): KeyObject {
  let key: KeyObject;
  try {
    key = decode(thing, kind);
  } catch (error) {
    if (error instanceof KeyLoadError) throw error;
    // node's own messages describe the decoder failure, never the input bytes
    throw new KeyLoadError(`cannot parse ${kind} key: ${(error as Error).message}`);
  }
  if (kind === 'private' && key.type !== 'private')
    throw new KeyLoadError(`expected a private key, got a ${key.type} key`);
  if (kind === 'public' && key.type !== 'public')
    throw new KeyLoadError(`expected a public key, got a ${key.type} key`);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyLoadError(`expected an RSA key, got ${key.asymmetricKeyType ?? 'a non-asymmetric key'}`);
  }
  return key;
}
