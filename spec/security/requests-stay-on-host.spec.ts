import { ValidationError, type FieldIssue } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * The on-host rules through the chain, each refusal with what it tells the caller, and nothing reaching the loopback
 * gateway: a scheme (letters, digits, `+`, `-`, `.`), a leading `/` or `\`, a control character, `#`, `\`, and a dot
 * segment in the template, in a value, or formed only once template text and a `{+var}` value meet.
 */
describe('requests stay on the host, inside their template', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway();
  });
  afterAll(() => fixture.gateway.stop());

  type Callable = { get(options?: object): Promise<unknown> };
  const chain = (template: string) => (fixture.instance.chain as (path: string) => Callable)(template);

  const issuesOf = async (call: () => Promise<unknown>): Promise<FieldIssue[]> => {
    const before = fixture.gateway.received.length;
    const error = await Promise.resolve()
      .then(call)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(fixture.gateway.received.length).toBe(before);
    return (error as ValidationError).issues;
  };

  it('refuses a dot segment formed by template text and a {+var} value together (the expanded-path check)', async () => {
    // `{+a}` = "y/" passes the value rules, and the template has no dot segment: only the expanded path has one
    expect(await issuesOf(() => chain('v3/x/{+a}.').get({ a: 'y/' }))).toEqual([
      { path: 'path', issue: 'expands to a path that leaves its template' },
    ]);
    expect(await issuesOf(() => chain('v3/x/{+a}../close').get({ a: 'y/' }))).toEqual([
      { path: 'path', issue: 'expands to a path that leaves its template' },
    ]);
    // and the same template with a value that forms no dot segment is sent as expanded (control)
    await chain('v3/x/{+a}.').get({ a: 'y/z' });
    expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/x/y/z.');
  });

  it('refuses a {+var} value that starts a scheme only with the template text before it', async () => {
    // "h" + "2c:x" expands to the scheme "h2c:" though neither part is absolute alone
    expect(await issuesOf(() => chain('h{+rest}').get({ rest: '2c:x' }))).toEqual([
      { path: 'path', issue: 'expands to a path that leaves its template' },
    ]);
  });

  it('ignores dots in the query when it checks an expanded path', async () => {
    await chain('v3/x/{+a}?next=/./').get({ a: 'y' });
    expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/x/y?next=/./');
  });

  it.each(['h2c:', 'h2c://127.0.0.1:1/v3/x', 'a+b:x', 'a-b:x', 'a.b:x', 'Z9:x'])(
    'refuses the template %s, whose scheme has a digit or + - .',
    async (template) => {
      expect(await issuesOf(() => chain(template).get())).toEqual([
        { path: 'path', issue: `/${template} must be a path relative to baseURL, without a scheme or host` },
      ]);
    },
  );

  it.each(['h2c:x', 'web+pay:x', '/v3/other', '\\v3\\other'])('refuses the {+var} value %s', async (value) => {
    expect(await issuesOf(() => chain('{+next}').get({ next: value }))).toEqual([
      { path: 'next', issue: 'must be a relative path, without a scheme, host or leading "/"' },
    ]);
  });

  it('sends segments that only resemble a scheme: a colon after a digit-first or non-scheme character', async () => {
    // a scheme starts with a letter; "2c:" and "_a:" are ordinary segment text
    await chain('v3/x/{+a}').get({ a: '2c:y' });
    expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/x/2c:y');
  });

  it.each([
    ['a ?', 'a?b', 'must not contain "?" or "#" (they would cut the path short)'],
    ['a #', 'a#b', 'must not contain "?" or "#" (they would cut the path short)'],
    ['a .. segment', 'a/../b', 'must not contain "." or ".." segments'],
    ['a %2E%2e segment', 'a/%2E%2e', 'must not contain "." or ".." segments'],
    ['a . segment after \\', 'a\\.', 'must not contain "." or ".." segments'],
  ])('refuses a {+var} value with %s, saying why', async (_, value, issue) => {
    expect(await issuesOf(() => chain('v3/x/{+rest}').get({ rest: value }))).toEqual([{ path: 'rest', issue }]);
  });

  it.each(['.', '..'])('refuses the {var} value %s as a dot segment', async (value) => {
    expect(await issuesOf(() => chain('v3/x/{id}/close').get({ id: value }))).toEqual([
      { path: 'id', issue: `must not be "${value}" (a dot segment)` },
    ]);
  });

  it('checks {var} values of every kind it expands: numbers and bigints too, not other types', async () => {
    await chain('v3/x/{id}/{n}').get({ id: 7, n: 10n });
    expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/x/7/10');
  });

  it.each([
    ['a tab', 'v3/a\tb', 'must not contain control characters (tab, newline, ...)'],
    ['a newline', 'v3/a\nb', 'must not contain control characters (tab, newline, ...)'],
    ['DEL', 'v3/a\u007fb', 'must not contain control characters (tab, newline, ...)'],
    ['a NUL', 'v3/a\u0000b', 'must not contain control characters (tab, newline, ...)'],
    ['a #', 'v3/a#b', 'must not contain "#" (a fragment is never sent)'],
    ['a \\', 'v3/a\\b', 'must not contain "\\" (URL parsers read it as "/")'],
    ['a . segment', 'v3/./b', 'must not contain "." or ".." segments'],
    ['a %2e. segment', 'v3/%2e./b', 'must not contain "." or ".." segments'],
  ])('refuses a template with %s, naming the template and the rule', async (_, template, issue) => {
    expect(await issuesOf(() => chain(template).get())).toEqual([{ path: 'path', issue: `/${template} ${issue}` }]);
  });

  it('names every rule a template breaks at once', async () => {
    const template = 'https://h/..\\a#x';
    expect((await issuesOf(() => chain(template).get())).map(({ issue }) => issue)).toEqual([
      `/${template} must be a path relative to baseURL, without a scheme or host`,
      `/${template} must not contain "#" (a fragment is never sent)`,
      `/${template} must not contain "\\" (URL parsers read it as "/")`,
      `/${template} must not contain "." or ".." segments`,
    ]);
  });

  it('sends templates whose dots are not whole segments, and dots in the query (control)', async () => {
    await chain('v3/a.b/...c/x?k=..').get();
    expect(fixture.gateway.received.at(-1)!.url).toBe('/v3/a.b/...c/x?k=..');
    expect(fixture.gateway.received.at(-1)!.authorized).toBe(true);
  });
});
