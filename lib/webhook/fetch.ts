import { backendNamed, defaultBackend, type BackendName, type CryptoBackend } from '../crypto/backend';
import type { KeyLike } from '../crypto/keys';
import { ConfigError, type FieldIssue } from '../errors';
import type { ClientLogger } from '../observe/observer';
import { PlatformKeys } from '../verify/platform-keys';
import { verifySignedMessageAsync } from '../verify/signed-message';
import { Webhook, WebhookError, asEnvelope, type WebhookReply } from './index';
import type { AnyCallbackEvent, CallbackEvent, WebhookEvent } from './events';
import { FETCH_WEBHOOK_OPTIONS, loggerIssues, replayGuardOf, unknownOptionIssues } from './options';
import { apiv3KeyIssue } from '../config/apiv3-key';
import { admitNonce, releaseNonce, type ReplayGuardOptions, type ReplayGuards } from './replay-guard';

/** WeChat Pay sends callbacks of a few KiB; anything far larger is refused before it is buffered whole. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface FetchWebhookOptions {
  certs: Record<string, KeyLike>;
  apiv3Key: string;
  /** Default: `node` on Node, `webcrypto` elsewhere. */
  backend?: BackendName;
  /** Unix seconds; for tests. */
  now?: () => number;
  /** As `Webhook`'s: in memory (`true`, `{ ttlSeconds, maxEntries }`) or shared through `{ store }`. */
  replayGuard?: boolean | ReplayGuardOptions;
  /** Told when the replay guard's store fails (`console` fits). */
  logger?: ClientLogger;
}

const tooLarge = () => new WebhookError('MALFORMED', `callback body exceeds ${MAX_BODY_BYTES} bytes`);

/**
 * Read at most `limit` bytes of a body stream, cancelling it past the limit: callback URLs are public, and a chunked
 * body has no length to refuse up front, so counting is the only bound that holds before the bytes are in memory.
 */
export async function readBounded(stream: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // not awaited: a source that never settles its cancel must not hold the refusal
      reader.cancel('callback body over the limit').catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

async function rawBody(request: Request): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  // a Request without a body stream (no body at all) has nothing to count
  if (!request.body) return Buffer.from(await request.arrayBuffer());
  return readBounded(request.body, MAX_BODY_BYTES);
}

/**
 * Callbacks on the Fetch API (Cloudflare Workers, Deno, Bun, Node's `Request`): a `Request` in, a `Response` out.
 * Verifies like `Webhook` (probe, skew, serial, signature) and decrypts `resource`, through a crypto backend, so
 * it runs where node:crypto does not. Build it with `await FetchWebhook.create(...)`: keys are imported once.
 */
export class FetchWebhook<K = unknown> {
  /** An ES private field: `console.log`, `util.inspect` and `JSON.stringify` of the webhook never show the key. */
  readonly #apiv3Key: string;

  private constructor(
    private readonly keys: PlatformKeys<K>,
    apiv3Key: string,
    private readonly backend: CryptoBackend<K>,
    private readonly now?: () => number,
    private readonly guards: ReplayGuards = {},
  ) {
    this.#apiv3Key = apiv3Key;
  }

  /** @throws ConfigError naming `apiv3Key` or the `certs` entry that does not load */
  static async create(options: FetchWebhookOptions): Promise<FetchWebhook> {
    const bag = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
    const issues: FieldIssue[] = unknownOptionIssues(bag, FETCH_WEBHOOK_OPTIONS);
    issues.push(...loggerIssues(bag.logger));
    const guards = replayGuardOf(bag.replayGuard, options.logger, issues);
    const backend = backendNamed(options.backend ?? defaultBackend()) as CryptoBackend<unknown>;
    const keyIssue = apiv3KeyIssue(options.apiv3Key);
    if (keyIssue !== undefined) issues.push({ path: 'apiv3Key', issue: keyIssue });
    const entries = await Promise.all(
      Object.entries(options.certs ?? {}).map(([serial, thing]) =>
        backend.importKey(thing, 'public').then(
          (key): [string, unknown] => [serial, key],
          (error: unknown) => {
            issues.push({ path: `certs.${serial}`, issue: `does not load: ${(error as Error).message}` });
            return undefined;
          },
        ),
      ),
    );
    if (entries.length === 0) issues.push({ path: 'certs', issue: 'is required: the WeChat Pay public key' });
    if (issues.length > 0) throw new ConfigError(issues);
    const keys = PlatformKeys.fromImported(entries as Array<[string, unknown]>);
    return new FetchWebhook(keys, options.apiv3Key, backend, options.now, guards);
  }

  /**
   * The verified, decrypted callback; `event.event_type` narrows `event.resource` (`parse<R>()` types it yourself).
   * @throws SignatureError or WebhookError; nothing unverified is returned
   */
  parse(request: Request): Promise<CallbackEvent>;
  parse<R>(request: Request): Promise<WebhookEvent<R>>;
  async parse(request: Request): Promise<WebhookEvent> {
    const bytes = await rawBody(request);
    const header = (name: string) => request.headers.get(name) ?? undefined;
    const serial = await verifySignedMessageAsync(
      { header, body: bytes, keys: this.keys, now: this.now?.() },
      (m, s, k) => this.backend.verify(m, s, k),
    );
    const envelope = asEnvelope(bytes);
    // checked once the signature holds, so forged callbacks cannot fill the guard
    await admitNonce(this.guards, header('wechatpay-nonce')!);
    const { ciphertext, nonce, associated_data: aad = '' } = envelope.resource;
    let plaintext: string;
    try {
      plaintext = await this.backend.aesGcmDecrypt(ciphertext, this.#apiv3Key, nonce, aad);
    } catch {
      throw new WebhookError('DECRYPT_FAILED', 'resource does not decrypt with the APIv3 key (wrong key, or tampered)');
    }
    let resource: unknown = plaintext;
    try {
      resource = JSON.parse(plaintext);
    } catch {
      // some resources are plain text; keep them as they are
    }
    return { event_type: envelope.event_type, envelope, resource, serial, reply: { status: 204 } };
  }

  /**
   * A fetch handler: verify, decrypt, await `onEvent`, and answer 204, or 4xx/5xx `{ code: 'FAIL', message }`
   * so WeChat Pay retries. Usable as a Worker's `fetch`, `Deno.serve` or `Bun.serve` handler.
   */
  respond(request: Request, onEvent: (event: CallbackEvent) => void | Promise<void>): Promise<Response>;
  respond<R>(request: Request, onEvent: (event: WebhookEvent<R>) => void | Promise<void>): Promise<Response>;
  async respond(request: Request, onEvent: (event: AnyCallbackEvent) => void | Promise<void>): Promise<Response> {
    let reply: WebhookReply;
    try {
      const event = await this.parse<unknown>(request);
      try {
        await onEvent(event as AnyCallbackEvent); // typed by the overloads above
      } catch (error) {
        // not handled: WeChat Pay's redelivery must not be refused as a replay
        await releaseNonce(this.guards, request.headers.get('wechatpay-nonce')!);
        throw error;
      }
      reply = event.reply;
    } catch (error) {
      reply = Webhook.replyFor(error);
    }
    return toResponse(reply);
  }
}

export function toResponse(reply: WebhookReply): Response {
  if (!reply.body) return new Response(null, { status: reply.status });
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: { 'Content-Type': 'application/json' },
  });
}
