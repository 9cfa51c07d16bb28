import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

type Middleware = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void) => void;

/** What express.json() does: drain the stream, parse it, leave the object on req.body. */
const jsonParser: Middleware = (req, _res, next) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    next();
  });
};
/** What express.raw() does: drain the stream and leave the bytes on req.body. */
const rawParser: Middleware = (req, _res, next) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    req.body = Buffer.concat(chunks);
    next();
  });
};

/** What Express 4's json parser does for a content type it skips: `req.body = {}`, stream left unread. */
const skippingParser: Middleware = (req, _res, next) => {
  req.body = {};
  next();
};

function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // bounded: a listener that hangs fails the spec instead of the suite
    req.on('timeout', () => req.destroy(new Error('listener did not answer within 2 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Broke: behind `app.use(express.json())` the documented `webhook.listener` waited for a stream the parser had
 * already drained, so every callback hung and was lost. It must answer BODY_NOT_RAW at once.
 */
describe('regression: webhook listener behind a body parser', () => {
  const webhook = new Webhook({ certs: { [PLATFORM_SERIAL]: platformKeys().publicKey }, apiv3Key: CALLBACK_APIV3_KEY });
  let server: Server;
  let url: string;
  const handled: unknown[] = [];

  async function serve(parser: Middleware) {
    const listener = webhook.listener(async (event) => void handled.push(event.resource));
    server = createServer((req, res) => parser(req, res, () => listener(req, res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  }
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a JSON parser ahead of it: 400 BODY_NOT_RAW at once, nothing handled', async () => {
    await serve(jsonParser);
    const { headers, body } = signedCallback({ out_trade_no: 'T1' });
    const reply = await post(url, headers, body);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'FAIL', message: expect.stringMatching(/^BODY_NOT_RAW: /) });
    expect(handled).toEqual([]);
  });

  it('a parser that skipped the request (placeholder body, stream unread): the stream is read', async () => {
    await serve(skippingParser);
    const { headers, body } = signedCallback({ out_trade_no: 'T3' });
    expect((await post(url, headers, body)).status).toBe(204);
    expect(handled).toContainEqual({ out_trade_no: 'T3' });
  });

  it('a raw parser ahead of it: its bytes are used, the callback is handled', async () => {
    await serve(rawParser);
    const { headers, body } = signedCallback({ out_trade_no: 'T2' });
    const reply = await post(url, headers, body);
    expect(reply.status).toBe(204);
    expect(handled).toContainEqual({ out_trade_no: 'T2' });
  });
});
