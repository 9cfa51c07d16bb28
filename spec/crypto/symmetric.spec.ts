import { createCipheriv, randomBytes } from 'node:crypto';
import { AesEcb, AesGcm, Hash } from '../../lib';
import { openssl } from '../helpers/openssl';

describe('AesGcm', () => {
  const key = 'a'.repeat(32);
  const nonce = 'nonce1234567';

  it('decrypts a callback resource built independently with node:crypto', () => {
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const ciphertext = Buffer.concat([
      cipher.update('{"state":"SUCCESS"}'),
      cipher.final(),
      cipher.getAuthTag(),
    ]).toString('base64');
    expect(AesGcm.decrypt(ciphertext, key, nonce, 'transaction')).toBe('{"state":"SUCCESS"}');
    expect(AesGcm.encrypt('{"state":"SUCCESS"}', key, nonce, 'transaction')).toBe(ciphertext);
  });

  it('rejects a wrong AAD or a flipped byte', () => {
    const ciphertext = AesGcm.encrypt('hello', key, nonce, 'certificate');
    expect(() => AesGcm.decrypt(ciphertext, key, nonce, 'other')).toThrow();
    const bytes = Buffer.from(ciphertext, 'base64');
    bytes[0]! ^= 1;
    expect(() => AesGcm.decrypt(bytes.toString('base64'), key, nonce, 'certificate')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => AesGcm.encrypt('x', 'short', nonce)).toThrow(/32 bytes/);
  });
});

describe('AesEcb', () => {
  it('matches the DESIGN vector', () => {
    expect(AesEcb.encrypt('hello', '0123456789abcdef0123456789abcdef')).toBe('pZwJZBLuy3mDACEQT4YTBw==');
    expect(AesEcb.decrypt('pZwJZBLuy3mDACEQT4YTBw==', '0123456789abcdef0123456789abcdef')).toBe('hello');
  });

  it('matches openssl aes-256-ecb', () => {
    const key = randomBytes(16).toString('hex');
    const expected = openssl(
      ['enc', '-aes-256-ecb', '-K', Buffer.from(key).toString('hex'), '-base64', '-A'],
      '<root>退款</root>',
    )
      .toString()
      .trim();
    expect(AesEcb.encrypt('<root>退款</root>', key)).toBe(expected);
  });
});

describe('Hash (APIv2)', () => {
  const data = 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA';
  const secret = '192006250b4c09247ec02edce69f6a2d';

  it('sign MD5 is the uppercase md5 of data&key=SECRET (the documented APIv2 example)', () => {
    expect(Hash.sign('MD5', data, secret)).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
    const expected = openssl(['dgst', '-md5', '-r'], `${data}&key=${secret}`).toString().split(' ')[0]!.toUpperCase();
    expect(Hash.sign('MD5', data, secret)).toBe(expected);
  });

  it('sign HMAC-SHA256 is the uppercase HMAC of data&key=SECRET keyed by the secret', () => {
    const expected = openssl(['dgst', '-sha256', '-hmac', secret, '-r'], `${data}&key=${secret}`)
      .toString()
      .split(' ')[0]!
      .toUpperCase();
    expect(Hash.sign('HMAC-SHA256', data, secret)).toBe(expected);
  });

  it('refuses an unknown sign type instead of defaulting', () => {
    expect(() => Hash.sign('SHA1', data, secret)).toThrow(/MD5 or HMAC-SHA256/);
  });

  it('md5 without a key digests the text alone', () => {
    expect(Hash.md5('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
  });
});
