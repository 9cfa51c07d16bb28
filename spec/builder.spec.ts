import { inspect } from 'node:util';
import { Builder, ConfigError, isConfigError, type BuilderConfig } from '../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from './helpers/keys';

const valid = (): BuilderConfig => ({
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
});

function configIssues(config: unknown) {
  try {
    Builder.factory(config as BuilderConfig);
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('Builder.factory validates the config up front', () => {
  it('builds a client from a valid config without mutating it', () => {
    const config = valid();
    const snapshot = structuredClone(config);
    const frozen = Object.freeze({ ...config, certs: Object.freeze({ ...config.certs }) });
    expect(typeof Builder.factory(frozen).v3).toBe('function');
    Builder.factory(config);
    expect(config).toEqual(snapshot);
  });

  it.each<[string, (c: Record<string, unknown>) => void, string, RegExp]>([
    ['a missing mchid', (c) => delete c.mchid, 'mchid', /required/],
    ['a non-numeric mchid', (c) => (c.mchid = 'abc'), 'mchid', /pattern/],
    ['a missing serial', (c) => delete c.serial, 'serial', /required/],
    ['a non-hex serial', (c) => (c.serial = 'not-hex!'), 'serial', /pattern/],
    ['a missing privateKey', (c) => delete c.privateKey, 'privateKey', /required/],
    ['a privateKey that does not load', (c) => (c.privateKey = 'not a key'), 'privateKey', /does not load/],
    ['a public key as privateKey', (c) => (c.privateKey = platformKeys().publicKey), 'privateKey', /does not load/],
    ['missing certs without apiv3Key', (c) => delete c.certs, 'certs', /is required/],
    ['empty certs without apiv3Key', (c) => (c.certs = {}), 'certs', /is required.*apiv3Key/],
    [
      'a cert that does not load',
      (c) => (c.certs = { PUB_KEY_ID_X: 'file:///nope.pem' }),
      'certs.PUB_KEY_ID_X',
      /does not load.*ENOENT/,
    ],
    [
      'a private key in certs',
      (c) => (c.certs = { PUB_KEY_ID_X: merchantKeys().privateKey }),
      'certs.PUB_KEY_ID_X',
      /private key/,
    ],
    [
      'the merchant serial in certs',
      (c) => (c.certs = { ...(c.certs as object), [MERCHANT_SERIAL]: platformKeys().publicKey }),
      `certs.${MERCHANT_SERIAL}`,
      /merchant's own/,
    ],
    ['a short apiv3Key', (c) => (c.apiv3Key = 'short'), 'apiv3Key', /must be 32 bytes .*got 5$/],
    ['a 32-character apiv3Key of more than 32 bytes', (c) => (c.apiv3Key = '中'.repeat(32)), 'apiv3Key', /32 bytes/],
    ['a short APIv2 secret', (c) => (c.secret = 'x'), 'secret', /fewer than 32/],
    ['a baseURL that is not http(s)', (c) => (c.baseURL = 'ftp://x'), 'baseURL', /pattern/],
    ['a protocol-owned axios option', (c) => (c.transformResponse = []), 'transformResponse', /owned by the protocol/],
  ])('%s is a ConfigError naming %s', (_case, mutate, field, issue) => {
    const config = valid() as unknown as Record<string, unknown>;
    mutate(config);
    const issues = configIssues(config);
    const match = issues.find((entry) => entry.path === field);
    expect(match).toBeDefined();
    expect(match!.issue).toMatch(issue);
  });

  it('lists every bad field at once', () => {
    const issues = configIssues({ mchid: 1, serial: 2 });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['certs', 'mchid', 'privateKey', 'serial']);
  });

  it('never puts a secret into the error', () => {
    const secret = 'S'.repeat(31);
    const apiv3Key = 'K'.repeat(33);
    const error = (() => {
      try {
        Builder.factory({ ...valid(), secret, apiv3Key, privateKey: merchantKeys().privateKey.replace(/A/g, '*') });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    const dumped = `${error.message} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(dumped).not.toContain(secret);
    expect(dumped).not.toContain(apiv3Key);
    expect(dumped).not.toContain(merchantKeys().privateKey.split('\n')[2]!.slice(0, 20).replace(/A/g, '*'));
  });

  it('is not an object: one clear issue', () => {
    expect(configIssues(undefined)).toEqual([{ path: 'config', issue: 'must be an object' }]);
  });
});
