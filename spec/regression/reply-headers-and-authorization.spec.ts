import axios, { AxiosHeaders } from 'axios';
import { Builder } from '../../lib';
import { ReplyHeaders } from '../../lib/transport/adapter/reply-headers';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/** What axios itself makes of the same names and values (its own normalize over a plain copy). */
const axiosNormalised = (given: Record<string, unknown>) => {
  const plain = new AxiosHeaders();
  Object.assign(plain, given);
  return plain.normalize(false).toJSON();
};

describe('reply headers: the first normalising pass is skipped only when it would change nothing', () => {
  it('keeps clean node headers as they are, and normalises whatever is done to them afterwards', () => {
    const given = { 'content-type': 'application/json', 'wechatpay-nonce': 'abc', 'request-id': 'R-1' };
    const headers = ReplyHeaders.fromNode(given, undefined);
    expect(headers.normalize(false)).toBe(headers);
    expect(headers.toJSON()).toEqual(axiosNormalised(given));
    // a later, direct write is normalised as axios does: the skip is used once
    (headers as unknown as Record<string, unknown>)['X-Late '] = ' padded ';
    headers.normalize(false);
    expect(headers.toJSON()).toEqual({ ...given, 'X-Late': 'padded' });
  });

  it('runs axios normalising when a value is one it would change', () => {
    const given = { 'x-padded': ' v ', 'x-control': 'a\u0001b', 'set-cookie': ['a=1', 'b=2'] } as never;
    const headers = ReplyHeaders.fromNode(given, undefined);
    headers.normalize(false);
    expect(headers.toJSON()).toEqual(axiosNormalised(given));
    expect(headers.toJSON()).toEqual({ 'x-padded': 'v', 'x-control': 'ab', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('leaves out the one name it is told to skip, and normalises on request with `format`', () => {
    const headers = ReplyHeaders.fromNode({ 'content-encoding': 'gzip', 'x-id': '1' }, 'content-encoding');
    expect(headers.toJSON()).toEqual({ 'x-id': '1' });
    expect(headers.normalize(true).toJSON()).toEqual({ 'X-Id': '1' });
  });
});

describe('over loopback', () => {
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
