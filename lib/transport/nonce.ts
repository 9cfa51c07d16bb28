import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 248 = 4 * 62: bytes at or above it are skipped so every character is equally likely (as Formatter.nonce).
const UNBIASED_LIMIT = 248;
const POOL_SIZE = 4096;

/** Random bytes drawn from the CSPRNG a pool at a time: one native call per ~100 nonces instead of one each. */
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let offset = POOL_SIZE;

function randomByte(): number {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]!;
}

/** A 32-character `[0-9A-Za-z]` request nonce, as `Formatter.nonce()` makes it, for the signer's hot path. */
export function requestNonce(): string {
  // written as bytes and read once: one string, not 32 concatenations
  const out = Buffer.allocUnsafe(32);
  for (let i = 0; i < 32;) {
    const byte = randomByte();
    if (byte < UNBIASED_LIMIT) out[i++] = ALPHABET.charCodeAt(byte % 62);
  }
  return out.toString('latin1');
}
