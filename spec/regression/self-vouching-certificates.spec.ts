import { Builder, SignatureError, downloadCertificates } from '../../lib';
import {
  APIV3_KEY,
  certificateEntry,
  mintPlatform,
  startScriptedServer,
  within,
  type ListedCertificate,
  type Platform,
  type ScriptedServer,
} from '../helpers/certificate-server';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

const list = (...listed: ListedCertificate[]) => JSON.stringify({ data: listed.map((l) => certificateEntry(l)) });

const client = (server: ScriptedServer, certs?: Record<string, string>) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    apiv3Key: APIV3_KEY,
    baseURL: server.url,
    ...(certs ? { certs } : {}),
  });

/** A server whose certificates list is `body`, signed by `signer`; business calls are signed by `business`. */
async function serve(body: () => string, signer: () => Platform, business: () => Platform = signer) {
  return startScriptedServer((path) =>
    path === '/v3/certificates' ? { body: body(), signer: signer() } : { body: '{"ok":true}', signer: business() },
  );
}

/**
 * Broke: every certificates download could vouch for itself (signed by a certificate it carries), so whoever
 * could answer for the gateway with a list sealed by the APIv3 key replaced the trusted keys at any time; expired
 * certificates were taken, and the associated data was whatever the reply said.
 */
describe('regression: a certificates list vouches for itself only on the very first bootstrap', () => {
  it('with a configured key, a self-signed list is refused and its certificate never trusted', async () => {
    const configured = mintPlatform();
    const intruder = mintPlatform();
    const server = await serve(
      () => list({ platform: intruder }),
      () => intruder,
    );
    try {
      const instance = client(server, { [configured.serial]: configured.pem });
      await expect(within(downloadCertificates(instance), 3000)).rejects.toMatchObject({
        name: 'SignatureError',
        reason: 'UNKNOWN_SERIAL',
        message: expect.stringMatching(/not by a WeChat Pay key already trusted/),
      });
      // a reply signed by the intruder is still refused (the chase downloads the same list and refuses it again)
      await expect(within(instance.v3.x.get(), 3000)).rejects.toBeInstanceOf(SignatureError);
    } finally {
      await server.stop();
    }
  });

  it('after the first bootstrap, a new list must verify with a certificate already learnt', async () => {
    const first = mintPlatform();
    const intruder = mintPlatform();
    let listed: ListedCertificate[] = [{ platform: first }];
    let signer = first;
    const server = await serve(
      () => list(...listed),
      () => signer,
    );
    try {
      const instance = client(server);
      await expect(within(downloadCertificates(instance), 3000)).resolves.toHaveLength(1);
      listed = [{ platform: first }, { platform: intruder }];
      signer = intruder;
      await expect(within(downloadCertificates(instance), 3000)).rejects.toMatchObject({ reason: 'UNKNOWN_SERIAL' });
      // the same list signed by the certificate already trusted is taken: rotation still works
      signer = first;
      const kept = await within(downloadCertificates(instance), 3000);
      expect(kept.map((c) => c.serial).sort()).toEqual([first.serial, intruder.serial].sort());
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['an expired certificate', () => ({ platform: mintPlatform(new Date(Date.now() - 10 * 86_400_000), 2) })],
    ['a certificate not yet valid', () => ({ platform: mintPlatform(new Date(Date.now() + 5 * 86_400_000), 30) })],
    [
      'a certificate the list says expired',
      () => ({ platform: mintPlatform(), expireTime: new Date(Date.now() - 60_000).toISOString() }),
    ],
  ])('%s cannot vouch for a first bootstrap', async (_case, make: () => ListedCertificate) => {
    const listed = make();
    const server = await serve(
      () => list(listed),
      () => listed.platform,
    );
    try {
      await expect(within(downloadCertificates(client(server)), 3000)).rejects.toMatchObject({
        name: 'SignatureError',
        message: expect.stringMatching(/validity period/),
      });
    } finally {
      await server.stop();
    }
  });

  it('an expired certificate next to a valid one is left out', async () => {
    const valid = mintPlatform();
    const expired = mintPlatform(new Date(Date.now() - 10 * 86_400_000), 2);
    const server = await serve(
      () => list({ platform: valid }, { platform: expired }),
      () => valid,
    );
    try {
      const kept = await within(downloadCertificates(client(server)), 3000);
      expect(kept.map((c) => c.serial)).toEqual([valid.serial]);
    } finally {
      await server.stop();
    }
  });

  it('associated data other than "certificate" is refused, even when it is what the ciphertext was sealed with', async () => {
    const platform = mintPlatform();
    const server = await serve(
      () => list({ platform, associatedData: 'transaction' }),
      () => platform,
    );
    try {
      await expect(within(downloadCertificates(client(server)), 3000)).rejects.toMatchObject({
        name: 'SignatureError',
        message: expect.stringMatching(/associated data other than "certificate"/),
      });
    } finally {
      await server.stop();
    }
  });
});
