import { ConfigError, FetchWebhook, MemoryStore, Webhook } from '../../lib';
import { CALLBACK_APIV3_KEY } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError thrown');
}

/**
 * Broke: `new Webhook({ replayGaurd: true })` (a typo) was accepted and the guard was silently off, while
 * `Builder.factory` refuses unknown keys with a "did you mean". Both callback front doors now refuse them too.
 */
describe('regression: the callback front doors refuse unknown options with a "did you mean"', () => {
  it.each([
    ['replayGaurd', 'replayGuard'],
    ['apiV3Key', 'apiv3Key'],
    ['cert', 'certs'],
  ])('Webhook: %s -> did you mean %s', (typo, meant) => {
    const options = { certs, apiv3Key: CALLBACK_APIV3_KEY, [typo]: typo === 'apiV3Key' ? CALLBACK_APIV3_KEY : true };
    const error = configErrorOf(() => new Webhook(options as never));
    expect(error.issues).toContainEqual({
      path: typo,
      issue: expect.stringContaining(`did you mean \`${meant}\`?`),
    });
  });

  it('FetchWebhook: replayGaurd -> did you mean replayGuard', async () => {
    const error = await FetchWebhook.create({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGaurd: true } as never).catch(
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toContainEqual({
      path: 'replayGaurd',
      issue: expect.stringContaining('did you mean `replayGuard`?'),
    });
  });

  it('names an unknown option without a near one, listing those it takes', () => {
    const error = configErrorOf(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, backend: 'node' } as never));
    expect(error.issues).toEqual([
      { path: 'backend', issue: expect.stringMatching(/is not a known option \(certs, apiv3Key/) },
    ]);
  });

  it('checks replayGuard options: a typo, a non-store, maxEntries with a store', () => {
    expect(
      configErrorOf(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { ttlSecond: 60 } } as never))
        .issues,
    ).toEqual([{ path: 'replayGuard.ttlSecond', issue: expect.stringContaining('did you mean `ttlSeconds`?') }]);
    expect(
      configErrorOf(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store: {} } } as never))
        .issues,
    ).toEqual([{ path: 'replayGuard.store', issue: expect.stringMatching(/must be a store.*setIfAbsent/) }]);
    const store = new MemoryStore();
    expect(
      configErrorOf(() => new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY, replayGuard: { store, maxEntries: 5 } }))
        .issues,
    ).toEqual([{ path: 'replayGuard.maxEntries', issue: expect.stringContaining('in-memory guard only') }]);
  });

  it('the options each takes still work', () => {
    expect(
      () =>
        new Webhook({
          certs,
          apiv3Key: CALLBACK_APIV3_KEY,
          replayGuard: { ttlSeconds: 60, maxEntries: 10 },
          now: () => Math.floor(Date.now() / 1000),
          logger: console,
        }),
    ).not.toThrow();
  });
});
