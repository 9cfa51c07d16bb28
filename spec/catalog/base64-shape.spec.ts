import fc from 'fast-check';
import { BASE64_SHAPE, isBase64Shaped } from '../../lib/catalog/base64-shape';
import { encryptionIssues, looksEncrypted } from '../../lib/catalog/encrypt';
import { findRoute } from '../../lib/catalog/lookup';

/** The check as it was: one modulus length of base64 by the regular expression. */
const REFERENCE = (value: string, modulusBytes = 256) =>
  value.length === Math.ceil(modulusBytes / 3) * 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// what a plaintext or a mangled ciphertext may hold: base64, base64url, padding, whitespace, ASCII junk, Latin-1,
// CJK, an astral character and lone surrogates (a UTF-8 encoder writes those as three bytes)
const OTHERS = [
  '=',
  '-',
  '_',
  ' ',
  '\n',
  '\t',
  '\0',
  '!',
  '.',
  '%',
  '\x7f',
  '\x80',
  'é',
  'ÿ',
  '张',
  '😀',
  '\ud800',
  '\udc00',
];
const CHARS = [...ALPHABET, ...OTHERS];

const ciphertext = fc
  .uint8Array({ minLength: 256, maxLength: 256 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

/** A ciphertext with one character replaced, inserted or removed, anywhere. */
const nearCiphertext = fc
  .tuple(ciphertext, fc.nat(), fc.constantFrom(...CHARS), fc.constantFrom('replace', 'insert', 'remove', 'keep'))
  .map(([good, at, char, edit]) => {
    const i = at % good.length;
    if (edit === 'replace') return good.slice(0, i) + char + good.slice(i + 1);
    if (edit === 'insert') return good.slice(0, i) + char + good.slice(i);
    if (edit === 'remove') return good.slice(0, i) + good.slice(i + 1);
    return good;
  });

/** 344 characters ending in every padding shape: none, `=`, `==`, `===`, and `=` inside. */
const paddedShapes = fc
  .tuple(fc.array(fc.constantFrom(...ALPHABET), { minLength: 344, maxLength: 344 }), fc.nat(4), fc.nat(343))
  .map(([chars, pads, at]) => {
    const padded = chars.join('').slice(0, 344 - pads) + '='.repeat(pads);
    return pads === 4 ? padded.slice(0, at) + '=' + padded.slice(at + 1) : padded;
  });

describe('isBase64Shaped accepts exactly what /^[A-Za-z0-9+/]+={0,2}$/ accepts', () => {
  it('agrees on arbitrary short strings of base64, padding, junk and non-ASCII characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { maxLength: 24 }), (chars) => {
        const value = chars.join('');
        expect(isBase64Shaped(value)).toBe(BASE64_SHAPE.test(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees on arbitrary full-unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(isBase64Shaped(value)).toBe(BASE64_SHAPE.test(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on ciphertexts with one character changed, inserted or removed, and on every padding shape', () => {
    fc.assert(
      fc.property(fc.oneof(nearCiphertext, paddedShapes), (value) => {
        expect(isBase64Shaped(value)).toBe(BASE64_SHAPE.test(value));
        expect(looksEncrypted(value)).toBe(REFERENCE(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees at every length up to past its scratch size, and for other modulus sizes', () => {
    for (const length of [1, 2, 3, 4, 5, 171, 172, 343, 344, 345, 684, 2047, 2048, 2049, 2052, 5000]) {
      const good = 'A'.repeat(length);
      for (const value of [good, good.slice(0, -1) + '=', good.slice(0, -2) + '==', good.slice(0, -1) + ' ']) {
        expect(isBase64Shaped(value)).toBe(BASE64_SHAPE.test(value));
      }
    }
    for (const modulusBytes of [128, 256, 384, 512]) {
      const good = Buffer.alloc(modulusBytes, 7).toString('base64');
      expect(looksEncrypted(good, modulusBytes)).toBe(true);
      expect(looksEncrypted(`${good.slice(1)}-`, modulusBytes)).toBe(false);
    }
  });

  it('leaves the scratch of one call out of the next', () => {
    const good = Buffer.alloc(256, 1).toString('base64');
    expect(isBase64Shaped(`${'张'.repeat(100)}${good.slice(100)}`)).toBe(false);
    expect(isBase64Shaped(good)).toBe(true);
    expect(isBase64Shaped(good.slice(0, 200))).toBe(true);
    expect(isBase64Shaped(`${good.slice(0, 200)}!`)).toBe(false);
  });
});

describe('the encryption check with a plaintext among ciphertexts', () => {
  const route = findRoute('POST', 'v3/applyment4sub/applyment/')!;

  it('still names the plaintext field, whatever its neighbours', () => {
    const good = Buffer.alloc(256, 9).toString('base64');
    const nearMiss = `${good.slice(0, 100)}-${good.slice(101)}`;
    const json = {
      contact_info: { contact_name: good, contact_id_number: nearMiss, mobile_phone: good },
    };
    const issues = encryptionIssues(route, { json, headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_1' } });
    expect(issues.map(({ path }) => path)).toEqual(['json.contact_info.contact_id_number']);
  });
});
