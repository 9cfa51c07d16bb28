import type { IncomingMessage } from 'node:http';
import { readRawBody } from '../http/raw-body';
import { WebhookError } from './errors';

const NOT_RAW =
  "the request body was already consumed by a body parser (express.json() or similar) and its signed bytes are gone. Mount the listener before the parser, or use express.raw({ type: 'application/json' }) on this route";

/**
 * The raw callback body of a node request. A body parser that ran first either left the raw bytes (express.raw,
 * express.text: used as they are) or a parsed object (express.json: refused at once, since waiting on the drained
 * stream would never end).
 */
export function rawBodyOf(req: IncomingMessage): Promise<Buffer> {
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed);
  if (typeof parsed === 'string') return Promise.resolve(Buffer.from(parsed, 'utf8'));
  if (parsed !== undefined || req.readableEnded || (req.complete && req.readableLength === 0 && req.readableDidRead)) {
    return Promise.reject(new WebhookError('BODY_NOT_RAW', NOT_RAW));
  }
  return readRawBody(req, (limit) => new WebhookError('MALFORMED', `callback body exceeds ${limit} bytes`));
}
