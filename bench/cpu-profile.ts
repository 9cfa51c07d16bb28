/**
 * Where a signed + verified request's main-thread time goes: V8's sampling CPU profiler over a loop of calls
 * against bench/server.ts's responder, for ours and for the raw node:http + node:crypto client of
 * bench/throughput.ts, side by side. Self time is summed per function and per owner (axios, our lib/ folders,
 * node internals), and inclusive time for the stages of a call. A map for finding what to remove, not a
 * measurement to quote (the profiler itself costs time): `npm run bench` measures µs/req.
 * Run: npm run bench:cpu (CALLS, TOP, INTERVAL_US, CONCURRENCY tune it; PROFILE_DIR=dir also writes the .cpuprofile
 * files). STUB_SIGN=1 signs with a constant on both sides: no threadpool thread competes for the two cores, so the
 * samples are the main thread's own work (node's profiler samples wall time).
 */
import { Session } from 'node:inspector/promises';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { coreOf } from '../lib/builder';
import { createSigner } from '../lib/transport/signer';

type Handler = { fulfilled: unknown };
import { MCHID, SERIAL, drive, pemPair, startResponder } from './measure';
import { ourClient } from './our-client';
import { JSON_BODY, rawOnce, type RawSigner } from './raw-client';

const CALLS = Number(process.env.CALLS ?? 6000);
const TOP = Number(process.env.TOP ?? 45);
const INTERVAL_US = Number(process.env.INTERVAL_US ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const STUB_SIGN = Boolean(process.env.STUB_SIGN);
const STUB_SIGNATURE = Buffer.alloc(256, 7);
/** A constant signature, handed over a microtask later as the threadpool would hand a real one. */
const stubSign: RawSigner = (_message, _key, done) => void Promise.resolve().then(() => done(null, STUB_SIGNATURE));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const short = (url: string) =>
  url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\//, '')
    .replace(/^.*?\/(lib|bench)\//, '$1/');

const nameOf = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

/** Who owns a frame's self time. */
function ownerOf({ callFrame: { url, functionName } }: ProfileNode): string {
  if (url.includes('node_modules/axios/')) return 'axios';
  const ours = /\/lib\/([^/]+)\//.exec(url) ?? /\/lib\/([^/]+)\.ts$/.exec(url);
  if (ours && !url.includes('node_modules')) return `ours: lib/${ours[1]}`;
  if (url.includes('/bench/')) return 'bench loop';
  if (url.startsWith('node:')) {
    const module = url.slice(5).split('/')[1] ?? url.slice(5);
    if (/^_?http|^_http/.test(module) || module === 'http') return 'node: http';
    if (/^(net|stream|streams|events)$/.test(module) || url.includes('/streams/')) return 'node: net/stream/events';
    return `node: ${module.replace(/\.js$/, '')}`;
  }
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'native/VM (program)';
  if (functionName === '(idle)') return '(idle)';
  if (url === '') return `native: ${functionName || '(anonymous)'}`;
  return short(url);
}

/** Stages of a call, timed inclusively (each sample counted once per stage, however deep the recursion). */
const STAGES: [string, RegExp][] = [
  ['Axios.request (all of axios.request)', /^(request|_request) axios\//],
  ['  mergeConfig', /^mergeConfig axios\//],
  ['  dispatchRequest (sync part)', /^dispatchRequest axios\//],
  ['  toSafeFlatObject', /^toSafeFlatObject axios\//],
  ['  AxiosHeaders.from/concat', /^(from|concat) axios\//],
  ['  transformData', /^transformData axios\//],
  ['  onAdapterResolution', /^onAdapterResolution axios\//],
  ['signer (signRequest)', /^signRequest lib\//],
  ['verifier (verifyResponse)', /^verifyResponse lib\//],
  ['  node:crypto verify', /^verifyOneShot node:internal\/crypto\/sig/],
  ['our node:http adapter (nodeHttpAdapter)', /^nodeHttpAdapter lib\//],
  ['  http request()', /^request node:http/],
  ['reply read (readBody)', /^readBody lib\//],
  ['Client.request', /^request lib\/transport\/client/],
  ['  buildRequest', /^buildRequest lib\//],
  ['proxy (get/apply)', /^(get|apply) lib\/chain\/proxy/],
  ['crypto sign (main-thread part)', /^signOneShot node:internal\/crypto\/sig/],
  ['GC', /^\(garbage collector\)/],
];

function analyse(profile: Profile, calls: number, label: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const stages = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const owner = ownerOf(node);
    if (owner === '(idle)') continue;
    busy += us;
    byFunction.set(nameOf(node), (byFunction.get(nameOf(node)) ?? 0) + us);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at)!);
      for (const [stage, pattern] of STAGES) if (!seen.has(stage) && pattern.test(name)) seen.add(stage);
    }
    for (const stage of seen) stages.set(stage, (stages.get(stage) ?? 0) + us);
  }
  const per = (us: number) => (us / calls).toFixed(1).padStart(7);
  console.log(`\n== ${label}: ${per(busy)} µs/req busy (profiled, not idle)`);
  console.log('-- by owner (self µs/req)');
  for (const [name, us] of [...byOwner].sort((a, b) => b[1] - a[1])) console.log(`${per(us)}  ${name}`);
  if (label !== 'raw') {
    console.log('-- stages (inclusive µs/req)');
    for (const [stage] of STAGES) console.log(`${per(stages.get(stage) ?? 0)}  ${stage}`);
  }
  console.log('-- by function (self µs/req)');
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${per(us)}  ${name}`);
  }
  byOwner.set('(total)', busy);
  return byOwner;
}

async function profiled(session: Session, once: () => Promise<unknown>): Promise<Profile> {
  await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  await session.post('Profiler.start');
  await drive(once, CALLS, CONCURRENCY);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  return profile;
}

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
  const json = JSON.parse(JSON_BODY) as Record<string, string>;
  const node = client.v3.aggracctBc.wbChannel.controlOrders.recover;
  if (STUB_SIGN) {
    const signature = STUB_SIGNATURE.toString('base64');
    const [signer] = (coreOf(client).client.http.interceptors.request as unknown as { handlers: Handler[] }).handlers;
    signer!.fulfilled = createSigner({ mchid: MCHID, serial: SERIAL, sign: () => Promise.resolve(signature) });
  }
  const ours = () => node.post({ json: json as never }); // as bench/throughput.ts sends it
  const rawAgent = new Agent({ keepAlive: true, maxSockets: 32 });
  const merchantKey = createPrivateKey(merchant.privateKey);
  const platformPublic = createPublicKey(platform.publicKey);
  const raw = () => rawOnce(port, rawAgent, merchantKey, platformPublic, STUB_SIGN ? stubSign : undefined);
  await drive(ours, 1000, 32); // warm up, JIT and sockets
  await drive(raw, 1000, 32);

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  const rawProfile = await profiled(session, raw);
  const oursProfile = await profiled(session, ours);
  session.disconnect();
  child.kill();
  rawAgent.destroy();
  if (process.env.PROFILE_DIR) {
    writeFileSync(join(process.env.PROFILE_DIR, 'raw.cpuprofile'), JSON.stringify(rawProfile));
    writeFileSync(join(process.env.PROFILE_DIR, 'ours.cpuprofile'), JSON.stringify(oursProfile));
  }
  console.log(
    `${CALLS} calls each, ${CONCURRENCY} in flight, sampled every ${INTERVAL_US} µs${STUB_SIGN ? ', signing stubbed' : ''}`,
  );
  const rawOwners = analyse(rawProfile, CALLS, 'raw');
  const oursOwners = analyse(oursProfile, CALLS, 'wechatpay-chain');
  console.log('\n== ours - raw, self µs/req by owner');
  const owners = new Set([...rawOwners.keys(), ...oursOwners.keys()]);
  const rows = [...owners].map((o) => [o, ((oursOwners.get(o) ?? 0) - (rawOwners.get(o) ?? 0)) / CALLS] as const);
  for (const [owner, delta] of rows.sort((a, b) => b[1] - a[1])) {
    console.log(`${delta.toFixed(1).padStart(7)}  ${owner}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
