import { KeyObject, X509Certificate, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Builder, ConfigError, Rsa } from '../../lib';
import { KeyLoadError } from '../../lib/crypto/keys';
import { openssl, scratch } from '../helpers/openssl';

/**
 * Ported from wechatpay-php tests/Crypto/RsaTest.php (keyPhrasesDataProvider, keysProvider, testPkcs1ToSpki):
 * every form its `Rsa::from` takes must give the same key here. The key files are made by the openssl CLI,
 * an implementation independent of ours.
 */
describe("Rsa.from speaks wechatpay-php's key forms", () => {
  const dir = scratch();
  const pkcs8File = dir.path('pkcs8.key');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pkcs8File]);
  const pkcs1File = dir.path('pkcs1.key', openssl(['rsa', '-in', pkcs8File, '-traditional']));
  const spkiFile = dir.path('spki.pem', openssl(['rsa', '-in', pkcs8File, '-pubout']));
  const pkcs1PubFile = dir.path('pkcs1.pem', openssl(['rsa', '-in', pkcs8File, '-RSAPublicKey_out']));
  const certFile = dir.path('sha256.crt');
  openssl(['req', '-new', '-x509', '-key', pkcs8File, '-out', certFile, '-days', '1', '-subj', '/CN=WeChat Pay Test']);
  const passphrase = 'wechatpay 微信支付';
  const encryptedFile = dir.path('encrypted.pkcs8.key');
  openssl(
    ['pkcs8', '-topk8', '-in', pkcs8File, '-v2', 'aes-256-cbc', '-passout', 'stdin', '-out', encryptedFile],
    passphrase,
  );
  afterAll(() => dir.remove());

  const text = (file: string) => readFileSync(file, 'utf8');
  /** The base64 body of a PEM file, without envelope and line feeds (what PHP's fixtures hold). */
  const body = (file: string) => text(file).replace(/-----[^-]+-----|\s/g, '');
  const fingerprint = (key: KeyObject) =>
    (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }).toString('base64');
  const expected = () => body(spkiFile);

  const privateForms: Array<[string, () => unknown]> = [
    ['`private.pkcs1://` string', () => `private.pkcs1://${body(pkcs1File)}`],
    ['`private.pkcs8://` string', () => `private.pkcs8://${body(pkcs8File)}`],
    ['`private.pkcs8://` with the PEM line feeds kept', () => `private.pkcs8://${text(pkcs8File).split('-----')[2]}`],
    ['`file://` PKCS#1 path', () => `file://${pkcs1File}`],
    ['PKCS#1 contents', () => text(pkcs1File)],
    ['`file://` PKCS#8 path', () => `file://${pkcs8File}`],
    ['PKCS#8 contents', () => text(pkcs8File)],
    ['[`file://` encrypted PKCS#8, passphrase]', () => [`file://${encryptedFile}`, passphrase]],
    ['[encrypted PKCS#8 contents, passphrase]', () => [text(encryptedFile), passphrase]],
    ['[encrypted PKCS#8 Buffer, passphrase Buffer]', () => [readFileSync(encryptedFile), Buffer.from(passphrase)]],
    ['[`file://` plain PKCS#8, empty passphrase]', () => [`file://${pkcs8File}`, '']],
    ['[plain PKCS#1 contents, empty passphrase]', () => [text(pkcs1File), '']],
  ];
  it.each(privateForms)('private: %s', (_form, make) => {
    const key = Rsa.from(make() as never, Rsa.KEY_TYPE_PRIVATE);
    expect(key.type).toBe('private');
    expect(fingerprint(key)).toBe(expected());
  });

  const publicForms: Array<[string, () => unknown]> = [
    ['`public.spki://` string', () => `public.spki://${body(spkiFile)}`],
    ['`public.pkcs1://` string', () => `public.pkcs1://${body(pkcs1PubFile)}`],
    ['`file://` SPKI path', () => `file://${spkiFile}`],
    ['SPKI contents', () => text(spkiFile)],
    ['PKCS#1 public contents', () => text(pkcs1PubFile)],
    ['`file://` x509 certificate', () => `file://${certFile}`],
    ['x509 certificate contents', () => text(certFile)],
    ['X509Certificate object', () => new X509Certificate(readFileSync(certFile))],
  ];
  it.each(publicForms)('public: %s', (_form, make) => {
    const key = Rsa.from(make() as never, Rsa.KEY_TYPE_PUBLIC);
    expect(key.type).toBe('public');
    expect(fingerprint(key)).toBe(expected());
  });

  it('the sugar fromPkcs8 / fromPkcs1 / fromSpki takes the bare base64, and pkcs1ToSpki converts as openssl does', () => {
    expect(fingerprint(Rsa.fromPkcs8(body(pkcs8File)))).toBe(expected());
    expect(Rsa.fromPkcs1(body(pkcs1File)).type).toBe('private');
    expect(fingerprint(Rsa.fromPkcs1(body(pkcs1File)))).toBe(expected());
    expect(Rsa.fromPkcs1(body(pkcs1PubFile), Rsa.KEY_TYPE_PUBLIC).type).toBe('public');
    expect(fingerprint(Rsa.fromSpki(body(spkiFile)))).toBe(expected());
    expect(Rsa.pkcs1ToSpki(body(pkcs1PubFile))).toBe(body(spkiFile));
  });

  it('keys of every form work together: what one encrypts or signs, any other decrypts or verifies', () => {
    const publics = publicForms.map(([, make]) => Rsa.from(make() as never, 'public'));
    const privates = privateForms.map(([, make]) => Rsa.from(make() as never, 'private'));
    const plaintext = 'hello wechatpay 你好 微信支付';
    publics.forEach((publicKey, i) => {
      const privateKey = privates[i % privates.length]!;
      expect(Rsa.decrypt(Rsa.encrypt(plaintext, publicKey), privateKey)).toBe(plaintext);
      expect(Rsa.verify(plaintext, Rsa.sign(plaintext, privateKey), publicKey)).toBe(true);
    });
  });

  it('signs with a `[encrypted key, passphrase]` pair what openssl verifies', () => {
    const message = 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n';
    const signature = Rsa.sign(message, [`file://${encryptedFile}`, passphrase]);
    const sigFile = dir.path('sig.bin', Buffer.from(signature, 'base64'));
    const verdict = openssl(['dgst', '-sha256', '-verify', spkiFile, '-signature', sigFile], message).toString();
    expect(verdict).toMatch(/Verified OK/);
  });

  // wechatpay-axios-plugin tests/lib/rsa.test.js: the empty-string edges
  it('encrypts and signs the empty string; an empty signature does not verify; an empty ciphertext does not decrypt', () => {
    const privateKey = Rsa.from(`file://${pkcs8File}`);
    const cert = readFileSync(certFile);
    expect(Rsa.decrypt(Rsa.encrypt('', cert), privateKey)).toBe('');
    expect(Rsa.verify('', Rsa.sign('', privateKey), text(certFile))).toBe(true);
    expect(Rsa.verify('', '', cert)).toBe(false);
    expect(() => Rsa.decrypt('', privateKey)).toThrow();
  });

  it('Builder.factory takes the same forms for privateKey and certs, and names the field of one that fails', () => {
    const config = {
      mchid: '1900000001',
      serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
      privateKey: [`file://${encryptedFile}`, passphrase] as const,
      certs: {
        PUB_KEY_ID_0114232134912410000000000000: `public.spki://${body(spkiFile)}`,
        '5157F09EFDC096DE15EBE81A47057A7232F1B8E1': new X509Certificate(readFileSync(certFile)),
      },
    };
    expect(() => Builder.factory(config)).not.toThrow();
    let thrown: unknown;
    try {
      Builder.factory({ ...config, privateKey: [`file://${encryptedFile}`, 'wrong'] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues).toEqual([
      { path: 'privateKey', issue: expect.stringMatching(/passphrase is wrong/) },
    ]);
  });

  describe('refuses what is not unambiguous, with a KeyLoadError that names the problem', () => {
    it.each<[string, () => unknown, RegExp]>([
      [
        'a public scheme where a private key is wanted',
        () => Rsa.from(`public.spki://${body(spkiFile)}`, 'private'),
        /expected a private key, got a public\.spki:\/\/ \(public\) key/,
      ],
      [
        'a private scheme where a public key is wanted',
        () => Rsa.from(`private.pkcs8://${body(pkcs8File)}`, 'public'),
        /expected a public key, got a private\.pkcs8:\/\//,
      ],
      [
        'a scheme with no base64 after it',
        () => Rsa.from('private.pkcs8://not base64!', 'private'),
        /must be followed by the base64/,
      ],
      [
        'a scheme with the wrong DER inside',
        () => Rsa.from(`private.pkcs1://${body(spkiFile)}`, 'private'),
        /private\.pkcs1:\/\/ does not hold a PKCS1 DER private key/,
      ],
      [
        'private DER behind a public scheme',
        () => Rsa.from(`public.pkcs1://${body(pkcs1File)}`, 'public'),
        /public\.pkcs1:\/\/ holds a private key/,
      ],
      ['an unknown scheme', () => Rsa.from('private.pem://MIIE', 'private'), /unknown key scheme private\.pem:\/\//],
      [
        'an encrypted key without its passphrase',
        () => Rsa.from(text(encryptedFile), 'private'),
        /encrypted: pass it as \[key, passphrase\]/,
      ],
      ['a wrong passphrase', () => Rsa.from([text(encryptedFile), 'wrong'], 'private'), /passphrase is wrong/],
      [
        'an empty passphrase for an encrypted key',
        () => Rsa.from([`file://${encryptedFile}`, ''], 'private'),
        /passphrase is wrong/,
      ],
      [
        'a pair where a public key is wanted',
        () => Rsa.from([text(spkiFile), ''], 'public'),
        /public keys take no passphrase/,
      ],
      ['a pair of three', () => Rsa.from([text(pkcs8File), 'a', 'b'] as never, 'private'), /has 2 items, got 3/],
      ['a pair without a passphrase', () => Rsa.from([text(pkcs8File)] as never, 'private'), /has 2 items, got 1/],
      [
        'a pair whose passphrase is a number',
        () => Rsa.from([text(pkcs8File), 1234] as never, 'private'),
        /passphrase .* must be a string or Buffer/,
      ],
      [
        'a pair whose key is a number',
        () => Rsa.from([42, 'pw'] as never, 'private'),
        /key of a \[key, passphrase\] pair must be/,
      ],
      [
        'a pair whose key file is missing',
        () => Rsa.from(['file:///nonexistent/key.pem', 'pw'], 'private'),
        /cannot read key file .*ENOENT/,
      ],
      [
        'an X509Certificate where a private key is wanted',
        () => Rsa.from(new X509Certificate(readFileSync(certFile)), 'private'),
        /X509Certificate \(it holds a public key only\)/,
      ],
    ])('%s', (_case, load, message) => {
      expect(load).toThrow(KeyLoadError);
      expect(load).toThrow(message);
    });

    it('never echoes key material or the passphrase (wechatpay-php does: we do not)', () => {
      const secretBody = body(pkcs8File);
      const attempts: Array<() => unknown> = [
        () => Rsa.from(`public.spki://${secretBody}`, 'private'),
        () => Rsa.from(`public.pkcs1://${secretBody}`, 'public'),
        () => Rsa.from(`private.pkcs8://${secretBody.slice(0, 300)}`, 'private'),
        () => Rsa.from([text(encryptedFile), 'a wrong passphrase 123'], 'private'),
        () => Rsa.from(`private.pem://${secretBody}`, 'private'),
      ];
      for (const attempt of attempts) {
        let message = '';
        try {
          attempt();
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).not.toBe('');
        expect(message).not.toContain(secretBody.slice(40, 60));
        expect(message).not.toContain('a wrong passphrase 123');
      }
    });
  });
});
