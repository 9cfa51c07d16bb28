/**
 * The bytes of a `Wechatpay-Signature` value, or undefined when it is not canonical base64 (junk characters,
 * whitespace, missing padding, non-zero trailing bits, the URL alphabet): such a value is a mismatch, never "close
 * enough". `Buffer.from(s, 'base64')` silently skips junk, so the decoded bytes are encoded again and must give back
 * `s` exactly: the encoder only writes canonical padded base64, so this alone refuses every non-canonical value (a
 * property spec holds it to the canonical-base64 grammar) without a regular expression over 344 characters per reply.
 */
export function decodeSignature(value: string | undefined): Buffer | undefined {
  if (value === undefined || value === '') return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}

/**
 * Node joins a repeated header with ", " (arrays for a few): a reply carrying two `Wechatpay-*` signature headers
 * is ambiguous, whichever of them would verify. None of these values can contain a comma on its own.
 */
export function isRepeatedHeader(value: unknown): boolean {
  return Array.isArray(value) || (typeof value === 'string' && value.includes(','));
}
