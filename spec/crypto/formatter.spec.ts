import { Formatter, Transformer } from '../../lib';

describe('Formatter', () => {
  it('nonce is 32 characters of [0-9A-Za-z], different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const nonce = Formatter.nonce();
      expect(nonce).toMatch(/^[0-9A-Za-z]{32}$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(200);
    expect(Formatter.nonce(16)).toHaveLength(16);
  });

  // wechatpay-php tests/FormatterTest.php nonceRulesProvider
  it.each([1, 16, 32, 100])('nonce(%i) has exactly that many [0-9A-Za-z]', (size) => {
    expect(Formatter.nonce(size)).toMatch(new RegExp(`^[0-9A-Za-z]{${size}}$`));
  });

  it.each([0, -1, -16, -32, 1.5, NaN, Infinity])(
    'nonce(%p) throws, as wechatpay-php does for sizes below 1',
    (size) => {
      expect(() => Formatter.nonce(size)).toThrow(RangeError);
      expect(() => Formatter.nonce(size)).toThrow(/nonce size must be a positive integer/);
    },
  );

  it('timestamp is Unix seconds', () => {
    expect(Math.abs(Formatter.timestamp() - Date.now() / 1000)).toBeLessThan(2);
    expect(Number.isInteger(Formatter.timestamp())).toBe(true);
  });

  it('builds the request, response and authorization strings of the protocol', () => {
    expect(Formatter.request('post', '/v3/x?a=1', 1554208460, 'N', '{"a":1}')).toBe(
      'POST\n/v3/x?a=1\n1554208460\nN\n{"a":1}\n',
    );
    expect(Formatter.request('GET', '/v3/x', 1, 'N')).toBe('GET\n/v3/x\n1\nN\n\n');
    expect(Formatter.response(1, 'N', 'body')).toBe('1\nN\nbody\n');
    expect(Formatter.authorization('1900000001', 'N', 'SIG', 1554208460, 'SERIAL')).toBe(
      // wechatpay-php's layout (Formatter::authorization), field for field
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="SERIAL",timestamp="1554208460",nonce_str="N",signature="SIG"',
    );
    expect(Formatter.joinedByLineFeed('a', 1, 'b')).toBe('a\n1\nb\n');
    expect(Formatter.joinedByLineFeed()).toBe('');
  });

  it('ksort sorts by byte order without mutating; queryStringLike skips sign and empty values', () => {
    const input = { nonce_str: 'n', appid: 'wx', sign: 'S', Z: 'upper', body: '', total_fee: 1, x: null };
    const sorted = Formatter.ksort(input);
    expect(Object.keys(sorted)).toEqual(['Z', 'appid', 'body', 'nonce_str', 'sign', 'total_fee', 'x']);
    expect(Object.keys(input)[0]).toBe('nonce_str');
    expect(Formatter.queryStringLike(sorted)).toBe('Z=upper&appid=wx&nonce_str=n&total_fee=1');
  });
});

describe('Transformer', () => {
  it('round-trips APIv2 XML with CDATA', () => {
    const xml = Transformer.toXml({ return_code: 'SUCCESS', total_fee: 1, body: 'a]]>b<c>&', skipped: undefined });
    expect(xml).toBe(
      '<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee><![CDATA[1]]></total_fee><body><![CDATA[a]]]]><![CDATA[>b<c>&]]></body></xml>',
    );
    expect(Transformer.toObject(xml)).toEqual({ return_code: 'SUCCESS', total_fee: '1', body: 'a]]>b<c>&' });
  });

  it('reads plain text, predefined entities, nesting and repeats', () => {
    const xml =
      '<?xml version="1.0"?>\n<xml>\n <a>1 &lt; 2 &amp; &#x4e2d;</a><n><m>x</m></n><r>1</r><r>2</r><e/></xml>';
    expect(Transformer.toObject(xml)).toEqual({ a: '1 < 2 & 中', n: { m: 'x' }, r: ['1', '2'], e: '' });
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>', /DOCTYPE/],
    ['an undeclared entity', '<xml><a>&xxe;</a></xml>', /not allowed/],
    ['an unclosed element', '<xml><a>1</xml>', /not closed/],
  ])('refuses %s', (_case, xml, message) => {
    expect(() => Transformer.toObject(xml)).toThrow(message);
  });
});
