import { createCipheriv, createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  ApiV2Error,
  Builder,
  ConfigError,
  SignatureError,
  ValidationError,
  decryptRefundNotification,
  type WechatpayInstance,
} from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';
import { flatXml, v2sign as sign } from '../helpers/apiv2';
import { openssl, scratch } from '../helpers/openssl';

const SECRET = '192006250b4c09247ec02edce69f6a2d';

const v2sign = (fields: Record<string, string>, type: string) => sign(fields, type, SECRET);

function parseFlatXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, cdata, plain] of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g))
    fields[name!] = cdata ?? plain ?? '';
  return fields;
}

const toXml = flatXml;

interface Seen {
  path: string;
  fields: Record<string, string>;
  signOk: boolean;
  contentType?: string;
}

type Reply = (seen: Seen) => string;

function v2Handler(seen: Seen[], reply: () => Reply) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fields = parseFlatXml(Buffer.concat(chunks).toString('utf8'));
      const entry = {
        path: req.url!,
        fields,
        signOk: fields.sign === v2sign(fields, fields.sign_type ?? 'MD5'),
        contentType: req.headers['content-type'],
      };
      seen.push(entry);
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(reply()(entry));
    });
  };
}

const signedReply =
  (extra: Record<string, string> = {}, type = 'MD5'): Reply =>
  () => {
    const fields = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      mch_id: MCHID,
      nonce_str: 'abc',
      trade_state: 'SUCCESS',
      ...extra,
    };
    return toXml({ ...fields, sign: v2sign(fields, type) });
  };

describe('APIv2 over XML', () => {
  const seen: Seen[] = [];
  let reply: Reply = signedReply();
  const server = createServer(v2Handler(seen, () => reply));
  let instance: WechatpayInstance;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      secret: SECRET,
      baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('adds mch_id and nonce_str, signs MD5, strips v2/, and verifies the signed reply', async () => {
    reply = signedReply();
    const response = await instance.v2.pay.orderquery.post({
      xml: { appid: 'wxd678efh567hg6787', out_trade_no: '1217752501201407033233368018' },
    });
    const request = seen.at(-1)!;
    expect(request.path).toBe('/pay/orderquery');
    expect(request.signOk).toBe(true);
    expect(request.fields).toMatchObject({
      mch_id: MCHID,
      appid: 'wxd678efh567hg6787',
      sign: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    expect(request.fields.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(request.contentType).toMatch(/^text\/xml/);
    expect(response.data).toMatchObject({ return_code: 'SUCCESS', trade_state: 'SUCCESS' });
  });

  it('signs HMAC-SHA256 when asked, and verifies an HMAC reply by its length', async () => {
    reply = signedReply({}, 'HMAC-SHA256');
    await instance.v2.pay.orderquery.post({ xml: { appid: 'wx', out_trade_no: 'T', sign_type: 'HMAC-SHA256' } });
    expect(seen.at(-1)!.signOk).toBe(true);
    expect(seen.at(-1)!.fields.sign).toMatch(/^[0-9A-F]{64}$/);
  });

  it('refuses a mch_id that is not the configured one, before any I/O', async () => {
    const before = seen.length;
    await expect(instance.v2.pay.orderquery.post({ xml: { mch_id: '1234567890' } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(instance.v2.pay.orderquery.post({ xml: { sign_type: 'SHA1' as never } })).rejects.toMatchObject({
      issues: [{ path: 'xml.sign_type' }],
    });
    expect(seen.length).toBe(before);
  });

  it('rejects a reply whose sign does not verify, or that has none', async () => {
    reply = () =>
      toXml({ return_code: 'SUCCESS', result_code: 'SUCCESS', trade_state: 'SUCCESS', sign: 'A'.repeat(32) });
    await expect(instance.v2.pay.orderquery.post({ xml: {} })).rejects.toMatchObject({
      name: 'SignatureError',
      reason: 'SIGNATURE_MISMATCH',
    });
    reply = () => toXml({ return_code: 'SUCCESS', result_code: 'SUCCESS' });
    await expect(instance.v2.pay.orderquery.post({ xml: {} })).rejects.toBeInstanceOf(SignatureError);
  });

  it('accepts unsigned replies on the documented unsigned paths, and file downloads as text', async () => {
    reply = () => toXml({ return_code: 'SUCCESS', result_code: 'SUCCESS', partner_trade_no: 'P1' });
    await expect(instance.v2.mmpaymkttransfers.promotion.transfers.post({ xml: {} })).resolves.toMatchObject({
      data: { partner_trade_no: 'P1' },
    });
    reply = () => '交易时间,公众账号ID\n`2014-11-10 16:33:45,`wx2421b1c4370ec43b\n';
    await expect(instance.v2.pay.downloadbill.post({ xml: { bill_date: '20141110' } })).resolves.toMatchObject({
      data: expect.stringContaining('交易时间'),
    });
  });

  it('rejects return_code FAIL and result_code FAIL with the codes WeChat Pay gave', async () => {
    reply = () => toXml({ return_code: 'FAIL', return_msg: '签名错误' });
    await expect(instance.v2.pay.orderquery.post({ xml: {} })).rejects.toMatchObject({
      name: 'ApiV2Error',
      returnCode: 'FAIL',
      message: '签名错误',
      code: 'FAIL',
    });
    reply = signedReply({ result_code: 'FAIL', err_code: 'ORDERNOTEXIST', err_code_des: '此交易订单号不存在' });
    const error = (await instance.v2.pay.orderquery.post({ xml: {} }).catch((e: unknown) => e)) as ApiV2Error;
    expect(error).toBeInstanceOf(ApiV2Error);
    const replySign = /<sign><!\[CDATA\[(\w+)\]\]><\/sign>/.exec(reply(seen.at(-1)!))![1]!;
    expect(JSON.stringify(error) + inspect(error, { depth: 5 })).not.toContain(replySign);
    expect([error.code, error.errCode, error.errCodeDes, error.message, error.verified]).toEqual([
      'ORDERNOTEXIST',
      'ORDERNOTEXIST',
      '此交易订单号不存在',
      '此交易订单号不存在',
      true,
    ]);
  });

  it('without the APIv2 key, a v2 call is a ConfigError', async () => {
    const noSecret = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    });
    await expect(noSecret.v2.pay.orderquery.post({ xml: {} })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('APIv2 mutual TLS', () => {
  const dir = scratch();
  afterAll(() => dir.remove());

  function issue(name: string, subject: string, san?: string) {
    const key = dir.path(`${name}.key`);
    const csr = dir.path(`${name}.csr`);
    const cert = dir.path(`${name}.pem`);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
    const ext = dir.path(`${name}.ext`, san ? `subjectAltName=${san}\n` : 'basicConstraints=CA:FALSE\n');
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      dir.path('ca.pem'),
      '-CAkey',
      dir.path('ca.key'),
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '1',
      '-extfile',
      ext,
    ]);
    return { key, cert };
  }

  it('sends the merchant certificate when security: true, and the server refuses a call without it', async () => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      dir.path('ca.key'),
      '-out',
      dir.path('ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=Test CA',
    ]);
    const serverCert = issue('server', '/CN=127.0.0.1', 'IP:127.0.0.1');
    const clientCert = issue('client', `/CN=${MCHID}`);
    const seen: Seen[] = [];
    const peers: string[] = [];
    const handler = v2Handler(seen, () => signedReply({ refund_id: 'R1' }));
    const server = createTlsServer(
      {
        key: readFileSync(serverCert.key),
        cert: readFileSync(serverCert.cert),
        ca: readFileSync(dir.path('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        peers.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
        handler(req, res);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const instance = Builder.factory({
      mchid: MCHID,
      serial: MERCHANT_SERIAL,
      privateKey: merchantKeys().privateKey,
      certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
      secret: SECRET,
      merchant: {
        cert: `file://${clientCert.cert}`,
        key: `file://${clientCert.key}`,
        ca: `file://${dir.path('ca.pem')}`,
      },
      baseURL: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    });
    const response = await instance.v2.secapi.pay.refund.post({
      xml: { out_refund_no: 'R1', total_fee: 1, refund_fee: 1 },
      security: true,
    });
    expect(response.data).toMatchObject({ refund_id: 'R1' });
    expect(peers).toEqual([MCHID]);
    expect(seen.at(-1)!.signOk).toBe(true);
    // trusting the server but without the client certificate, the server refuses the handshake
    const trusting = new Agent({ ca: readFileSync(dir.path('ca.pem')) });
    await expect(instance.v2.secapi.pay.refund.post({ xml: {}, httpsAgent: trusting })).rejects.toMatchObject({
      name: 'TransportError',
    });
    expect(peers).toHaveLength(1);
    trusting.destroy();
    server.closeAllConnections();
    server.close();
  });
});

describe('APIv2 refund notification', () => {
  it('decrypts req_info with the md5 of the APIv2 key', () => {
    const key = createHash('md5').update(SECRET).digest('hex');
    const cipher = createCipheriv('aes-256-ecb', Buffer.from(key), null);
    const reqInfo = Buffer.concat([
      cipher.update(
        '<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_status><![CDATA[SUCCESS]]></refund_status></root>',
      ),
      cipher.final(),
    ]).toString('base64');
    expect(decryptRefundNotification(reqInfo, SECRET)).toEqual({ out_refund_no: 'R1', refund_status: 'SUCCESS' });
  });
});
