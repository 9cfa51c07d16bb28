/**
 * Signed + verified POSTs over loopback, in one process run: raw node:http + node:crypto (the limit), wechatpay-chain
 * and the peer wechatpay-axios-plugin, in paired interleaved rounds (the order rotates), medians reported. The
 * responder runs in its own process. Run: npm run bench (ROUNDS, PER_ROUND, CONCURRENCY, ALLOC_BATCH tune it).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Agent } from 'node:http';
import {
  MCHID,
  PLATFORM_SERIAL,
  SERIAL,
  allocationPerRequest,
  median,
  pemPair,
  round,
  startResponder,
  type Round,
} from './measure';
import { ourClient } from './our-client';
import { JSON_BODY, rawOnce } from './raw-client';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PER_ROUND = Number(process.env.PER_ROUND ?? 600);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const ALLOC_BATCH = Number(process.env.ALLOC_BATCH ?? 100);
/** The peer's chain, as far as the bench walks it. */
interface PeerChain {
  v3: { aggracctBc: { wbChannel: { controlOrders: { recover: { post(json: object): Promise<unknown> } } } } };
}

async function main(): Promise<void> {
  const merchant = pemPair();
  const platform = pemPair();
  const { port, child } = await startResponder(platform.privateKey);
  const baseURL = `http://127.0.0.1:${port}/`;
  const json = JSON.parse(JSON_BODY) as Record<string, string>;

  const rawAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const merchantKey = createPrivateKey(merchant.privateKey);
  const platformPublic = createPublicKey(platform.publicKey);
  const raw = () => rawOnce(port, rawAgent, merchantKey, platformPublic);

  const keys = { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey };
  const ours = ourClient(port, keys, { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) });
  const oursNode = ours.v3.aggracctBc.wbChannel.controlOrders.recover;
  const oursOnce = () => oursNode.post({ json: json as never });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (config: object) => PeerChain };
  const peer = new Wechatpay({
    mchid: MCHID,
    serial: SERIAL,
    privateKey: merchant.privateKey,
    certs: { [PLATFORM_SERIAL]: platform.publicKey },
    baseURL,
    httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
  });
  const peerNode = peer.v3.aggracctBc.wbChannel.controlOrders.recover;
  const peerOnce = () => peerNode.post(json);

  // COMPARE_AXIOS_ADAPTER=1: also run ours over axios' own http adapter, to measure what the lean adapter saves
  const viaAxios = ourClient(port, keys, {
    httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    adapter: 'http',
  }).v3.aggracctBc.wbChannel.controlOrders.recover;
  const compare: [string, () => Promise<unknown>][] = process.env.COMPARE_AXIOS_ADAPTER
    ? [['chain, axios http adapter', () => viaAxios.post({ json: json as never })]]
    : [];
  const clients: [string, () => Promise<unknown>][] = [
    ...compare,
    ['raw node:http + node:crypto', raw],
    ['wechatpay-chain', oursOnce],
    ['wechatpay-axios-plugin', peerOnce],
  ];
  for (const [, once] of clients) for (let i = 0; i < 200; i++) await once(); // warm up, JIT and sockets

  const rounds = new Map<string, Round[]>(clients.map(([name]) => [name, []]));
  const allocs = new Map<string, number[]>(clients.map(([name]) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < clients.length; k++) {
      const [name, once] = clients[(r + k) % clients.length]!;
      rounds.get(name)!.push(await round(once, PER_ROUND, CONCURRENCY));
      allocs.get(name)!.push(await allocationPerRequest(once, ALLOC_BATCH, CONCURRENCY));
    }
  }

  const rawRounds = rounds.get('raw node:http + node:crypto')!;
  console.log(`${ROUNDS} paired rounds x ${PER_ROUND} requests, ${CONCURRENCY} in flight; medians`);
  console.log(
    'client                       req/s   % raw (paired)  CPU µs/req  main-thread µs/req  main CPU µs/req  alloc KB/req',
  );
  for (const [name] of clients) {
    const mine = rounds.get(name)!;
    const ratio = median(mine.map((m, i) => m.rate / rawRounds[i]!.rate)) * 100;
    const cells = [
      name.padEnd(28),
      median(mine.map((m) => m.rate))
        .toFixed(0)
        .padStart(6),
      `${ratio.toFixed(0)}%`.padStart(12),
      median(mine.map((m) => m.cpuUs))
        .toFixed(0)
        .padStart(14),
      median(mine.map((m) => m.mainUs))
        .toFixed(0)
        .padStart(18),
      median(mine.map((m) => m.mainCpuUs))
        .toFixed(0)
        .padStart(17),
      (median(allocs.get(name)!) / 1024).toFixed(1).padStart(14),
    ];
    console.log(cells.join(''));
  }
  const oursRounds = rounds.get('wechatpay-chain')!;
  const peerRounds = rounds.get('wechatpay-axios-plugin')!;
  const mainDelta = median(oursRounds.map((m, i) => m.mainUs - rawRounds[i]!.mainUs));
  const vsPeer = median(oursRounds.map((m, i) => m.rate / peerRounds[i]!.rate));
  const mainCpuDelta = median(oursRounds.map((m, i) => m.mainCpuUs - rawRounds[i]!.mainCpuUs));
  console.log(`wechatpay-chain main-thread µs/req - raw (paired median): ${mainDelta.toFixed(0)} (target <= 100)`);
  console.log(
    `wechatpay-chain main-thread CPU µs/req - raw (paired median): ${mainCpuDelta.toFixed(0)} (target <= 100; ` +
      'CPU time of the thread, not inflated by waiting for a core on a busy machine)',
  );
  console.log(`wechatpay-chain / wechatpay-axios-plugin req/s (paired median): ${vsPeer.toFixed(2)}x`);
  rawAgent.destroy();
  child.disconnect();
}

void main();
