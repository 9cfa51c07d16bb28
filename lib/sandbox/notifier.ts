import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rfc3339, seconds, systemClock, type Clock } from './clock';
import { signedHeaders, type PlatformIdentity } from './platform';

export interface CallbackAttempt {
  at: number;
  status?: number;
  error?: string;
}

export interface CallbackRecord {
  id: string;
  event_type: string;
  probe: boolean;
  delivered: boolean;
  attempts: CallbackAttempt[];
  body: string;
  /** Where it was sent. */
  url: string;
}

export interface NotifierOptions {
  url?: string;
  apiv3Key: string;
  signer: () => PlatformIdentity;
  clock: Clock;
  /** Send one `WECHATPAY/SIGNTEST/` probe before the first callback, as WeChat Pay does. */
  probe: boolean;
  /** Delays before each retry of a callback not answered 2xx. */
  retryDelaysMs: number[];
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const nonce = (size: number) => [...randomBytes(size)].map((byte) => NONCE_ALPHABET[byte % 62]).join('');

/** Signed, AES-256-GCM encrypted callbacks to the merchant's notify URL, retried with backoff. */
export class Notifier {
  readonly records: CallbackRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private probed = false;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: NotifierOptions) {}

  private encrypt(plaintext: string, associatedData: string) {
    const iv = nonce(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(this.options.apiv3Key), Buffer.from(iv));
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
    return { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: associatedData, nonce: iv };
  }

  /**
   * Encrypts and signs the event now (so it carries the state of this moment) and queues its delivery to the
   * sandbox's notify URL, or else to `url` (the order's own notify_url, when local).
   */
  send(eventType: string, summary: string, originalType: string, resource: unknown, url?: string): void {
    const target = this.options.url ?? url;
    if (!target || this.stopped) return;
    const envelope = {
      id: randomUUID(),
      create_time: rfc3339(this.options.clock.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, ...this.encrypt(JSON.stringify(resource), originalType) },
    };
    const body = JSON.stringify(envelope);
    if (this.options.probe && !this.probed) {
      this.probed = true;
      this.deliver(
        {
          id: `probe-${envelope.id}`,
          event_type: eventType,
          probe: true,
          delivered: false,
          attempts: [],
          body,
          url: target,
        },
        0,
      );
    }
    this.deliver(
      { id: envelope.id, event_type: eventType, probe: false, delivered: false, attempts: [], body, url: target },
      0,
    );
  }

  private deliver(record: CallbackRecord, attempt: number): void {
    if (attempt === 0) this.records.push(record);
    const identity = this.options.signer();
    const headers = signedHeaders(identity, record.body, seconds(systemClock), nonce(32));
    if (record.probe) headers['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${headers['Wechatpay-Signature']}`;
    const url = new URL(record.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    this.inFlight++;
    const finish = (outcome: CallbackAttempt) => {
      record.attempts.push(outcome);
      const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
      record.delivered ||= ok && !record.probe;
      const delay = this.options.retryDelaysMs[attempt];
      if (!ok && !record.probe && delay !== undefined && !this.stopped) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.deliver(record, attempt + 1);
        }, delay);
        timer.unref();
        this.timers.add(timer);
      }
      this.inFlight--;
      this.wake();
    };
    const outgoing = send(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0' } },
      (res) => {
        res.resume();
        res.on('end', () => finish({ at: this.options.clock.now(), status: res.statusCode }));
      },
    );
    outgoing.setTimeout(5000, () => outgoing.destroy(new Error('callback timed out')));
    outgoing.on('error', (error) => finish({ at: this.options.clock.now(), error: error.message }));
    outgoing.end(record.body);
  }

  private wake(): void {
    if (this.inFlight > 0 || this.timers.size > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves when no callback is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wake();
  }
}
