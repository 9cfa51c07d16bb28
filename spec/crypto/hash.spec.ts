import { createHash, createHmac } from 'node:crypto';
import { AesEcb, AesGcm, Formatter, Hash } from '../../lib';
import { openssl } from '../helpers/openssl';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const opensslHex = (args: string[], input: string) =>
  openssl(['dgst', ...args, '-r'], input)
    .toString()
    .split(' ')[0]!;

/** Ported from wechatpay-php tests/Crypto/HashTest.php and wechatpay-axios-plugin tests/lib/hash.test.js. */
describe('Hash as wechatpay-php has it', () => {
  it('exposes the sign type constants', () => {
    expect(Hash.ALGO_MD5).toBe('MD5');
    expect(Hash.ALGO_HMAC_SHA256).toBe('HMAC-SHA256');
  });

  it.each<[string, string, boolean | number | string, string]>([
    ['without key equals normal md5', Formatter.nonce(30), false, ''],
    ['agency but without key equals normal md5', Formatter.nonce(60), true, ''],
    ['a key without agency appends &key=', Formatter.nonce(90), false, '&key='],
    ['agency:true appends &secret=', Formatter.nonce(200), true, '&secret='],
    ['an AgentId (number) appends &secret=', Formatter.nonce(20), 1000002, '&secret='],
    ['an AgentId (string) appends &secret=', Formatter.nonce(20), '1000002', '&secret='],
    ['agency 0 (PHP falsy) keeps &key=', Formatter.nonce(20), 0, '&key='],
    ["agency '0' (PHP falsy) keeps &key=", Formatter.nonce(20), '0', '&key='],
  ])('md5: %s', (_case, thing, agency, suffix) => {
    const key = suffix === '' ? '' : Formatter.nonce();
    const digest = Hash.md5(thing, key, agency);
    expect(digest).toMatch(/^[0-9a-f]{32}$/);
    expect(digest).toBe(opensslHex(['-md5'], `${thing}${suffix}${key}`));
    if (suffix !== '') expect(digest).not.toBe(md5(thing));
  });

  it.each([
    ['md5', 32],
    ['sha256', 64],
    ['sha384', 96],
  ])('hmac %s is the HMAC of data&key=KEY keyed by KEY (never the plain HMAC)', (algorithm, length) => {
    const thing = Formatter.nonce(600);
    const key = Formatter.nonce();
    const digest = Hash.hmac(thing, key, algorithm);
    expect(digest).toHaveLength(length);
    expect(digest).toBe(opensslHex([`-${algorithm}`, '-hmac', key], `${thing}&key=${key}`));
    expect(digest).not.toBe(opensslHex([`-${algorithm}`, '-hmac', key], thing));
  });

  it('hmac appends &key= even to an empty key, as wechatpay-php does', () => {
    expect(Hash.hmac('a=1', '')).toBe(createHmac('sha256', '').update('a=1&key=').digest('hex'));
    expect(Hash.hmac('a=1', '')).not.toBe(createHmac('sha256', '').update('a=1').digest('hex'));
  });

  it('sign gives uppercase MD5 / HMAC-SHA256 and refuses other types (PHP returns null; we say why)', () => {
    const thing = Formatter.nonce(300);
    const key = Formatter.nonce();
    expect(Hash.sign(Hash.ALGO_MD5, thing, key)).toBe(Hash.md5(thing, key).toUpperCase());
    expect(Hash.sign(Hash.ALGO_HMAC_SHA256, thing, key)).toBe(Hash.hmac(thing, key).toUpperCase());
    // wechatpay-axios-plugin passes the fields: they are ksorted and joined without sign and empty values
    const fields = { total_fee: 1, appid: 'wx', sign: 'OLD', body: '', nonce_str: 'n' };
    expect(Hash.sign(Hash.ALGO_MD5, fields, key)).toBe(
      Hash.sign(Hash.ALGO_MD5, 'appid=wx&nonce_str=n&total_fee=1', key),
    );
    expect(() => Hash.sign('sha256', thing, key)).toThrow(/sign_type must be MD5 or HMAC-SHA256, got "sha256"/);
  });

  describe('equals (constant-time, PHP hash_equals)', () => {
    it.each<[string, string | Buffer, string | Buffer | null | undefined, boolean]>([
      ['empty string equals empty string', '', '', true],
      ['empty string is not null', '', null, false],
      ['random bytes are not null', Buffer.from(Formatter.nonce(16)), null, false],
      ['a missing user string is false', 'ABC', undefined, false],
      ['the same sign', '9A0A8659F005D6984697E2CA0A9CF3B7', '9A0A8659F005D6984697E2CA0A9CF3B7', true],
      [
        'a sign differing in its last character',
        '9A0A8659F005D6984697E2CA0A9CF3B7',
        '9A0A8659F005D6984697E2CA0A9CF3B8',
        false,
      ],
      ['case matters', 'abc', 'ABC', false],
      ['a prefix is not equal', '9A0A8659', '9A0A865', false],
      ['a longer user string is not equal', 'abc', 'abcd', false],
      ['multi-byte text equal to its Buffer', '微信支付', Buffer.from('微信支付'), true],
    ])('%s', (_case, known, user, expected) => {
      expect(Hash.equals(known, user)).toBe(expected);
    });

    it('refuses a known string that is not a string or Buffer, instead of comparing it as text', () => {
      expect(() => Hash.equals(undefined as never, 'x')).toThrow(
        /knownString must be a string or Buffer, got undefined/,
      );
      expect(() => Hash.equals('x', 42 as never)).toThrow(/userString must be a string or Buffer, got number/);
    });
  });
});

/** wechatpay-php `AesInterface` constants, on both classes as PHP's implementations inherit them. */
describe('AES constants and the ECB iv', () => {
  it.each([
    ['AesGcm', AesGcm],
    ['AesEcb', AesEcb],
  ])('%s exposes BLOCK_SIZE, KEY_LENGTH_BYTE, AUTH_TAG_LENGTH_BYTE and the algorithm names', (_name, aes) => {
    expect(aes).toMatchObject({
      BLOCK_SIZE: 16,
      KEY_LENGTH_BYTE: 32,
      AUTH_TAG_LENGTH_BYTE: 16,
      ALGO_AES_256_GCM: 'aes-256-gcm',
      ALGO_AES_256_ECB: 'aes-256-ecb',
    });
  });

  it('the constants describe what the ciphers do: a GCM ciphertext ends in AUTH_TAG_LENGTH_BYTE of tag', () => {
    const key = 'k'.repeat(AesGcm.KEY_LENGTH_BYTE);
    const out = Buffer.from(AesGcm.encrypt('', key, 'nonce1234567'), 'base64');
    expect(out).toHaveLength(AesGcm.AUTH_TAG_LENGTH_BYTE);
    expect(Buffer.from(AesEcb.encrypt('', key), 'base64')).toHaveLength(AesEcb.BLOCK_SIZE);
    expect(() => AesGcm.encrypt('x', 'k'.repeat(AesGcm.KEY_LENGTH_BYTE - 1), 'nonce1234567')).toThrow(
      /32 bytes, got 31/,
    );
  });

  it("AesEcb takes wechatpay-php's empty iv, and refuses a real one (ECB has none)", () => {
    const key = '0123456789abcdef0123456789abcdef';
    expect(AesEcb.encrypt('hello', key, '')).toBe('pZwJZBLuy3mDACEQT4YTBw==');
    expect(AesEcb.decrypt('pZwJZBLuy3mDACEQT4YTBw==', key, '')).toBe('hello');
    expect(AesEcb.encrypt('hello', key, null)).toBe('pZwJZBLuy3mDACEQT4YTBw==');
    expect(() => AesEcb.encrypt('hello', key, '0123456789abcdef')).toThrow(/takes no iv/);
    expect(() => AesEcb.decrypt('pZwJZBLuy3mDACEQT4YTBw==', key, Buffer.alloc(16))).toThrow(/takes no iv/);
  });
});
