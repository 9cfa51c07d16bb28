import { createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import axios, { type AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { Builder, type WechatpayInstance } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * What goes on the wire for a signed request, read from the raw header lines a loopback server received: exactly one
 * Authorization, ours, over exactly the bytes sent, whatever spelling of the header a caller or an interceptor left,
 * on node's adapter and on axios' fetch adapter (the one Bun, Deno and Workers use), and through both backends.
 */

interface Seen {
  method: string;
  headers?: IncomingMessage['headers'];
  url: string;
  /** Every Authorization line as sent, whatever its spelling. */
  authorizations: string[];
  body: Buffer;
}

const AUTHORIZATION =
  /^WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",nonce_str="([0-9A-Za-z]{32})",signature="([^"]+)",timestamp="(\d+)",serial_no="([^"]+)"$/;

/** Whether `value` is a valid signature by the merchant key over what `seen` carried (the gateway's check). */
function verifies(seen: Seen, value: string): boolean {
  const match = AUTHORIZATION.exec(value);
  if (!match) return false;
  const [, mchid, nonce, signature, timestamp, serial] = match;
  if (mchid !== MCHID || serial !== MERCHANT_SERIAL) return false;
  const message = Buffer.concat([
    Buffer.from(`${seen.method}\n${seen.url}\n${timestamp}\n${nonce}\n`),
    seen.body,
    Buffer.from('\n'),
  ]);
  return verify('sha256', message, createPublicKey(merchantKeys().publicKey), Buffer.from(signature!, 'base64'));
}

const authorizationLines = (req: IncomingMessage): string[] =>
  req.rawHeaders.filter((_, at) => at % 2 === 1 && req.rawHeaders[at - 1]!.toLowerCase() === 'authorization');

const webCryptoClient = (url: string, config: object) =>
  Builder.create(
    {
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      baseURL: url,
      ...config,
    },
    { backend: 'webcrypto' },
  );

const clients: Array<[string, (url: string) => Promise<WechatpayInstance>]> = [
  ['node:crypto, node adapter', async (url) => clientFor(url)],
  ['node:crypto, fetch adapter', async (url) => clientFor(url, { adapter: 'fetch' })],
  ['WebCrypto, fetch adapter', (url) => webCryptoClient(url, { adapter: 'fetch' })],
];

describe.each(clients)('a request signed through %s', (_name, build) => {
  const seen: Seen[] = [];
  let server: HostileServer;
  let instance: WechatpayInstance;
  beforeAll(async () => {
    server = await hostileServer((req, res, body) => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        authorizations: authorizationLines(req),
        body,
      });
      const reply = '{"ok":true}';
      res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders(reply) }).end(reply);
    }, 1000);
    instance = await build(server.url);
  });
  afterAll(() => server.close());

  const last = () => seen.at(-1)!;

  it.each(['authorization', 'AUTHORIZATION', 'AuThOrIzAtIoN'])(
    "sends exactly one Authorization, ours, when the caller's headers carry it as %s",
    async (spelling) => {
      await instance.chain('v3/x/echo').post({
        json: { amount: 1 },
        headers: { [spelling]: 'Bearer the-callers-token' },
      });
      expect(last().authorizations).toHaveLength(1);
      expect(verifies(last(), last().authorizations[0]!)).toBe(true);
    },
  );

  it('sends ours when the caller gives two spellings of Authorization (axios merges them, the later value winning)', async () => {
    await instance.chain('v3/x/echo').post({
      json: { amount: 1 },
      headers: { Authorization: 'Bearer first', authorization: 'Bearer second' },
    });
    expect(last().authorizations).toHaveLength(1);
    expect(verifies(last(), last().authorizations[0]!)).toBe(true);
  });

  it("keeps the caller's other headers, also those as long as `Authorization` (13 characters)", async () => {
    await instance.chain('v3/x/echo').post({
      json: { amount: 1 },
      headers: { 'Cache-Control': 'no-cache', 'X-Thirteen-Ch': 'kept', authorization: 'Bearer the-callers-token' },
    });
    expect(last().headers).toMatchObject({ 'cache-control': 'no-cache', 'x-thirteen-ch': 'kept' });
    expect(verifies(last(), last().authorizations[0]!)).toBe(true);
  });

  it('signs a Buffer body byte for byte', async () => {
    const bytes = Buffer.from([0xe6, 0xb5, 0x8b, 0x00, 0xff, 0x0a]);
    await instance.chain('v3/x/echo').post({ body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    expect(last().body.equals(bytes)).toBe(true);
    expect(verifies(last(), last().authorizations[0]!)).toBe(true);
  });

  it('signs the method, the path with its query, and the exact body bytes sent', async () => {
    await instance.chain('v3/x/echo').post({ json: { amount: 1, description: '测试' } });
    expect(last()).toMatchObject({ method: 'POST', url: '/v3/x/echo' });
    expect(last().body.toString()).toBe('{"amount":1,"description":"测试"}');
    expect(verifies(last(), last().authorizations[0]!)).toBe(true);
    await instance.chain('v3/x/{id}').get({ id: '42', query: { mchid: MCHID } });
    expect(last()).toMatchObject({ method: 'GET', url: `/v3/x/42?mchid=${MCHID}` });
    expect(last().body).toHaveLength(0);
    expect(verifies(last(), last().authorizations[0]!)).toBe(true);
  });
});

describe.each([
  ['node', undefined],
  ['fetch', 'fetch' as const],
])("an Authorization a caller's own axios interceptor sets (%s adapter)", (_name, adapter) => {
  it.each(['authorization', 'AUTHORIZATION'])(
    'is replaced by ours when spelled %s: one line on the wire',
    async (spelling) => {
      const seen: Seen[] = [];
      const server = await hostileServer((req, res, body) => {
        seen.push({ method: req.method!, url: req.url!, authorizations: authorizationLines(req), body });
        res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders('{}') }).end('{}');
      });
      try {
        const own = axios.create();
        own.interceptors.request.use((config) => {
          (config.headers as unknown as Record<string, string>)[spelling] = 'Bearer from-an-interceptor';
          return config;
        });
        const instance = clientFor(server.url, { axios: own, ...(adapter && { adapter }) });
        await instance.v3.ok.get();
        expect(seen[0]!.authorizations).toHaveLength(1);
        expect(verifies(seen[0]!, seen[0]!.authorizations[0]!)).toBe(true);
      } finally {
        await server.close();
      }
    },
  );
});

describe("a caller's own axios adapter that sends config.headers as they are", () => {
  it("gets no second, caller's Authorization next to ours (fetch would join the two into one line)", async () => {
    const seen: Seen[] = [];
    const server = await hostileServer((req, res, body) => {
      seen.push({ method: req.method!, url: req.url!, authorizations: authorizationLines(req), body });
      res.writeHead(204).end();
    });
    try {
      // axios' documented `adapter` option as a function: it reads the headers it is handed, without merging spellings
      const adapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
        const url = new URL(config.url!, config.baseURL);
        const headers = (config.headers as AxiosHeaders).toJSON() as Record<string, string>;
        const res = await fetch(url, { method: config.method!.toUpperCase(), headers, body: config.data as string });
        return { data: '', status: res.status, statusText: res.statusText, headers: {}, config, request: {} };
      };
      const instance = clientFor(server.url, { adapter });
      await instance
        .chain('v3/x/echo')
        .post({ json: { amount: 1 }, headers: { authorization: 'Bearer the-callers-token' } })
        .catch(() => undefined);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.authorizations).toHaveLength(1);
      expect(verifies(seen[0]!, seen[0]!.authorizations[0]!)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('a body an interceptor left unserialised', () => {
  it('is refused before anything is signed or sent, saying how to send it', async () => {
    let requests = 0;
    const server = await hostileServer((_req, res) => {
      requests += 1;
      res.writeHead(204).end();
    });
    try {
      const own = axios.create();
      own.interceptors.request.use((config) => Object.assign(config, { data: { amount: 1 } }));
      const instance = clientFor(server.url, { axios: own });
      const error = await instance
        .chain('v3/x/echo')
        .post({ json: { amount: 1 } })
        .catch((e: unknown) => e);
      expect(String((error as Error).message)).toContain(
        'request body reached the signer unserialised; send it through `json` or `body`',
      );
      expect(requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});
