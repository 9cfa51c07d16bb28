import { Builder, MemoryStore, type BuilderConfig } from '../../lib';
import {
  APIV3_KEY,
  certificateEntry,
  mintPlatform,
  startScriptedServer,
  type ScriptedServer,
} from '../helpers/certificate-server';
import { MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

const platform = mintPlatform();

function serveCertificates(): Promise<ScriptedServer> {
  return startScriptedServer((path) =>
    path === '/v3/certificates'
      ? { body: JSON.stringify({ data: [certificateEntry({ platform })] }), signer: platform }
      : { body: '{"ok":true}', signer: platform },
  );
}

const downloads = (server: ScriptedServer) => server.paths.filter((path) => path === '/v3/certificates').length;

/** A platform client for merchant `mchid` (no WeChat Pay key configured: certificates are downloaded or adopted). */
function merchant(mchid: string, baseURL: string, config: Partial<BuilderConfig> = {}) {
  return Builder.factory({
    mchid,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    apiv3Key: APIV3_KEY,
    baseURL,
    ...config,
  });
}

describe('one process serving many merchants', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await serveCertificates();
  });
  afterEach(() => server.stop());

  it('shares certificate state per mchid across client instances by default', async () => {
    // a SaaS platform builds a client per request (or per tenant): the merchant's certificates are downloaded once
    await merchant('1900000101', server.url)['v3/some/thing'].get();
    await merchant('1900000101', server.url)['v3/some/thing'].get();
    await merchant('1900000101', server.url)['v3/some/thing'].get();
    expect(downloads(server)).toBe(1);
    // another merchant has its own platform certificates (and APIv3 key): never taken from the first's
    await merchant('1900000102', server.url)['v3/some/thing'].get();
    expect(downloads(server)).toBe(2);
    await merchant('1900000102', server.url)['v3/some/thing'].get();
    expect(downloads(server)).toBe(2);
  });

  it('keeps merchants apart per gateway: a test server never stands in for another', async () => {
    const other = await serveCertificates();
    try {
      await merchant('1900000103', server.url)['v3/some/thing'].get();
      await merchant('1900000103', other.url)['v3/some/thing'].get();
      expect([downloads(server), downloads(other)]).toEqual([1, 1]);
    } finally {
      await other.stop();
    }
  });

  it('shares through a store given to each client (certificateStore), apart from the default one', async () => {
    const store = new MemoryStore();
    await merchant('1900000104', server.url, { certificateStore: store })['v3/some/thing'].get();
    await merchant('1900000104', server.url, { certificateStore: store })['v3/some/thing'].get();
    expect(downloads(server)).toBe(1);
    // a client on the default store does not see what the given store holds
    await merchant('1900000104', server.url)['v3/some/thing'].get();
    expect(downloads(server)).toBe(2);
  });
});
