import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, ValidationError } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

const SECRET = '192006250b4c09247ec02edce69f6a2d';

/** An independent APIv2 signer: MD5 / HMAC-SHA256 over the sorted non-empty fields. */
function v2sign(fields: Record<string, string>, type = 'MD5'): string {
  const data = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
  const input = `${data}&key=${SECRET}`;
  const digest = type === 'HMAC-SHA256' ? createHmac('sha256', SECRET).update(input) : createHash('md5').update(input);
  return digest.digest('hex').toUpperCase();
}

interface Seen {
  method: string;
  url: string;
  body: string;
}

async function withV2Server(reply: (seen: Seen) => string, run: (baseURL: string, seen: Seen[]) => Promise<void>) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(reply(entry));
    });
  });
  server.unref();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

type Chain = (path: string) => Record<'get' | 'post', (options?: object) => Promise<{ data: unknown }>>;
const chainOf = (baseURL: string) =>
  Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    secret: SECRET,
    baseURL,
  }).chain as unknown as Chain;

const xml = (fields: Record<string, string>) =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;

/**
 * Broke: APIv2 replies that were not XML resolved as success on signed paths; pay_bank, query_bank and
 * querywwsptrans2pocket (documented unsigned) were refused; a GET (papay/h5entrustweb) could not be sent at all;
 * a caller's `body` was silently replaced by the signed XML.
 */
describe('regression: APIv2 reply and request rules', () => {
  it('a non-XML reply on a signed path is refused', async () => {
    await withV2Server(
      () => 'return_code=SUCCESS',
      async (url) => {
        await expect(chainOf(url)('v2/pay/orderquery').post({ xml: { out_trade_no: '1' } })).rejects.toMatchObject({
          name: 'SignatureError',
          reason: 'HEADERS_MISSING',
        });
      },
    );
  });

  it('a bill download answers the file itself (control)', async () => {
    await withV2Server(
      () => '交易时间,公众账号ID\n',
      async (url) => {
        const { data } = await chainOf(url)('v2/pay/downloadbill').post({ xml: { bill_date: '20261101' } });
        expect(data).toBe('交易时间,公众账号ID\n');
      },
    );
  });

  it.each(['mmpaysptrans/pay_bank', 'mmpaysptrans/query_bank', 'mmpaymkttransfers/promotion/querywwsptrans2pocket'])(
    'v2/%s replies without sign, and are accepted',
    async (path) => {
      await withV2Server(
        () => xml({ return_code: 'SUCCESS', result_code: 'SUCCESS', partner_trade_no: 'T1' }),
        async (url) => {
          const { data } = await chainOf(url)(`v2/${path}`).post({ xml: { partner_trade_no: 'T1' } });
          expect(data).toMatchObject({ partner_trade_no: 'T1' });
        },
      );
    },
  );

  it('GET papay/h5entrustweb sends its fields as a signed query, with no body', async () => {
    const page = '<html><body>entrust</body></html>';
    await withV2Server(
      () => page,
      async (url, seen) => {
        const query = {
          appid: 'wxcbda96de0b165486',
          plan_id: '12535',
          contract_code: '100000',
          request_serial: 1000,
          contract_display_account: '微信代扣',
          notify_url: 'https://weixin.qq.com',
          version: '1.0',
          timestamp: '1414488825',
          clientip: '127.0.0.1',
          sign_type: 'HMAC-SHA256',
        };
        const { data } = await chainOf(url)('v2/papay/h5entrustweb').get({ query });
        expect(data).toBe(page);
        expect(seen).toHaveLength(1);
        expect(seen[0]!.method).toBe('GET');
        expect(seen[0]!.body).toBe('');
        const params = Object.fromEntries(new URL(seen[0]!.url, 'http://x').searchParams);
        expect(params).toMatchObject({ mch_id: MCHID, contract_display_account: '微信代扣', request_serial: '1000' });
        expect(params.nonce_str).toBeUndefined();
        expect(params.sign).toBe(v2sign(params, 'HMAC-SHA256'));
      },
    );
  });

  it('a caller body (or json) on APIv2 is a ValidationError, not silently replaced', async () => {
    await withV2Server(
      () => xml({ return_code: 'SUCCESS' }),
      async (url, seen) => {
        for (const extra of [{ body: '<xml><a>1</a></xml>' }, { json: { a: 1 } }]) {
          const error = await chainOf(url)('v2/pay/orderquery')
            .post({ xml: { out_trade_no: '1' }, ...extra })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues[0]!.path).toBe(Object.keys(extra)[0]);
        }
        const error = await chainOf(url)('v2/papay/h5entrustweb')
          .get({ xml: { plan_id: '1' } })
          .catch((e: unknown) => e);
        expect((error as ValidationError).issues).toEqual([{ path: 'xml', issue: expect.stringMatching(/query/) }]);
        expect(seen).toHaveLength(0);
      },
    );
  });
});
