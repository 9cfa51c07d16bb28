import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { Builder, TransportError, downloadBill, type BuilderConfig } from '../../lib';
import { hostileServer, signedHeaders, trickle, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

function client(baseURL: string, extra: Partial<BuilderConfig> = {}) {
  return Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL,
    timeout: 2000,
    ...extra,
  });
}

async function elapsed<T>(work: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

/**
 * Broke: `timeout` was axios' idle-socket timer, so a server trickling one byte every 500 ms (headers sent at
 * once) kept a `timeout: 2000` call alive for as long as it liked. `timeout` now bounds the whole exchange, on the
 * node:http adapter and on axios' adapter (used for streams, proxies, redirects...).
 */
describe('regression: timeout bounds the whole exchange, not idle gaps', () => {
  let server: HostileServer;
  beforeAll(async () => {
    merchantKeys(); // key generation is not part of the timed exchange
    server = await hostileServer((_req, res) => {
      // headers at once, then one byte every 500 ms for up to 20 s: each gap is far below the timeout
      res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders('{}') });
      res.write(' ');
      trickle(res, 40, 500);
    });
  });
  afterAll(() => server.close());

  it.each([
    ['our node:http adapter', {}],
    ['axios http adapter (fallback)', { maxRedirects: 1 }],
  ])(
    'a trickled reply fails with a TransportError soon after timeout: %s',
    async (_name, extra) => {
      const { ms, error } = await elapsed(client(server.url, extra).v3.trickle.get());
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).code).toBe('ECONNABORTED');
      expect((error as TransportError).message).toContain('timeout of 2000ms exceeded');
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(ms).toBeLessThan(4500);
    },
    10_000,
  );

  it('a streamed bill download is bounded by the same deadline', async () => {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const sha1 = createHash('sha1').update('').digest('hex');
    const { ms, error } = await elapsed(
      downloadBill(
        client(server.url),
        { download_url: `${server.url}/v3/billdownload/file?token=t`, hash_type: 'SHA1', hash_value: sha1 },
        { to: sink },
      ),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('ECONNABORTED');
    expect(ms).toBeLessThan(4500);
  }, 10_000);
});
