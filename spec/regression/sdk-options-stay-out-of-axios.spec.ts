import { Builder } from '../../lib';
import { coreOf } from '../../lib/builder';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * axios copies its config into every AxiosError: the SDK's own options (keys above all) must never be in it.
 * Broke once: `encrypt` and `certificateRefreshMs` leaked into the axios defaults.
 */
describe('regression: SDK options stay out of the axios config', () => {
  it('holds none of the SDK options, and no key material', () => {
    const instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      secret: 's'.repeat(32),
      apiv3Key: 'k'.repeat(32),
      encrypt: true,
      validation: true,
      cacheSize: 10,
      certificateRefreshMs: 60_000,
      timeout: 1234,
    });
    const defaults = coreOf(instance).client.http.defaults as unknown as Record<string, unknown>;
    for (const option of [
      'mchid',
      'serial',
      'privateKey',
      'certs',
      'secret',
      'apiv3Key',
      'merchant',
      'encrypt',
      'validation',
      'cacheSize',
      'certificateRefreshMs',
    ]) {
      expect(defaults).not.toHaveProperty(option);
    }
    expect(defaults.timeout).toBe(1234);
    expect(JSON.stringify(defaults)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(defaults)).not.toContain('s'.repeat(32));
  });
});
