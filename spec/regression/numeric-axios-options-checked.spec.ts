import { Builder, ConfigError, ValidationError, type BuilderConfig } from '../../lib';
import { clientFor } from '../helpers/fixture';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const valid = (): BuilderConfig => ({
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
});

/** The fields a ConfigError (or ValidationError) names, or `accepted`. */
function refusedFields(build: () => unknown): string[] | 'accepted' {
  try {
    build();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => issue.path);
  }
}

/**
 * Broke (issue 19, items 9 and 11): a `timeout` above 2^31-1 ms (or `Infinity` per call) re-armed a 1 ms timer for
 * the whole call, printing hundreds of TimeoutOverflowWarnings; a `maxContentLength` of the wrong type
 * (`'4194304'` from an environment variable, `null`, `{}`) was accepted and silently removed the 4 MiB reply cap.
 * The numeric axios options the transport relies on are now checked like every other field: in the config
 * (ConfigError) and on a call (ValidationError, before anything is sent). Values are refused, not clamped.
 */
describe('regression: numeric axios options are checked, in the config and per call', () => {
  it.each([
    ['timeout', 2 ** 31],
    ['timeout', Infinity],
    ['timeout', '5000'],
    ['timeout', -1],
    ['maxContentLength', '4194304'],
    ['maxContentLength', null],
    ['maxContentLength', {}],
    ['maxContentLength', 1.5],
    ['maxBodyLength', '1000'],
    ['maxBodyLength', -2],
    ['maxRedirects', '0'],
    ['maxRedirects', null],
  ])('config %s: %p is a ConfigError naming it', (field, value) => {
    expect(refusedFields(() => Builder.factory({ ...valid(), [field]: value }))).toEqual([field]);
  });

  it.each([
    ['timeout', 0],
    ['timeout', 2 ** 31 - 1],
    ['maxContentLength', -1],
    ['maxContentLength', 1 << 20],
    ['maxBodyLength', -1],
    ['maxRedirects', 0],
  ])('config %s: %p is accepted', (field, value) => {
    expect(refusedFields(() => Builder.factory({ ...valid(), [field]: value }))).toBe('accepted');
  });

  describe('per call', () => {
    let server: HostileServer;
    beforeAll(async () => {
      server = await hostileServer((_req, res) => {
        const reply = JSON.stringify({ ok: true });
        res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders(reply) }).end(reply);
      }, 20);
    });
    afterAll(() => server.close());

    it.each([
      ['timeout', Infinity],
      ['timeout', 2 ** 31],
      ['timeout', '5000'],
      ['maxContentLength', '4194304'],
      ['maxContentLength', null],
    ])('%s: %p is a ValidationError naming it, and nothing is sent', async (field, value) => {
      const client = clientFor(server.url);
      const before = server.requests;
      const error = await client.v3.echo.get({ [field]: value } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([field]);
      expect(server.requests).toBe(before);
    });

    it('a valid per-call timeout is used as before', async () => {
      const response = await clientFor(server.url).v3.echo.get({ timeout: 2 ** 31 - 1 });
      expect(response.data).toEqual({ ok: true });
    });
  });
});
