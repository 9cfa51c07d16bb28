import { randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

/**
 * What a verified reply becomes (lib/client/verify-reply.ts): which statuses are successes, how its body is parsed
 * (JSON by content type or by shape, text otherwise, nothing for an empty body) and which parts of an error body
 * reach the `ApiError`. Every reply here is signed by the platform key at a loopback server.
 */
interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** Sent without the Wechatpay-* headers. */
  unsigned?: boolean;
}
const answers = new Map<string, Answer>();
const server = createServer((req, res) => {
  const { status, contentType, body, unsigned } = answers.get(req.url!)!;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKeys().privateKey);
  req.resume();
  if (unsigned) return void res.writeHead(status, { 'Content-Type': contentType }).end(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': PLATFORM_SERIAL,
    'Wechatpay-Signature': signature.toString('base64'),
  });
  res.end(body);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function reply(name: string, answer: Answer): Promise<unknown> {
  answers.set(`/v3/shapes/${name}`, answer);
  const instance = clientFor(base);
  return instance.v3.shapes[name]!.get().then(
    (response) => response.data,
    (error: unknown) => error,
  );
}

describe('a verified reply', () => {
  it.each<[string, Answer, unknown]>([
    ['json', { status: 200, contentType: 'application/json', body: '{"a":1}' }, { a: 1 }],
    ['jsonnumber', { status: 200, contentType: 'application/json', body: '123' }, 123],
    ['shaped', { status: 200, contentType: 'text/plain', body: '  [1,{"b":2}]' }, [1, { b: 2 }]],
    ['text', { status: 200, contentType: 'text/plain', body: 'SUCCESS' }, 'SUCCESS'],
    ['number', { status: 200, contentType: 'text/plain', body: '123' }, '123'],
    ['quoted', { status: 200, contentType: 'text/plain', body: '"a{"' }, '"a{"'],
    ['textbrace', { status: 200, contentType: 'text/plain', body: 'x{' }, 'x{'],
    ['broken', { status: 200, contentType: 'application/json', body: '{"a":' }, '{"a":'],
    ['empty', { status: 200, contentType: 'application/json', body: '' }, undefined],
  ])('%s: parsed by content type or shape, kept as text otherwise', async (name, answer, data) => {
    expect(await reply(name, answer)).toEqual(data);
  });

  it('a 300 is not a success: it is an ApiError with its status', async () => {
    const error = await reply('moved', { status: 300, contentType: 'application/json', body: '{"code":"MOVED"}' });
    expect(ApiError.isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 300, code: 'MOVED' });
  });

  it('an unsigned 300 is an ApiError too, not a reply refused as unsigned', async () => {
    const answer = { status: 300, contentType: 'application/json', body: '{"code":"MOVED"}', unsigned: true };
    const error = await reply('movedunsigned', answer);
    expect(ApiError.isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 300, code: 'MOVED', verified: false });
  });

  it.each<[string, string]>([
    ['detailtext', '{"code":"PARAM_ERROR","message":"m","detail":"not an object"}'],
    ['detailnull', '{"code":"PARAM_ERROR","message":"m","detail":null}'],
  ])('%s: an error detail that is not an object is left out of the ApiError', async (name, body) => {
    const error = await reply(name, { status: 400, contentType: 'application/json', body });
    expect(ApiError.isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'PARAM_ERROR', message: expect.stringContaining('m') });
    expect((error as ApiError).detail).toBeUndefined();
  });
});
