import { KeyObject, X509Certificate, createPrivateKey, createPublicKey, webcrypto, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KeyLoadError } from './key-error';
import {
  fromCertificate,
  fromPair,
  fromScheme,
  isKeyPassphrasePair,
  keySchemeOf,
  unknownSchemeOf,
  type KeyPassphrasePair,
} from './key-forms';

export { KeyLoadError };
export type { KeyPassphrasePair };

type CryptoKey = webcrypto.CryptoKey;

/**
 * Anything a key field accepts: PEM text, `file://` path, Buffer (PEM or DER), KeyObject, CryptoKey or JWK;
 * and wechatpay-php's forms: `private.pkcs1://`, `private.pkcs8://`, `public.pkcs1://`, `public.spki://`
 * base64 strings, `X509Certificate` objects and `[key, passphrase]` pairs (encrypted private keys).
 */
export type KeyLike = string | Buffer | KeyObject | CryptoKey | JsonWebKey | X509Certificate | KeyPassphrasePair;
export type KeyKind = 'private' | 'public';

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
  if (kind === 'private' && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyLoadError('the private key is encrypted: pass it as [key, passphrase]');
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
  // KeyObject first: the form every hot path passes, checked before anything else
  if (thing instanceof KeyObject) return thing;
  if (Buffer.isBuffer(thing)) {
    const head = thing.subarray(0, 64).toString('latin1');
    return head.includes('-----BEGIN') ? fromPem(thing.toString('utf8'), kind) : fromDer(thing, kind);
  }
  if (typeof thing === 'string') {
    if (thing.startsWith(FILE_SCHEME)) return decode(readKeyFile(thing), kind);
    if (keySchemeOf(thing) !== undefined) return fromScheme(thing, kind);
    if (thing.includes('-----BEGIN')) return fromPem(thing, kind);
    const scheme = unknownSchemeOf(thing);
    if (scheme !== undefined) {
      throw new KeyLoadError(
        `unknown key scheme ${scheme}://; expected file://, private.pkcs1://, private.pkcs8://, public.pkcs1:// or public.spki://`,
      );
    }
    throw new KeyLoadError(
      'string is neither PEM text nor a file:// path, nor a private.pkcs1://, private.pkcs8://, public.pkcs1:// or public.spki:// string',
    );
  }
  // after strings and Buffers: reading the global CryptoKey makes node load its whole WebCrypto (~7-20 ms cold),
  // which a PEM key never needs
  if (isCryptoKey(thing)) return KeyObject.from(thing);
  if (thing instanceof X509Certificate) return fromCertificate(thing, kind);
  if (isKeyPassphrasePair(thing)) return fromPair(thing, kind, readKeyFile);
  if (thing !== null && typeof thing === 'object' && typeof (thing as JsonWebKey).kty === 'string') {
    return fromJwk(thing as JsonWebKey, kind);
  }
  throw new KeyLoadError(
    'unsupported key type; expected PEM, file://, Buffer, KeyObject, CryptoKey, JWK, X509Certificate or [key, passphrase]',
  );
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
