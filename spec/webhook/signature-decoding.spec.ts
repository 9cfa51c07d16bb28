import fc from 'fast-check';
import { decodeSignature } from '../../lib/crypto/signature-bytes';

/** The definition decodeSignature used to apply literally: the canonical-base64 grammar, then the round trip. */
const GRAMMAR = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const canonical = (value: string) =>
  value !== '' && GRAMMAR.test(value) && Buffer.from(value, 'base64').toString('base64') === value;

// what a mangled Wechatpay-Signature is made of: base64 and base64url characters, padding, whitespace, junk
const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\t!*.%';

/** Callbacks and replies are verified per request: the round trip alone must refuse all the grammar refused. */
describe('decodeSignature (round trip only) accepts exactly canonical base64', () => {
  it('agrees with grammar + round trip on arbitrary mangled strings', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { maxLength: 24 }), (chars) => {
        const value = chars.join('');
        expect(decodeSignature(value) !== undefined).toBe(canonical(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees on real-length signatures with one character changed, inserted or removed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.constantFrom(...CHARS),
        fc.constantFrom('replace', 'insert', 'remove'),
        (bytes, at, char, edit) => {
          const good = Buffer.from(bytes).toString('base64');
          const i = at % good.length;
          const value =
            edit === 'replace'
              ? good.slice(0, i) + char + good.slice(i + 1)
              : edit === 'insert'
                ? good.slice(0, i) + char + good.slice(i)
                : good.slice(0, i) + good.slice(i + 1);
          expect(decodeSignature(good)?.equals(Buffer.from(bytes))).toBe(true);
          expect(decodeSignature(value) !== undefined).toBe(canonical(value));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('refuses undefined and the empty string', () => {
    expect(decodeSignature(undefined)).toBeUndefined();
    expect(decodeSignature('')).toBeUndefined();
  });
});
