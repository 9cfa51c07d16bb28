import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, ConfigError, type BuilderConfig } from '../../lib';
import { Sandbox, type SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

const QUERY = { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' };

/** A plain HTTP forward proxy on loopback (what HTTP_PROXY points at): it records what it relays. */
function startProxy(): Promise<{
  server: Server;
  port: number;
  seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
}> {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const upstream = httpRequest(req.url!, { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, seen })),
  );
}

describe('a custom axios instance or adapter (config.axios, config.adapter)', () => {
  let sandbox: SandboxHandle;
  let config: BuilderConfig;

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    });
    config = {
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: sandbox.certs,
      baseURL: sandbox.url,
      encrypt: true,
    };
  });
  afterAll(() => sandbox.stop());

  it("keeps the instance's proxy and interceptors: requests before signing, responses after verification", async () => {
    const proxy = await startProxy();
    try {
      const base: AxiosInstance = axios.create({ proxy: { protocol: 'http', host: '127.0.0.1', port: proxy.port } });
      const order: string[] = [];
      base.interceptors.request.use((request) => {
        order.push(`request: signed=${request.headers.Authorization !== undefined}`);
        request.headers['X-Trace-Id'] = 'trace-1';
        return request;
      });
      base.interceptors.response.use((response) => {
        order.push(`response: ${typeof response.data}`);
        return response;
      });
      const instance = Builder.factory({ ...config, axios: base });
      const { data } = await instance.v3.aggracctBc.wbChannel.account.balance.get({ query: QUERY });

      expect(data).toEqual({ in_transit_reduction_exist: false, balance: 1_000_000 });
      // the caller's interceptor ran before the signer, and saw the verified, parsed reply
      expect(order).toEqual(['request: signed=false', 'response: object']);
      expect(proxy.seen).toHaveLength(1);
      // through the proxy: the absolute URL in the request line; the account number travels encrypted
      expect(proxy.seen[0]!.url).toMatch(
        new RegExp(`^${sandbox.url}v3/aggracct-bc/wb-channel/account/balance\\?mchid=1900016681&bal_account_no=`),
      );
      expect(proxy.seen[0]!.headers['x-trace-id']).toBe('trace-1');
      expect(proxy.seen[0]!.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });

  it('takes an axios adapter as a plain option; replies still pass the verifier', async () => {
    const http = axios.getAdapter('http');
    const calls: string[] = [];
    const adapter: AxiosAdapter = (request) => {
      calls.push(`${request.method} ${request.url}`);
      return http(request);
    };
    const instance = Builder.factory({ ...config, adapter });
    await instance.v3.aggracctBc.wbChannel.account.balance.get({ query: QUERY });
    expect(calls).toEqual([expect.stringMatching(/^get \/?v3\/aggracct-bc\/wb-channel\/account\/balance\?/)]);

    const forged: AxiosAdapter = async (request) => ({
      data: Buffer.from('{"balance":1}'),
      status: 200,
      statusText: 'OK',
      headers: {},
      config: request,
    });
    await expect(
      Builder.factory({ ...config, adapter: forged }).v3.aggracctBc.wbChannel.account.balance.get({ query: QUERY }),
    ).rejects.toMatchObject({ name: 'SignatureError', reason: 'HEADERS_MISSING' });
  });

  it('refuses something that is not an axios instance, naming the field', () => {
    expect(() => Builder.factory({ ...config, axios: {} as AxiosInstance })).toThrow(ConfigError);
    expect(() => Builder.factory({ ...config, axios: {} as AxiosInstance })).toThrow(
      /axios: must be an axios instance/,
    );
  });
});
