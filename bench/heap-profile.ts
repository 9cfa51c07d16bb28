/**
 * Where a signed + verified request's allocations come from: V8's sampling heap profiler (collected objects
 * included) over a loop of calls against bench/server.ts's responder, self sizes summed per function and divided
 * by the calls. A map for finding what to remove, not a measurement to quote: `npm run bench` measures KB/req.
 * Run: npm run bench:heap (CALLS, TOP tune it; CALLERS=name,name also lists those functions' callers).
 */
import { Session } from 'node:inspector/promises';
import { Agent } from 'node:http';
import { drive, pemPair, startResponder } from './measure';
import { ourClient } from './our-client';

const CALLS = Number(process.env.CALLS ?? 2000);
const TOP = Number(process.env.TOP ?? 40);
const CALLERS = (process.env.CALLERS ?? '').split(',').filter(Boolean);

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const nameOf = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^.*?\/(lib|bench)\//, '$1/')}:${f.lineNumber + 1}`;

function bySelf(head: ProfileNode): { self: Map<string, number>; callers: Map<string, number> } {
  const self = new Map<string, number>();
  const callers = new Map<string, number>();
  const walk = (node: ProfileNode, stack: string[]) => {
    const name = nameOf(node);
    if (node.selfSize > 0) {
      self.set(name, (self.get(name) ?? 0) + node.selfSize);
      if (CALLERS.some((wanted) => name.startsWith(`${wanted} `))) {
        const key = `${name} <= ${stack.slice(-3).reverse().join(' <= ')}`;
        callers.set(key, (callers.get(key) ?? 0) + node.selfSize);
      }
    }
    for (const child of node.children) walk(child, [...stack, name]);
  };
  walk(head, []);
  return { self, callers };
}

const print = (sizes: Map<string, number>) => {
  for (const [name, bytes] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${(bytes / CALLS / 1024).toFixed(2).padStart(7)}  ${name}`);
  }
};

async function main(): Promise<void> {
  const merchant = pemPair();
  const platform = pemPair();
  const { port, child } = await startResponder(platform.privateKey);
  const client = ourClient(
    port,
    { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey },
    {
      httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }),
    },
  );
  const json = { out_request_no: 'R-1', related_webank_punish_no: 'P-1', related_wxpay_punish_no: 'W-1', mchid: '1' };
  const node = client.v3.aggracctBc.wbChannel.controlOrders.recover;
  const once = () => node.post({ json: json as never }); // the bench's body, as bench/throughput.ts sends it
  await drive(once, 500, 32); // warm up, JIT and sockets

  const session = new Session();
  session.connect();
  // the flags keep objects already collected in the profile: allocation, not what survives
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await drive(once, CALLS, 32);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: ProfileNode };
  };
  session.disconnect();
  child.kill();

  const { self, callers } = bySelf(profile.head);
  const total = [...self.values()].reduce((sum, bytes) => sum + bytes, 0);
  console.log(`${CALLS} calls, sampled: ${(total / CALLS / 1024).toFixed(1)} KB/req; KB/req by function (self)`);
  print(self);
  if (callers.size > 0) {
    console.log('\ncallers');
    print(callers);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
