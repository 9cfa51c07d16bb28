import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Builder, SignatureError, downloadCertificates } from '../../lib';
import { APIV3_KEY, mintPlatform, startScriptedServer, within } from '../helpers/certificate-server';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';
import { scratch } from '../helpers/openssl';

const BIN = join(__dirname, '..', '..', 'bin', 'wechatpay-chain.js');

/**
 * Broke: a first setup with a wrong merchant key got a 401 signed by a certificate the client did not know yet.
 * The verifier asked the certificate manager to learn that serial, which waited on the download in flight (this
 * one): every call hung forever, and the `certificates` CLI exited 0 having written nothing.
 */
describe('regression: a non-200 certificates reply signed by an unknown serial', () => {
  const stranger = mintPlatform();
  const refusal = JSON.stringify({ code: 'SIGN_ERROR', message: 'merchant signature does not verify' });

  it('rejects the download and every call waiting on it, without hanging, after one request', async () => {
    const server = await startScriptedServer(() => ({ status: 401, body: refusal, signer: stranger }));
    try {
      const instance = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        apiv3Key: APIV3_KEY,
        baseURL: server.url,
      });
      const error = await within(downloadCertificates(instance), 3000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignatureError);
      expect(error).toMatchObject({ reason: 'UNKNOWN_SERIAL', status: 401, serial: stranger.serial });
      expect((error as Error).message).toMatch(/HTTP 401.*SIGN_ERROR/);
      expect(server.paths).toEqual(['/v3/certificates']);
      // a business call whose 200 is signed by the stranger: the chase downloads once more, fails, and rejects
      server.reply = (path) =>
        path === '/v3/certificates'
          ? { status: 401, body: refusal, signer: stranger }
          : { body: '{"ok":true}', signer: stranger };
      await expect(within(instance.v3.some.thing.get(), 3000)).rejects.toMatchObject({
        name: 'SignatureError',
        reason: 'UNKNOWN_SERIAL',
      });
      expect(server.paths.length).toBeLessThanOrEqual(3);
    } finally {
      await server.stop();
    }
  });

  it('an unsigned non-200 certificates reply is an ApiError', async () => {
    const server = await startScriptedServer(() => ({ status: 500, body: '{"code":"SYSTEM_ERROR"}' }));
    try {
      const instance = Builder.factory({
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        apiv3Key: APIV3_KEY,
        baseURL: server.url,
      });
      await expect(within(downloadCertificates(instance), 3000)).rejects.toMatchObject({
        name: 'ApiError',
        status: 500,
        code: 'SYSTEM_ERROR',
        verified: false,
      });
    } finally {
      await server.stop();
    }
  });

  it('the certificates CLI exits non-zero with the reason and writes nothing', async () => {
    const server = await startScriptedServer(() => ({ status: 401, body: refusal, signer: stranger }));
    const dir = scratch();
    try {
      const keyFile = dir.path('apiclient_key.pem', merchantKeys().privateKey);
      const args = [BIN, 'certificates', '--mchid', MCHID, '--serial', MERCHANT_SERIAL, '--private-key', keyFile];
      const child = spawn(process.execPath, [...args, '--base-url', server.url, '--out', dir.path('certs')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WECHATPAY_APIV3_KEY: APIV3_KEY },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = new Promise((resolve) => child.on('exit', resolve));
      const code = await within(exit, 10_000).catch((error: unknown) => {
        child.kill('SIGKILL');
        throw error;
      });
      expect(code).toBe(1); // 1: the command failed (2 is kept for usage errors)
      expect(stderr).toMatch(/UNKNOWN_SERIAL: certificates download answered HTTP 401/);
      const certs = dir.path('certs');
      expect(existsSync(certs) ? readdirSync(certs) : []).toEqual([]);
      expect(stderr).not.toContain(APIV3_KEY);
    } finally {
      await server.stop();
      dir.remove();
    }
  });
});
