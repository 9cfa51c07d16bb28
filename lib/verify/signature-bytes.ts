/** Canonical base64 only: `Buffer.from(s, 'base64')` silently skips junk, so two different headers would verify. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes of a `Wechatpay-Signature` value, or undefined when it is not canonical base64 (junk characters,
 * whitespace, missing padding, non-zero trailing bits): such a value is a mismatch, never "close enough".
 */
export function decodeSignature(value: string | undefined): Buffer | undefined {
  if (value === undefined || value === '' || !BASE64.test(value)) return undefined;
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
