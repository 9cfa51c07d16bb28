import type { IncomingMessage } from 'node:http';

/**
 * The gateway's own request-body reader. Unlike a reader that destroys the socket at the limit, it keeps
 * draining (without buffering) so the client can still read a signed 413 instead of a connection reset;
 * a client that keeps sending far past the limit, or stalls, is cut off after the reply.
 */
export interface BodyLimits {
  /** Largest body the gateway buffers. */
  maxBytes: number;
  /** How long the whole body may take to arrive. */
  timeoutMs: number;
}

export type BodyOutcome =
  | { kind: 'ok'; body: Buffer }
  /** `drained`: the rest of the body was read and discarded, so the connection can carry the reply cleanly. */
  | { kind: 'too-large'; drained: boolean }
  | { kind: 'timeout' };

/** Past the limit, at most this much more is read and thrown away before giving up on a clean reply. */
const DRAIN_BYTES = 8 << 20;

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome.kind !== 'ok' && !(outcome.kind === 'too-large' && outcome.drained)) req.pause();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), limits.timeoutMs);
    timer.unref();
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes + DRAIN_BYTES) {
      finish({ kind: 'too-large', drained: false });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBytes) chunks.push(chunk);
      else if (size > limits.maxBytes + DRAIN_BYTES) finish({ kind: 'too-large', drained: false });
    });
    req.on('end', () =>
      finish(
        size > limits.maxBytes ? { kind: 'too-large', drained: true } : { kind: 'ok', body: Buffer.concat(chunks) },
      ),
    );
    req.on('error', () => finish({ kind: 'timeout' }));
  });
}
