/**
 * Callback parse: Webhook.parse (verify + decrypt + JSON) against the same work by hand with node:crypto, in
 * paired interleaved rounds timed in CPU time (process.cpuUsage); median ratio. Run: npm run bench:webhook
 */
import { createCipheriv, createDecipheriv, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { Webhook } from '../lib';
import { PLATFORM_SERIAL, median, pemPair } from './measure';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const PER_ROUND = Number(process.env.PER_ROUND ?? 400);
const APIV3_KEY = '0123456789abcdef0123456789abcdef';

const platform = pemPair();
const resource = JSON.stringify({
  mchid: '1900000001',
  out_trade_no: 'T-1',
  trade_state: 'SUCCESS',
  amount: { total: 1 },
});
const nonce = randomBytes(6).toString('hex');
const cipher = createCipheriv('aes-256-gcm', Buffer.from(APIV3_KEY), Buffer.from(nonce));
cipher.setAAD(Buffer.from('transaction'));
const ciphertext = Buffer.concat([cipher.update(resource), cipher.final(), cipher.getAuthTag()]).toString('base64');
const body = Buffer.from(
  JSON.stringify({
    id: 'EV-1',
    create_time: '2026-11-23T12:00:00+08:00',
    event_type: 'TRANSACTION.SUCCESS',
    resource_type: 'encrypt-resource',
    resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce },
  }),
);
const timestamp = String(Math.floor(Date.now() / 1000));
const headerNonce = randomBytes(16).toString('hex');
const message = Buffer.concat([Buffer.from(`${timestamp}\n${headerNonce}\n`), body, Buffer.from('\n')]);
const headers = {
  'wechatpay-timestamp': timestamp,
  'wechatpay-nonce': headerNonce,
  'wechatpay-serial': PLATFORM_SERIAL,
  'wechatpay-signature': sign('sha256', message, platform.privateKey).toString('base64'),
};

const webhook = new Webhook({ certs: { [PLATFORM_SERIAL]: platform.publicKey }, apiv3Key: APIV3_KEY });
const keysBySerial = new Map([[PLATFORM_SERIAL, createPublicKey(platform.publicKey)]]);
const key = Buffer.from(APIV3_KEY);

/**
 * What a careful hand-written handler does, no more: the four headers present, the timestamp within 300 s, the key
 * picked by serial, RSA-SHA256 over `timestamp\nnonce\nbody\n`, the algorithm checked, AES-256-GCM with the
 * envelope's own nonce and associated data. (Webhook.parse also refuses probes, repeated headers and
 * non-canonical base64 signatures, and its errors say which check failed.)
 */
function raw(): unknown {
  const timestamp = headers['wechatpay-timestamp'];
  const nonce = headers['wechatpay-nonce'];
  const serial = headers['wechatpay-serial'];
  const signature = headers['wechatpay-signature'];
  if (!timestamp || !nonce || !serial || !signature) throw new Error('headers missing');
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) throw new Error('timestamp skew');
  const publicKey = keysBySerial.get(serial);
  if (!publicKey) throw new Error('unknown serial');
  const signed = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]);
  if (!verify('sha256', signed, publicKey, Buffer.from(signature, 'base64'))) throw new Error('bad signature');
  const { resource } = JSON.parse(body.toString()) as {
    resource: { algorithm: string; ciphertext: string; nonce: string; associated_data?: string };
  };
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new Error('unsupported algorithm');
  const bytes = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce));
  decipher.setAAD(Buffer.from(resource.associated_data ?? ''));
  decipher.setAuthTag(bytes.subarray(-16));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString());
}
const ours = () => webhook.parse({ headers, body });

/** µs per call of this thread's CPU (user + system): on a shared machine, time spent descheduled is not ours. */
function time(work: () => unknown): number {
  const started = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / PER_ROUND;
}

for (let i = 0; i < 300; i++) {
  raw();
  ours();
}
const pairs: { raw: number; ours: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const first = r % 2 ? time(ours) : time(raw);
  const second = r % 2 ? time(raw) : time(ours);
  pairs.push(r % 2 ? { ours: first, raw: second } : { raw: first, ours: second });
}
console.log(
  `Webhook.parse ${median(pairs.map((p) => p.ours)).toFixed(1)} µs CPU, raw ${median(pairs.map((p) => p.raw)).toFixed(1)} µs CPU (medians of ${ROUNDS} paired rounds x ${PER_ROUND})`,
);
console.log(`Webhook.parse / raw (paired median): ${median(pairs.map((p) => p.ours / p.raw)).toFixed(3)}x`);
