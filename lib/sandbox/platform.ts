import { createPublicKey, generateKeyPairSync, randomInt, sign, type KeyObject } from 'node:crypto';
import type { Clock } from './clock';
import { selfSignedCertificate } from './x509';

export type SandboxMode = 'public-key' | 'certificate' | 'both';

/** One WeChat Pay signing identity of the sandbox: a public key id or a platform certificate. */
export interface PlatformIdentity {
  kind: 'public-key' | 'certificate';
  serial: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  certificatePem?: string;
  notBefore: number;
  notAfter: number;
}

function freshKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function publicKeyId(): string {
  let digits = '';
  while (digits.length < 28) digits += String(randomInt(0, 10));
  return `PUB_KEY_ID_${digits}`;
}

const DAY = 86_400_000;

export function createIdentities(mode: SandboxMode, clock: Clock, given?: KeyObject): PlatformIdentity[] {
  const identities: PlatformIdentity[] = [];
  const now = clock.now();
  if (mode !== 'certificate') {
    const privateKey = given ?? freshKey();
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    identities.push({
      kind: 'public-key',
      serial: publicKeyId(),
      privateKey,
      publicKeyPem,
      notBefore: now,
      notAfter: now + 3650 * DAY,
    });
  }
  if (mode !== 'public-key') {
    const privateKey = mode === 'certificate' && given ? given : freshKey();
    const certificate = selfSignedCertificate(
      privateKey,
      'Tenpay.com Root CA (wechatpay-chain sandbox)',
      new Date(now - DAY),
      1825,
    );
    identities.push({
      kind: 'certificate',
      serial: certificate.serial,
      privateKey,
      publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
      certificatePem: certificate.pem,
      notBefore: now - DAY,
      notAfter: now + 1825 * DAY,
    });
  }
  return identities;
}

/** The Wechatpay-* headers of a signed reply or callback, computed with node:crypto directly. */
export function signedHeaders(
  identity: PlatformIdentity,
  body: string,
  timestamp: number,
  nonce: string,
): Record<string, string> {
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), identity.privateKey).toString(
    'base64',
  );
  return {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': identity.serial,
  };
}
