import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultyServer {
  url: string;
  /** Requests that reached it. */
  hits: number;
  stop(): Promise<void>;
}

/**
 * A loopback server that fails at the network level: `reset` destroys each socket as soon as a request arrives,
 * `hang` never answers (until `stop`, which drops every connection, so specs stay bounded in time).
 */
export function startFaultyServer(mode: 'reset' | 'hang'): Promise<FaultyServer> {
  const handle = (req: IncomingMessage) => {
    server.hits += 1;
    if (mode === 'reset') req.socket.destroy();
  };
  const http: Server = createServer(handle);
  const server: FaultyServer = {
    url: '',
    hits: 0,
    stop: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  http.unref();
  return new Promise((resolve) => {
    http.listen(0, '127.0.0.1', () => {
      server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
      resolve(server);
    });
  });
}
