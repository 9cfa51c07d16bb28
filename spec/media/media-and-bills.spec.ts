import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { BillDigestError, Builder, downloadBill, type WechatpayInstance } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import { scratch } from '../helpers/openssl';

interface Upload {
  authorized: boolean;
  meta: { filename: string; sha256: string };
  file: Buffer;
  fileType?: string;
}

/** Checks Authorization over the `meta` part, as WeChat Pay does for media, with node:crypto alone. */
function checkUpload(req: IncomingMessage, raw: Buffer): Upload {
  const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')![1]!;
  const parts = raw.toString('latin1').split(`--${boundary}`).slice(1, -1);
  const partOf = (name: string) => parts.find((part) => part.includes(`name="${name}"`))!;
  const bodyOf = (part: string) => Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4, -2), 'latin1');
  const meta = bodyOf(partOf('meta')).toString('utf8');
  const fields = Object.fromEntries(
    [...req.headers.authorization!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!]),
  );
  const message = `${req.method}\n${req.url}\n${fields.timestamp}\n${fields.nonce_str}\n${meta}\n`;
  const authorized = verify(
    'sha256',
    Buffer.from(message),
    createPublicKey(merchantKeys().publicKey),
    Buffer.from(fields.signature!, 'base64'),
  );
  return {
    authorized,
    meta: JSON.parse(meta),
    file: bodyOf(partOf('file')),
    fileType: /Content-Type: (.+)\r\n/.exec(partOf('file'))?.[1],
  };
}

describe('media upload and bill download', () => {
  const uploads: Upload[] = [];
  const bills = new Map<string, Buffer>();
  const downloads: Array<{ url: string; authorization?: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url!.startsWith('/v3/billdownload/file')) {
        downloads.push({ url: req.url!, authorization: req.headers.authorization });
        const bill = bills.get(new URL(req.url!, 'http://x').searchParams.get('token')!);
        if (!bill)
          return void res
            .writeHead(404, { 'Content-Type': 'application/json' })
            .end('{"code":"NOT_FOUND","message":"账单不存在"}');
        return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bill);
      }
      const upload = checkUpload(req, Buffer.concat(chunks));
      uploads.push(upload);
      const body = JSON.stringify({ media_id: `M-${upload.meta.sha256.slice(0, 8)}` });
      const timestamp = Math.floor(Date.now() / 1000);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Wechatpay-Timestamp': String(timestamp),
        'Wechatpay-Nonce': 'n',
        'Wechatpay-Serial': PLATFORM_SERIAL,
        'Wechatpay-Signature': sign(
          'sha256',
          Buffer.from(`${timestamp}\nn\n${body}\n`),
          platformKeys().privateKey,
        ).toString('base64'),
      });
      res.end(body);
    });
  });
  const dir = scratch();
  let base = '';
  let instance: WechatpayInstance;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      baseURL: base,
    });
  });
  afterAll(() => {
    dir.remove();
    return new Promise((resolve) => server.close(resolve));
  });

  const image = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  const sha256 = createHash('sha256').update(image).digest('hex');

  it.each<[string, () => { file: Buffer | string | Readable; filename?: string }]>([
    ['a Buffer', () => ({ file: image, filename: 'pixel.png' })],
    ['a file:// path', () => ({ file: `file://${dir.path('pixel.png', image)}` })],
    ['a stream', () => ({ file: Readable.from([image.subarray(0, 10), image.subarray(10)]), filename: 'pixel.png' })],
  ])('uploads %s as meta + file, signed over the meta JSON', async (_form, media) => {
    const response = await instance.v3.merchant.media.upload.post({ media: media() });
    const upload = uploads.at(-1)!;
    expect(upload.authorized).toBe(true);
    expect(upload.meta).toEqual({ filename: 'pixel.png', sha256 });
    expect(upload.file.equals(image)).toBe(true);
    expect(upload.fileType).toBe('image/png');
    expect(response.data).toEqual({ media_id: `M-${sha256.slice(0, 8)}` });
  });

  it('a stream needs a filename', async () => {
    await expect(
      instance.v3.merchant.media.upload.post({ media: { file: Readable.from([image]) } }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'media.filename' }],
    });
  });

  const plain = Buffer.from(
    '交易时间,公众账号ID,商户号\n`2026-11-20 16:33:45,`wx2421b1c4370ec43b,`1900000001\n'.repeat(2000),
  );
  const sha1 = createHash('sha1').update(plain).digest('hex');

  it('downloads a bill to disk with a signed request, checking its SHA-1', async () => {
    bills.set('plain', plain);
    const to = dir.path('bill.csv');
    const result = await downloadBill(
      instance,
      { download_url: `${base}v3/billdownload/file?token=plain`, hash_type: 'SHA1', hash_value: sha1 },
      { to },
    );
    expect(result).toEqual({ bytes: plain.length, sha1 });
    expect(readFileSync(to).equals(plain)).toBe(true);
    expect(downloads.at(-1)!.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000001"/);
  });

  it('gunzips a GZIP bill on the way, and checks the digest of the plain file', async () => {
    bills.set('gz', gzipSync(plain));
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    await downloadBill(
      instance,
      { download_url: `${base}v3/billdownload/file?token=gz`, hash_type: 'SHA1', hash_value: sha1.toUpperCase() },
      { to: sink, gzip: true },
    );
    expect(Buffer.concat(chunks).equals(plain)).toBe(true);
  });

  it('removes the file and rejects when the digest does not match', async () => {
    bills.set('altered', Buffer.concat([plain, Buffer.from('x')]));
    const to = dir.path('altered.csv');
    await expect(
      downloadBill(
        instance,
        { download_url: `${base}v3/billdownload/file?token=altered`, hash_type: 'SHA1', hash_value: sha1 },
        { to },
      ),
    ).rejects.toBeInstanceOf(BillDigestError);
    expect(existsSync(to)).toBe(false);
  });

  it('an expired token is an ApiError', async () => {
    await expect(
      downloadBill(
        instance,
        { download_url: `${base}v3/billdownload/file?token=gone`, hash_type: 'SHA1', hash_value: sha1 },
        { to: dir.path('x.csv') },
      ),
    ).rejects.toMatchObject({ name: 'ApiError', status: 404, code: 'NOT_FOUND' });
  });
});
