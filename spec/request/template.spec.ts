import { compileTemplate, TemplateValueError } from '../../lib/request/template';

describe('RFC 6570 expansion', () => {
  it.each([
    ['v3/x/{id}', { id: 'abc' }, 'v3/x/abc'],
    ['v3/x/{id}', { id: 'a b/c?d' }, 'v3/x/a%20b%2Fc%3Fd'],
    ['v3/x/{id}', { id: '解管' }, 'v3/x/%E8%A7%A3%E7%AE%A1'],
    ['v3/x/{id}', { id: 12345 }, 'v3/x/12345'],
    ['v3/x/{id}', { id: "~._-!*'()" }, 'v3/x/~._-%21%2A%27%28%29'],
    ['v3/x/{+path}', { path: 'a/b?c=d' }, 'v3/x/a/b?c=d'],
    ['v3/x/{+path}', { path: 'a b%2F' }, 'v3/x/a%20b%2F'],
    ['v3/x/{a}/y/{b}', { a: '1', b: '2' }, 'v3/x/1/y/2'],
    ['v3/emoji/{id}', { id: '😀' }, 'v3/emoji/%F0%9F%98%80'],
    ['v3/plain', {}, 'v3/plain'],
  ])('%s with %j -> %s', (source, values, expected) => {
    expect(compileTemplate(source).expand(values)).toBe(expected);
  });

  it('lists the variables', () => {
    expect(compileTemplate('v3/{a}/{+b}').variables).toEqual(['a', 'b']);
  });

  it.each([[undefined], [null], ['']])('a missing value (%j) names the variable', (value) => {
    const template = compileTemplate('v3/x/{out_request_no}');
    expect(() => template.expand({ out_request_no: value })).toThrow(TemplateValueError);
    expect(() => template.expand({ out_request_no: value })).toThrow(/out_request_no/);
  });

  it('an object value is refused, not stringified', () => {
    expect(() => compileTemplate('v3/{id}').expand({ id: { a: 1 } })).toThrow(/string or number/);
  });

  it('a malformed template is a SyntaxError', () => {
    expect(() => compileTemplate('v3/{id')).toThrow(SyntaxError);
  });
});
