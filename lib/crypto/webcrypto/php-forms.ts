import type { KeyObject } from 'node:crypto';
import { KeyLoadError } from '../key-error';
import { fromPair, holdsPrivateKey, keySchemeOf, type KeyPassphrasePair } from '../key-forms';
import type { KeyKind } from '../keys';
import { toPem } from '../der';

/**
 * wechatpay-php's key forms (`private.pkcs8://MIIE...`, `X509Certificate` objects, `[key, passphrase]` pairs)
 * turned into what the WebCrypto importer reads (PEM text, or a node `KeyObject`), with the same checks and the
 * same `KeyLoadError` messages as the synchronous `Rsa.from` (lib/crypto/key-forms.ts).
 */

/** The PEM label whose body is the DER each scheme carries. */
const LABELS = {
  'private.pkcs1': 'RSA PRIVATE KEY',
  'private.pkcs8': 'PRIVATE KEY',
  'public.pkcs1': 'RSA PUBLIC KEY',
  'public.spki': 'PUBLIC KEY',
} as const;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface SchemeKey {
  /** `private.pkcs8`, ...: named in errors (the scheme is not key material). */
  scheme: keyof typeof LABELS;
  pem: string;
}

/** A `private.pkcs1://` ... `public.spki://` string as PEM text, or undefined when the string is no such form. */
export function schemeToPem(text: string, kind: KeyKind): SchemeKey | undefined {
  const scheme = keySchemeOf(text);
  if (scheme === undefined) return undefined;
  const schemeKind = scheme.startsWith('private.') ? 'private' : 'public';
  if (schemeKind !== kind) throw new KeyLoadError(`expected a ${kind} key, got a ${scheme}:// (${schemeKind}) key`);
  const body = text.slice(scheme.length + 3).replace(/\s+/g, '');
  if (!BASE64.test(body)) throw new KeyLoadError(`${scheme}:// must be followed by the base64 of the DER key`);
  const der = Uint8Array.from(Buffer.from(body, 'base64'));
  // a private key where a public one belongs is a mix-up to report, as for PEM (jose would refuse it less clearly)
  if (kind === 'public' && holdsPrivateKey(der)) {
    throw new KeyLoadError(`${scheme}:// holds a private key; expected a public key`);
  }
  return { scheme, pem: toPem(LABELS[scheme], der) };
}

/** The message `Rsa.from` gives when a scheme's bytes are not the DER it names. */
export function schemeFailure({ scheme }: SchemeKey, kind: KeyKind): KeyLoadError {
  const type = scheme.slice(scheme.indexOf('.') + 1).toUpperCase();
  return new KeyLoadError(`${scheme}:// does not hold a ${type} DER ${kind} key`);
}

/** An `X509Certificate` (node's, Bun's or Deno's), recognised without importing node:crypto. */
export function isCertificateObject(thing: unknown): thing is { raw: Uint8Array } {
  const candidate = thing as { raw?: unknown; serialNumber?: unknown; checkPrivateKey?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    ArrayBuffer.isView(candidate.raw) &&
    typeof candidate.serialNumber === 'string' &&
    typeof candidate.checkPrivateKey === 'function'
  );
}

/** The certificate as PEM (jose's `importX509` reads it); it never holds a private key. */
export function certificateToPem(cert: { raw: Uint8Array }, kind: KeyKind): string {
  if (kind !== 'public')
    throw new KeyLoadError('expected a private key, got an X509Certificate (it holds a public key only)');
  return toPem('CERTIFICATE', cert.raw);
}

/**
 * `[key, passphrase]`: decrypted by node:crypto (WebCrypto has no PBES2 / legacy PEM decryption), which Node,
 * Bun and Deno provide. `read` gives the bytes of a `file://` key, read asynchronously where a file system exists.
 */
export async function decryptPair(
  pair: KeyPassphrasePair | readonly unknown[],
  kind: KeyKind,
  read: (uri: string) => Promise<Uint8Array>,
): Promise<KeyObject> {
  const [key, ...rest] = pair;
  const bytes =
    kind === 'private' && typeof key === 'string' && key.startsWith('file://') ? Buffer.from(await read(key)) : key;
  return fromPair([bytes, ...rest], kind, () => {
    // the file was read above; fromPair never reads it again
    throw new KeyLoadError('cannot read the key file of the [key, passphrase] pair');
  });
}
