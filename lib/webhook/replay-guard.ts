import type { ClientLogger } from '../observe/observer';
import type { Store } from '../store/store';
import { MAX_CLOCK_SKEW_SECONDS } from '../verify/signed-message';
import { WebhookError } from './errors';

export interface ReplayGuardOptions {
  /** How long a nonce is remembered (default 600 s: past it the timestamp check refuses the callback anyway). */
  ttlSeconds?: number;
  /** At most this many nonces are kept, oldest dropped first (default 10 000). In-memory guard only. */
  maxEntries?: number;
  /**
   * Remember nonces in this store instead of this process's memory: every receiver sharing it (`redisStore(client)`
   * from `wechatpay-chain/redis`) refuses the others' replays. Asynchronous: use `parseAsync` or `listener`.
   */
  store?: Store;
}

const DEFAULT_TTL_SECONDS = 2 * MAX_CLOCK_SKEW_SECONDS;

/**
 * Remembers the `Wechatpay-Nonce` of callbacks already accepted, so the same signed callback sent again (a replay,
 * within the 300 s the timestamp allows) is recognised. In-memory: each process has its own; a fleet of receivers
 * still needs business-level idempotency (dedupe by `envelope.id` or the order number).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: ReplayGuardOptions = {}) {
    this.ttlMs = (options.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Record `nonce`; false when it was already recorded (and has not expired). */
  admit(nonce: string, now = Date.now()): boolean {
    this.expire(now);
    const until = this.seen.get(nonce);
    if (until !== undefined && until > now) return false;
    this.seen.set(nonce, now + this.ttlMs);
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  /** Forget `nonce`: the callback was not handled, so WeChat Pay's redelivery must get through. */
  release(nonce: string): void {
    this.seen.delete(nonce);
  }

  private expire(now: number): void {
    // insertion order is expiry order (one ttl for all), so the scan stops at the first live entry
    for (const [nonce, until] of this.seen) {
      if (until > now) return;
      this.seen.delete(nonce);
    }
  }
}

/**
 * The replay guard over a shared `Store`: a nonce is admitted by whichever receiver writes it first (`setIfAbsent`).
 * A store that fails makes the callback fail (fails closed, answered 503 so WeChat Pay retries later): admitting
 * it unchecked could run a replayed payment notification twice.
 */
export class StoreReplayGuard {
  private readonly ttlSeconds: number;

  constructor(
    private readonly store: Store,
    ttlSeconds: number | undefined,
    private readonly logger?: ClientLogger,
  ) {
    this.ttlSeconds = ttlSeconds ?? DEFAULT_TTL_SECONDS;
  }

  /** @throws WebhookError `REPLAYED` for a nonce already admitted, `REPLAY_GUARD_UNAVAILABLE` when the store fails */
  async admit(nonce: string): Promise<void> {
    let first: boolean;
    try {
      first = await this.store.setIfAbsent(keyOf(nonce), '1', this.ttlSeconds);
    } catch (error) {
      this.report('setIfAbsent', error, 'callback refused with 503 so WeChat Pay retries it');
      throw new WebhookError(
        'REPLAY_GUARD_UNAVAILABLE',
        'the replay guard store did not answer: the callback is refused so WeChat Pay sends it again later',
      );
    }
    if (!first) throw new WebhookError('REPLAYED', 'this callback (its Wechatpay-Nonce) was already accepted');
  }

  /** Forget `nonce` (its handler failed). A store that fails here is reported: the redelivery is refused until the ttl. */
  async release(nonce: string): Promise<void> {
    try {
      await this.store.delete(keyOf(nonce));
    } catch (error) {
      this.report(
        'delete',
        error,
        `WeChat Pay's redelivery of this callback is refused as a replay for up to ${this.ttlSeconds} s`,
      );
    }
  }

  private report(operation: string, error: unknown, outcome: string): void {
    const event = {
      type: 'store' as const,
      use: 'replayGuard' as const,
      operation,
      error: error instanceof Error ? error.message : String(error),
      outcome,
    };
    try {
      this.logger?.error?.(`wechatpay-chain replayGuard store ${operation} failed (${event.error}): ${outcome}`, event);
    } catch {
      // a throwing logger must not change the reply
    }
  }
}

const keyOf = (nonce: string) => `replay:${nonce}`;

/** The guards a receiver was configured with: in memory, over a store, or neither. */
export interface ReplayGuards {
  replays?: ReplayGuard;
  sharedReplays?: StoreReplayGuard;
}

/** Admit a verified callback's nonce with whichever guard is configured. @throws WebhookError `REPLAYED` and the like */
export async function admitNonce(guards: ReplayGuards, nonce: string): Promise<void> {
  if (guards.replays && !guards.replays.admit(nonce)) {
    throw new WebhookError('REPLAYED', 'this callback (its Wechatpay-Nonce) was already accepted');
  }
  await guards.sharedReplays?.admit(nonce);
}

/** The handler failed: forget the nonce so WeChat Pay's redelivery gets through. */
export async function releaseNonce(guards: ReplayGuards, nonce: string): Promise<void> {
  guards.replays?.release(nonce);
  await guards.sharedReplays?.release(nonce);
}
