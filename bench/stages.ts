/**
 * Where a call's main-thread CPU goes, stage by stage, as differences between paired configurations. Each row adds
 * one stage to the row above; blocks of BLOCK sequential calls rotate through the rows, so every row sees the same
 * machine load, and the paired medians of the differences are what a stage costs.
 *
 * In memory (the axios adapter answers with a correctly signed reply, no socket):
 *   floor                   what raw node:crypto code does besides HTTP: stringify, verify, parse (+ a setImmediate)
 *   axios + bare checks     http.request on the client's axios instance, with a response interceptor doing the
 *                           floor's verify and parse and nothing else: axios' own per-call work
 *   + signer                our request interceptor (its signature a constant, see below)
 *   our verifier instead    our response interceptor in place of the bare checks
 *   Client.request          request building, bookkeeping
 *   chain node.post         the Proxy
 * Over loopback (bench/server.ts's responder):
 *   raw http             node:http request + reply read, no crypto
 *   lean adapter         our adapter alone, the same request
 *
 * Signing is a constant in every row (the threadpool signature costs the same main-thread time with or without us),
 * so the process is single-threaded: run with `node --single-threaded`, and process CPU time is the main thread's,
 * read exactly per block (getrusage). A map of what remains, not the issue's measurement: `npm run bench` is that.
 * Run: npm run bench:stages (PAIRS, BLOCK tune it).
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { Agent, request } from 'node:http';
import { AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { coreOf } from '../lib/builder';
import { wechatpayAdapter } from '../lib/transport/adapter';
import { createSigner } from '../lib/transport/signer';
import { MCHID, PLATFORM_SERIAL, SERIAL, median, pemPair, startResponder } from './measure';
import { ourClient } from './our-client';

const PAIRS = Number(process.env.PAIRS ?? 400);
const BLOCK = Number(process.env.BLOCK ?? 10);
const PATH = 'v3/aggracct-bc/wb-channel/control-orders/recover';
const JSON_BODY = JSON.stringify({
  out_request_no: 'R-1',
  related_webank_punish_no: 'P-1',
  related_wxpay_punish_no: 'W-1',
  mchid: '1900016681',
});
const SIGNATURE = Buffer.alloc(256, 7).toString('base64');

type Handler = { fulfilled: unknown };
const processCpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function main(): Promise<void> {
  if (!process.execArgv.includes('--single-threaded')) console.warn('run with node --single-threaded: see the header');
  const merchant = pemPair();
  const platform = pemPair();
  const platformKey = createPrivateKey(platform.privateKey);
  const platformPublic = createPublicKey(platform.publicKey);
  const { port, child } = await startResponder(platform.privateKey);

  // one signed reply for the in-memory rows, valid for the run (the verifier allows 300 s of skew)
  const replyBody = Buffer.from(JSON.stringify({ wxpay_recover_no: '2026112300001', out_request_no: 'R-1' }));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const replySigned = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), replyBody, Buffer.from('\n')]);
  const replySignature = sign('sha256', replySigned, platformKey).toString('base64');
  const replyHeaders = {
    'content-type': 'application/json',
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-serial': PLATFORM_SERIAL,
    'wechatpay-signature': replySignature,
    'content-length': String(replyBody.length),
    connection: 'keep-alive',
    'keep-alive': 'timeout=60',
    date: new Date().toUTCString(),
  };
  const inMemory = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> =>
    new Promise((resolve) =>
      setImmediate(() =>
        resolve({
          data: replyBody,
          status: 200,
          statusText: 'OK',
          headers: new AxiosHeaders(replyHeaders),
          config,
          request: undefined,
        }),
      ),
    );
  const make = (extra: object) => {
    const instance = ourClient(
      port,
      { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey },
      extra,
    );
    const { client } = coreOf(instance);
    const [signer] = (client.http.interceptors.request as unknown as { handlers: Handler[] }).handlers;
    signer!.fulfilled = createSigner({ mchid: MCHID, serial: SERIAL, sign: () => Promise.resolve(SIGNATURE) });
    return { instance, http: client.http, client };
  };
  const signatureBytes = Buffer.from(replySignature, 'base64');
  // the floor's checks as a response interceptor: what any verifying interceptor must do
  const bareChecks = (response: AxiosResponse) => {
    const headers = response.headers as Record<string, string>;
    const head = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n`;
    const signedReply = Buffer.concat([Buffer.from(head), response.data as Buffer, Buffer.from('\n')]);
    if (!verify('sha256', signedReply, platformPublic, signatureBytes)) throw new Error('bad');
    response.data = JSON.parse((response.data as Buffer).toString());
    return response;
  };
  const bare = make({ adapter: inMemory });
  bare.http.interceptors.request.clear();
  bare.http.interceptors.response.clear();
  bare.http.interceptors.response.use(bareChecks);
  const signed = make({ adapter: inMemory });
  signed.http.interceptors.response.clear();
  signed.http.interceptors.response.use(bareChecks);
  const full = make({ adapter: inMemory });
  const json = JSON.parse(JSON_BODY) as Record<string, string>;
  const node = full.instance.v3.aggracctBc.wbChannel.controlOrders.recover;
  const config = () => ({
    method: 'POST',
    url: PATH,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    data: JSON.stringify(json),
  });
  const floor = () =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(json);
      setImmediate(() => {
        const signedReply = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), replyBody, Buffer.from('\n')]);
        if (!verify('sha256', signedReply, platformPublic, signatureBytes) || body === '') reject(new Error('bad'));
        JSON.parse(replyBody.toString());
        resolve();
      });
    });

  // over loopback: the same request through node:http and through our adapter
  const authorization =
    `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${'n'.repeat(32)}",` +
    `signature="${SIGNATURE}",timestamp="${timestamp}",serial_no="${SERIAL}"`;
  const rawAgent = new Agent({ keepAlive: true });
  const leanAgent = new Agent({ keepAlive: true });
  const rawHttp = () =>
    new Promise((resolve, reject) => {
      const headers = { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' };
      const req = request(
        { host: '127.0.0.1', port, path: `/${PATH}`, method: 'POST', agent: rawAgent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve([Buffer.concat(chunks), res.headers]));
        },
      );
      req.on('error', reject);
      req.end(JSON_BODY);
    });
  const lean = () =>
    wechatpayAdapter({
      method: 'post',
      url: PATH,
      baseURL: `http://127.0.0.1:${port}/`,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'User-Agent': 'wechatpay-chain',
        Authorization: authorization,
      },
      data: JSON_BODY,
      timeout: 30_000,
      maxContentLength: 4 * 1024 * 1024,
      httpAgent: leanAgent,
    } as unknown as InternalAxiosRequestConfig);

  const groups: [string, () => Promise<unknown>][][] = [
    [
      ['floor', floor],
      ['axios + bare checks', () => bare.http.request(config())],
      ['+ signer', () => signed.http.request(config())],
      ['our verifier instead', () => full.http.request(config())],
      ['Client.request', () => full.client.request('POST', PATH, { json })],
      ['chain node.post', () => node.post({ json: json as never })],
    ],
    [
      ['raw http (loopback)', rawHttp],
      ['lean adapter (loopback)', lean],
    ],
  ];
  console.log(`${PAIRS} rotations x ${BLOCK} sequential calls per row; process CPU µs/call, medians`);
  console.log('row                         µs/call   added by the row (paired median)');
  for (const rows of groups) {
    const block = async (once: () => Promise<unknown>) => {
      const started = processCpuUs();
      for (let i = 0; i < BLOCK; i++) await once();
      return (processCpuUs() - started) / BLOCK;
    };
    for (let i = 0; i < 50; i++) for (const [, once] of rows) await block(once); // warm up, JIT and sockets
    const results = rows.map(() => [] as number[]);
    for (let r = 0; r < PAIRS; r++) {
      for (let k = 0; k < rows.length; k++) {
        const j = (r + k) % rows.length;
        results[j]!.push(await block(rows[j]![1]));
      }
    }
    rows.forEach(([name], j) => {
      const mine = results[j]!;
      const previous = results[j - 1];
      const added = previous ? median(mine.map((v, i) => v - previous[i]!)).toFixed(1) : '';
      console.log(`${name.padEnd(26)}${median(mine).toFixed(1).padStart(9)}${added.padStart(16)}`);
    });
  }
  rawAgent.destroy();
  leanAgent.destroy();
  child.disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
