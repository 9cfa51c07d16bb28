import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AesGcm, Webhook, type WebhookEvent } from '../../lib';
import type { PunishOrder } from '../../lib/sandbox';
import { TARGET, punishJson, startSandbox } from './helpers';

async function receiver(listener: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify` };
}

describe('sandbox callbacks received by Webhook', () => {
  it('sends a probe first (rejected), then a signed, encrypted callback that verifies and decrypts', async () => {
    const events: Array<WebhookEvent<PunishOrder>> = [];
    const endpoint: { webhook?: Webhook } = {};
    const { server, url } = await receiver((req, res) =>
      endpoint.webhook!.listener<PunishOrder>((event) => void events.push(event))(req, res),
    );
    const { sandbox, instance } = await startSandbox({ notifyUrl: url, probe: true, apiv3Key: 'k'.repeat(32) });
    endpoint.webhook = new Webhook({ certs: sandbox.certs, apiv3Key: sandbox.apiv3Key });

    await instance.v3.aggracctBc.wbChannel.controlOrders.punish.post({ json: punishJson('CB-1') });
    sandbox.settle();
    await sandbox.callbacksIdle();

    const [probe, real] = sandbox.callbacks;
    expect(probe).toMatchObject({ probe: true, delivered: false, attempts: [{ status: 401 }] });
    expect(real).toMatchObject({
      probe: false,
      delivered: true,
      event_type: 'AGGRACCT_BC.PUNISH.SUCCESS',
      attempts: [{ status: 204 }],
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.resource).toMatchObject({ out_request_no: 'CB-1', punish_state: 'SUCCESS', mchid: TARGET.mchid });
    expect(events[0]!.envelope.resource.algorithm).toBe('AEAD_AES_256_GCM');
    await sandbox.stop();
    server.close();
  });

  it('retries a callback that was not answered 2xx, with backoff', async () => {
    let calls = 0;
    const { server, url } = await receiver((req, res) => {
      calls++;
      req.resume();
      res.writeHead(calls === 1 ? 500 : 204).end();
    });
    const { sandbox, instance } = await startSandbox({ notifyUrl: url, callbackRetryDelaysMs: [50, 50] });
    await instance.v3.aggracctBc.wbChannel.controlOrders.punish.post({ json: punishJson('CB-2') });
    sandbox.settle();
    await sandbox.callbacksIdle();
    expect(sandbox.callbacks[0]).toMatchObject({ delivered: true, attempts: [{ status: 500 }, { status: 204 }] });
    const [first, second] = sandbox.callbacks[0]!.attempts;
    // the retry waited out its 50 ms backoff (timers may round down by a millisecond)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(49);
    await sandbox.stop();
    server.close();
  });

  it('gives up after the last retry', async () => {
    const { server, url } = await receiver((req, res) => {
      req.resume();
      res.writeHead(503).end();
    });
    const { sandbox, instance } = await startSandbox({ notifyUrl: url, callbackRetryDelaysMs: [10, 10] });
    await instance.v3.aggracctBc.wbChannel.controlOrders.punish.post({ json: punishJson('CB-3') });
    sandbox.settle();
    await sandbox.callbacksIdle();
    expect(sandbox.callbacks[0]!.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 503]);
    expect(sandbox.callbacks[0]!.delivered).toBe(false);
    await sandbox.stop();
    server.close();
  });
});

describe('platform certificate mode', () => {
  it('serves /v3/certificates encrypted with the APIv3 key, and signs with the certificate', async () => {
    const { sandbox, instance } = await startSandbox({ mode: 'certificate' });
    expect(sandbox.platformSerial).toMatch(/^[0-9A-F]{40}$/);
    const { data } = await instance.v3.certificates.get();
    const [entry] = data.data as Array<{
      serial_no: string;
      encrypt_certificate: { ciphertext: string; nonce: string; associated_data: string };
    }>;
    expect(entry!.serial_no).toBe(sandbox.platformSerial);
    const pem = AesGcm.decrypt(
      entry!.encrypt_certificate.ciphertext,
      sandbox.apiv3Key,
      entry!.encrypt_certificate.nonce,
      'certificate',
    );
    expect(pem).toBe(sandbox.certs[sandbox.platformSerial]);
    await expect(instance.v3.aggracctBc.wbChannel.account.balance.get({ query: TARGET })).resolves.toMatchObject({
      status: 200,
    });
    await sandbox.stop();
  });

  it('in both mode, holds a public key and a certificate, and clients with both verify either signer', async () => {
    for (const signWith of ['public-key', 'certificate'] as const) {
      const { sandbox, instance } = await startSandbox({ mode: 'both', signWith });
      expect(Object.keys(sandbox.certs)).toHaveLength(2);
      expect(sandbox.platformSerial.startsWith('PUB_KEY_ID_')).toBe(signWith === 'public-key');
      await expect(instance.v3.aggracctBc.wbChannel.account.balance.get({ query: TARGET })).resolves.toMatchObject({
        status: 200,
      });
      await sandbox.stop();
    }
  });

  it('public-key mode has no platform certificates to download: 404 RESOURCE_NOT_EXISTS, as WeChat Pay answers', async () => {
    const { sandbox, instance } = await startSandbox();
    await expect(instance.v3.certificates.get()).rejects.toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_EXISTS',
      message: '无可用的平台证书',
    });
    await sandbox.stop();
  });
});
