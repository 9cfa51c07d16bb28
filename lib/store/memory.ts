import type { Store } from './store';

export interface MemoryStoreOptions {
  /** At most this many live entries, the soonest to expire dropped first (default 10 000). */
  maxEntries?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

/** A `Store` in this process's memory: the default. Entries expire lazily, on the next access. */
export class MemoryStore implements Store {
  private readonly entries = new Map<string, { value: string; until: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key)?.value);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
    return Promise.resolve();
  }

  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    // read and write in one synchronous step: nothing else runs in between, so this is atomic within the process
    if (this.live(key)) return Promise.resolve(false);
    this.write(key, value, ttlSeconds);
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  private live(key: string): { value: string; until: number } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private write(key: string, value: string, ttlSeconds: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + ttlSeconds * 1000 });
    if (this.entries.size > this.maxEntries) this.dropOne();
  }

  /** Over the bound: drop the entry that expires soonest (an expired one, if any). */
  private dropOne(): void {
    let soonest: string | undefined;
    let until = Infinity;
    for (const [key, entry] of this.entries) {
      if (entry.until < until) [soonest, until] = [key, entry.until];
    }
    if (soonest !== undefined) this.entries.delete(soonest);
  }
}
