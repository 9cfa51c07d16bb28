import fc from 'fast-check';
import { createPublicKey, verify } from 'node:crypto';
import { ApiError } from '../../lib';
import { coreOf } from '../../lib/builder';
import { requestNonce } from '../../lib/transport/nonce';
import { destinationOf, fullUrl } from '../../lib/transport/url';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { clientFor } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys } from '../helpers/keys';

describe('destinationOf: the base parsed once, the url part appended when the parser would keep it verbatim', () => {
  const whatwg = (base: string, url: string) => {
    const parsed = new URL(fullUrl(base, url));
    return {
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      port: parsed.port,
      target: parsed.pathname + parsed.search,
    };
  };

  it('agrees with the WHATWG parser on every base and url, verbatim or not', () => {
    const bases = fc.constantFrom(
      'https://api.mch.weixin.qq.com/',
      'http://127.0.0.1:8080',
      'https://H.Example.com:443/a/b',
      'https://h/a/../b//',
      'https://h/p q/é/',
      'http://[::1]:9/x/',
      'https://h/base?x=1',
    );
    // characters the fast path takes and ones it must hand to the parser (spaces, quotes, dots, non-ASCII, `\`)
    const char = fc.constantFrom(
      ...'aZ09-._~!$&()*+,;=:@/%?'.split(''),
      ' ',
      "'",
      '"',
      '.',
      '..',
      '%2e',
      'é',
      '\\',
      '#',
      '{',
    );
    const urls = fc.array(char, { maxLength: 24 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(bases, urls, (base, url) => {
        expect(destinationOf(base, url)).toEqual(whatwg(base, url));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps dot segments, also percent-encoded, for the parser to resolve', () => {
    expect(destinationOf('https://h/a/', 'v3/../x').target).toBe('/a/x');
    expect(destinationOf('https://h/a/', 'v3/%2E%2e/x').target).toBe('/a/x');
    expect(destinationOf('https://h/a/', 'v3/x?q=../y').target).toBe('/a/v3/x?q=../y');
  });
});

describe('requestNonce', () => {
  it('gives 32 characters of [0-9A-Za-z], fresh each time, across pool refills', () => {
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const nonce = requestNonce();
      expect(nonce).toMatch(/^[0-9A-Za-z]{32}$/);
      seen.add(nonce);
      for (const ch of nonce) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(seen.size).toBe(2000);
    // 64000 characters over 62 symbols: ~1032 each; a stuck or biased pool would leave some far off
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(Math.abs(count - 64000 / 62)).toBeLessThan(250);
  });
});

describe('slim axios defaults', () => {
  let server: HostileServer;
  const seen: Record<string, string | string[] | undefined>[] = [];
  beforeAll(async () => {
    server = await hostileServer((req, res) => {
      seen.push(req.headers);
      const reply = JSON.stringify({ ok: true });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Extra': 'kept', ...signedHeaders(reply) });
      res.end(reply);
    }, 20);
  });
  afterAll(() => server.close());

  const instance = (extra: object = {}) => clientFor(server.url, extra);

  it('holds no per-method header buckets or browser-only options, and none of what the adapter implies', () => {
    const defaults = coreOf(instance()).client.http.defaults as unknown as Record<string, unknown>;
    expect(Object.keys(defaults.headers as object)).toEqual(['Accept', 'User-Agent']);
    for (const key of ['transitional', 'xsrfCookieName', 'xsrfHeaderName', 'maxBodyLength', 'env']) {
      expect(defaults).not.toHaveProperty(key);
    }
    for (const key of ['transformRequest', 'transformResponse', 'responseType', 'maxRedirects', 'validateStatus']) {
      expect(defaults).not.toHaveProperty(key);
    }
    // a caller's own choice stays; another adapter gets the protocol's options as before
    expect(coreOf(instance({ maxRedirects: 3 })).client.http.defaults.maxRedirects).toBe(3);
    const viaHttp = coreOf(instance({ adapter: 'http' })).client.http.defaults;
    expect([viaHttp.responseType, viaHttp.maxRedirects, viaHttp.transformRequest]).toEqual(['arraybuffer', 0, []]);
  });

  it("sends the body's own Content-Length, over a caller's", async () => {
    const client = instance();
    await client.v3.warm.post({ json: { name: 'é€' }, headers: { 'content-length': '1' } });
    expect(seen.at(-1)!['content-length']).toBe(String(Buffer.byteLength(JSON.stringify({ name: 'é€' }))));
    await client.v3.warm.post();
    expect(seen.at(-1)!['content-length']).toBe('0');
    await client.v3.warm.get();
    expect(seen.at(-1)!['content-length']).toBeUndefined();
  });

  it('keeps what the caller configured, and per-call headers still win over configured ones', async () => {
    const client = instance({ headers: { 'X-Team': 'pay', 'x-override': 'config' }, maxBodyLength: 1000 });
    const defaults = coreOf(client).client.http.defaults as unknown as Record<string, unknown>;
    expect(defaults.maxBodyLength).toBe(1000);
    const response = await client.v3.pay.transactions.id._transaction_id_.get({
      transaction_id: 'T1',
      query: { mchid: MCHID },
      headers: { 'X-Override': 'call' },
    });
    expect(response.data).toEqual({ ok: true });
    // the reply's headers reach the caller as sent, lower-cased by node, every one of them
    expect(response.headers['x-extra']).toBe('kept');
    expect(response.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const sent = seen.at(-1)!;
    expect(sent['x-team']).toBe('pay');
    expect(sent['x-override']).toBe('call');
    expect(sent.accept).toBe('application/json');
    expect(sent['user-agent']).toMatch(/^wechatpay-chain\//);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    // the Authorization built from the precomputed prefix parses and verifies like any other
    const auth = String(sent.authorization);
    const fields = Object.fromEntries([...auth.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]));
    expect(auth.startsWith('WECHATPAY2-SHA256-RSA2048 mchid="')).toBe(true);
    expect(Object.keys(fields)).toEqual(['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no']);
    expect(fields.serial_no).toBe(MERCHANT_SERIAL);
    const message = `GET\n/v3/pay/transactions/id/T1?mchid=${MCHID}\n${fields.timestamp}\n${fields.nonce_str}\n\n`;
    const key = createPublicKey(merchantKeys().publicKey);
    expect(verify('sha256', Buffer.from(message), key, Buffer.from(fields.signature!, 'base64'))).toBe(true);
  });
});

describe('interceptors without extra promises', () => {
  const instance = () => clientFor('http://127.0.0.1:9/');
  type Handler = { fulfilled: (value: unknown) => unknown };
  const handlers = (manager: unknown) => (manager as { handlers: Handler[] }).handlers;
  const reply = (body: string, headers: Record<string, string>, status = 200) => ({
    data: Buffer.from(body),
    status,
    statusText: '',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    config: { method: 'post', baseURL: 'http://127.0.0.1:9/', url: 'v3/x', headers: {} },
  });

  it('the verifier hands back a verified reply as it is, not a promise of it (node:crypto)', () => {
    const [verifier] = handlers(coreOf(instance()).client.http.interceptors.response);
    const body = JSON.stringify({ ok: 1 });
    const response = reply(body, signedHeaders(body));
    const result = verifier!.fulfilled(response);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toBe(response);
    expect(response.data).toEqual({ ok: 1 });
  });

  it('and still throws what it rejects: a bad signature, an ApiError', () => {
    const [verifier] = handlers(coreOf(instance()).client.http.interceptors.response);
    const thrown = (response: unknown) => {
      try {
        verifier!.fulfilled(response);
      } catch (error) {
        return error as Record<string, unknown>;
      }
      return undefined;
    };
    const body = JSON.stringify({ ok: 1 });
    expect(thrown(reply('{"ok":2}', signedHeaders(body)))?.reason).toBe('SIGNATURE_MISMATCH');
    const failure = JSON.stringify({ code: 'PARAM_ERROR', message: 'bad' });
    const error = thrown(reply(failure, signedHeaders(failure), 400));
    expect([error?.name, error?.code, error?.verified]).toEqual(['ApiError', 'PARAM_ERROR', true]);
  });
});

describe('what the slimmed defaults leave out, the adapters still do', () => {
  let server: HostileServer;
  const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]); // not UTF-8: decoded to text it would no longer verify
  beforeAll(async () => {
    server = await hostileServer((req, res) => {
      if (req.url!.startsWith('/v3/redirect')) return void res.writeHead(302, { Location: '/v3/landed' }).end();
      const reply = req.url!.startsWith('/v3/binary') ? binary : Buffer.from(JSON.stringify({ landed: true }));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...signedHeaders(reply) });
      res.end(reply);
    }, 40);
  });
  afterAll(() => server.close());

  const instance = () => clientFor(server.url);
  // onDownloadProgress sends a call through axios' http adapter (the fallback); `adapter` names it outright
  const routes: [string, object][] = [
    ['lean adapter', {}],
    ['fallback (axios http adapter)', { onDownloadProgress: () => undefined }],
    ['an adapter named per call', { adapter: 'http' }],
  ];

  it.each(routes)(
    '%s: raw bytes verified, redirects not followed, every status reaches the verifier',
    async (_, extra) => {
      const client = instance();
      const reply = await client.v3.binary.get(extra as never);
      expect(reply.status).toBe(200); // verified over the bytes as received
      const redirect = await client.v3.redirect.get(extra as never).catch((error: unknown) => error);
      expect(redirect).toBeInstanceOf(ApiError);
      expect((redirect as ApiError).status).toBe(302);
      const landed = await client.v3.landed.get(extra as never);
      expect(landed.data).toEqual({ landed: true });
    },
  );
});
