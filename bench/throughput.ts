/**
 * Signed + verified POSTs over loopback, in one process run, paired interleaved rounds (the order rotates), medians:
 * raw node:http + node:crypto (the limit), a bare axios client that only signs and verifies (the floor ours is held
 * to), wechatpay-chain, and the peer wechatpay-axios-plugin. The responder runs in its own process and signs its reply
 * once a second, so the clients, not the responder, are what is measured.
 * Run: npm run bench (ROUNDS, PER_ROUND, CONCURRENCY, ALLOC_BATCH tune it; COMPARE_AXIOS_ADAPTER=1 adds ours over
 * axios' own http adapter).
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
import { bareAxiosClient } from './bare-axios-client';
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

const RAW = 'raw node:http + node:crypto';
const BARE = 'bare axios (sign + verify)';
const OURS = 'wechatpay-chain';
const PEER = 'wechatpay-axios-plugin';

async function main(): Promise<void> {
  const merchant = pemPair();
  const platform = pemPair();
  const { port, child } = await startResponder(platform.privateKey);
  const baseURL = `http://127.0.0.1:${port}/`;
  const json = JSON.parse(JSON_BODY) as Record<string, string>;

  const agent = () => new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rawAgent = agent();
  const merchantKey = createPrivateKey(merchant.privateKey);
  const platformPublic = createPublicKey(platform.publicKey);
  const raw = () => rawOnce(port, rawAgent, merchantKey, platformPublic);
  const bare = bareAxiosClient(port, agent(), merchantKey, platformPublic);

  const keys = { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey };
  const oursNode = ourClient(port, keys, { httpAgent: agent() }).v3.aggracctBc.wbChannel.controlOrders.recover;
  const oursOnce = () => oursNode.post({ json: json as never });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (config: object) => PeerChain };
  const peer = new Wechatpay({
    mchid: MCHID,
    serial: SERIAL,
    privateKey: merchant.privateKey,
    certs: { [PLATFORM_SERIAL]: platform.publicKey },
    baseURL,
    httpAgent: agent(),
  });
  const peerNode = peer.v3.aggracctBc.wbChannel.controlOrders.recover;
  const peerOnce = () => peerNode.post(json);

  const viaAxios = ourClient(port, keys, { httpAgent: agent(), adapter: 'http' }).v3.aggracctBc.wbChannel.controlOrders
    .recover;
  const compare: [string, () => Promise<unknown>][] = process.env.COMPARE_AXIOS_ADAPTER
    ? [['chain, axios http adapter', () => viaAxios.post({ json: json as never })]]
    : [];
  const clients: [string, () => Promise<unknown>][] = [
    ...compare,
    [RAW, raw],
    [BARE, bare],
    [OURS, oursOnce],
    [PEER, peerOnce],
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

  const rawRounds = rounds.get(RAW)!;
  const bareRounds = rounds.get(BARE)!;
  const paired = (name: string, base: Round[]) => median(rounds.get(name)!.map((m, i) => m.rate / base[i]!.rate));
  console.log(`${ROUNDS} paired rounds x ${PER_ROUND} requests, ${CONCURRENCY} in flight; medians`);
  console.log('client                        req/s  % raw  x bare axios  CPU µs/req  alloc KB/req');
  for (const [name] of clients) {
    const mine = rounds.get(name)!;
    const cells = [
      name.padEnd(28),
      median(mine.map((m) => m.rate))
        .toFixed(0)
        .padStart(6),
      `${(paired(name, rawRounds) * 100).toFixed(0)}%`.padStart(7),
      `${paired(name, bareRounds).toFixed(2)}x`.padStart(13),
      median(mine.map((m) => m.cpuUs))
        .toFixed(0)
        .padStart(12),
      (median(allocs.get(name)!) / 1024).toFixed(1).padStart(14),
    ];
    console.log(cells.join(''));
  }
  const vsPeer = paired(OURS, rounds.get(PEER)!);
  const vsBare = paired(OURS, bareRounds);
  console.log(`${OURS} / ${PEER} req/s (paired median): ${vsPeer.toFixed(2)}x (target >= 2.00x)`);
  console.log(`${OURS} / ${BARE} req/s (paired median): ${vsBare.toFixed(2)}x (target >= 0.95x)`);
  rawAgent.destroy();
  child.disconnect();
}

void main();
