import { randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, Builder, ConfigError, SignatureError, TransportError, type WechatpayInstance } from '../../lib';
import { APIV3_KEY, certificateEntry, mintPlatform } from '../helpers/certificate-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

type Download = 'resource-not-exists' | 'other-apiv3-key' | 'connection-reset' | 'certificates-only';

/**
 * A loopback WeChat Pay whose business replies are signed by a key the client was not given, and whose
 * `GET /v3/certificates` fails the way `download` says (node:crypto only, none of the SDK's code).
 */
async function start(download: Download): Promise<{ url: string; paths: string[]; stop(): Promise<void> }> {
  const platform = mintPlatform();
  // a public-key merchant's replies are signed by its PUB_KEY_ID; a certificate merchant's by the certificate
  const publicKeySigner = { serial: PLATFORM_SERIAL, privateKey: platformKeys().privateKey };
  const certificateSigner = { serial: platform.serial, privateKey: platform.privateKey };
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url!);
    req.resume();
    req.on('end', () => {
      let status = 200;
      let body = JSON.stringify({ trade_state: 'SUCCESS' });
      if (req.url!.startsWith('/v3/certificates')) {
        if (download === 'connection-reset') return void req.socket.destroy();
        if (download === 'resource-not-exists') {
          status = 404;
          body = JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书' });
        } else {
          const apiv3Key = download === 'certificates-only' ? APIV3_KEY : 'fedcba9876543210fedcba9876543210';
          body = JSON.stringify({ data: [certificateEntry({ platform }, apiv3Key)] });
        }
      }
      // a public-key merchant signs with its PUB_KEY_ID; so do business replies of one whose download only has certificates
      const signer =
        download === 'resource-not-exists' ||
        (download === 'certificates-only' && !req.url!.startsWith('/v3/certificates'))
          ? publicKeySigner
          : certificateSigner;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), signer.privateKey);
      res
        .writeHead(status, {
          'Content-Type': 'application/json',
          'Request-ID': 'req-1',
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': signer.serial,
          'Wechatpay-Signature': signature.toString('base64'),
        })
        .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    paths,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A merchant that configured only its APIv3 key (no WeChat Pay public key or certificate in `certs`). */
function onlyApiv3Key(baseURL: string): WechatpayInstance {
  return Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    apiv3Key: APIV3_KEY,
    baseURL,
    retry: false,
  });
}

async function queryFails(download: Download): Promise<{ error: SignatureError; paths: string[] }> {
  const server = await start(download);
  try {
    const error = await onlyApiv3Key(server.url)
      .chain('v3/pay/transactions/id/{transaction_id}')
      .get({ transaction_id: '4200000000000000', query: { mchid: MCHID } })
      .catch((caught: unknown) => caught);
    expect(SignatureError.isSignatureError(error)).toBe(true);
    return { error: error as SignatureError, paths: server.paths };
  } finally {
    await server.stop();
  }
}

/**
 * Broke: with only `apiv3Key` configured, a call whose reply names an unknown serial after a failed certificate
 * download said only "UNKNOWN_SERIAL ... is not among the configured certs": why the download failed was dropped.
 */
describe('regression: an unknown serial after a failed certificate download says why the download failed', () => {
  it('a public-key merchant (404 RESOURCE_NOT_EXISTS): configure the WeChat Pay public key', async () => {
    const { error, paths } = await queryFails('resource-not-exists');
    expect(error.reason).toBe('UNKNOWN_SERIAL');
    expect(error.serial).toBe(PLATFORM_SERIAL);
    expect(error.message).toMatch(/download failed: HTTP 404 RESOURCE_NOT_EXISTS/);
    expect(error.message).toMatch(
      /configure the WeChat Pay public key .*certs.*PUB_KEY_ID_0114232134912410000000000000/,
    );
    // the download's own failure is kept: a 404 signed by a key we do not have yet
    expect(SignatureError.isSignatureError(error.cause) || ApiError.isApiError(error.cause)).toBe(true);
    expect((error.cause as { status?: number }).status).toBe(404);
    expect(paths.filter((path) => path.startsWith('/v3/certificates'))).toHaveLength(1);
  });

  it('a wrong APIv3 key: says so, naming apiv3Key, and shows no key', async () => {
    const { error } = await queryFails('other-apiv3-key');
    expect(error.reason).toBe('UNKNOWN_SERIAL');
    expect(error.message).toMatch(/APIv3 key is wrong/);
    expect(error.cause).toBeInstanceOf(ConfigError);
    expect((error.cause as ConfigError).issues[0]!.path).toBe('apiv3Key');
    expect(error.message + JSON.stringify(error)).not.toContain(APIV3_KEY);
  });

  it('a network failure: says the download did not reach WeChat Pay', async () => {
    const { error } = await queryFails('connection-reset');
    expect(error.reason).toBe('UNKNOWN_SERIAL');
    expect(error.message).toMatch(/certificate download failed: network/);
    expect(TransportError.isTransportError(error.cause)).toBe(true);
  });

  it('a download that succeeded but does not hold the PUB_KEY_ID a reply names: configure that public key', async () => {
    const { error } = await queryFails('certificates-only');
    expect(error.serial).toBe(PLATFORM_SERIAL);
    expect(error.message).toMatch(/PUB_KEY_ID_0114232134912410000000000000 is a WeChat Pay public key id: configure/);
    expect(error.cause).toBeUndefined();
  });
});
