import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { AesGcm, AesGcmAsync, Rsa, RsaAsync, WebRsaKey, importWebKey, nodeBackend, webcryptoBackend } from '../../lib';
import { KeyLoadError } from '../../lib/crypto/keys';
import { merchantKeys, platformKeys, vectorKey } from '../helpers/keys';
import { openssl, scratch } from '../helpers/openssl';

const files = scratch();
afterAll(() => files.remove());

const MESSAGE = 'POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"amount":1}\n';
const merchant = merchantKeys();
const pkcs1Private = createPrivateKey(merchant.privateKey).export({ type: 'pkcs1', format: 'pem' }) as string;
const pkcs1Public = createPublicKey(merchant.publicKey).export({ type: 'pkcs1', format: 'pem' }) as string;

describe('signatures cross backends', () => {
  it('WebCrypto signs the same deterministic PKCS#1 v1.5 bytes as node:crypto and as openssl', async () => {
    const key = vectorKey();
    const web = await RsaAsync.sign(MESSAGE, key);
    expect(web).toBe(Rsa.sign(MESSAGE, key));
    const cli = openssl(['dgst', '-sha256', '-sign', files.path('vector.pem', key)], MESSAGE).toString('base64');
    expect(web).toBe(cli);
  });

  it('a WebCrypto signature verifies with node:crypto and openssl, and a node one with WebCrypto', async () => {
    const web = await RsaAsync.sign(MESSAGE, merchant.privateKey);
    expect(Rsa.verify(MESSAGE, web, merchant.publicKey)).toBe(true);
    const sig = files.path('web.sig', Buffer.from(web, 'base64'));
    const pub = files.path('merchant.pub', merchant.publicKey);
    expect(openssl(['dgst', '-sha256', '-verify', pub, '-signature', sig], MESSAGE).toString()).toContain(
      'Verified OK',
    );
    const node = Rsa.sign(MESSAGE, merchant.privateKey);
    await expect(RsaAsync.verify(MESSAGE, node, merchant.publicKey)).resolves.toBe(true);
    await expect(RsaAsync.verify(`${MESSAGE}x`, node, merchant.publicKey)).resolves.toBe(false);
    await expect(RsaAsync.verify(MESSAGE, node, platformKeys().publicKey)).resolves.toBe(false);
  });

  it('the two backends agree through the backend boundary with keys imported once', async () => {
    const [webPrivate, webPublic] = await Promise.all([
      webcryptoBackend.importKey(merchant.privateKey, 'private'),
      webcryptoBackend.importKey(merchant.publicKey, 'public'),
    ]);
    const [nodePrivate, nodePublic] = await Promise.all([
      nodeBackend.importKey(merchant.privateKey, 'private'),
      nodeBackend.importKey(merchant.publicKey, 'public'),
    ]);
    const bytes = new TextEncoder().encode(MESSAGE);
    await expect(nodeBackend.verify(bytes, await webcryptoBackend.sign(bytes, webPrivate), nodePublic)).resolves.toBe(
      true,
    );
    await expect(webcryptoBackend.verify(bytes, await nodeBackend.sign(bytes, nodePrivate), webPublic)).resolves.toBe(
      true,
    );
    expect(webcryptoBackend.oaepLimit(webPublic)).toBe(214);
    expect(nodeBackend.oaepLimit(nodePublic)).toBe(214);
  });
});

describe('RSA-OAEP (SHA-1) cross backends', () => {
  const field = '张三 13800138000';

  it('WebCrypto ciphertext decrypts with node:crypto and openssl; node ciphertext decrypts with WebCrypto', async () => {
    const web = await RsaAsync.encrypt(field, merchant.publicKey);
    expect(Buffer.from(web, 'base64')).toHaveLength(256);
    expect(Rsa.decrypt(web, merchant.privateKey)).toBe(field);
    const cli = openssl(
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        files.path('merchant.key', merchant.privateKey),
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha1',
      ],
      Buffer.from(web, 'base64'),
    );
    expect(cli.toString('utf8')).toBe(field);
    await expect(RsaAsync.decrypt(Rsa.encrypt(field, merchant.publicKey), merchant.privateKey)).resolves.toBe(field);
  });

  it('openssl ciphertext decrypts with WebCrypto', async () => {
    const cipher = openssl(
      [
        'pkeyutl',
        '-encrypt',
        '-pubin',
        '-inkey',
        files.path('merchant2.pub', merchant.publicKey),
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha1',
      ],
      Buffer.from(field),
    );
    await expect(RsaAsync.decrypt(cipher.toString('base64'), merchant.privateKey)).resolves.toBe(field);
  });

  it('refuses plaintext over the 214-byte OAEP limit, as the Node toolkit does', async () => {
    await expect(RsaAsync.encrypt('x'.repeat(214), merchant.publicKey)).resolves.toEqual(expect.any(String));
    await expect(RsaAsync.encrypt('x'.repeat(215), merchant.publicKey)).rejects.toThrow(
      /215 bytes; RSA-OAEP \(SHA-1\) takes at most 214/,
    );
  });
});

describe('AES-256-GCM cross backends', () => {
  const key = 'abcdefghijklmnopqrstuvwxyz012345';
  it('seals the same bytes as node:crypto, and each opens the other', async () => {
    const web = await AesGcmAsync.encrypt(
      '{"out_trade_no":"1217752501201407033233368018"}',
      key,
      '0123456789ab',
      'transaction',
    );
    expect(web).toBe(
      AesGcm.encrypt('{"out_trade_no":"1217752501201407033233368018"}', key, '0123456789ab', 'transaction'),
    );
    expect(AesGcm.decrypt(web, key, '0123456789ab', 'transaction')).toContain('1217752501201407033233368018');
    await expect(AesGcmAsync.decrypt(web, key, '0123456789ab', 'transaction')).resolves.toContain('out_trade_no');
  });

  it('rejects a tampered tag, a wrong AAD and a short key', async () => {
    const web = await AesGcmAsync.encrypt('secret', key, '0123456789ab', 'a');
    const bytes = Buffer.from(web, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    await expect(AesGcmAsync.decrypt(bytes.toString('base64'), key, '0123456789ab', 'a')).rejects.toThrow();
    await expect(AesGcmAsync.decrypt(web, key, '0123456789ab', 'b')).rejects.toThrow();
    await expect(AesGcmAsync.encrypt('x', 'short', '0123456789ab')).rejects.toThrow(/32 bytes, got 5/);
  });
});

describe('key formats through jose', () => {
  it('imports PKCS#8, PKCS#1, SPKI, PKCS#1 public, DER, JWK, KeyObject and CryptoKey to the same key', async () => {
    const reference = await RsaAsync.sign(MESSAGE, merchant.privateKey);
    const der = createPrivateKey(merchant.privateKey).export({ type: 'pkcs1', format: 'der' });
    const jwk = createPrivateKey(merchant.privateKey).export({ format: 'jwk' });
    const cryptoKey = await webcrypto.subtle.importKey(
      'jwk',
      jwk,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['sign'],
    );
    for (const form of [
      pkcs1Private,
      der,
      jwk,
      createPrivateKey(merchant.privateKey),
      cryptoKey,
      `file://${files.path('m.pem', merchant.privateKey)}`,
    ]) {
      expect(await RsaAsync.sign(MESSAGE, form as never)).toBe(reference);
    }
    for (const form of [pkcs1Public, createPublicKey(merchant.publicKey).export({ type: 'spki', format: 'der' })]) {
      expect(await RsaAsync.verify(MESSAGE, reference, form)).toBe(true);
    }
  });

  it('imports an X.509 certificate made by openssl', async () => {
    const keyFile = files.path('cert.key', merchant.privateKey);
    const cert = openssl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=Wechatpay', '-days', '1']).toString();
    const key = await importWebKey(cert, 'public');
    expect(key).toBeInstanceOf(WebRsaKey);
    expect(await RsaAsync.verify(MESSAGE, Rsa.sign(MESSAGE, merchant.privateKey), key)).toBe(true);
  });

  it('fails with the same KeyLoadError messages as the Node loader, never echoing key bytes', async () => {
    await expect(importWebKey(merchant.publicKey, 'private')).rejects.toThrow(
      'expected a private key PEM (PKCS#8 or PKCS#1)',
    );
    await expect(importWebKey(merchant.privateKey, 'public')).rejects.toThrow(
      'expected a public key or certificate, got a private key',
    );
    await expect(importWebKey('not a key', 'private')).rejects.toThrow('string is neither PEM text nor a file:// path');
    await expect(importWebKey('file:///nonexistent/key.pem', 'private')).rejects.toThrow(
      'cannot read key file /nonexistent/key.pem: ENOENT',
    );
    const lines = merchant.privateKey.split('\n');
    const garbled = [...lines.slice(0, 5), 'AAAA', ...lines.slice(6)].join('\n');
    const failure = await importWebKey(garbled, 'private').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeyLoadError);
    expect(String((failure as Error).message)).not.toContain(lines[3]);
  });

  it('a non-extractable CryptoKey serves the one algorithm it was made for, and says so for the other', async () => {
    const jwk = createPrivateKey(merchant.privateKey).export({ format: 'jwk' });
    const signingOnly = await webcrypto.subtle.importKey(
      'jwk',
      jwk,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    expect(await RsaAsync.sign(MESSAGE, signingOnly as never)).toBe(await RsaAsync.sign(MESSAGE, merchant.privateKey));
    await expect(RsaAsync.decrypt('AAAA', signingOnly as never)).rejects.toThrow(
      'not extractable and was not made for RSA-OAEP',
    );
  });
});
