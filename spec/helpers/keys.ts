import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PemPair {
  privateKey: string;
  publicKey: string;
}

export function rsaPair(): PemPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

let merchant: PemPair | undefined;
let platform: PemPair | undefined;
let stranger: PemPair | undefined;

/** The merchant's API key pair. */
export const merchantKeys = (): PemPair => (merchant ??= rsaPair());
/** WeChat Pay's platform key pair (what `certs` holds the public half of). */
export const platformKeys = (): PemPair => (platform ??= rsaPair());
/** A key pair nobody configured: replies signed with it must fail. */
export const strangerKeys = (): PemPair => (stranger ??= rsaPair());

export const FIXTURES = join(__dirname, '..', 'fixtures');
/** The published RSA-2048 test key of the vectors (PKCS#1 v1.5 signatures with it are deterministic). */
export const vectorKey = (): string => readFileSync(join(FIXTURES, 'rsa2048_test_key.pem'), 'utf8');

export const MCHID = '1900000001';
export const MERCHANT_SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
export const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
