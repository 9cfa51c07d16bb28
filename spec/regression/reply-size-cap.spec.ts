import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Builder, TransportError, downloadBill, type BuilderConfig } from '../../lib';
import { hostileServer, signedHeaders, type HostileServer } from '../helpers/hostile-server';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const MiB = 1024 * 1024;

function client(baseURL: string, extra: Partial<BuilderConfig> = {}) {
  return Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL,
    timeout: 20_000,
    ...extra,
  });
}

async function failure(work: Promise<unknown>): Promise<TransportError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

/** A JSON document of about `bytes` bytes. */
const jsonOf = (bytes: number) => `{"padding":"${'x'.repeat(bytes)}"}`;

/**
 * Broke: replies were buffered whole whatever their size: a 100 MB reply filled memory, a 600 KB gzip bomb
 * inflated to 600 MB, a huge error body became an untyped ERR_STRING_TOO_LONG. Buffered replies are now capped
 * (4 MiB by default, `maxContentLength` to change it) on received and on inflated bytes, with a TransportError
 * coded ERR_RESPONSE_TOO_LARGE; streamed bill downloads are not capped.
 */
describe('regression: replies are capped in size', () => {
  const big = jsonOf(6 * MiB);
  const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20)); // about 64 KB on the wire
  let server: HostileServer;
  beforeAll(async () => {
    merchantKeys();
    server = await hostileServer((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/v3/big')) {
        res.writeHead(200, { 'Content-Type': 'application/json', ...signedHeaders(big) });
        return void res.end(big);
      }
      if (path.startsWith('/v3/bomb')) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        return void res.end(bomb);
      }
      if (path.startsWith('/v3/huge-error')) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        return void res.end(jsonOf(8 * MiB));
      }
      // the bill download: streamed, unsigned, larger than the buffered cap
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(big);
    }, 20);
  });
  afterAll(() => server.close());

  it.each([
    ['our node:http adapter', {}],
    ['axios http adapter (fallback)', { maxRedirects: 1 }],
  ])(
    'an oversized reply, a gzip bomb and a huge error body are typed failures: %s',
    async (_name, extra) => {
      const instance = client(server.url, extra);
      const calls = [() => instance.v3.big.get(), () => instance.v3.bomb.get(), () => instance.v3['huge-error'].get()];
      for (const call of calls) {
        const error = await failure(call());
        expect(error.code).toBe('ERR_RESPONSE_TOO_LARGE');
        expect(error.message).toContain('maxContentLength');
      }
    },
    30_000,
  );

  it('maxContentLength raises (or lowers) the cap', async () => {
    const roomy = await client(server.url, { maxContentLength: 8 * MiB }).v3.big.get();
    expect((roomy.data as { padding: string }).padding).toHaveLength(6 * MiB);
    const tight = await failure(client(server.url, { maxContentLength: 1024 }).v3.big.get());
    expect(tight.code).toBe('ERR_RESPONSE_TOO_LARGE');
  }, 30_000);

  it('a streamed bill download is not capped', async () => {
    let bytes = 0;
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((bytes += chunk.length), done()) });
    const sha1 = createHash('sha1').update(big).digest('hex');
    const result = await downloadBill(
      client(server.url),
      { download_url: `${server.url}/v3/billdownload/file?token=big`, hash_type: 'SHA1', hash_value: sha1 },
      { to: sink },
    );
    expect(result.sha1).toBe(sha1);
    expect(bytes).toBe(Buffer.byteLength(big));
  }, 30_000);
});
