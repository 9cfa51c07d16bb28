import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, Builder } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * A media upload signs its `meta` JSON, not the multipart bytes it sends. When WeChat Pay answers 401 SIGN_ERROR with
 * the message it verified, `ApiError.signDiff` must compare that message with the meta JSON the signer signed (the
 * per-call context the signer hands on), not with the multipart body.
 */
function metaOf(req: IncomingMessage, raw: Buffer): string {
  const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')![1]!;
  const part = raw
    .toString('latin1')
    .split(`--${boundary}`)
    .find((text) => text.includes('name="meta"'))!;
  return Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4, -2), 'latin1').toString('utf8');
}

describe('a media upload answered SIGN_ERROR', () => {
  // answers every upload 401 SIGN_ERROR with the very message it signed over the meta part, as WeChat Pay echoes it
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const meta = metaOf(req, Buffer.concat(chunks));
      const fields = Object.fromEntries(
        [...req.headers.authorization!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!]),
      );
      const message = `${req.method}\n${req.url}\n${fields.timestamp}\n${fields.nonce_str}\n${meta}\n`;
      const body = JSON.stringify({
        code: 'SIGN_ERROR',
        message: '错误的签名,验签失败',
        detail: {
          field: 'signature',
          location: 'authorization',
          sign_information: {
            method: req.method,
            url: req.url,
            sign_message_length: Buffer.byteLength(message),
            truncated_sign_message: message,
          },
        },
      });
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('compares the meta JSON it signed, so the same message names the signature, not the body', async () => {
    const instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      baseURL: base,
    });
    const error = await instance.v3.merchant.media.upload
      .post({ media: { file: Buffer.from('not really a png'), filename: 'a.png' } })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(ApiError.isApiError(error)).toBe(true);
    const { signDiff } = error as ApiError;
    expect(signDiff?.parts).toEqual(['signature']);
    expect(signDiff?.signed).toEqual(signDiff?.verified);
    expect(signDiff?.signed).toMatchObject({ method: 'POST', url: '/v3/merchant/media/upload' });
  });
});
