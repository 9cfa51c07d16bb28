import type { IncomingMessage } from 'node:http';

/** The raw bytes of a node request (what a signature covers), at most `limit`: past it the request is destroyed. */
export function readRawBody(
  req: IncomingMessage,
  tooLarge: (limit: number) => Error = (limit) => new RangeError(`body exceeds ${limit} bytes`),
  limit = 1 << 20,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) req.destroy(tooLarge(limit));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
