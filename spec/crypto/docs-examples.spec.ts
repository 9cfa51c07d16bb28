import { X509Certificate, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Builder,
  Formatter,
  Hash,
  Rsa,
  Transformer,
  Webhook,
  downloadCertificates,
  isApiError,
  type KeyLike,
} from '../../lib';
import { openssl, scratch } from '../helpers/openssl';
import { vectorKey } from '../helpers/keys';

/**
 * The TypeScript examples of docs/migration.md and docs/toolkit.md. The client examples are type-checked by
 * `npm run typecheck` (this file is compiled with the specs) against the real exports; the toolkit examples
 * run below on real keys, with the results asserted.
 */
export async function migrationClientExamples(apiv3Key: string, apiv2Key: string, order: { mchid: string }) {
  const instance = Builder.factory({
    mchid: '1900000001',
    serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    privateKey: 'file:///keys/apiclient_key.pem',
    certs: { PUB_KEY_ID_0114232134912410000000000000: 'file:///keys/pub_key.pem' },
    apiv3Key,
    secret: apiv2Key,
    merchant: { cert: 'file:///keys/apiclient_cert.pem', key: 'file:///keys/apiclient_key.pem' },
  });
  const no = 'T1';
  const { data } = await instance.v3.pay.transactions.native.post({ json: order });
  await instance
    .chain('v3/pay/transactions/out-trade-no/{out_trade_no}')
    .get({ out_trade_no: no, query: { mchid: order.mchid } });
  await instance.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: no, query: { mchid: order.mchid } });
  await instance.v3.pay.transactions.native.postAsync({ json: order });
  try {
    await instance.v3.pay.transactions.native.post({ json: order });
  } catch (error) {
    if (isApiError(error)) console.log(error.status, error.code, error.message, error.requestId);
    else throw error;
  }
  const appid = 'wx';
  const refund = { appid, out_trade_no: no, out_refund_no: 'R1', total_fee: 1, refund_fee: 1 };
  await instance.v2.pay.orderquery.post({ xml: { appid, out_trade_no: no } });
  await instance.v2.secapi.pay.refund.post({ xml: refund, security: true });
  const certificates = await downloadCertificates(instance);
  return {
    data,
    certificates: certificates.map(({ serial, pem, key, effectiveTime, expireTime }) => ({
      serial,
      pem,
      key,
      effectiveTime,
      expireTime,
    })),
  };
}

export function migrationCallbackExample(
  certs: Record<string, KeyLike>,
  apiv3Key: string,
  headers: Record<string, string>,
  rawBody: Buffer,
) {
  const webhook = new Webhook({ certs, apiv3Key });
  const { envelope, resource, reply } = webhook.parse({ headers, body: rawBody });
  return { envelope, resource, status: reply.status, body: reply.body };
}

describe('docs/toolkit.md and docs/migration.md toolkit examples, run', () => {
  const dir = scratch();
  const pem = vectorKey();
  const keyFile = dir.path('apiclient_key.pem', pem);
  const certFile = dir.path('wechatpay.pem');
  openssl(['req', '-new', '-x509', '-key', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=WeChat Pay Test']);
  const der = (type: 'pkcs8' | 'pkcs1') => Rsa.from(pem).export({ type, format: 'der' }).toString('base64');
  const publicDer = (type: 'spki' | 'pkcs1') => createPublicKey(pem).export({ type, format: 'der' }).toString('base64');
  const encryptedFile = dir.path('encrypted.pkcs8.key');
  openssl([
    'pkcs8',
    '-topk8',
    '-in',
    keyFile,
    '-v2',
    'aes-256-cbc',
    '-passout',
    'pass:passphrase',
    '-out',
    encryptedFile,
  ]);
  afterAll(() => dir.remove());

  it("every key form of the 'Keys in wechatpay-php's forms' block loads the same key", () => {
    const fingerprint = Rsa.from(`file://${certFile}`, 'public')
      .export({ type: 'spki', format: 'der' })
      .toString('hex');
    const keys = [
      Rsa.from(`file://${keyFile}`),
      Rsa.from(`private.pkcs8://${der('pkcs8')}`),
      Rsa.from(`private.pkcs1://${der('pkcs1')}`),
      Rsa.from(`public.spki://${publicDer('spki')}`, 'public'),
      Rsa.from(`public.pkcs1://${publicDer('pkcs1')}`, 'public'),
      Rsa.from(new X509Certificate(readFileSync(certFile)), 'public'),
      Rsa.from([`file://${encryptedFile}`, 'passphrase']),
    ];
    for (const key of keys) {
      const publicKey = key.type === 'private' ? createPublicKey(key) : key;
      expect(publicKey.export({ type: 'spki', format: 'der' }).toString('hex')).toBe(fingerprint);
    }
  });

  it('the APIv2 signing example signs, writes XML, reads it back and verifies in constant time', () => {
    const secret = '192006250b4c09247ec02edce69f6a2d';
    const fields = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: Formatter.nonce(), body: 'test' };
    const sign = Hash.sign(Hash.ALGO_MD5, Formatter.queryStringLike(Formatter.ksort(fields)), secret);
    const xml = Transformer.toXml({ ...fields, sign });

    const { sign: received, ...rest } = Transformer.toObject(xml) as Record<string, string>;
    const ok = Hash.equals(Hash.sign(Hash.ALGO_MD5, rest, secret), received);
    expect(ok).toBe(true);
    expect(Hash.equals(Hash.sign(Hash.ALGO_MD5, { ...rest, body: 'tampered' }, secret), received)).toBe(false);
  });
});
