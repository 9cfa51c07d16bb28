import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, constants } from 'node:zlib';

/** Encodings we inflate ourselves; anything else is handed back as received (as axios does). */
const INFLATERS: Record<string, () => Readable & NodeJS.WritableStream> = {
  gzip: () => createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  'x-gzip': () => createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  deflate: () => createInflate({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  br: () =>
    createBrotliDecompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
    }),
};

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Whether `res` will be inflated, so the caller can drop its Content-Encoding (the bytes it gets are plain). */
export function inflaterFor(res: IncomingMessage, method: string, decompress: boolean): string | undefined {
  if (!decompress || method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return undefined;
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  return Object.hasOwn(INFLATERS, encoding) ? encoding : undefined;
}

/**
 * Collect a reply into one Buffer, failing with `tooLarge()` as soon as the received bytes or, when inflated,
 * the inflated bytes pass `limit`: a gzip bomb is stopped at the limit, not after it has filled memory.
 * `done` is called exactly once (a callback: it is called from stream events).
 */
export function readBody(
  res: IncomingMessage,
  encoding: string | undefined,
  limit: number,
  tooLarge: () => Error,
  done: (error: Error | undefined, body?: Buffer) => void,
): void {
  const source: Readable = encoding === undefined ? res : res.pipe(INFLATERS[encoding]!());
  const chunks: Buffer[] = [];
  let size = 0;
  let received = 0;
  let settled = false;
  const fail = (error: Error) => {
    if (settled) return;
    settled = true;
    if (source !== res) source.destroy();
    res.destroy();
    done(error);
  };
  if (source !== res) {
    // the compressed bytes count too: an endless stream of tiny frames is still bounded
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(tooLarge());
    });
    res.on('error', fail);
  }
  source.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) return fail(tooLarge());
    chunks.push(chunk);
  });
  source.on('error', fail);
  source.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
  res.on('aborted', () => fail(Object.assign(new Error('reply aborted by the server'), { code: 'ECONNRESET' })));
}
