import { Builder, ConfigError, Webhook, isWechatpayError, type BuilderConfig } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/** mulberry32: a seeded generator, so a failure names the seed that reproduces it. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const SCALARS: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  10n,
  true,
  false,
  '',
  ' ',
  'abc',
  '1900000001',
  'k'.repeat(32),
  '中'.repeat(32),
  'file:///nonexistent/key.pem',
  'file://',
  '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
  'http://127.0.0.1:1/',
  'ftp://x',
  '__proto__',
  Symbol('s'),
  () => undefined,
  [],
  [1, 2],
  {},
  Buffer.from('x'),
  new Date(0),
];

const KEYS = [
  'mchid',
  'serial',
  'privateKey',
  'certs',
  'secret',
  'apiv3Key',
  'merchant',
  'baseURL',
  'timeout',
  'validation',
  'encrypt',
  'cacheSize',
  'certificateRefreshMs',
  'retry',
  'backupBaseURL',
  'hooks',
  'logger',
  'headers',
  'encrypted',
  'transformResponse',
  'url',
  'constructor',
  'toString',
] as const;

function randomValue(random: ReturnType<typeof generator>, depth = 0): unknown {
  if (depth < 2 && random.next() < 0.25) {
    const object: Record<string, unknown> = {};
    const size = Math.floor(random.next() * 4);
    for (let i = 0; i < size; i += 1) {
      object[
        random.pick(['cert', 'key', 'ca', 'retries', 'request', 'warn', PLATFORM_SERIAL, MERCHANT_SERIAL, 'x y'])
      ] = randomValue(random, depth + 1);
    }
    return object;
  }
  return random.pick(SCALARS);
}

const valid = (): Record<string, unknown> => ({
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
});

/** Whatever the config, the outcome is a client or a ConfigError: never a TypeError, never an untyped throw. */
describe('config fuzz: only ConfigError is ever thrown', () => {
  it.each([1, 2, 3, 4])('Builder.factory, seed %i (200 configs)', (seed) => {
    const random = generator(seed);
    for (let round = 0; round < 200; round += 1) {
      const config = random.next() < 0.5 ? valid() : {};
      const changes = 1 + Math.floor(random.next() * 4);
      for (let i = 0; i < changes; i += 1) config[random.pick(KEYS)] = randomValue(random);
      try {
        Builder.factory(config as unknown as BuilderConfig);
      } catch (error) {
        if (!(error instanceof ConfigError)) {
          throw new Error(`seed ${seed} round ${round}: ${String(error)} for keys ${Object.keys(config).join(',')}`);
        }
        expect(error.issues.length).toBeGreaterThan(0);
      }
    }
  });

  it.each([1, 2, 3])('new Webhook, seed %i (200 option bags)', (seed) => {
    const random = generator(seed);
    for (let round = 0; round < 200; round += 1) {
      const options: Record<string, unknown> = {};
      for (const key of ['certs', 'apiv3Key', 'replayGuard', 'now']) {
        if (random.next() < 0.6) options[key] = randomValue(random);
      }
      const bag = random.next() < 0.1 ? random.pick(SCALARS) : options;
      try {
        new Webhook(bag as never);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw new Error(`seed ${seed} round ${round}: ${String(error)}`);
      }
    }
  });

  it.each([1, 2, 3])('Webhook.parse, seed %i (200 inputs)', (seed) => {
    const random = generator(seed);
    const webhook = new Webhook({ certs: { [PLATFORM_SERIAL]: platformKeys().publicKey }, apiv3Key: 'k'.repeat(32) });
    for (let round = 0; round < 200; round += 1) {
      const input =
        random.next() < 0.2
          ? random.pick(SCALARS)
          : { headers: randomValue(random), body: random.next() < 0.5 ? randomValue(random) : '{"resource":{}}' };
      try {
        webhook.parse(input as never);
        throw new Error(`seed ${seed} round ${round}: parsed an unsigned callback`);
      } catch (error) {
        if (!isWechatpayError(error)) throw new Error(`seed ${seed} round ${round}: ${String(error)}`);
      }
    }
  });
});
