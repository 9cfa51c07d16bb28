import { Transformer, XmlError } from '../../lib';

/**
 * Before: deeply nested XML overflowed the stack and a character reference past U+10FFFF escaped
 * `String.fromCodePoint` as a raw RangeError; neither named the problem. Now both are an XmlError
 * (a SyntaxError, as `JSON.parse` throws), and so are raw characters XML 1.0 does not allow.
 */
describe('regression: hostile XML gives a clear XmlError, never a raw RangeError', () => {
  const refuses = (xml: string, message: RegExp) => {
    let thrown: unknown;
    try {
      Transformer.toObject(xml);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(XmlError);
    expect(thrown).toBeInstanceOf(SyntaxError);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as Error).name).toBe('XmlError');
    expect((thrown as Error).message).toMatch(message);
  };
  const nested = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;

  it('nesting 100 000 deep', () => refuses(nested(100_000), /nests deeper than 64 elements/));

  it('the limit is 64 levels: 64 read, 65 refused', () => {
    expect(JSON.stringify(Transformer.toObject(nested(64)))).toContain('"x"');
    refuses(nested(65), /deeper than 64/);
  });

  it.each([
    ['NUL', '&#0;', /U\+0000/],
    ['a control character', '&#x8;', /U\+0008/],
    ['past U+10FFFF', '&#x110000;', /U\+110000/],
    ['a lone surrogate', '&#xD800;', /U\+D800/],
    ['U+FFFF', '&#xFFFF;', /U\+FFFF/],
    ['a number too big for any code point', '&#99999999999999999999999;', /not a valid XML character/],
  ])('a character reference to %s', (_case, ref, message) => {
    refuses(`<xml><return_code>${ref}</return_code></xml>`, message);
    refuses(`<xml><return_code>${ref}</return_code></xml>`, /not a valid XML character/);
  });

  it.each([
    ['NUL', '\u0000', /U\+0000 at offset 12/],
    ['a backspace', '\b', /U\+0008/],
    ['a lone high surrogate', '\uD800', /U\+D800/],
    ['a lone low surrogate', '\uDC00', /U\+DC00/],
  ])('a raw %s in the text', (_case, char, message) => refuses(`<xml><a>bad ${char}</a></xml>`, message));

  it('valid references and characters still read: astral, tab, CR/LF', () => {
    expect(Transformer.toObject('<xml><a>&#x1F600;&#9;😀\r\n</a></xml>')).toEqual({ a: '😀\t😀\r\n' });
  });

  it('an undeclared entity, any case, is refused instead of kept verbatim', () => {
    refuses('<xml><a>&XXE;</a></xml>', /entity &XXE; is not allowed/);
  });

  it('toXml of a circular object is an XmlError, not a stack overflow', () => {
    const loop: Record<string, unknown> = { a: '1' };
    loop.self = loop;
    expect(() => Transformer.toXml(loop)).toThrow(XmlError);
    expect(() => Transformer.toXml(loop)).toThrow(/nests deeper than 64 elements/);
  });
});
