/** Milliseconds since the epoch; injectable so tests can move time (rate windows, re-entry, skew). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

export const seconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

/** RFC 3339 in China Standard Time, as WeChat Pay writes times. */
export function rfc3339(ms: number): string {
  const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}
