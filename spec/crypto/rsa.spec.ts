import { createPublicKey } from 'node:crypto';
import { Rsa } from '../../lib';
import { openssl, scratch } from '../helpers/openssl';
import { vectorKey } from '../helpers/keys';

describe('Rsa against openssl', () => {
  const dir = scratch();
  const privatePem = vectorKey();
  const publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }) as string;
  const privateFile = dir.path('key.pem', privatePem);
  const publicFile = dir.path('pub.pem', publicPem);
  afterAll(() => dir.remove());

  const message =
    'POST\n/v3/aggracct-bc/wb-channel/control-orders/recover\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"a":"中"}\n';

  it('signs exactly as openssl does (PKCS#1 v1.5 is deterministic)', () => {
    const expected = openssl(['dgst', '-sha256', '-sign', privateFile], message).toString('base64');
    expect(Rsa.sign(message, privatePem)).toBe(expected);
  });

  it('produces signatures openssl verifies, and verifies openssl signatures', () => {
    const signature = Rsa.sign(message, `file://${privateFile}`);
    const sigFile = dir.path('sig.bin', Buffer.from(signature, 'base64'));
    expect(openssl(['dgst', '-sha256', '-verify', publicFile, '-signature', sigFile], message).toString()).toMatch(
      /Verified OK/,
    );
    const theirs = openssl(['dgst', '-sha256', '-sign', privateFile], message).toString('base64');
    expect(Rsa.verify(message, theirs, publicPem)).toBe(true);
    expect(Rsa.verify(`${message}x`, theirs, publicPem)).toBe(false);
  });

  it('encrypts with OAEP SHA-1 so that openssl decrypts', () => {
    const ciphertext = Rsa.encrypt('8609cb22e1774a50a930e414cc71eca06121bc', publicPem);
    const plain = openssl(
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        privateFile,
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha1',
      ],
      Buffer.from(ciphertext, 'base64'),
    );
    expect(plain.toString('utf8')).toBe('8609cb22e1774a50a930e414cc71eca06121bc');
  });

  it('decrypts what openssl encrypts with OAEP SHA-1', () => {
    const ciphertext = openssl(
      ['pkeyutl', '-encrypt', '-pubin', '-inkey', publicFile, '-pkeyopt', 'rsa_padding_mode:oaep'],
      '银行卡 6222',
    );
    expect(Rsa.decrypt(ciphertext.toString('base64'), privatePem)).toBe('银行卡 6222');
  });

  it('OAEP encryption differs every time yet decrypts to the same text', () => {
    const a = Rsa.encrypt('same', publicPem);
    expect(Rsa.encrypt('same', publicPem)).not.toBe(a);
    expect(Rsa.decrypt(a, privatePem)).toBe('same');
  });

  it('takes 214 bytes and refuses 215 with a clear error', () => {
    expect(Rsa.decrypt(Rsa.encrypt('x'.repeat(214), publicPem), privatePem)).toHaveLength(214);
    expect(() => Rsa.encrypt('x'.repeat(215), publicPem)).toThrow(/215 bytes.*at most 214/);
  });

  it('from() returns KeyObjects of the asked type', () => {
    expect(Rsa.from(privatePem, 'private').type).toBe('private');
    expect(Rsa.from(publicPem, 'public').type).toBe('public');
  });
});
