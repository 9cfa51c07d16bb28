import { createCipheriv, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, PlatformKeys, SignatureError, downloadCertificates } from '../../lib';
import { coreOf } from '../../lib/builder';
import { selfSignedCertificate } from '../../lib/sandbox/x509';
import { MCHID, MERCHANT_SERIAL, merchantKeys, rsaPair } from '../helpers/keys';

const APIV3_KEY = '0123456789abcdef0123456789abcdef';

interface Platform {
  serial: string;
  pem: string;
  privateKey: string;
}

function mint(): Platform {
  const pair = rsaPair();
  const certificate = selfSignedCertificate(
    createPrivateKey(pair.privateKey),
    'Tenpay.com',
    new Date(Date.now() - 86_400_000),
    365,
  );
  return { serial: certificate.serial, pem: certificate.pem, privateKey: pair.privateKey };
}

/** A gateway that serves /v3/certificates and signs with whichever certificate is current; it can rotate mid-run. */
class RotatingGateway {
  readonly paths: string[] = [];
  listed: Platform[];
  signer: Platform;
  /** Signs the certificates list when set (rotation: a certificate the client already trusts vouches for the new). */
  downloadSigner: Platform | undefined;
  /** Sign replies with a certificate that no download will ever list. */
  forge = false;
  readonly forged = mint();
  apiv3Key = APIV3_KEY;
  server: Server;
  url = '';

  constructor(first: Platform) {
    this.listed = [first];
    this.signer = first;
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.paths.push(req.url!);
        const body =
          req.url === '/v3/certificates'
            ? JSON.stringify({ data: this.listed.map((p) => this.entry(p)) })
            : JSON.stringify({ ok: true });
        const timestamp = Math.floor(Date.now() / 1000);
        const nonce = randomBytes(16).toString('hex');
        const download = req.url === '/v3/certificates' ? this.downloadSigner : undefined;
        const signer = this.forge ? this.forged : (download ?? this.signer);
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Wechatpay-Timestamp': String(timestamp),
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': signer.serial,
          'Wechatpay-Signature': sign(
            'sha256',
            Buffer.from(`${timestamp}\n${nonce}\n${body}\n`),
            signer.privateKey,
          ).toString('base64'),
        });
        res.end(body);
      });
    });
  }

  private entry(platform: Platform) {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(this.apiv3Key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('certificate'));
    const ciphertext = Buffer.concat([cipher.update(platform.pem), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
    return {
      serial_no: platform.serial,
      effective_time: '2026-01-01T00:00:00+08:00',
      expire_time: '2031-01-01T00:00:00+08:00',
      encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext },
    };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.server.unref();
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const client = (gateway: RotatingGateway, extra: Record<string, unknown> = {}) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    apiv3Key: APIV3_KEY,
    baseURL: gateway.url,
    ...extra,
  });

describe('platform certificates', () => {
  it('with apiv3Key and no certs, downloads and verifies the certificates before trusting a reply', async () => {
    const gateway = await new RotatingGateway(mint()).start();
    const instance = client(gateway);
    await expect(instance.v3.some.thing.get()).resolves.toMatchObject({ data: { ok: true } });
    expect(gateway.paths).toEqual(['/v3/some/thing', '/v3/certificates']);
    await instance.v3.some.thing.get();
    expect(gateway.paths.filter((path) => path === '/v3/certificates')).toHaveLength(1);
    await gateway.stop();
  });

  it('learns a rotated certificate mid-run with one download, and keeps both', async () => {
    const first = mint();
    const gateway = await new RotatingGateway(first).start();
    const instance = client(gateway);
    await instance.v3.before.get();
    const second = mint();
    gateway.listed = [first, second];
    gateway.signer = second;
    // once a key is trusted, a certificates list must be signed by one: WeChat Pay's still-valid old certificate
    gateway.downloadSigner = first;
    await expect(instance.v3.after.get()).resolves.toMatchObject({ status: 200 });
    expect(gateway.paths.filter((path) => path === '/v3/certificates')).toHaveLength(2);
    const kept = await downloadCertificates(instance);
    expect(kept.map((certificate) => certificate.serial).sort()).toEqual([first.serial, second.serial].sort());
    expect(kept.find((certificate) => certificate.serial === second.serial)!.pem).toBe(second.pem);
    await gateway.stop();
  });

  it('a serial no download lists stays unknown, and cannot make the client download again and again', async () => {
    const gateway = await new RotatingGateway(mint()).start();
    const instance = client(gateway);
    await instance.v3.warm.get();
    gateway.forge = true;
    await expect(instance.v3.forged.get()).rejects.toMatchObject({ name: 'SignatureError', reason: 'UNKNOWN_SERIAL' });
    await expect(instance.v3.forged.get()).rejects.toBeInstanceOf(SignatureError);
    await expect(instance.v3.forged.get()).rejects.toBeInstanceOf(SignatureError);
    // one download at start, one to chase the unknown serial, none more for the same serial
    expect(gateway.paths.filter((path) => path === '/v3/certificates')).toHaveLength(2);
    await gateway.stop();
  });

  it('a download that does not decrypt with the APIv3 key cannot vouch for itself', async () => {
    const gateway = await new RotatingGateway(mint()).start();
    gateway.apiv3Key = 'f'.repeat(32);
    await expect(client(gateway).v3.x.get()).rejects.toMatchObject({
      name: 'SignatureError',
      reason: 'UNKNOWN_SERIAL',
    });
    await gateway.stop();
  });

  it('never replaces a configured key with a downloaded one', () => {
    const configured = rsaPair();
    const keys = new PlatformKeys({ '5157F09EFDC096DE15EBE81A47057A7232F1B8E1': configured.publicKey });
    const before = keys.get('5157F09EFDC096DE15EBE81A47057A7232F1B8E1');
    expect(keys.learn('5157F09EFDC096DE15EBE81A47057A7232F1B8E1', createPublicKey(rsaPair().publicKey))).toBe(false);
    expect(keys.get('5157F09EFDC096DE15EBE81A47057A7232F1B8E1')).toBe(before);
    expect(keys.learn('1E7123B7AF90AADE2DB3F987BE1FAFC801DE5FB6', createPublicKey(rsaPair().publicKey))).toBe(true);
  });

  it('keeps preferring a configured public key for encryption after downloading certificates', async () => {
    const platform = mint();
    const gateway = await new RotatingGateway(platform).start();
    const instance = client(gateway, {
      // the download must verify with a configured key: the platform certificate is configured next to the public key
      certs: { PUB_KEY_ID_0114232134912410000000000000: rsaPair().publicKey, [platform.serial]: platform.pem },
    });
    await downloadCertificates(instance);
    const { client: core } = coreOf(instance);
    expect(
      (core as unknown as { options: { platformKeys: PlatformKeys } }).options.platformKeys.preferred()!.serial,
    ).toBe('PUB_KEY_ID_0114232134912410000000000000');
    await gateway.stop();
  });

  it('with encrypt: true and no key yet, downloads certificates before encrypting', async () => {
    const platform = mint();
    const gateway = await new RotatingGateway(platform).start();
    const instance = client(gateway, { encrypt: true, validation: false });
    await instance.v3.aggracctBc.wbChannel.account.balance.get({ query: { mchid: '1900016681', bal_account_no: 'L' } });
    expect(gateway.paths[0]).toBe('/v3/certificates');
    const query = new URL(gateway.paths[1]!, 'http://x').searchParams;
    const { privateDecrypt, constants } = await import('node:crypto');
    const plain = privateDecrypt(
      { key: platform.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(query.get('bal_account_no')!, 'base64'),
    );
    expect(plain.toString()).toBe('L');
    await gateway.stop();
  });

  it('refreshes on a schedule', async () => {
    const gateway = await new RotatingGateway(mint()).start();
    const instance = client(gateway, { certificateRefreshMs: 1000 });
    await instance.v3.x.get();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(gateway.paths.filter((path) => path === '/v3/certificates')).toHaveLength(2);
    await gateway.stop();
  });

  it('downloadCertificates without apiv3Key is a ConfigError', async () => {
    const instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { PUB_KEY_ID_1: createPublicKey(merchantKeys().privateKey) },
    });
    await expect(downloadCertificates(instance)).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
