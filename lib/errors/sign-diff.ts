/**
 * Why WeChat Pay answered 401 SIGN_ERROR: its `detail.sign_information` (the method, URL and message it verified,
 * the body cut short) against what this client signed. Only public parts are compared and kept (method, URL,
 * timestamp, nonce, body length and first characters); never a key or a signature.
 */
export type SignPart = 'method' | 'url' | 'timestamp' | 'nonce' | 'body' | 'signature';

export interface SignedParts {
  method?: string;
  url?: string;
  timestamp?: string;
  nonce?: string;
  /** Bytes of the signed body line (without its final line feed). */
  bodyLength?: number;
}

export interface SignDiff {
  /**
   * The parts of the message WeChat Pay verified that differ from the one this client signed; `['signature']` when
   * they are the same message: then the signature itself does not verify (a private key not matching `serial_no`).
   */
  parts: SignPart[];
  signed: SignedParts;
  verified: SignedParts;
  /** The `serial_no` the request named (whose public key WeChat Pay used). */
  serial?: string;
}

/** What the client sent: the request's own Authorization and the bytes it signed. */
export interface SignedRequest {
  method?: string;
  url?: string;
  authorization?: unknown;
  body?: unknown;
}

const field = (header: string, name: string) => new RegExp(`(?:^|[ ,])${name}="([^"]*)"`).exec(header)?.[1];

function textOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return undefined;
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** The signDiff of a SIGN_ERROR reply, or undefined when either side is missing what a comparison needs. */
export function signDiffOf(detail: unknown, request: SignedRequest | undefined): SignDiff | undefined {
  const info = (detail as { sign_information?: unknown } | undefined)?.sign_information as
    Record<string, unknown> | undefined;
  if (!request || typeof info !== 'object' || info === null) return undefined;
  const authorization = typeof request.authorization === 'string' ? request.authorization : undefined;
  const body = textOf(request.body);
  if (!authorization || body === undefined) return undefined;
  const signed: SignedParts = {
    method: request.method,
    url: request.url,
    timestamp: field(authorization, 'timestamp'),
    nonce: field(authorization, 'nonce_str'),
    bodyLength: bytes(body),
  };
  // `truncated_sign_message` is METHOD\nURL\nTIMESTAMP\nNONCE\n + the body's first characters + \n
  const message = typeof info.truncated_sign_message === 'string' ? info.truncated_sign_message : '';
  const lines = message.split('\n');
  const head = lines.slice(0, 4);
  const prefix = lines.slice(4).join('\n').replace(/\n$/, '');
  const total = typeof info.sign_message_length === 'number' ? info.sign_message_length : undefined;
  const verified: SignedParts = {
    method: typeof info.method === 'string' ? info.method : head[0],
    url: typeof info.url === 'string' ? info.url : head[1],
    timestamp: head[2],
    nonce: head[3],
    bodyLength: total === undefined || head.length < 4 ? undefined : total - bytes(`${head.join('\n')}\n`) - 1,
  };
  const parts: SignPart[] = (['method', 'url', 'timestamp', 'nonce'] as const).filter(
    (part) => verified[part] !== undefined && verified[part] !== signed[part],
  );
  const bodyDiffers =
    (verified.bodyLength !== undefined && verified.bodyLength !== signed.bodyLength) ||
    (head.length === 4 && !body.startsWith(prefix));
  if (bodyDiffers) parts.push('body');
  if (parts.length === 0) parts.push('signature');
  return { parts, signed, verified, serial: field(authorization, 'serial_no') };
}

/** One sentence naming what differs, for the error message. */
export function describeSignDiff(diff: SignDiff): string {
  if (diff.parts[0] === 'signature')
    return (
      'WeChat Pay verified the very message this client signed, so the signature itself does not verify: the ' +
      `private key does not belong to serial_no ${diff.serial ?? '(none)'} (wrong key, or wrong serial)`
    );
  const quoted = (value: unknown) => (value === undefined ? '?' : JSON.stringify(value));
  const each = diff.parts.map((part) =>
    part === 'method' || part === 'url' || part === 'timestamp' || part === 'nonce'
      ? `${part} (signed ${quoted(diff.signed[part])}, WeChat Pay verified ${quoted(diff.verified[part])})`
      : `body (signed ${quoted(diff.signed.bodyLength)} bytes, WeChat Pay verified ${quoted(diff.verified.bodyLength)})`,
  );
  return `the message WeChat Pay verified differs from the one this client signed in: ${each.join('; ')}`;
}
