import { Builder, type BuilderConfig } from '../../lib';
import { redisStore } from '../../lib/redis';
import {
  APIV3_KEY,
  certificateEntry,
  mintPlatform,
  startScriptedServer,
  type ScriptedServer,
} from '../helpers/certificate-server';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server';

const describeRedis = redisAvailable() ? describe : describe.skip;
const platform = mintPlatform();

/** A gateway serving its certificate list and signing every reply with that certificate. */
function serveCertificates(): Promise<ScriptedServer> {
  return startScriptedServer((path) =>
    path === '/v3/certificates'
      ? { body: JSON.stringify({ data: [certificateEntry({ platform })] }), signer: platform }
      : { body: '{"ok":true}', signer: platform },
  );
}

const downloads = (server: ScriptedServer) => server.paths.filter((path) => path === '/v3/certificates').length;

/** A client of the test merchant with no WeChat Pay key configured: it downloads (or adopts) platform certificates. */
function merchantClient(baseURL: string, config: Partial<BuilderConfig>) {
  return Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    apiv3Key: APIV3_KEY,
    baseURL,
    ...config,
  });
}

describeRedis('platform certificates shared through Redis', () => {
  jest.setTimeout(60_000);
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two clients of one merchant, each on its own Redis connection, download the certificates once', async () => {
    const server = await serveCertificates();
    const connections = [redis.client(), redis.client()];
    try {
      const [first, second] = connections.map((connection) =>
        merchantClient(server.url, { certificateStore: redisStore(connection) }),
      );
      await expect(first!['v3/some/thing'].get()).resolves.toMatchObject({ status: 200, data: { ok: true } });
      expect(downloads(server)).toBe(1);
      // the second verifies its reply with the certificate the first published, without a download of its own
      await expect(second!['v3/some/thing'].get()).resolves.toMatchObject({ status: 200, data: { ok: true } });
      expect(downloads(server)).toBe(1);
    } finally {
      connections.forEach((connection) => connection.disconnect());
      await server.stop();
    }
  });

  it('clients that need certificates at the same moment: one downloads, the others wait for its list', async () => {
    const server = await serveCertificates();
    const connections = [redis.client(), redis.client(), redis.client()];
    try {
      const clients = connections.map((connection) =>
        merchantClient(server.url, { certificateStore: redisStore(connection) }),
      );
      const replies = await Promise.all(clients.map((client) => client['v3/some/thing'].get()));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
      expect(downloads(server)).toBe(1);
    } finally {
      connections.forEach((connection) => connection.disconnect());
      await server.stop();
    }
  });

  it('an entry written by someone without the APIv3 key is not trusted: the client downloads', async () => {
    const server = await serveCertificates();
    const connection = redis.client();
    try {
      const forger = mintPlatform();
      const sealedElsewhere = certificateEntry({ platform: forger }, 'ffffffffffffffffffffffffffffffff');
      const key = `wechatpay-chain:certificates:${server.url}:${MCHID}`;
      await connection.set(
        key,
        JSON.stringify({ version: 'forged', body: JSON.stringify({ data: [sealedElsewhere] }) }),
      );
      const client = merchantClient(server.url, { certificateStore: redisStore(connection) });
      await expect(client['v3/some/thing'].get()).resolves.toMatchObject({ status: 200 });
      expect(downloads(server)).toBe(1);
    } finally {
      connection.disconnect();
      await server.stop();
    }
  });
});
