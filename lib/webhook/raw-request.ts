import type { IncomingMessage } from 'node:http';
import { readRawBody } from '../http/raw-body';
import { WebhookError } from './errors';

const NOT_RAW =
  "the request body was already consumed by a body parser (express.json() or similar) and its signed bytes are gone. Mount the listener before the parser, or use express.raw({ type: 'application/json' }) on this route";

/**
 * The raw callback body of a node request. A body parser that ran first either left the raw bytes (express.raw,
 * express.text: used as they are) or drained the stream into a parsed object (express.json: refused at once, since
 * waiting on a drained stream never ends). A placeholder `req.body` over an unread stream (Express 4 sets `{}` for
 * content types it skips) does not count: the stream is read.
 */
export function rawBodyOf(req: IncomingMessage): Promise<Buffer> {
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed);
  if (typeof parsed === 'string') return Promise.resolve(Buffer.from(parsed, 'utf8'));
  if (req.readableDidRead || req.readableEnded) {
    return Promise.reject(new WebhookError('BODY_NOT_RAW', NOT_RAW));
  }
  return readRawBody(req, (limit) => new WebhookError('MALFORMED', `callback body exceeds ${limit} bytes`));
}
