import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyLoadError } from './key-error';

/**
 * The key forms wechatpay-php's `Rsa::from` takes besides PEM and `file://`: its base64 "schemes"
 * (`private.pkcs8://MIIE...`), `X509Certificate` objects and `[key, passphrase]` pairs.
 * Each is decoded straight into one `KeyObject` (one parse), as node:crypto takes DER directly.
 */

/** `[key, passphrase]`: an encrypted PKCS#8 (or legacy encrypted PEM) private key and its passphrase. */
export type KeyPassphrasePair = readonly [key: string | Buffer, passphrase: string | Buffer];

type KeyKind = 'private' | 'public';

const SCHEMES = {
  'private.pkcs1': { kind: 'private', type: 'pkcs1' },
  'private.pkcs8': { kind: 'private', type: 'pkcs8' },
  'public.pkcs1': { kind: 'public', type: 'pkcs1' },
  'public.spki': { kind: 'public', type: 'spki' },
} as const;
export type KeyScheme = keyof typeof SCHEMES;
export const KEY_SCHEMES = Object.keys(SCHEMES) as KeyScheme[];

// Whitespace is tolerated: a PEM body pasted with its line breaks is still the same base64.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9.+-]{0,31}):\/\//;

/** The PHP scheme a string starts with (`private.pkcs8`), if any. */
export function keySchemeOf(text: string): KeyScheme | undefined {
  const scheme = SCHEME_PREFIX.exec(text)?.[1];
  return scheme !== undefined && Object.hasOwn(SCHEMES, scheme) ? (scheme as KeyScheme) : undefined;
}

/** Some other `xyz://` prefix: named in errors (the scheme is not key material; the rest is never shown). */
export function unknownSchemeOf(text: string): string | undefined {
  const scheme = SCHEME_PREFIX.exec(text)?.[1];
  return scheme !== undefined && !Object.hasOwn(SCHEMES, scheme) ? scheme : undefined;
}

/** `private.pkcs1://`, `private.pkcs8://`, `public.pkcs1://`, `public.spki://` + base64 DER. */
export function fromScheme(text: string, kind: KeyKind): KeyObject {
  const scheme = keySchemeOf(text);
  if (scheme === undefined)
    throw new KeyLoadError('not a private.pkcs1://, private.pkcs8://, public.pkcs1:// or public.spki:// string');
  const rule = SCHEMES[scheme];
  if (rule.kind !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${scheme}:// (${rule.kind}) key`);
  const body = text.slice(scheme.length + 3).replace(/\s+/g, '');
  if (!BASE64.test(body)) throw new KeyLoadError(`${scheme}:// must be followed by the base64 of the DER key`);
  const der = Buffer.from(body, 'base64');
  // openssl would derive the public half of private DER without a word; a private key where a public one
  // belongs is a mix-up to report, as for PEM
  if (rule.kind === 'public' && holdsPrivateKey(der)) {
    throw new KeyLoadError(`${scheme}:// holds a private key; expected a public key`);
  }
  try {
    return rule.kind === 'private'
      ? createPrivateKey({ key: der, format: 'der', type: rule.type })
      : createPublicKey({ key: der, format: 'der', type: rule.type });
  } catch {
    // node's decoder message adds nothing a user can act on, and must not carry the bytes
    throw new KeyLoadError(`${scheme}:// does not hold a ${rule.type.toUpperCase()} DER ${kind} key`);
  }
}

/** PKCS#1 and PKCS#8 private keys open with `SEQUENCE { INTEGER 0|1 (version)`; public keys never do. */
export function holdsPrivateKey(der: Uint8Array): boolean {
  if (der[0] !== 0x30 || der.length < 5) return false;
  const lengthByte = der[1]!;
  const at = 2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0);
  return der[at] === 0x02 && der[at + 1] === 0x01 && der[at + 2]! <= 0x01;
}

export function isKeyPassphrasePair(thing: unknown): thing is KeyPassphrasePair {
  return Array.isArray(thing);
}

/**
 * `[key, passphrase]` as wechatpay-php takes it; `key` is PEM text, a PEM/DER Buffer or (read by the caller) a file.
 * An empty passphrase with an unencrypted key loads, as in PHP.
 */
export function fromPair(pair: readonly unknown[], kind: KeyKind, read: (uri: string) => Buffer): KeyObject {
  if (kind !== 'private')
    throw new KeyLoadError('a [key, passphrase] pair is for an encrypted private key; public keys take no passphrase');
  const [key, passphrase] = pair;
  if (pair.length !== 2) throw new KeyLoadError(`a [key, passphrase] pair has 2 items, got ${pair.length}`);
  if (typeof passphrase !== 'string' && !Buffer.isBuffer(passphrase)) {
    throw new KeyLoadError('the passphrase of a [key, passphrase] pair must be a string or Buffer');
  }
  let bytes: Buffer;
  if (typeof key === 'string') bytes = key.startsWith('file://') ? read(key) : Buffer.from(key, 'utf8');
  else if (Buffer.isBuffer(key)) bytes = key;
  else throw new KeyLoadError('the key of a [key, passphrase] pair must be PEM text, a file:// path or a Buffer');
  if (bytes.length === 0) throw new KeyLoadError('the key of a [key, passphrase] pair is empty');
  const isPem = bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN');
  try {
    return createPrivateKey(
      isPem ? { key: bytes, format: 'pem', passphrase } : { key: bytes, format: 'der', type: 'pkcs8', passphrase },
    );
  } catch (error) {
    throw new KeyLoadError(passphraseFailure(error));
  }
}

function passphraseFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const text = `${code} ${(error as Error).message}`;
  if (/bad decrypt|PASSPHRASE|passphrase/i.test(text)) {
    return 'cannot decrypt the private key: the passphrase is wrong';
  }
  return 'cannot parse the key of the [key, passphrase] pair as an (encrypted) PKCS#8 or PKCS#1 private key';
}

/** An `X509Certificate` gives its public key; it never holds a private one. */
export function fromCertificate(cert: X509Certificate, kind: KeyKind): KeyObject {
  if (kind !== 'public')
    throw new KeyLoadError('expected a private key, got an X509Certificate (it holds a public key only)');
  return cert.publicKey;
}

/** wechatpay-php's `Rsa::pkcs1ToSpki`: the base64 SPKI DER of a base64 PKCS#1 DER public key. */
export function pkcs1ToSpki(base64: string): string {
  return fromScheme(`public.pkcs1://${base64}`, 'public').export({ type: 'spki', format: 'der' }).toString('base64');
}
