const KEEP = 8;

/** First few characters of a secret-ish value, enough to correlate, never enough to reuse. */
export function truncate(value: string): string {
  return value.length <= KEEP ? '…' : `${value.slice(0, KEEP)}…`;
}

/** `signature="..."` inside an Authorization value, shortened. */
export function redactAuthorization(value: string): string {
  return value.replace(/signature="([^"]*)"/, (_whole, signature: string) => `signature="${truncate(signature)}"`);
}

const SIGNATURE_HEADERS = new Set(['wechatpay-signature', 'authorization']);

/** A copy of headers in which signatures are shortened. */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const copy: Record<string, string> = {};
  if (!headers) return copy;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const lower = name.toLowerCase();
    copy[lower] = !SIGNATURE_HEADERS.has(lower)
      ? text
      : lower === 'authorization'
        ? redactAuthorization(text)
        : truncate(text);
  }
  return copy;
}
