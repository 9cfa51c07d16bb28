import axios, { type InternalAxiosRequestConfig } from 'axios';
import { createPublicKey, verify } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { TransportError } from '../../lib';
import { nodeHttpCovers } from '../../lib/transport/adapter';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { clientFor } from '../helpers/fixture';
import { merchantKeys } from '../helpers/keys';

interface Seen {
  method: string;
  url: string;
  authorization: string;
  acceptEncoding?: string;
  body: string;
  socket: number;
}

describe('transport adapter', () => {
  const seen: Seen[] = [];
  const sockets = new WeakMap<object, number>();
  let server: HostileServer;
  beforeAll(async () => {
    merchantKeys();
    let socketIds = 0;
    server = await hostileServer((req, res, body) => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, (socketIds += 1));
      seen.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization ?? '',
        acceptEncoding: req.headers['accept-encoding'],
        body: body.toString(),
        socket: sockets.get(req.socket)!,
      });
      if (req.url!.startsWith('/v3/slow')) {
        const timer = setTimeout(() => res.end(), 3000);
        return void res.on('close', () => clearTimeout(timer));
      }
      const reply = JSON.stringify({ echo: req.url });
      const gzip = req.url!.includes('gzip');
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        ...signedHeaders(reply),
      });
      res.end(gzip ? gzipSync(reply) : reply);
    }, 20);
  });
  afterAll(() => server.close());
  const instance = () => clientFor(server.url);

  it('sends exactly the bytes and target it signed, over one kept-alive socket', async () => {
    const client = instance();
    const first = await client.v3.echo['{id}'].post({ id: 'a b', json: { n: 1 } });
    await client.v3.echo.get({ query: { q: 'é' } });
    expect(first.data).toEqual({ echo: '/v3/echo/a%20b' });
    const [post, get] = seen.slice(-2);
    const fields = Object.fromEntries([...post!.authorization.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    const message = `POST\n${post!.url}\n${fields.timestamp}\n${fields.nonce_str}\n${post!.body}\n`;
    const publicKey = createPublicKey(merchantKeys().publicKey);
    expect(verify('sha256', Buffer.from(message), publicKey, Buffer.from(fields.signature!, 'base64'))).toBe(true);
    expect(post!.body).toBe('{"n":1}');
    expect(get!.url).toBe('/v3/echo?q=%C3%A9');
    expect(get!.socket).toBe(post!.socket);
  });

  it('inflates a gzip reply and verifies the inflated bytes', async () => {
    const response = await instance().v3.gzip.get();
    expect(seen.at(-1)!.acceptEncoding).toContain('gzip');
    expect(response.data).toEqual({ echo: '/v3/gzip' });
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('an aborted call is a TransportError coded ERR_CANCELED', async () => {
    const controller = new AbortController();
    const pending = instance().v3.slow.get({ signal: controller.signal } as never);
    setTimeout(() => controller.abort(), 100);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('ERR_CANCELED');
  });

  it("reads only the call's scheme's proxy variables, as axios does", () => {
    const covers = (baseURL: string) =>
      nodeHttpCovers({
        baseURL,
        url: 'v3/x',
        headers: new axios.AxiosHeaders(),
      } as unknown as InternalAxiosRequestConfig);
    const names = ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    const only = (name?: string) => {
      for (const each of names) delete process.env[each];
      if (name) process.env[name] = 'http://127.0.0.1:3128';
    };
    try {
      only('HTTP_PROXY');
      expect([covers('https://h/'), covers('http://h/')]).toEqual([true, false]);
      only('https_proxy');
      expect([covers('https://h/'), covers('http://h/')]).toEqual([false, true]);
      only('ALL_PROXY');
      expect([covers('https://h/'), covers('http://h/')]).toEqual([false, false]);
      only();
      expect([covers('https://h/'), covers('http://h/')]).toEqual([true, true]);
    } finally {
      for (const name of names) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('leaves proxies, streams, redirects and socket paths to axios http adapter', () => {
    const base = { url: 'v3/x', headers: new axios.AxiosHeaders(), responseType: 'arraybuffer' };
    const covers = (extra: object) => nodeHttpCovers({ ...base, ...extra } as unknown as InternalAxiosRequestConfig);
    expect(covers({})).toBe(true);
    expect(covers({ data: Buffer.from('x') })).toBe(true);
    expect(covers({ responseType: 'stream' })).toBe(false);
    expect(covers({ proxy: { host: '127.0.0.1', port: 3128 } })).toBe(false);
    expect(covers({ maxRedirects: 2 })).toBe(false);
    expect(covers({ socketPath: '/tmp/s.sock' })).toBe(false);
    expect(covers({ data: { not: 'serialised' } })).toBe(false);
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:3128';
    try {
      expect(covers({})).toBe(false);
      expect(covers({ proxy: false })).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});
