import { ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * Broke: a BigInt, a circular reference or a throwing `toJSON` in `json` threw JSON.stringify's raw TypeError (or
 * whatever toJSON threw), and a bad header name or a header value with CR/LF reached node's http, which threw its
 * own raw error. Each must be a ValidationError naming the field, before any I/O.
 */
describe('regression: the request builder throws only our error classes', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway();
  });
  afterAll(() => fixture.gateway.stop());

  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;

  it.each<[string, Record<string, unknown>, string]>([
    ['a BigInt in json', { json: { amount: 10n } }, 'json'],
    ['a circular json', { json: circular }, 'json'],
    ['a toJSON that throws an Error', { json: { toJSON: () => JSON.parse('{') as unknown } }, 'json'],
    [
      'a toJSON that throws a string',
      {
        json: {
          toJSON() {
            throw 'nope';
          },
        },
      },
      'json',
    ],
    ['a header name with a space', { headers: { 'X Bad': '1' } }, 'headers.X Bad'],
    ['a header name with a colon', { headers: { 'X-Bad:': '1' } }, 'headers.X-Bad:'],
    ['an empty header name', { headers: { '': '1' } }, 'headers.'],
    ['a header value with CRLF', { headers: { 'X-Note': 'a\r\nInjected: 1' } }, 'headers.X-Note'],
    ['a header value with NUL', { headers: { 'X-Note': 'a\u0000b' } }, 'headers.X-Note'],
  ])('%s is a ValidationError naming the field, before I/O', async (_case, options, field) => {
    const before = fixture.gateway.received.length;
    const error = await fixture.instance.v3.x
      .post(options as never)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([field]);
    expect(fixture.gateway.received.length).toBe(before);
  });

  it('valid names and values, tab included, are sent as given (control)', async () => {
    await fixture.instance.v3.x.post({ json: { ok: 1 }, headers: { 'X-Trace_Id.1': 'a\tb é' } });
    expect(fixture.gateway.received.at(-1)!.headers['x-trace_id.1']).toBe('a\tb é');
  });
});
