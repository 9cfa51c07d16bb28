import { createHash, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, SignatureError } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

interface Served {
  body: Buffer;
  contentType?: string;
  /** What the signature covers; undefined: the reply is unsigned. */
  signed?: Buffer;
  headers?: Record<string, string>;
}

/** A gateway answering each path as `serve` says, signing what it is told to sign (node:crypto only). */
async function withServer(serve: (path: string) => Served, run: (baseURL: string, paths: string[]) => Promise<void>) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(`${req.method} ${req.url}`);
      const { body, contentType = 'application/json', signed, headers = {} } = serve(req.url!);
      const out: Record<string, string> = { 'Content-Type': contentType, ...headers };
      if (signed) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), signed, Buffer.from('\n')]);
        Object.assign(out, {
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': PLATFORM_SERIAL,
          'Wechatpay-Signature': sign('sha256', message, platformKeys().privateKey).toString('base64'),
        });
      }
      res.writeHead(200, out).end(body);
    });
  });
  server.unref();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, paths);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const client = (baseURL: string) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL,
    validation: false,
  });

type Chain = (path: string) => Record<'get' | 'post', (options?: object) => Promise<{ data: unknown }>>;
const chainOf = (baseURL: string) => client(baseURL).chain as unknown as Chain;

/** Bytes that are not UTF-8: decoding them as text would replace them. */
const IMAGE = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x80]),
  randomBytes(64),
]);

/**
 * Broke: image upload replies were exempt from verification (a forged media_id was accepted) while global image
 * downloads had to be signed (WeChat Pay does not sign them) and images came back as mangled UTF-8 text; HK/global
 * statements, signed over `{"sha1":"<Wechatpay-Statement-Sha1>"}`, could not verify at all.
 */
describe('regression: which APIv3 replies are verified, and how', () => {
  it('an unsigned images/upload reply is refused; a signed one is accepted', async () => {
    let signedReply = false;
    const body = Buffer.from('{"media_id":"forged"}');
    await withServer(
      () => ({ body, signed: signedReply ? body : undefined }),
      async (url) => {
        const upload = () =>
          chainOf(url)('v3/merchant-service/images/upload').post({
            body: '{"filename":"a.png"}',
            headers: { 'Content-Type': 'application/json' },
          });
        await expect(upload()).rejects.toMatchObject({ name: 'SignatureError', reason: 'HEADERS_MISSING' });
        signedReply = true;
        await expect(upload()).resolves.toMatchObject({ data: { media_id: 'forged' } });
      },
    );
  });

  it.each(['v3/merchant-service/images/MEDIA-1', 'v3/global/merchant-service/images/MEDIA-1'])(
    'GET %s is unsigned and comes back as the exact bytes',
    async (path) => {
      await withServer(
        () => ({ body: IMAGE, contentType: 'image/png' }),
        async (url, paths) => {
          const { data } = await chainOf(url)(path).get();
          expect(Buffer.isBuffer(data)).toBe(true);
          expect((data as Buffer).equals(IMAGE)).toBe(true);
          expect(paths).toEqual([`GET /${path}`]);
        },
      );
    },
  );

  it('a non-GET to an image path is still verified', async () => {
    await withServer(
      () => ({ body: Buffer.from('{}') }),
      async (url) => {
        await expect(chainOf(url)('v3/merchant-service/images/MEDIA-1').post({ json: {} })).rejects.toBeInstanceOf(
          SignatureError,
        );
      },
    );
  });

  describe.each(['hk/v3/statements', 'v3/global/statements'])('GET %s', (path) => {
    const file = Buffer.from('交易时间,公众账号ID,商户号\n`2026-11-01 10:00:00,`wx1,`1900000001\n');
    const sha1 = createHash('sha1').update(file).digest('hex');
    const digestBody = Buffer.from(`{"sha1":"${sha1}"}`);

    it('verifies the signature over {"sha1":...} and the file against that digest', async () => {
      await withServer(
        () => ({
          body: file,
          contentType: 'text/plain',
          signed: digestBody,
          headers: { 'Wechatpay-Statement-Sha1': sha1 },
        }),
        async (url) => {
          const { data } = await chainOf(url)(path).get({ query: { date: '20261101' } });
          expect(data).toBe(file.toString('utf8'));
        },
      );
    });

    it('refuses a file that does not match the signed digest', async () => {
      await withServer(
        () => ({
          body: Buffer.concat([file, Buffer.from('extra\n')]),
          contentType: 'text/plain',
          signed: digestBody,
          headers: { 'Wechatpay-Statement-Sha1': sha1 },
        }),
        async (url) => {
          await expect(chainOf(url)(path).get({ query: { date: '20261101' } })).rejects.toMatchObject({
            name: 'SignatureError',
            reason: 'SIGNATURE_MISMATCH',
          });
        },
      );
    });

    it('refuses a signature over the file itself, or a missing digest header', async () => {
      await withServer(
        () => ({ body: file, contentType: 'text/plain', signed: file, headers: { 'Wechatpay-Statement-Sha1': sha1 } }),
        async (url) => {
          await expect(chainOf(url)(path).get()).rejects.toMatchObject({ reason: 'SIGNATURE_MISMATCH' });
        },
      );
      await withServer(
        () => ({ body: file, contentType: 'text/plain', signed: digestBody }),
        async (url) => {
          await expect(chainOf(url)(path).get()).rejects.toMatchObject({ reason: 'HEADERS_MISSING' });
        },
      );
    });
  });
});
