import { createCipheriv, randomBytes, sign } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureError, Webhook, WebhookError } from '../../lib';
import { CALLBACK_APIV3_KEY } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

/**
 * What a callback must be to be handled, pinned through the public `Webhook`: each callback below is validly signed by
 * the platform key (built with node:crypto alone) except for the one property under test, and the clock is fixed
 * through the `now` option so the 300 s bounds are exact.
 */

const NOW = 1_796_550_000;
const webhook = new Webhook({
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
  apiv3Key: CALLBACK_APIV3_KEY,
  now: () => NOW,
});

function encrypted(plaintext: string, nonce = randomBytes(6).toString('hex'), key = CALLBACK_APIV3_KEY) {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return {
    original_type: 'transaction',
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: ciphertext.toString('base64'),
    associated_data: 'transaction',
    nonce,
  };
}

function envelope(resource: unknown): string {
  return JSON.stringify({
    id: 'EV-1',
    create_time: '2026-12-06T12:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource,
  });
}

/** Headers that sign `body` with `timestamp` exactly as given (a string, signed as it is sent). */
function signed(body: string, timestamp: string = String(NOW), nonce = randomBytes(16).toString('hex')) {
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKeys().privateKey);
  return {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature.toString('base64'),
    'wechatpay-serial': PLATFORM_SERIAL,
  };
}

const paid = () => envelope(encrypted(JSON.stringify({ out_trade_no: 'T1', trade_state: 'SUCCESS' })));

function failure(input: { headers: unknown; body: unknown }): unknown {
  try {
    webhook.parse(input as never);
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
}

describe('a callback timestamp is ASCII digits within 300 s of local time', () => {
  it.each([
    ['a leading space', ` ${NOW}`],
    ['a trailing space', `${NOW} `],
    ['a decimal fraction', `${NOW}.0`],
    ['a plus sign', `+${NOW}`],
    ['exponent notation', '1.79655e9'],
    ['hexadecimal', `0x${NOW.toString(16)}`],
    ['nothing but a space', ' '],
  ])('refuses a signed timestamp with %s as TIMESTAMP_SKEW, naming it', (_, timestamp) => {
    const body = paid();
    const error = failure({ headers: signed(body, timestamp), body });
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ reason: 'TIMESTAMP_SKEW' });
    expect((error as Error).message).toBe(
      `TIMESTAMP_SKEW: Wechatpay-Timestamp ${timestamp} is more than 300 s from local time ${NOW}`,
    );
  });

  it.each([-300, -299, 0, 299, 300])('accepts a timestamp %i s from local time', (offset) => {
    const body = paid();
    expect(webhook.parse({ headers: signed(body, String(NOW + offset)), body }).resource).toEqual({
      out_trade_no: 'T1',
      trade_state: 'SUCCESS',
    });
  });

  it.each([-301, 301])('refuses a timestamp %i s from local time as TIMESTAMP_SKEW', (offset) => {
    const body = paid();
    expect(failure({ headers: signed(body, String(NOW + offset)), body })).toMatchObject({ reason: 'TIMESTAMP_SKEW' });
  });
});

describe('a callback carries each signature header exactly once', () => {
  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Serial', 'Wechatpay-Signature'])(
    'refuses a repeated %s (as a fetch Headers object joins it) as HEADERS_MISSING',
    (name) => {
      const body = paid();
      const headers = new Headers(signed(body));
      headers.append(name, headers.get(name)!);
      const error = failure({ headers, body });
      expect(error).toBeInstanceOf(SignatureError);
      expect((error as Error).message).toBe(`HEADERS_MISSING: reply repeats ${name}: exactly one of each`);
    },
  );

  it.each(['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-serial', 'wechatpay-signature'])(
    'refuses a repeated %s given as an array (a framework header object), not reading its first value',
    (name) => {
      const body = paid();
      const headers: Record<string, unknown> = Object.fromEntries(
        Object.entries(signed(body)).map(([key, value]) => [key.toLowerCase(), value]),
      );
      headers[name] = [headers[name], headers[name]];
      expect((failure({ headers, body }) as Error).message).toMatch(/^HEADERS_MISSING: reply repeats Wechatpay-/);
      headers[name] = [(headers[name] as unknown[])[0]];
      expect(() => webhook.parse({ headers, body } as never)).not.toThrow();
    },
  );

  it('refuses a repeated header that reached node as two lines, over a loopback listener', async () => {
    const body = paid();
    const handled: unknown[] = [];
    const server = createServer(webhook.listener((event) => void handled.push(event)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const post = (headers: Record<string, string | string[]>) =>
      new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/notify', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              type: res.headers['content-type'],
              body: Buffer.concat(chunks).toString(),
            }),
          );
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const headers = signed(body);
      const twice = await post({ ...headers, 'wechatpay-nonce': [headers['wechatpay-nonce'], 'other'] });
      expect(twice.status).toBe(401);
      expect(twice.type).toBe('application/json');
      expect(JSON.parse(twice.body)).toEqual({
        code: 'FAIL',
        message: 'HEADERS_MISSING: reply repeats Wechatpay-Nonce: exactly one of each',
      });
      expect(handled).toHaveLength(0);
      const handledReply = await post(headers);
      expect(handledReply).toEqual({ status: 204, type: undefined, body: '' });
      expect(handled).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names each missing header, and the headers themselves when they are not an object', () => {
    const body = paid();
    const { 'wechatpay-serial': _serial, ...unsigned } = signed(body);
    expect((failure({ headers: unsigned, body }) as Error).message).toBe(
      'HEADERS_MISSING: reply lacks Wechatpay-Serial',
    );
    const nulled = { ...signed(body), 'wechatpay-nonce': null };
    expect((failure({ headers: nulled, body }) as Error).message).toBe('HEADERS_MISSING: reply lacks Wechatpay-Nonce');
    expect((failure({ headers: null, body }) as Error).message).toBe('HEADERS_MISSING: callback headers are null');
    expect((failure({ headers: 'x', body }) as Error).message).toBe('HEADERS_MISSING: callback headers are string');
    expect((failure({ headers: undefined, body }) as Error).message).toBe(
      'HEADERS_MISSING: callback headers are undefined',
    );
  });

  it('folds header names of any casing, the last spelling winning', () => {
    const body = paid();
    const headers = signed(body);
    const upper = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
    // an earlier lower-case spelling carrying a wrong value, then the real one in upper case: the later one is read
    const both = { 'wechatpay-nonce': 'stale', ...upper };
    expect(webhook.parse({ headers: both, body }).serial).toBe(PLATFORM_SERIAL);
    // a name with an upper-case letter only at its end is still folded
    const trailing = { ...headers, 'content-typE': 'application/json' };
    expect(webhook.parse({ headers: trailing, body }).serial).toBe(PLATFORM_SERIAL);
  });
});

describe('the body is the raw bytes that were signed', () => {
  it('accepts a Uint8Array (what fetch-style frameworks hand over) as well as a Buffer and a string', () => {
    const body = paid();
    const headers = signed(body);
    const bytes = new Uint8Array(Buffer.from(body));
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(webhook.parse({ headers, body: bytes }).resource).toEqual({ out_trade_no: 'T1', trade_state: 'SUCCESS' });
  });

  it.each([
    [null, 'null'],
    [{ id: 'EV-1' }, 'object'],
    [42, 'number'],
    [undefined, 'undefined'],
  ])('refuses a %p body as BODY_NOT_RAW, saying what it is and what to give instead', (body, kind) => {
    const error = failure({ headers: signed(paid()), body });
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as WebhookError).message).toBe(
      `BODY_NOT_RAW: body is ${kind}, not the raw request body: a parsed object cannot be re-serialised to the ` +
        "signed bytes. Give the raw body (Express: express.raw({ type: 'application/json' }); Koa/Fastify: the raw body option)",
    );
  });

  it('refuses a call without { headers, body }, saying what parse takes', () => {
    for (const input of [null, undefined, 'body']) {
      const error = failure(input as never);
      expect(error).toBeInstanceOf(WebhookError);
      expect((error as WebhookError).message).toBe('MALFORMED: parse takes { headers, body } (the raw request body)');
    }
  });
});

describe('a verified callback must be an envelope with an AEAD_AES_256_GCM resource', () => {
  const good = () => encrypted('{"ok":1}');
  it.each<[string, () => string, string]>([
    ['a body that is not JSON', () => 'not json', 'callback body is not JSON'],
    ['JSON null', () => 'null', 'callback has no encrypted resource (resource.ciphertext, resource.nonce)'],
    [
      'no resource',
      () => envelope(undefined),
      'callback has no encrypted resource (resource.ciphertext, resource.nonce)',
    ],
    [
      'a numeric ciphertext',
      () => envelope({ ...good(), ciphertext: 42 }),
      'callback has no encrypted resource (resource.ciphertext, resource.nonce)',
    ],
    [
      'no nonce',
      () => envelope({ ...good(), nonce: undefined }),
      'callback has no encrypted resource (resource.ciphertext, resource.nonce)',
    ],
    [
      'another algorithm',
      () => envelope({ ...good(), algorithm: 'AES_128_CBC' }),
      'unsupported resource algorithm AES_128_CBC',
    ],
    ['no algorithm', () => envelope({ ...good(), algorithm: undefined }), 'unsupported resource algorithm undefined'],
  ])('refuses %s as MALFORMED, saying what is wrong', (_, make, message) => {
    const body = make();
    const error = failure({ headers: signed(body), body });
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ reason: 'MALFORMED', message: `MALFORMED: ${message}` });
  });

  it('refuses a resource that does not decrypt with the APIv3 key, saying so', () => {
    const body = envelope(encrypted('{"ok":1}', undefined, 'x'.repeat(32)));
    expect(failure({ headers: signed(body), body })).toMatchObject({
      reason: 'DECRYPT_FAILED',
      message: 'DECRYPT_FAILED: resource does not decrypt with the APIv3 key (wrong key, or tampered)',
    });
  });

  it('decrypts a resource without associated_data as one with empty associated data', () => {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(CALLBACK_APIV3_KEY), Buffer.from(nonce));
    const ciphertext = Buffer.concat([cipher.update('{"ok":2}'), cipher.final(), cipher.getAuthTag()]);
    const body = envelope({
      original_type: 'x',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ciphertext.toString('base64'),
      nonce,
    });
    expect(webhook.parse({ headers: signed(body), body }).resource).toEqual({ ok: 2 });
  });

  it('keeps a resource that is plain text as the text', () => {
    const body = envelope(encrypted('certificate text'));
    expect(webhook.parse({ headers: signed(body), body }).resource).toBe('certificate text');
  });
});

describe('handle() says what happened and what to answer, and never throws', () => {
  it('ok: true with the event and a 204 reply for a verified callback', () => {
    const body = paid();
    const result = webhook.handle({ headers: signed(body), body });
    expect(result).toMatchObject({
      ok: true,
      serial: PLATFORM_SERIAL,
      resource: { out_trade_no: 'T1', trade_state: 'SUCCESS' },
      reply: { status: 204 },
    });
    expect(result.ok && result.envelope.id).toBe('EV-1');
  });

  it('ok: false with 401 for a signature failure and 400 for a malformed callback, each with its message', () => {
    const body = paid();
    const forged = webhook.handle({ headers: { ...signed(body), 'wechatpay-timestamp': String(NOW - 100) }, body });
    expect(forged).toMatchObject({
      ok: false,
      reply: { status: 401, body: { code: 'FAIL', message: expect.stringMatching(/^SIGNATURE_MISMATCH: /) } },
    });
    const malformed = webhook.handle({ headers: signed('x'), body: 'x' });
    expect(malformed).toEqual({
      ok: false,
      error: expect.any(WebhookError),
      reply: { status: 400, body: { code: 'FAIL', message: 'MALFORMED: callback body is not JSON' } },
    });
  });

  it('answers 500 without details for an error that is not ours, and 204 for a replay', () => {
    expect(Webhook.replyFor(new Error('database password is hunter2'))).toEqual({
      status: 500,
      body: { code: 'FAIL', message: 'callback handling failed' },
    });
    expect(Webhook.replyFor(new WebhookError('REPLAYED', 'again'))).toEqual({ status: 204 });
    expect(Webhook.replyFor(new WebhookError('MALFORMED', 'x'))).toEqual({
      status: 400,
      body: { code: 'FAIL', message: 'MALFORMED: x' },
    });
  });

  it('refuses a replay with a message saying so when the guard is on', () => {
    const guarded = new Webhook({
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      apiv3Key: CALLBACK_APIV3_KEY,
      now: () => NOW,
      replayGuard: true,
    });
    const body = paid();
    const headers = signed(body);
    expect(guarded.handle({ headers, body }).ok).toBe(true);
    expect(guarded.handle({ headers, body })).toMatchObject({
      ok: false,
      error: { reason: 'REPLAYED', message: 'REPLAYED: this callback (its Wechatpay-Nonce) was already accepted' },
      reply: { status: 204 },
    });
  });
});
