import axios, { AxiosHeaders } from 'axios';
import { Builder } from '../../lib';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

describe('regression: every reply header reaches the caller, and one Authorization, ours, goes out', () => {
  let server: HostileServer;
  const authorizations: (string | string[] | undefined)[] = [];
  beforeAll(async () => {
    merchantKeys();
    server = await hostileServer((req, res) => {
      authorizations.push(req.headers.authorization);
      const reply = JSON.stringify({ ok: true });
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Extra': 'yes', ...signedHeaders(reply) });
      res.end(reply);
    }, 6);
  });
  afterAll(() => server.close());
  const config = {
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
  };

  it('hands the caller every reply header, as axios headers, after verification', async () => {
    const client = Builder.factory({ ...config, baseURL: server.url });
    const response = await client.v3.pay.transactions.id._transaction_id_.get({
      transaction_id: '42',
      query: { mchid: MCHID },
    });
    expect(response.headers).toBeInstanceOf(AxiosHeaders);
    const headers = response.headers as AxiosHeaders;
    expect(headers.get('X-Extra')).toBe('yes');
    expect(headers.get('Wechatpay-Serial')).toBe(PLATFORM_SERIAL);
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.data).toEqual({ ok: true });
  });

  it.each([
    ['a stale lower-case spelling', 'authorization', 'Bearer stale'],
    ['an Authorization set to false', 'Authorization', false],
  ])('signs over %s left by a caller interceptor: one Authorization, ours', async (_, name, value) => {
    const base = axios.create();
    base.interceptors.request.use((c) => {
      (c.headers as unknown as Record<string, unknown>)[name] = value;
      return c;
    });
    const client = Builder.factory({ ...config, baseURL: server.url, axios: base });
    const before = authorizations.length;
    await client.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '42', query: { mchid: MCHID } });
    expect(authorizations.slice(before)).toHaveLength(1);
    expect(authorizations[before]).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="/);
  });
});
