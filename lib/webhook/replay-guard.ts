import { MAX_CLOCK_SKEW_SECONDS } from '../verify/signed-message';

export interface ReplayGuardOptions {
  /** How long a nonce is remembered (default 600 s: past it the timestamp check refuses the callback anyway). */
  ttlSeconds?: number;
  /** At most this many nonces are kept, oldest dropped first (default 10 000). */
  maxEntries?: number;
}

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
    this.ttlMs = (options.ttlSeconds ?? 2 * MAX_CLOCK_SKEW_SECONDS) * 1000;
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
