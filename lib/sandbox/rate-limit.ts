import type { Clock } from './clock';

/** Sliding-window counters: at most `limit` calls per `windowMs` per key. Memory is limit entries per key. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts the call and says whether it is within the limit. */
  allow(key: string): boolean {
    const now = this.clock.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.calls.set(key, recent);
      return false;
    }
    recent.push(now);
    this.calls.set(key, recent);
    return true;
  }
}
