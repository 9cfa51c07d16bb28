/** Shared bench plumbing: keys, the responder process, paired-round statistics. */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';

export const MCHID = '1900000001';
export const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
export const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';

export function pemPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** The responder runs in its own process, so its CPU is not ours. */
export async function startResponder(platformPrivatePem: string): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(join(__dirname, 'server.ts'), {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, PLATFORM_KEY: platformPrivatePem, PLATFORM_SERIAL },
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  return { port, child };
}

export const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const collectionStarts: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collectionStarts.push(entry.startTime);
}).observe({ entryTypes: ['gc'] });

const gc = (globalThis as { gc?: () => void }).gc;

/** Run `total` calls of `once` with `concurrency` in flight. */
export async function drive(once: () => Promise<unknown>, total: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await once();
    }),
  );
}

export interface Round {
  rate: number;
  /** Process CPU (user + system, all threads, signing threads included) per request. */
  cpuUs: number;
}

export async function round(once: () => Promise<unknown>, total: number, concurrency: number): Promise<Round> {
  gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await drive(once, total, concurrency);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rate: (total / ms) * 1000, cpuUs: (used.user + used.system) / total };
}

/**
 * Bytes allocated per request: a batch run between two full collections with no collection during it (start the
 * process with --expose-gc and a large --max-semi-space-size); NaN if a collection happened anyway.
 */
export async function allocationPerRequest(once: () => Promise<unknown>, total: number, concurrency: number) {
  if (!gc) return NaN;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  const started = performance.now();
  const before = process.memoryUsage().heapUsed;
  await drive(once, total, concurrency);
  const after = process.memoryUsage().heapUsed;
  const ended = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 10)); // let the gc entries arrive
  const collected = collectionStarts.some((at) => at >= started && at <= ended);
  return collected ? NaN : (after - before) / total;
}
