import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeBackend } from '../crypto/backend';
import { readRawBody } from '../http/raw-body';
import type { KeyLike } from '../crypto/keys';
import { ConfigError, SignatureError, WechatpayError } from '../errors';
import type { ClientLogger } from '../observe/observer';
import { PlatformKeys } from '../verify/platform-keys';
import { signatureHeaderValues, type HeaderLookup, type SignatureHeaderValues } from '../verify/signed-message';
import { ReplayGuard, type ReplayGuardOptions, type StoreReplayGuard } from './replay-guard';
import { webhookSettings } from './options';
import { rawBodyOf } from './raw-request';
import { WebhookError, type WebhookFailure } from './errors';
import type { AnyCallbackEvent, CallbackEvent, WebhookEvent } from './events';
import { openCallback } from './open-callback';

export { WebhookError, type WebhookFailure };

export interface CallbackResource {
  original_type: string;
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

export interface CallbackEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  resource: CallbackResource;
}

/** What to answer WeChat Pay: 204 when handled, else 4xx/5xx with `{ code: 'FAIL', message }` so it retries. */
export interface WebhookReply {
  status: number;
  body?: { code: 'FAIL'; message: string };
}

export type { WebhookEvent, CallbackEvent } from './events';

/** `handle`'s result: the event, or what went wrong and what to answer. */
export type HandledCallback<E> = ({ ok: true } & E) | { ok: false; error: unknown; reply: WebhookReply };

export type CallbackHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface WebhookOptions {
  certs: Record<string, KeyLike> | PlatformKeys;
  apiv3Key: string;
  /** Unix seconds; for tests. */
  now?: () => number;
  /**
   * Refuse a callback whose `Wechatpay-Nonce` was already accepted (`REPLAYED`): in this process's memory, or with
   * `{ store }` in a store every receiver shares (then use `parseAsync` or `listener`); see docs/callbacks.md.
   */
  replayGuard?: boolean | ReplayGuardOptions;
  /** Told when the replay guard's store fails (`console` fits); no key or body is ever logged. */
  logger?: ClientLogger;
}

/** A callback's headers, read once: the four signature values, and a lookup for anything an error may name. */
interface CallbackHeaderReading {
  values: SignatureHeaderValues;
  header: HeaderLookup;
}

function readHeaders(headers: CallbackHeaders): CallbackHeaderReading {
  if (typeof headers !== 'object' || headers === null) {
    throw new SignatureError('HEADERS_MISSING', `callback headers are ${headers === null ? 'null' : typeof headers}`);
  }
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const header = (name: string) => (headers as { get(name: string): string | null }).get(name) ?? undefined;
    return { values: signatureHeaderValues(header), header };
  }
  const record = headers as Record<string, unknown>;
  // node's IncomingMessage headers are already lower case: read as they are. Any other casing (a framework's own
  // header object) is folded first, the last spelling winning.
  const source = hasUpperCaseName(record) ? lowerCased(record) : record;
  return {
    values: {
      timestamp: ownHeader(source, 'wechatpay-timestamp'),
      nonce: ownHeader(source, 'wechatpay-nonce'),
      signature: ownHeader(source, 'wechatpay-signature'),
      serial: ownHeader(source, 'wechatpay-serial'),
    },
    header: (name) => ownHeader(source, name),
  };
}

/**
 * Own properties only: a polluted `Object.prototype` must not supply a signature header. A header given as an array
 * (a framework's repeated header) is joined as node and `Headers.get` join repeats, so a repeated signature header is
 * refused the same way whichever way it arrives, not read as its first value.
 */
function ownHeader(record: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (Array.isArray(value)) return value.map(String).join(', ');
  return value === undefined || value === null ? undefined : String(value);
}

function lowerCased(record: Record<string, unknown>): Record<string, unknown> {
  const lower: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) lower[key.toLowerCase()] = value;
  return lower;
}

/** Whether any own header name has an A-Z: a char-code scan, since this runs on every callback (no regex, no array). */
function hasUpperCaseName(record: Record<string, unknown>): boolean {
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      if (code >= 0x41 && code <= 0x5a) return true;
    }
  }
  return false;
}

function rawBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new WebhookError(
    'BODY_NOT_RAW',
    `body is ${body === null ? 'null' : typeof body}, not the raw request body: a parsed object cannot be re-serialised to the ` +
      "signed bytes. Give the raw body (Express: express.raw({ type: 'application/json' }); Koa/Fastify: the raw body option)",
  );
}

/** A node `http` request listener (`Webhook.listener`). */
export type CallbackListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Receives WeChat Pay callbacks: verify like a reply (probe, skew, serial, signature), then decrypt `resource`. */
export class Webhook {
  private readonly keys: PlatformKeys;
  /**
   * The APIv3 key's bytes, checked (32 bytes) once. Not a secret KeyObject: node copies such a key out of its handle
   * on every decipher (~0.4 µs of a ~45 µs callback). Its own memory, not a slice of node's shared Buffer pool, and an
   * ES private field: `console.log`, `util.inspect` and `JSON.stringify` of the webhook never show it.
   */
  readonly #aesKey: Buffer;
  private readonly replays?: ReplayGuard;
  private readonly sharedReplays?: StoreReplayGuard;
  private readonly now?: () => number;

  /** @throws ConfigError naming `apiv3Key`, `certs` or the `certs` entry that does not load */
  constructor(options: WebhookOptions) {
    const settings = webhookSettings(options);
    ({ keys: this.keys, replays: this.replays, sharedReplays: this.sharedReplays } = settings);
    this.now = options.now;
    this.#aesKey = Buffer.alloc(32);
    this.#aesKey.write(settings.apiv3Key, 'utf8');
  }

  /**
   * The verified, decrypted callback; `event.event_type` narrows `event.resource` (`parse<R>()` types it yourself).
   * @throws SignatureError or WebhookError; nothing unverified is returned. A replay guard over a store (asynchronous)
   * needs `parseAsync` instead: `parse` then throws a ConfigError rather than skip the guard.
   */
  parse(input: { headers: CallbackHeaders; body: unknown }): CallbackEvent;
  parse<R>(input: { headers: CallbackHeaders; body: unknown }): WebhookEvent<R>;
  parse(input: { headers: CallbackHeaders; body: unknown }): WebhookEvent {
    if (this.sharedReplays) throw storeNeedsAsync();
    return this.verifyAndDecrypt(input);
  }

  /** `parse`, with the replay guard's store consulted: every receiver sharing the store refuses the others' replays. */
  parseAsync(input: { headers: CallbackHeaders; body: unknown }): Promise<CallbackEvent>;
  parseAsync<R>(input: { headers: CallbackHeaders; body: unknown }): Promise<WebhookEvent<R>>;
  async parseAsync(input: { headers: CallbackHeaders; body: unknown }): Promise<WebhookEvent> {
    const event = this.verifyAndDecrypt(input);
    if (this.sharedReplays) await this.sharedReplays.admit(readHeaders(input.headers).values.nonce!);
    return event;
  }

  private verifyAndDecrypt(input: { headers: CallbackHeaders; body: unknown }): WebhookEvent {
    if (typeof input !== 'object' || input === null) {
      throw new WebhookError('MALFORMED', 'parse takes { headers, body } (the raw request body)');
    }
    const bytes = rawBytes(input.body);
    const { values, header } = readHeaders(input.headers);
    const { replays } = this;
    return openCallback<unknown, KeyObject>(
      { bytes, header, values },
      {
        keys: this.keys,
        apiv3Key: this.#aesKey,
        backend: nodeBackend,
        now: this.now?.(),
        admit:
          replays &&
          ((nonce) => {
            if (!replays.admit(nonce)) {
              throw new WebhookError('REPLAYED', 'this callback (its Wechatpay-Nonce) was already accepted');
            }
          }),
      },
    );
  }

  /** Like `parse`, but never throws: the result says what happened and what to answer. */
  handle(input: { headers: CallbackHeaders; body: unknown }): HandledCallback<CallbackEvent>;
  handle<R>(input: { headers: CallbackHeaders; body: unknown }): HandledCallback<WebhookEvent<R>>;
  handle(input: { headers: CallbackHeaders; body: unknown }): HandledCallback<WebhookEvent> {
    try {
      return { ok: true, ...this.parse<unknown>(input) };
    } catch (error) {
      return { ok: false, error, reply: Webhook.replyFor(error) };
    }
  }

  static replyFor(error: unknown): WebhookReply {
    if (error instanceof WebhookError && error.reason === 'REPLAYED') return { status: 204 };
    if (error instanceof WebhookError && error.reason === 'REPLAY_GUARD_UNAVAILABLE') {
      // not the callback's fault: a 5xx makes WeChat Pay send it again later
      return { status: 503, body: { code: 'FAIL', message: error.message } };
    }
    const status = SignatureError.isSignatureError(error) ? 401 : error instanceof WebhookError ? 400 : 500;
    const message = WechatpayError.is(error) ? error.message : 'callback handling failed';
    return { status, body: { code: 'FAIL', message } };
  }

  /**
   * A node `http` listener (usable from Express, Koa or Fastify routes that hand over the raw req/res):
   * reads the raw body, verifies, decrypts, awaits `onEvent`, and answers 204, or 4xx/5xx so WeChat Pay retries.
   */
  listener(onEvent: (event: CallbackEvent) => void | Promise<void>): CallbackListener;
  listener<R>(onEvent: (event: WebhookEvent<R>) => void | Promise<void>): CallbackListener;
  listener(onEvent: (event: AnyCallbackEvent) => void | Promise<void>): CallbackListener {
    return (req: IncomingMessage, res: ServerResponse): void => {
      void rawBodyOf(req)
        .then(async (body) => {
          const event = await this.parseAsync<unknown>({ headers: req.headers, body });
          try {
            await onEvent(event as AnyCallbackEvent); // typed by the overloads above
          } catch (error) {
            // not handled: WeChat Pay's redelivery must not be refused as a replay
            const nonce = String(req.headers['wechatpay-nonce']);
            this.replays?.release(nonce);
            await this.sharedReplays?.release(nonce);
            throw error;
          }
          return event.reply;
        })
        .catch((error: unknown) => Webhook.replyFor(error))
        .then((reply) => send(res, reply));
    };
  }
}

function storeNeedsAsync(): ConfigError {
  return new ConfigError([
    {
      path: 'replayGuard.store',
      issue: 'is asynchronous: call parseAsync() (or use listener()), parse() and handle() cannot consult it',
    },
  ]);
}

function send(res: ServerResponse, reply: WebhookReply): void {
  if (!reply.body) {
    res.writeHead(reply.status).end();
    return;
  }
  res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
}

export { readRawBody, ReplayGuard, type ReplayGuardOptions };
