import { FetchWebhook, Webhook, WebhookError } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

const LIMIT = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A chunked body of `total` bytes made on demand, counting how many bytes the reader pulled. */
function lazyBody(total: number) {
  const pulled = { bytes: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) {
        controller.close();
        return;
      }
      pulled.bytes += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { stream, pulled };
}

/**
 * Broke: FetchWebhook applied its 1 MiB limit after `request.arrayBuffer()` had read the whole body, so a chunked
 * body of 64 or 256 MiB (no Content-Length to refuse up front) was held in memory first, on a public callback URL.
 */
describe('regression: FetchWebhook stops reading a callback body at its 1 MiB limit', () => {
  it('refuses a 64 MiB chunked body having pulled little more than the limit, and cancels the stream', async () => {
    const webhook = await FetchWebhook.create({
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      apiv3Key: CALLBACK_APIV3_KEY,
    });
    const { headers } = signedCallback({ out_trade_no: 'BIG' });
    const { stream, pulled } = lazyBody(64 * LIMIT);
    const request = new Request('http://127.0.0.1/callback', {
      method: 'POST',
      headers,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    const failure = await webhook.parse(request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WebhookError);
    expect(failure).toMatchObject({ reason: 'MALFORMED', message: expect.stringMatching(/exceeds 1048576 bytes/) });
    // the stream may run a chunk or two ahead of the reader (its queue), never the whole body
    expect(pulled.bytes).toBeLessThanOrEqual(LIMIT + 4 * CHUNK);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled.cancelled).toBe(true);
    // the answer WeChat Pay would get through respond()
    expect(Webhook.replyFor(failure).status).toBe(400);
  });

  it('still reads a body within the limit whole, however it is chunked', async () => {
    const webhook = await FetchWebhook.create({
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      apiv3Key: CALLBACK_APIV3_KEY,
    });
    const callback = signedCallback({ out_trade_no: 'SMALL' });
    const bytes = Buffer.from(callback.body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 7) controller.enqueue(bytes.subarray(at, at + 7));
        controller.close();
      },
    });
    const request = new Request('http://127.0.0.1/callback', {
      method: 'POST',
      headers: callback.headers,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expect(webhook.parse(request)).resolves.toMatchObject({ resource: { out_trade_no: 'SMALL' } });
  });
});
