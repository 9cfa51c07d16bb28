import { randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, Rsa } from '../../lib';
import { decodeSignature } from '../../lib/crypto/signature-bytes';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

type Mangle = (signature: string) => string | string[];

/** A gateway that signs its reply correctly, then sends the signature header as `mangle` makes it. */
async function withMangledSignature(mangle: Mangle, run: (url: string) => Promise<void>) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = '{"ok":true}';
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKeys().privateKey);
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Wechatpay-Timestamp', timestamp);
      res.setHeader('Wechatpay-Nonce', nonce);
      res.setHeader('Wechatpay-Serial', PLATFORM_SERIAL);
      res.setHeader('Wechatpay-Signature', mangle(signature.toString('base64')));
      res.end(body);
    });
  });
  server.unref();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const client = (baseURL: string) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL,
  });

/**
 * Broke: `Buffer.from(signature, 'base64')` skips what is not base64 and stops at padding, so signatures with junk
 * appended, spliced in or trailing after `=` verified, and so did two `Wechatpay-Signature` headers.
 */
describe('regression: Wechatpay-Signature is decoded strictly', () => {
  it('the canonical signature verifies (control)', async () => {
    await withMangledSignature(
      (signature) => signature,
      async (url) => {
        await expect(client(url).v3.x.get()).resolves.toMatchObject({ data: { ok: true } });
      },
    );
  });

  it.each<[string, Mangle]>([
    ['junk appended', (s) => `${s}!!`],
    ['junk spliced in', (s) => `${s.slice(0, 10)}*${s.slice(10)}`],
    ['bytes after the padding', (s) => `${s}AAAA`],
    ['padding dropped', (s) => s.replace(/=+$/, '')],
    ['a space inside', (s) => `${s.slice(0, 20)} ${s.slice(20)}`],
  ])('%s is a SIGNATURE_MISMATCH', async (_case, mangle) => {
    await withMangledSignature(mangle, async (url) => {
      await expect(client(url).v3.x.get()).rejects.toMatchObject({
        name: 'SignatureError',
        reason: 'SIGNATURE_MISMATCH',
      });
    });
  });

  it('a repeated Wechatpay-Signature header is a HEADERS_MISSING-class rejection, even when both are valid', async () => {
    await withMangledSignature(
      (signature) => [signature, signature],
      async (url) => {
        await expect(client(url).v3.x.get()).rejects.toMatchObject({
          name: 'SignatureError',
          reason: 'HEADERS_MISSING',
          message: expect.stringMatching(/repeats Wechatpay-Signature/),
        });
      },
    );
  });

  it('decodeSignature takes canonical base64 only, and Rsa.verify uses it', () => {
    const message = 'hello';
    const good = Rsa.sign(message, platformKeys().privateKey);
    expect(decodeSignature(good)?.toString('base64')).toBe(good);
    // the last character of a 256-byte signature carries 4 bits only: a different last char with the same bits
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = ALPHABET.indexOf(good[good.length - 3]!);
    const sibling = good.slice(0, -3) + ALPHABET[last ^ 1]! + good.slice(-2);
    expect(Buffer.from(sibling, 'base64').equals(Buffer.from(good, 'base64'))).toBe(true);
    expect(decodeSignature(sibling)).toBeUndefined();
    expect(Rsa.verify(message, good, platformKeys().publicKey)).toBe(true);
    expect(Rsa.verify(message, sibling, platformKeys().publicKey)).toBe(false);
    expect(Rsa.verify(message, `${good}\n`, platformKeys().publicKey)).toBe(false);
  });
});
