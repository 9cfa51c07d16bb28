import { createPublicKey, verify } from 'node:crypto';
import { ApiError } from '../../lib';
import { coreOf } from '../../lib/builder';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { clientFor } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys } from '../helpers/keys';

describe('what the transport sends and hands back', () => {
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

describe('every route through the transport keeps the protocol options', () => {
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
    ['our node:http adapter', {}],
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
