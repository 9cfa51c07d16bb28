import { Builder, ConfigError, Webhook, type BuilderConfig } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const valid = (): Record<string, unknown> => ({
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
});

function issuesOf(build: () => unknown) {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}
const factory = (config: Record<string, unknown>) => () => Builder.factory(config as unknown as BuilderConfig);

/** Broke: once a field failed the schema, key and certs checks never ran, so fixing one field revealed the next. */
describe('regression: ConfigError lists every bad field at once', () => {
  it('schema failures, the merchant serial in certs and an unloadable key, together', () => {
    const issues = issuesOf(
      factory({
        ...valid(),
        mchid: 'abc',
        privateKey: 'not a key',
        certs: { [MERCHANT_SERIAL]: platformKeys().publicKey, PUB_KEY_ID_BAD: 'not a key either' },
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['mchid', 'privateKey', `certs.${MERCHANT_SERIAL}`, 'certs.PUB_KEY_ID_BAD'].sort(),
    );
    expect(issues.find((issue) => issue.path === `certs.${MERCHANT_SERIAL}`)!.issue).toMatch(/merchant's own/);
  });

  it('a mistyped option (`encrypted: true`) is refused, naming it and the likely option', () => {
    const issues = issuesOf(factory({ ...valid(), encrypted: true }));
    expect(issues).toEqual([{ path: 'encrypted', issue: expect.stringMatching(/not a known option.*`encrypt`/) }]);
  });

  it('unknown keys are refused, axios options pass, per-call options are named as such', () => {
    expect(() => Builder.factory({ ...valid(), maxContentLength: 1 << 20, proxy: false } as never)).not.toThrow();
    const issues = issuesOf(factory({ ...valid(), frobnicate: 1, url: '/v3/x', data: '{}' }));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['data', 'frobnicate', 'url']);
    expect(issues.find((issue) => issue.path === 'url')!.issue).toMatch(/not a client option/);
  });

  it('retry, backupBaseURL, hooks and logger are checked, naming the field', () => {
    const issues = issuesOf(
      factory({
        ...valid(),
        retry: { retries: -1, delay: 5 },
        backupBaseURL: 'ftp://x',
        hooks: { request: 'no', onward: () => undefined },
        logger: { warn: 1 },
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['backupBaseURL', 'hooks.onward', 'hooks.request', 'logger.warn', 'retry.delay', 'retry.retries'].sort(),
    );
  });
});

describe('regression: Webhook config errors say what is wrong', () => {
  const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };

  it('a missing apiv3Key is missing, not "must be 32 bytes"', () => {
    expect(issuesOf(() => new Webhook({ certs } as never))).toEqual([
      { path: 'apiv3Key', issue: expect.stringMatching(/^is required/) },
    ]);
  });

  it('no keys at all is a ConfigError, whatever the shape', () => {
    expect(issuesOf(() => new Webhook({ apiv3Key: 'k'.repeat(32) } as never)).map((issue) => issue.path)).toEqual([
      'certs',
    ]);
    expect(issuesOf(() => new Webhook({ certs: {}, apiv3Key: 'k'.repeat(32) })).map((issue) => issue.path)).toEqual([
      'certs',
    ]);
    expect(issuesOf(() => new (Webhook as unknown as new () => Webhook)()).map((issue) => issue.path)).toEqual([
      'certs',
      'apiv3Key',
    ]);
  });
});
