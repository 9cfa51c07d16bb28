/** A Map that forgets its least recently used entry beyond `capacity`. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  /**
   * The entry last read or written is already the most recent: reading it again moves nothing, so it is answered
   * without the delete and re-insert (a call through a held node hits the same entry every time).
   */
  private lastKey: K | undefined;
  private lastValue: V | undefined;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('LRU capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (key === this.lastKey && this.lastValue !== undefined) return this.lastValue;
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.lastKey = key;
      this.lastValue = value;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    // the oldest entry goes, never this one: capacity is at least 1
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    this.lastKey = key;
    this.lastValue = value;
  }
}
