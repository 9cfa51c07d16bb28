import { inspect } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withGateway, type Fixture } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import type { ReplyMode } from '../helpers/gateway';
import {
  ApiError,
  Builder,
  SignatureError,
  TransportError,
  isApiError,
  isSignatureError,
  type SignatureFailure,
} from '../../lib';

describe('every reply is verified before the caller sees it', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway((request) =>
      request.url.startsWith('/v3/fail')
        ? {
            status: 400,
            body: {
              code: 'PARAM_ERROR',
              message: '参数错误',
              detail: { field: 'mchid', value: 'x', issue: 'bad', location: 'body' },
            },
          }
        : { body: { state: 'SUCCESS' } },
    );
  });
  afterAll(() => fixture.gateway.stop());
  afterEach(() => {
    fixture.gateway.mode = 'signed';
  });

  it('resolves a correctly signed reply with the parsed body', async () => {
    const response = await fixture.instance.v3.ok.get();
    expect(response.data).toEqual({ state: 'SUCCESS' });
  });

  const failures: Array<[ReplyMode, SignatureFailure]> = [
    ['unsigned', 'HEADERS_MISSING'],
    ['tampered', 'SIGNATURE_MISMATCH'],
    ['unknown-serial', 'UNKNOWN_SERIAL'],
    ['skew', 'TIMESTAMP_SKEW'],
    ['probe', 'SIGNATURE_PROBE'],
    ['wrong-key', 'SIGNATURE_MISMATCH'],
  ];

  it.each(failures)('a %s reply rejects with SignatureError %s', async (mode, reason) => {
    fixture.gateway.mode = mode;
    const error = await fixture.instance.v3.ok.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SignatureError);
    expect(isSignatureError(error)).toBe(true);
    expect((error as SignatureError).reason).toBe(reason);
    expect((error as SignatureError).status).toBe(200);
    // the request did reach the gateway, and was properly signed
    expect(fixture.gateway.received.at(-1)!.authorized).toBe(true);
  });

  // past timestamps only grow older on the way, so the bounds are exact whatever the timing
  it('accepts a reply timestamp 298 s old and rejects 301 s', async () => {
    fixture.gateway.mode = 'skew';
    fixture.gateway.skewSeconds = -298;
    await expect(fixture.instance.v3.ok.get()).resolves.toMatchObject({ status: 200 });
    fixture.gateway.skewSeconds = -301;
    await expect(fixture.instance.v3.ok.get()).rejects.toMatchObject({ reason: 'TIMESTAMP_SKEW' });
    fixture.gateway.skewSeconds = 400;
  });

  it('turns a signed non-2xx reply into ApiError with the body fields', async () => {
    const error = (await fixture.instance.v3.fail.post({ json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(isApiError(error)).toBe(true);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('PARAM_ERROR');
    expect(error.message).toBe('参数错误');
    expect(error.detail).toEqual({ field: 'mchid', value: 'x', issue: 'bad', location: 'body' });
    expect(error.requestId).toMatch(/^req-\d+$/);
    expect(error.verified).toBe(true);
    expect(JSON.parse(error.body)).toMatchObject({ code: 'PARAM_ERROR' });
  });

  it('verifies error replies that carry a signature: a tampered one is a SignatureError', async () => {
    fixture.gateway.mode = 'tampered';
    await expect(fixture.instance.v3.fail.post({ json: {} })).rejects.toMatchObject({
      reason: 'SIGNATURE_MISMATCH',
      status: 400,
    });
  });

  it('an unsigned error reply is an ApiError marked unverified', async () => {
    fixture.gateway.mode = 'unsigned';
    await expect(fixture.instance.v3.fail.post({ json: {} })).rejects.toMatchObject({
      name: 'ApiError',
      status: 400,
      verified: false,
    });
  });

  it('the gateway rejects a request signed with the wrong merchant key: 401 SIGN_ERROR', async () => {
    const impostor = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: platformKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      baseURL: fixture.gateway.url,
    });
    await expect(impostor.v3.ok.get()).rejects.toMatchObject({ name: 'ApiError', status: 401, code: 'SIGN_ERROR' });
    expect(fixture.gateway.received.at(-1)!.authorized).toBe(false);
  });

  it('exempts unsigned downloads (bill files) from verification by path', async () => {
    fixture.gateway.mode = 'unsigned';
    await expect(fixture.instance.v3.billdownload.file.get({ query: { token: 't' } })).resolves.toMatchObject({
      status: 200,
    });
    await expect(fixture.instance['v3/billdownload/other'].get()).rejects.toMatchObject({ reason: 'HEADERS_MISSING' });
  });

  it('never puts the full Authorization or signature into an error', async () => {
    fixture.gateway.mode = 'tampered';
    const error = await fixture.instance.v3.ok.get().catch((e: unknown) => e);
    const requestSignature = fixture.gateway.received.at(-1)!.authorization!.signature!;
    const replySignature = fixture.gateway.replySignatures.at(-1)!;
    const dumped = JSON.stringify(error) + inspect(error, { depth: 10 }) + String(error);
    expect(dumped).not.toContain(requestSignature);
    expect(dumped).not.toContain(replySignature);
    expect(dumped).not.toContain(replySignature.slice(0, 40));
    expect(dumped).not.toContain(merchantKeys().privateKey.slice(40, 80));
    expect((error as SignatureError).headers['wechatpay-signature']).toMatch(/…$/);
  });
});

const clientOn = (port: number) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL: `http://127.0.0.1:${port}/`,
  });

describe('transport failures', () => {
  it('a refused connection is a TransportError with the cause kept and no Authorization inside', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const instance = clientOn(port);
    const error = (await instance.v3.ok.get().catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.cause).toBeDefined();
    expect(error.url).toBe('/v3/ok');
    expect(inspect(error, { depth: 20 })).not.toMatch(/WECHATPAY2-SHA256-RSA2048/);
  });

  it('a timeout is a TransportError', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const { port } = server.address() as AddressInfo;
    const instance = clientOn(port);
    await expect(instance.v3.slow.get({ timeout: 100 })).rejects.toMatchObject({
      name: 'TransportError',
      code: 'ECONNABORTED',
    });
    server.closeAllConnections();
    server.close();
  });
});
