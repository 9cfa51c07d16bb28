import { randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLATFORM_SERIAL, platformKeys } from './keys';

export interface HostileServer {
  url: string;
  /** Requests answered so far. */
  requests: number;
  /** Connections the client has closed (the server noticed). */
  closedByClient: number;
  close(): Promise<void>;
}

/** Headers a real gateway would sign `body` with, so only the property under test fails. */
export function signedHeaders(body: Buffer | string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), Buffer.from(body), Buffer.from('\n')]);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': PLATFORM_SERIAL,
    'Wechatpay-Signature': sign('sha256', message, platformKeys().privateKey).toString('base64'),
  };
}

/**
 * A loopback server answering at most `maxRequests` requests with `handler`; more get 503. Closing it ends every
 * connection, so nothing it does outlives the spec.
 */
export async function hostileServer(
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
  maxRequests = 10,
): Promise<HostileServer> {
  const timers = new Set<NodeJS.Timeout>();
  const state = { requests: 0, closedByClient: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    res.on('close', () => {
      if (!res.writableFinished) state.closedByClient += 1;
    });
    if (state.requests > maxRequests) return void res.writeHead(503).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get requests() {
      return state.requests;
    },
    get closedByClient() {
      return state.closedByClient;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Send `total` bytes of `byte` one at a time every `everyMs`, stopping when the client goes away. */
export function trickle(res: ServerResponse, total: number, everyMs: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= total) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    sent += 1;
    res.write(' ');
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}
