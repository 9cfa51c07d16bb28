import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { tlv as derElement } from '../crypto/der';

/** Just enough DER to mint a self-signed RSA certificate for the sandbox's platform-certificate mode. */
const tlv = (tag: number, body: Buffer): Buffer => Buffer.from(derElement(tag, body));
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const NULL = Buffer.from([0x05, 0x00]);

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
}

const name = (commonName: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));
const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);

export interface MintedCertificate {
  pem: string;
  /** Uppercase hex, as WeChat Pay writes platform certificate serials. */
  serial: string;
}

export function selfSignedCertificate(
  privateKey: KeyObject,
  commonName: string,
  notBefore: Date,
  days: number,
): MintedCertificate {
  const serialBytes = randomBytes(20);
  // positive and minimal as DER wants it: a leading 0x00 (or a high bit) would make a malformed or negative INTEGER
  serialBytes[0] = (serialBytes[0]! & 0x7f) | 0x40;
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialBytes),
    SHA256_WITH_RSA,
    name(commonName),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name(commonName),
    spki,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    serial: serialBytes.toString('hex').toUpperCase(),
  };
}
