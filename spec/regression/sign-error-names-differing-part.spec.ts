import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, Builder } from '../../lib';
import { MCHID, MERCHANT_SERIAL, merchantKeys, strangerKeys } from '../helpers/keys';
import { startSandbox, type SandboxFixture } from '../sandbox/helpers';

/**
 * Issue 21.3: a 401 SIGN_ERROR carrying `detail.sign_information` left the merchant to compare the message WeChat
 * Pay verified with what the client signed. `ApiError.signDiff` (and the message) now name the part that differs;
 * neither holds the key or the signature.
 */
const ORDER = {
  appid: 'wxd678efh567hg6787',
  mchid: MCHID,
  description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no: 'ORDER-SIGNDIFF-1',
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
  amount: { total: 100, currency: 'CNY' },
};

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(ApiError.isApiError(error)).toBe(true);
  return error as ApiError;
}

/** A reverse proxy mounting the gateway under /gateway: it strips the prefix, so the path verified is not the one signed. */
async function prefixStrippingProxy(upstream: string): Promise<{ server: Server; url: string }> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url!.replace(/^\/gateway/, ''),
        headers: { ...req.headers, host: target.host },
      },
      (reply) => {
        res.writeHead(reply.statusCode!, reply.headers);
        reply.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway/` };
}

describe('ApiError.signDiff on a SIGN_ERROR with sign_information (issue 21.3)', () => {
  let f: SandboxFixture;
  beforeAll(async () => (f = await startSandbox()));
  afterAll(() => f.sandbox.stop());

  const client = (extra: Record<string, unknown>) =>
    Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: f.sandbox.certs,
      baseURL: f.sandbox.url,
      ...extra,
    });

  it('a client signing with a wrong key: the same message, so the signature (key vs serial) is named', async () => {
    const error = await failure(
      client({ privateKey: strangerKeys().privateKey }).v3.pay.transactions.native.post({ json: ORDER }),
    );
    expect([error.status, error.code]).toEqual([401, 'SIGN_ERROR']);
    expect(error.signDiff?.parts).toEqual(['signature']);
    expect(error.signDiff?.signed).toEqual(error.signDiff?.verified);
    expect(error.message).toMatch(/private key does not belong to serial_no 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C/);
    const shown = `${error.message} ${JSON.stringify(error)}`;
    expect(shown).not.toContain('PRIVATE KEY');
    expect(shown).not.toMatch(/signature="[^"]{20,}/);
  });

  it('a proxy rewriting the path: the url is named, with what was signed and what WeChat Pay verified', async () => {
    const proxy = await prefixStrippingProxy(f.sandbox.url);
    try {
      const error = await failure(client({ baseURL: proxy.url }).v3.pay.transactions.native.post({ json: ORDER }));
      expect([error.status, error.code]).toEqual([401, 'SIGN_ERROR']);
      expect(error.signDiff).toMatchObject({
        parts: ['url'],
        signed: { method: 'POST', url: '/gateway/v3/pay/transactions/native' },
        verified: { method: 'POST', url: '/v3/pay/transactions/native' },
      });
      expect(error.message).toContain(
        'url (signed "/gateway/v3/pay/transactions/native", WeChat Pay verified "/v3/pay/transactions/native")',
      );
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });

  it('a proxy changing the body after signing: the body is named', async () => {
    const target = new URL(f.sandbox.url);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // re-serialised with indentation, as some middleboxes pretty-print JSON
        const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')), null, 2);
        const forwarded = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) },
          },
          (reply) => {
            res.writeHead(reply.statusCode!, reply.headers);
            reply.pipe(res);
          },
        );
        forwarded.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const error = await failure(client({ baseURL }).v3.pay.transactions.native.post({ json: ORDER }));
      expect(error.signDiff?.parts).toEqual(['body']);
      expect(error.signDiff!.verified.bodyLength).toBeGreaterThan(error.signDiff!.signed.bodyLength!);
      expect(error.message).toMatch(/in: body \(signed \d+ bytes, WeChat Pay verified \d+\)/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
