import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  ApiError,
  Builder,
  SignatureError,
  Transformer,
  ValidationError,
  Webhook,
  WebhookError,
  isWechatpayError,
  type WechatpayInstance,
} from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { CALLBACK_APIV3_KEY } from '../helpers/callback';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/** Broke: these inputs threw raw TypeError / RangeError / ENOENT instead of the SDK's own error classes. */
describe('regression: hostile or broken inputs throw our error classes', () => {
  describe('a media file that cannot be read: ValidationError naming media.file, before any I/O', () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await withGateway();
    });
    afterAll(() => fixture.gateway.stop());

    it.each([
      ['a missing path', () => '/nonexistent/wechatpay-chain/photo.jpg', /cannot read .*photo\.jpg: ENOENT/],
      ['a missing file:// URL', () => 'file:///nonexistent/wechatpay-chain/photo.jpg', /ENOENT/],
      ['a directory', () => __dirname, /EISDIR/],
      [
        'a stream that fails',
        () =>
          new Readable({
            read() {
              this.destroy(new Error('disk gone'));
            },
          }),
        /stream failed: disk gone/,
      ],
    ])('%s', async (_case, file, issue) => {
      const error = await fixture.instance.v3.merchant.media.upload
        .post({ media: { file: file() as never, filename: 'photo.jpg' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: 'media.file', issue: expect.stringMatching(issue) }]);
      expect(fixture.gateway.received).toHaveLength(0);
    });
  });

  describe('hostile APIv2 XML replies: ApiError INVALID_XML, not a stack overflow', () => {
    let server: Server;
    let instance: WechatpayInstance;
    let reply = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/xml' }).end(reply));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      instance = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
        secret: '192006250b4c09247ec02edce69f6a2d',
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each([
      ['nested 100 000 deep', `<xml>${'<a>'.repeat(100_000)}x${'</a>'.repeat(100_000)}</xml>`, /deeper than 64/],
      ['a NUL character reference', '<xml><return_code>&#0;</return_code></xml>', /not a valid XML character/],
      ['a code point past U+10FFFF', '<xml><return_code>&#x110000;</return_code></xml>', /not a valid XML/],
      ['a lone surrogate', '<xml><return_code>&#xD800;</return_code></xml>', /not a valid XML/],
    ])('%s', async (_case, xml, message) => {
      reply = xml;
      const error = await instance.v2.pay.orderquery.post({ xml: { appid: 'wx', out_trade_no: 'T' } }).catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'INVALID_XML', status: 200, verified: false });
      expect((error as ApiError).message).toMatch(message);
    });

    it('the toolkit itself throws a SyntaxError for them (it imports nothing of ours)', () => {
      expect(() => Transformer.toObject(`<xml>${'<a>'.repeat(100)}</a></xml>`)).toThrow(SyntaxError);
      expect(() => Transformer.toObject('<xml><a>&#xFFFF;</a></xml>')).toThrow(SyntaxError);
      expect(Transformer.toObject('<xml><a>&#x1F600;&#9;</a></xml>')).toEqual({ a: '😀\t' });
    });
  });

  describe('Webhook.parse with missing pieces', () => {
    const webhook = new Webhook({
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      apiv3Key: CALLBACK_APIV3_KEY,
    });

    it.each([
      ['headers: null', { headers: null, body: '{}' }, SignatureError],
      ['headers: undefined', { headers: undefined, body: '{}' }, SignatureError],
      ['headers: a string', { headers: 'x', body: '{}' }, SignatureError],
      ['no input', undefined, WebhookError],
      ['null input', null, WebhookError],
      ['body: null', { headers: {}, body: null }, WebhookError],
    ])('%s', (_case, input, kind) => {
      let thrown: unknown;
      try {
        webhook.parse(input as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(kind);
      expect(isWechatpayError(thrown)).toBe(true);
      expect(Webhook.replyFor(thrown).status).toBeLessThan(500);
    });
  });
});
