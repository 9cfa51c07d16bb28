/**
 * The one DER writer: just enough to turn the PKCS#1 RSA encodings (`BEGIN RSA PRIVATE KEY`, `BEGIN RSA PUBLIC KEY`),
 * which WebCrypto and jose do not import, into the PKCS#8 / SPKI containers they do, and for the sandbox to mint a
 * certificate. Nothing here parses key contents.
 */

/** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } */
const RSA_ALGORITHM = Uint8Array.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One DER element: tag, definite length, then the parts' bytes. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const head = Uint8Array.from([tag, ...lengthBytes(length)]);
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let offset = head.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } } */
export function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return tlv(0x30, Uint8Array.from([0x02, 0x01, 0x00]), RSA_ALGORITHM, tlv(0x04, pkcs1));
}

/** SubjectPublicKeyInfo { rsaEncryption, BIT STRING { RSAPublicKey } } */
export function pkcs1PublicToSpki(pkcs1: Uint8Array): Uint8Array {
  return tlv(0x30, RSA_ALGORITHM, tlv(0x03, Uint8Array.from([0x00]), pkcs1));
}

export interface PemBlock {
  /** `PRIVATE KEY`, `RSA PRIVATE KEY`, `PUBLIC KEY`, `RSA PUBLIC KEY`, `CERTIFICATE`, ... */
  label: string;
  der: Uint8Array;
}

/** The first PEM block of a text (a certificate file may carry a chain: its first is the leaf). */
export function firstPemBlock(text: string): PemBlock | undefined {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return undefined;
  const base64 = match[2]!.replace(/\s+/g, '');
  return { label: match[1]!, der: Uint8Array.from(Buffer.from(base64, 'base64')) };
}

/** PEM text of a DER body (jose imports PEM strings). */
export function toPem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
