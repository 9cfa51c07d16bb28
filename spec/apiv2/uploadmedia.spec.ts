import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Builder, type WechatpayInstance } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import { flatXml, v2sign } from '../helpers/apiv2';
import { openssl, scratch } from '../helpers/openssl';

/**
 * APIv2 `secapi/mch/uploadmedia` (micro-merchant onboarding): multipart `media` + `mch_id` + `media_hash` + `sign`
 * over mutual TLS, as wechatpay-php's tests/OpenAPI/V2/Secapi/Mch/UploadmediaTest.php sends it. The server parses
 * the multipart body with the platform's own FormData parser and checks the sign with node:crypto alone.
 */
const SECRET = '192006250b4c09247ec02edce69f6a2d';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 7), Buffer.from('\r\n--x\r\n')]);

const md5Sign = (fields: Record<string, string>) => v2sign(fields, 'MD5', SECRET);
const xmlOf = flatXml;

interface Upload {
  peer: string;
  contentType: string;
  fields: Record<string, string>;
  file?: { name: string; bytes: Buffer };
}

describe('APIv2 media upload (v2/secapi/mch/uploadmedia) over mutual TLS', () => {
  const dir = scratch();
  const uploads: Upload[] = [];
  let tamperReply = false;
  let server: ReturnType<typeof createServer>;
  let instance: WechatpayInstance;

  function issue(name: string, subject: string, san?: string) {
    const key = dir.path(`${name}.key`);
    const csr = dir.path(`${name}.csr`);
    const cert = dir.path(`${name}.pem`);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
    const ext = dir.path(`${name}.ext`, san ? `subjectAltName=${san}\n` : 'basicConstraints=CA:FALSE\n');
    const ca = ['-CA', dir.path('ca.pem'), '-CAkey', dir.path('ca.key'), '-CAcreateserial'];
    openssl(['x509', '-req', '-in', csr, ...ca, '-out', cert, '-days', '1', '-extfile', ext]);
    return { key, cert };
  }

  beforeAll(async () => {
    const caKey = dir.path('ca.key');
    const caPem = dir.path('ca.pem');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      caPem,
      '-days',
      '1',
      '-subj',
      '/CN=CA',
    ]);
    const serverCert = issue('server', '/CN=127.0.0.1', 'IP:127.0.0.1');
    const clientCert = issue('client', `/CN=${MCHID}`);
    server = createServer(
      {
        key: readFileSync(serverCert.key),
        cert: readFileSync(serverCert.cert),
        ca: readFileSync(caPem),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', async () => {
          const contentType = String(req.headers['content-type']);
          const form = await new Request('http://x/', {
            method: 'POST',
            headers: { 'content-type': contentType },
            body: Buffer.concat(chunks),
          }).formData();
          const upload: Upload = {
            peer: String((req.socket as TLSSocket).getPeerCertificate().subject?.CN),
            contentType,
            fields: {},
          };
          for (const [name, value] of form.entries()) {
            if (typeof value === 'string') upload.fields[name] = value;
            else upload.file = { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
          }
          uploads.push(upload);
          const reply: Record<string, string> = {
            return_code: 'SUCCESS',
            return_msg: 'OK',
            result_code: 'SUCCESS',
            media_id: 'MEDIA_ID_1',
          };
          reply.sign = md5Sign(reply);
          if (tamperReply) reply.media_id = 'MEDIA_ID_2';
          res.writeHead(200, { 'Content-Type': 'text/xml' }).end(xmlOf(reply));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      secret: SECRET,
      merchant: { cert: `file://${clientCert.cert}`, key: `file://${clientCert.key}`, ca: `file://${caPem}` },
      baseURL: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  it('sends media, mch_id, media_hash and an MD5 sign over those fields, with the merchant certificate', async () => {
    const response = await instance.v2.secapi.mch.uploadmedia.post({
      media: { file: PNG, filename: 'logo.png' },
      security: true,
    });
    expect(response.data).toMatchObject({ return_code: 'SUCCESS', result_code: 'SUCCESS', media_id: 'MEDIA_ID_1' });
    const upload = uploads.at(-1)!;
    expect(upload.peer).toBe(MCHID);
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.file).toEqual({ name: 'logo.png', bytes: PNG });
    const mediaHash = createHash('md5').update(PNG).digest('hex');
    expect(upload.fields).toEqual({ mch_id: MCHID, media_hash: mediaHash, sign: md5Sign(upload.fields) });
    expect(upload.fields.sign).toBe(md5Sign({ mch_id: MCHID, media_hash: mediaHash }));
  });

  it('signs extra fields given in xml (sign_type HMAC-SHA256) and never adds nonce_str', async () => {
    await instance.chain('v2/secapi/mch/uploadmedia').post({
      media: { file: PNG, filename: 'logo.png' },
      xml: { sign_type: 'HMAC-SHA256' },
      security: true,
    } as never);
    const { fields } = uploads.at(-1)!;
    expect(Object.keys(fields).sort()).toEqual(['mch_id', 'media_hash', 'sign', 'sign_type']);
    expect(fields.sign).toMatch(/^[0-9A-F]{64}$/);
  });

  it('refuses a media_hash that is not the file, a GET upload, and an unsigned-looking reply', async () => {
    await expect(
      instance.v2.secapi.mch.uploadmedia.post({
        media: { file: PNG, filename: 'logo.png' },
        xml: { media_hash: '0'.repeat(32) },
        security: true,
      } as never),
    ).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'xml.media_hash' }] });
    await expect(
      (instance.v2.secapi.mch.uploadmedia as unknown as { get(options: unknown): Promise<unknown> }).get({
        media: { file: PNG, filename: 'logo.png' },
        security: true,
      }),
    ).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'media' }] });
    const before = uploads.length;
    tamperReply = true;
    try {
      await expect(
        instance.v2.secapi.mch.uploadmedia.post({ media: { file: PNG, filename: 'logo.png' }, security: true }),
      ).rejects.toMatchObject({ name: 'SignatureError', reason: 'SIGNATURE_MISMATCH' });
    } finally {
      tamperReply = false;
    }
    expect(uploads.length).toBe(before + 1);
  });
});
