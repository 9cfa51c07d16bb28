import { createCipheriv, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, ConfigError, downloadCertificates } from '../../lib';
import { selfSignedCertificate } from '../../lib/sandbox/x509';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, rsaPair } from '../helpers/keys';

const SERVER_KEY = '0123456789abcdef0123456789abcdef';
const CLIENT_KEY = 'fedcba9876543210fedcba9876543210';

/**
 * Broke: a merchant whose configured APIv3 key was not its real one got "certificates download cannot vouch for
 * itself: Unsupported state or unable to authenticate data". It must say the APIv3 key is wrong, naming the field.
 */
describe('regression: a wrong APIv3 key during certificate download says so', () => {
  it.each([
    ['configured WeChat Pay key (download verified first)', true],
    ['first bootstrap (no key yet)', false],
  ])('%s', async (_case, withCerts) => {
    const pair = rsaPair();
    const certificate = selfSignedCertificate(
      createPrivateKey(pair.privateKey),
      'Tenpay.com',
      new Date(Date.now() - 86_400_000),
      365,
    );
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        const iv = randomBytes(6).toString('hex');
        const cipher = createCipheriv('aes-256-gcm', Buffer.from(SERVER_KEY), Buffer.from(iv));
        cipher.setAAD(Buffer.from('certificate'));
        const ciphertext = Buffer.concat([cipher.update(certificate.pem), cipher.final(), cipher.getAuthTag()]);
        const body = JSON.stringify({
          data: [
            {
              serial_no: certificate.serial,
              effective_time: '2026-01-01T00:00:00+08:00',
              expire_time: '2031-01-01T00:00:00+08:00',
              encrypt_certificate: {
                algorithm: 'AEAD_AES_256_GCM',
                nonce: iv,
                associated_data: 'certificate',
                ciphertext: ciphertext.toString('base64'),
              },
            },
          ],
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const nonce = randomBytes(16).toString('hex');
        // signed by the configured public key when there is one, else by the certificate it carries
        const [serial, key] = withCerts
          ? [PLATFORM_SERIAL, platformKeys().privateKey]
          : [certificate.serial, pair.privateKey];
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Wechatpay-Timestamp': String(timestamp),
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': serial,
          'Wechatpay-Signature': sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), key).toString(
            'base64',
          ),
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const instance = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        apiv3Key: CLIENT_KEY,
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        ...(withCerts ? { certs: { [PLATFORM_SERIAL]: platformKeys().publicKey } } : {}),
      });
      const error = await downloadCertificates(instance).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        { path: 'apiv3Key', issue: expect.stringMatching(/APIv3 key is wrong/) },
      ]);
      expect(JSON.stringify(error) + (error as Error).message).not.toContain(CLIENT_KEY);
      expect(requests).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
