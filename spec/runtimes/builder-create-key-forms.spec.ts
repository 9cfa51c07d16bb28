import { X509Certificate, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Builder, ConfigError, type BuilderConfig, type KeyLike, type WechatpayInstance } from '../../lib';
import { startGateway, type Gateway, type Received } from '../helpers/gateway';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, strangerKeys } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';

/**
 * `await Builder.create(config, { backend: 'webcrypto' })` takes wechatpay-php's key forms as `Builder.factory`
 * does. Both builders call a loopback gateway (node:crypto alone, none of our code) that checks every Authorization
 * against the merchant public key; PKCS#1 v1.5 is deterministic, so each signature must also equal the one openssl's
 * key gives over the bytes that arrived. Replies are signed by the platform key, given in the form under test.
 * Key files are made by the openssl CLI, an implementation independent of ours.
 */
const dir = scratch();
const merchantFile = dir.path('apiclient_key.pem');
openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', merchantFile]);
const merchantPkcs1File = dir.path('pkcs1.key', openssl(['rsa', '-in', merchantFile, '-traditional']));
const merchantSpki = openssl(['rsa', '-in', merchantFile, '-pubout']).toString();
const passphrase = 'wechatpay 微信支付';
const encryptedFile = dir.path('encrypted.pkcs8.key');
openssl(
  ['pkcs8', '-topk8', '-in', merchantFile, '-v2', 'aes-256-cbc', '-passout', 'stdin', '-out', encryptedFile],
  passphrase,
);
const platformFile = dir.path('platform_key.pem');
openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', platformFile]);
const platformSpkiFile = dir.path('pub_key.pem', openssl(['rsa', '-in', platformFile, '-pubout']));
const platformPkcs1File = dir.path('pkcs1.pem', openssl(['rsa', '-in', platformFile, '-RSAPublicKey_out']));
const platformCertFile = dir.path('wechatpay.pem');
openssl(['req', '-new', '-x509', '-key', platformFile, '-out', platformCertFile, '-days', '1', '-subj', '/CN=WeChat']);

afterAll(() => dir.remove());

const text = (file: string) => readFileSync(file, 'utf8');
/** The base64 body of a PEM file, without envelope and line feeds (what wechatpay-php's fixtures hold). */
const body = (file: string) => text(file).replace(/-----[^-]+-----|\s/g, '');

const privateForms: Array<[string, () => KeyLike]> = [
  ['`file://` PKCS#8 path', () => `file://${merchantFile}`],
  ['`file://` PKCS#1 path', () => `file://${merchantPkcs1File}`],
  ['`private.pkcs8://` string', () => `private.pkcs8://${body(merchantFile)}`],
  ['`private.pkcs1://` string', () => `private.pkcs1://${body(merchantPkcs1File)}`],
  ['[`file://` encrypted PKCS#8, passphrase]', () => [`file://${encryptedFile}`, passphrase]],
  ['[encrypted PKCS#8 text, passphrase]', () => [text(encryptedFile), passphrase]],
  ['[encrypted PKCS#8 Buffer, passphrase Buffer]', () => [readFileSync(encryptedFile), Buffer.from(passphrase)]],
  ['[plain PKCS#1 text, empty passphrase]', () => [text(merchantPkcs1File), '']],
];
const publicForms: Array<[string, () => KeyLike]> = [
  ['`file://` SPKI path', () => `file://${platformSpkiFile}`],
  ['`file://` certificate path', () => `file://${platformCertFile}`],
  ['`public.spki://` string', () => `public.spki://${body(platformSpkiFile)}`],
  ['`public.pkcs1://` string', () => `public.pkcs1://${body(platformPkcs1File)}`],
  ['X509Certificate object', () => new X509Certificate(readFileSync(platformCertFile))],
];

describe("Builder.create (webcrypto) takes wechatpay-php's key forms, signing as Builder.factory does", () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      mchid: MCHID,
      merchantSerial: MERCHANT_SERIAL,
      merchantPublicKey: merchantSpki,
      platformSerial: PLATFORM_SERIAL,
      platformPrivateKey: text(platformFile),
      strangerPrivateKey: strangerKeys().privateKey,
      route: (request) => ({ body: { echoed: JSON.parse(request.body.toString() || '{}') } }),
    });
  });
  afterAll(() => gateway.stop());

  const config = (privateKey: KeyLike, publicKey: KeyLike): BuilderConfig => ({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey,
    certs: { [PLATFORM_SERIAL]: publicKey },
    baseURL: gateway.url,
  });
  const reference = createPrivateKey(text(merchantFile));
  /** What openssl's key signs over the request that arrived: the one right signature (PKCS#1 v1.5). */
  const expectedSignature = ({ method, url, body: sent, authorization }: Received) =>
    sign(
      'sha256',
      Buffer.concat([
        Buffer.from(`${method}\n${url}\n${authorization!.timestamp}\n${authorization!.nonce_str}\n`),
        sent,
        Buffer.from('\n'),
      ]),
      reference,
    ).toString('base64');

  /** One call through each builder; both replies verified, both Authorizations the reference signature. */
  async function bothBuilders(privateKey: () => KeyLike, publicKey: () => KeyLike) {
    const made: Array<[string, WechatpayInstance]> = [
      ['factory', Builder.factory(config(privateKey(), publicKey()))],
      ['create', await Builder.create(config(privateKey(), publicKey()), { backend: 'webcrypto' })],
    ];
    for (const [builder, instance] of made) {
      const before = gateway.received.length;
      const { data } = await instance['v3/docs/key-forms'].post({ json: { builder } });
      expect(data).toEqual({ echoed: { builder } }); // the reply verified under the public key's form
      const request = gateway.received[before]!;
      expect({ builder, authorized: request.authorized }).toEqual({ builder, authorized: true });
      expect(request.authorization!.signature).toBe(expectedSignature(request));
    }
  }

  it.each(privateForms)('privateKey as %s', async (_form, make) => {
    await bothBuilders(make, () => text(platformSpkiFile));
  });
  it.each(publicForms)('certs entry as %s', async (_form, make) => {
    await bothBuilders(() => text(merchantFile), make);
  });

  /** The ConfigError issues of both builders for the same config. */
  async function issuesOfBoth(bad: BuilderConfig) {
    const issuesOf = (error: unknown) => {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues;
    };
    let fromFactory: unknown;
    try {
      Builder.factory(bad);
    } catch (error) {
      fromFactory = error;
    }
    const fromCreate = await Builder.create(bad, { backend: 'webcrypto' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    return { factory: issuesOf(fromFactory), create: issuesOf(fromCreate) };
  }

  it.each<[string, () => KeyLike, () => KeyLike, string, RegExp]>([
    [
      'a public scheme as the private key',
      () => `public.spki://${body(platformSpkiFile)}`,
      () => text(platformSpkiFile),
      'privateKey',
      /public\.spki:\/\/ \(public\) key/,
    ],
    [
      'a private scheme in certs',
      () => text(merchantFile),
      () => `private.pkcs8://${body(merchantFile)}`,
      `certs.${PLATFORM_SERIAL}`,
      /expected a public key/,
    ],
    [
      'a private key under a public scheme',
      () => text(merchantFile),
      () => `public.spki://${body(merchantFile)}`,
      `certs.${PLATFORM_SERIAL}`,
      /holds a private key/,
    ],
    [
      'a scheme body that is not base64',
      () => 'private.pkcs8://not base64!',
      () => text(platformSpkiFile),
      'privateKey',
      /base64 of the DER key/,
    ],
    [
      'a scheme body that is not the DER it names',
      () => `private.pkcs8://${Buffer.from('not a key').toString('base64')}`,
      () => text(platformSpkiFile),
      'privateKey',
      /does not hold a PKCS8 DER private key/,
    ],
    [
      'an unknown scheme',
      () => 'private.pem://MIIE',
      () => text(platformSpkiFile),
      'privateKey',
      /unknown key scheme private\.pem:\/\//,
    ],
    [
      'a wrong passphrase',
      () => [`file://${encryptedFile}`, 'wrong'],
      () => text(platformSpkiFile),
      'privateKey',
      /passphrase is wrong/,
    ],
    [
      'a certificate object as the private key',
      () => new X509Certificate(readFileSync(platformCertFile)),
      () => text(platformSpkiFile),
      'privateKey',
      /got an X509Certificate/,
    ],
    [
      'a pair in certs',
      () => text(merchantFile),
      () => [text(platformSpkiFile), ''],
      `certs.${PLATFORM_SERIAL}`,
      /public keys take no passphrase/,
    ],
    [
      'a missing key file',
      () => `file://${dir.path('absent.pem')}`,
      () => text(platformSpkiFile),
      'privateKey',
      /cannot read key file .*ENOENT/,
    ],
  ])(
    '%s: the same ConfigError from both, naming the field, without key material',
    async (_case, privateKey, publicKey, field, issue) => {
      const { factory, create } = await issuesOfBoth(config(privateKey(), publicKey()));
      expect(create).toEqual(factory);
      expect(create).toEqual([{ path: field, issue: expect.stringMatching(issue) }]);
      const said = JSON.stringify(create);
      for (const secret of [body(merchantFile).slice(0, 40), passphrase]) expect(said).not.toContain(secret);
    },
  );
});

describe('Builder.create (webcrypto) where the runtime has no file system', () => {
  it('refuses a file:// key with a ConfigError naming the field, and still takes PEM text', async () => {
    await jest.isolateModulesAsync(async () => {
      // a runtime without a file system (Cloudflare Workers, browsers) gives no readFile (or no module at all:
      // both are caught); the rest of the package, which touches node:fs only when a file is given, still loads
      jest.doMock('node:fs/promises', () => ({}));
      const lib = (await import('../../lib')) as typeof import('../../lib');
      const bad = {
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: `file://${merchantFile}`,
        certs: { [PLATFORM_SERIAL]: text(platformSpkiFile) },
      };
      const error = await lib.Builder.create(bad, { backend: 'webcrypto' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(lib.ConfigError);
      expect((error as ConfigError).issues).toEqual([
        { path: 'privateKey', issue: expect.stringMatching(/file:\/\/ key needs a file system \(node:fs\)/) },
      ]);
      await expect(
        lib.Builder.create({ ...bad, privateKey: text(merchantFile) }, { backend: 'webcrypto' }),
      ).resolves.toBeDefined();
    });
  });
});
