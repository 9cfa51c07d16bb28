/**
 * Deadlines of calls in flight, without a node timer per call. A Timeout per request costs more than its
 * allocation: arming and clearing it moves node's timer lists and its ref count, about 9 µs of main-thread time
 * per sequential call on the 2-core bench machine. Calls with the same timeout expire in the order they started,
 * so each duration's deadlines form a FIFO queue and only its oldest live entry needs a timer: one unref'd timer
 * per distinct timeout, re-armed when it fires. The call's own socket keeps the process alive, as it would anyway.
 */
export interface Deadline {
  readonly at: number;
  /** Settled: expired, or cancelled by the call. */
  done: boolean;
  readonly expire: () => void;
}

interface Queue {
  readonly ms: number;
  entries: Deadline[];
  /** Index of the oldest entry that may still be live. */
  head: number;
  timer?: NodeJS.Timeout;
}

const queues = new Map<number, Queue>();

function arm(queue: Queue, delay: number): void {
  queue.timer = setTimeout(fire, Math.max(1, Math.ceil(delay)), queue);
  queue.timer.unref();
}

function fire(queue: Queue): void {
  queue.timer = undefined;
  const now = performance.now();
  const { entries } = queue;
  while (queue.head < entries.length) {
    const entry = entries[queue.head]!;
    if (!entry.done && entry.at > now) return arm(queue, entry.at - now);
    queue.head += 1;
    if (!entry.done) {
      entry.done = true;
      entry.expire();
    }
  }
  queues.delete(queue.ms); // nothing left in flight with this timeout
}

/** Call `expire` once `ms` have passed, unless the returned deadline is cancelled first. */
export function startDeadline(ms: number, expire: () => void): Deadline {
  let queue = queues.get(ms);
  if (queue === undefined) {
    queue = { ms, entries: [], head: 0 };
    queues.set(ms, queue);
  }
  const entry: Deadline = { at: performance.now() + ms, done: false, expire };
  queue.entries.push(entry);
  // an armed timer is for an older entry, due no later than this one
  if (queue.timer === undefined) arm(queue, ms);
  return entry;
}

export function cancelDeadline(entry: Deadline, ms: number): void {
  entry.done = true;
  const queue = queues.get(ms);
  if (queue === undefined) return;
  const { entries } = queue;
  // settled entries at the head are dropped now, so a queue of calls that finish in time stays short
  while (queue.head < entries.length && entries[queue.head]!.done) queue.head += 1;
  if (queue.head === entries.length) {
    entries.length = 0;
    queue.head = 0;
  } else if (queue.head > 1024 && queue.head * 2 > entries.length) {
    queue.entries = entries.slice(queue.head);
    queue.head = 0;
  }
}
