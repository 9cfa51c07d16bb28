/**
 * Signed + verified requests per second over loopback: wechatpay-chain against the raw limit
 * (node:http + node:crypto doing the same protocol work by hand). Run: npx ts-node bench/throughput.ts
 */
import { fork } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { Builder } from '../lib';

const TOTAL = Number(process.env.TOTAL ?? 4000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const MCHID = '1900000001';
const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
const JSON_BODY = JSON.stringify({
  out_request_no: 'R-1',
  related_webank_punish_no: 'P-1',
  related_wxpay_punish_no: 'W-1',
  mchid: '1900016681',
});

async function run(name: string, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await once(); // warm up
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < TOTAL) await once();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = TOTAL / seconds;
  console.log(
    `${name.padEnd(28)} ${rate.toFixed(0).padStart(6)} req/s  (${TOTAL} requests, ${CONCURRENCY} concurrent)`,
  );
  return rate;
}

function rawOnce(port: number, agent: Agent, merchantKey: KeyObject, platformPublic: KeyObject): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const path = '/v3/aggracct-bc/wb-channel/control-orders/recover';
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    sign(
      'sha256',
      Buffer.from(`POST\n${path}\n${timestamp}\n${nonce}\n${JSON_BODY}\n`),
      merchantKey,
      (error, signature) => {
        if (error) return reject(error);
        const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature.toString('base64')}",timestamp="${timestamp}",serial_no="${SERIAL}"`;
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            agent,
            headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              const h = res.headers;
              const message = Buffer.concat([
                Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n`),
                body,
                Buffer.from('\n'),
              ]);
              if (!verify('sha256', message, platformPublic, Buffer.from(String(h['wechatpay-signature']), 'base64')))
                return reject(new Error('bad reply'));
              resolve(JSON.parse(body.toString()));
            });
          },
        );
        req.on('error', reject);
        req.end(JSON_BODY);
      },
    );
  });
}

async function main(): Promise<void> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = fork(join(__dirname, 'server.ts'), {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: {
      ...process.env,
      PLATFORM_KEY: platform.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      PLATFORM_SERIAL,
    },
  });
  const port = await new Promise<number>((resolve) => server.once('message', (message) => resolve(message as number)));

  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const raw = await run('raw node:http + node:crypto', () =>
    rawOnce(port, agent, merchant.privateKey, createPublicKey(platform.privateKey)),
  );

  const instance = Builder.factory({
    mchid: MCHID,
    serial: SERIAL,
    privateKey: merchant.privateKey,
    certs: { [PLATFORM_SERIAL]: platform.publicKey },
    baseURL: `http://127.0.0.1:${port}/`,
    httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    validation: false,
  });
  const json = JSON.parse(JSON_BODY) as Record<string, string>;
  const node = instance.v3.aggracctBc.wbChannel.controlOrders.recover;
  const ours = await run('wechatpay-chain', () =>
    node.post({
      json: { ...json, bal_account_no: 'x'.repeat(344) } as never,
      headers: { 'Wechatpay-Serial': PLATFORM_SERIAL },
    }),
  );
  console.log(`wechatpay-chain / raw: ${((ours / raw) * 100).toFixed(0)}% (target: at least 75%)`);
  agent.destroy();
  server.disconnect();
}

void main();
