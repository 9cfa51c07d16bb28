/**
 * Memory stays flat: TOTAL (default 100k) requests through string keys with a per-request id (each a new chain
 * node and template: the LRU caches must bound them), heap and RSS sampled after a full collection every tenth.
 * Run: npm run bench:memory (TOTAL, CONCURRENCY tune it).
 */
import { Agent } from 'node:http';
import { MCHID, drive, pemPair, startResponder } from './measure';
import { ourClient } from './our-client';

const TOTAL = Number(process.env.TOTAL ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const MiB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory)');
  const merchant = pemPair();
  const platform = pemPair();
  const { port, child } = await startResponder(platform.privateKey);
  const instance = ourClient(
    port,
    { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey },
    {
      httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
      validation: true,
    },
  );
  const chain = instance as unknown as Record<string, { get(options: object): Promise<unknown> }>;
  let id = 0;
  const once = () => chain[`v3/pay/transactions/out-trade-no/T${(id += 1)}`]!.get({ query: { mchid: MCHID } });
  const samples: { done: number; heap: number; rss: number }[] = [];
  const step = Math.max(1, Math.floor(TOTAL / 10));
  for (let done = 0; done < TOTAL; done += step) {
    await drive(once, Math.min(step, TOTAL - done), CONCURRENCY);
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    samples.push({ done: done + step, heap: heapUsed / MiB, rss: rss / MiB });
    console.log(
      `${String(done + step).padStart(7)} requests  heap ${(heapUsed / MiB).toFixed(1)} MiB  rss ${(rss / MiB).toFixed(1)} MiB`,
    );
  }
  const second = samples[1] ?? samples[0]!;
  const last = samples.at(-1)!;
  console.log(
    `heap ${second.heap.toFixed(1)} -> ${last.heap.toFixed(1)} MiB, rss ${second.rss.toFixed(1)} -> ${last.rss.toFixed(1)} MiB (from the second sample, after warm-up)`,
  );
  child.disconnect();
}

void main();
