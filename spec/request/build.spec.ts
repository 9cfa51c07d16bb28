import { buildRequest } from '../../lib/request/build';
import { compileTemplate } from '../../lib/request/template';
import { ValidationError } from '../../lib';

const template = (source: string) => compileTemplate(source);

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('buildRequest: template + options -> method, url, headers, body', () => {
  it('serialises json once, with JSON headers', () => {
    const built = buildRequest('POST', template('v3/x'), { json: { b: 1, a: '中' } });
    expect(built).toEqual({
      method: 'POST',
      url: 'v3/x',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      data: '{"b":1,"a":"中"}',
      passthrough: {},
    });
  });

  it('expands template variables and appends the query in the order given', () => {
    const built = buildRequest('GET', template('v3/x/{out_request_no}'), {
      out_request_no: 'N 1',
      query: { mchid: '1900016681', b: 2, flag: true, skipped: undefined, alsoSkipped: null, star: "a*b'c" },
    });
    expect(built.url).toBe('v3/x/N%201?mchid=1900016681&b=2&flag=true&star=a%2Ab%27c');
    expect(built.data).toBeUndefined();
  });

  it('appends to a query already in the template', () => {
    expect(buildRequest('GET', template('v3/x?a=1'), { query: { b: 2 } }).url).toBe('v3/x?a=1&b=2');
  });

  it('keeps string and Buffer bodies as given', () => {
    const buffer = Buffer.from([0xe4, 0xb8, 0xad]);
    expect(buildRequest('POST', template('v3/x'), { body: buffer }).data).toBe(buffer);
    expect(buildRequest('POST', template('v3/x'), { body: ' {"a" : 1} ' }).data).toBe(' {"a" : 1} ');
  });

  it('keeps caller headers and does not override their Accept/Content-Type', () => {
    const built = buildRequest('POST', template('v3/x'), {
      body: 'x',
      headers: { accept: 'text/plain', 'content-type': 'text/csv', 'Wechatpay-Serial': 'PUB_KEY_ID_1' },
    });
    expect(built.headers).toEqual({
      accept: 'text/plain',
      'content-type': 'text/csv',
      'Wechatpay-Serial': 'PUB_KEY_ID_1',
    });
  });

  it('passes other per-request axios options through', () => {
    const signal = new AbortController().signal;
    expect(buildRequest('GET', template('v3/x'), { timeout: 5, signal }).passthrough).toEqual({ timeout: 5, signal });
  });

  it('names every problem at once', () => {
    const issues = issuesOf(() =>
      buildRequest('GET', template('v3/x/{out_request_no}'), {
        json: { a: 1 },
        params: { a: 1 },
        query: { nested: { no: 1 } as unknown as string },
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(['json', 'out_request_no', 'params', 'query.nested']);
  });

  it.each([
    [{ json: {}, body: 'x' }, 'body'],
    [{ body: { a: 1 } }, 'body'],
    [{ data: 'x' }, 'data'],
    [{ url: '/x' }, 'url'],
    [{ transformRequest: [] }, 'transformRequest'],
    [{ responseType: 'stream' }, 'responseType'],
    [{ xml: { a: 1 } }, 'xml'],
    [{ json: () => 1 }, 'json'],
    [{ headers: { a: {} } }, 'headers.a'],
  ])('refuses %j naming %s', (options, path) => {
    const issues = issuesOf(() => buildRequest('POST', template('v3/x'), options as never));
    expect(issues.map((issue) => issue.path)).toContain(path);
  });
});
