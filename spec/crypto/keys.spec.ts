import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { loadKey, KeyLoadError } from '../../lib/crypto/keys';
import { openssl, scratch } from '../helpers/openssl';
import { vectorKey } from '../helpers/keys';

describe('key loading: every accepted form gives the same key', () => {
  const dir = scratch();
  const pkcs8 = vectorKey();
  const privateKey = createPrivateKey(pkcs8);
  const publicKey = createPublicKey(privateKey);
  const fingerprint = (key: KeyObject) =>
    (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }).toString('base64');
  const expected = fingerprint(publicKey);
  const keyFile = dir.path('key.pem', pkcs8);
  const certFile = dir.path('cert.pem');
  openssl(['req', '-new', '-x509', '-key', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=WeChat Pay Test']);
  afterAll(() => dir.remove());

  const privateForms: Array<[string, () => unknown]> = [
    ['PKCS#8 PEM', () => pkcs8],
    ['PKCS#1 PEM', () => privateKey.export({ type: 'pkcs1', format: 'pem' })],
    ['file:// path', () => `file://${keyFile}`],
    ['PEM Buffer', () => Buffer.from(pkcs8)],
    ['PKCS#8 DER Buffer', () => privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['PKCS#1 DER Buffer', () => privateKey.export({ type: 'pkcs1', format: 'der' })],
    ['KeyObject', () => privateKey],
    ['JWK', () => privateKey.export({ format: 'jwk' })],
  ];
  it.each(privateForms)('private: %s', (_form, make) => {
    const key = loadKey(make() as never, 'private');
    expect(key.type).toBe('private');
    expect(fingerprint(key)).toBe(expected);
  });

  const publicForms: Array<[string, () => unknown]> = [
    ['SPKI PEM', () => publicKey.export({ type: 'spki', format: 'pem' })],
    ['PKCS#1 public PEM', () => publicKey.export({ type: 'pkcs1', format: 'pem' })],
    ['X.509 certificate file', () => `file://${certFile}`],
    ['SPKI DER Buffer', () => publicKey.export({ type: 'spki', format: 'der' })],
    ['KeyObject', () => publicKey],
    ['JWK', () => publicKey.export({ format: 'jwk' })],
  ];
  it.each(publicForms)('public: %s', (_form, make) => {
    const key = loadKey(make() as never, 'public');
    expect(key.type).toBe('public');
    expect(fingerprint(key)).toBe(expected);
  });

  it('public: CryptoKey from WebCrypto', async () => {
    const jwk = publicKey.export({ format: 'jwk' });
    const cryptoKey = await globalThis.crypto.subtle.importKey('jwk', jwk, { name: 'RSA-OAEP', hash: 'SHA-1' }, true, [
      'encrypt',
    ]);
    expect(fingerprint(loadKey(cryptoKey, 'public'))).toBe(expected);
  });

  it.each([
    ['a private PEM where a public key is wanted', () => loadKey(pkcs8, 'public'), /got a private key/],
    [
      'a public PEM where a private key is wanted',
      () => loadKey(publicKey.export({ type: 'spki', format: 'pem' }) as string, 'private'),
      /private key PEM/,
    ],
    [
      'a private JWK where a public key is wanted',
      () => loadKey(privateKey.export({ format: 'jwk' }), 'public'),
      /private part/,
    ],
    ['a missing file', () => loadKey('file:///nonexistent/key.pem', 'private'), /cannot read key file .*ENOENT/],
    ['plain text', () => loadKey('not a key', 'private'), /neither PEM text nor a file/],
    ['a number', () => loadKey(42 as never, 'private'), /unsupported key type/],
    ['garbage bytes', () => loadKey(Buffer.from('garbage'), 'public'), /neither PEM nor a DER/],
    [
      'a truncated PEM',
      () => loadKey(pkcs8.slice(0, 200) + '\n-----END PRIVATE KEY-----', 'private'),
      /cannot parse private key/,
    ],
  ])('refuses %s with a KeyLoadError', (_case, load, message) => {
    expect(load).toThrow(KeyLoadError);
    expect(load).toThrow(message);
  });

  it('never echoes key material in the error', () => {
    const broken = pkcs8.replace(/M/g, '#');
    try {
      loadKey(broken, 'private');
      throw new Error('should not load');
    } catch (error) {
      expect((error as Error).message).not.toContain(broken.split('\n')[1]!.slice(0, 16));
    }
  });
});
