import { AxiosError, type AxiosAdapter } from 'axios';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Builder, ConfigError, Rsa, ValidationError, type HkV3TransactionsJsapiPostJson } from '../../lib';
import { listOperations } from '../../lib/catalog/lookup';
import { startGateway, type Gateway } from '../helpers/gateway';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from '../helpers/keys';

const ROOT = join(__dirname, '..', '..');
const FACTS = join(ROOT, 'facts', 'openapi');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : entry.name.endsWith('.yaml')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every docs/api page's name, without its tag folder. */
function docPages(): Set<string> {
  const pages = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else pages.add(entry.name);
    }
  };
  walk(join(ROOT, 'docs', 'api'));
  return pages;
}

const config = {
  mchid: MCHID,
  serial: MERCHANT_SERIAL,
  privateKey: merchantKeys().privateKey,
  certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
};

const jsapiOrder = (): HkV3TransactionsJsapiPostJson => ({
  mchid: MCHID,
  appid: 'wx8888888888888888',
  sub_mchid: '1900000109',
  sp_mchid: '1900000100',
  sp_appid: 'wx8888888888888888',
  description: 'QQ公仔',
  notify_url: 'https://example.com/notify',
  out_trade_no: 'HK1217752501201407033233368018',
  trade_type: 'JSAPI',
  merchant_category_code: '4111',
  amount: { total: 100, currency: 'HKD' },
});

describe('the global/ and hk/ facts: catalogued at their wire paths, documented', () => {
  const factFiles = ['global', 'hk'].flatMap((root) => yamlFiles(join(FACTS, root)));
  const operations = listOperations().filter(({ family }) => family === 'hk/v3' || family === 'global/v3');

  it('vendors the 22 files and catalogues each of their operations under /hk/v3/... and /global/v3/...', () => {
    expect(factFiles).toHaveLength(22);
    const files = new Set(operations.map(({ path }) => `${path}.yaml`));
    for (const file of factFiles) expect(files).toContain(relative(FACTS, file));
    expect(operations.map(({ method, path }) => `${method} /${path}`)).toEqual(
      expect.arrayContaining([
        'POST /hk/v3/transactions/jsapi',
        'GET /hk/v3/certificates',
        'GET /hk/v3/refunds/out-refund-no/{out_refund_no}',
        'POST /global/v3/customs/orders',
      ]),
    );
  });

  it('has a docs page for every one of them', () => {
    const pages = docPages();
    for (const { method, path } of operations) {
      expect(pages).toContain(`${method.toLowerCase()}__${path.split('/').join('__')}.md`);
    }
  });
});

describe("a region: 'hk' client", () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      mchid: MCHID,
      merchantSerial: MERCHANT_SERIAL,
      merchantPublicKey: merchantKeys().publicKey,
      platformSerial: PLATFORM_SERIAL,
      platformPrivateKey: platformKeys().privateKey,
      strangerPrivateKey: strangerKeys().privateKey,
      route: () => ({ body: { prepay_id: 'wx201410272009395522657a690389285100' } }),
    });
  });
  afterAll(() => gateway.stop());

  it('sends a Hong Kong wallet order to /hk/v3/transactions/jsapi, signed, and reads the verified reply', async () => {
    const hk = Builder.factory({ ...config, region: 'hk', baseURL: gateway.url });
    const before = gateway.received.length;
    const reply = await hk.hk.v3.transactions.jsapi.post({ json: jsapiOrder() });
    expect(reply.data.prepay_id).toBe('wx201410272009395522657a690389285100');
    const sent = gateway.received.slice(before);
    expect(sent.map(({ method, url, authorized }) => ({ method, url, authorized }))).toEqual([
      { method: 'POST', url: '/hk/v3/transactions/jsapi', authorized: true },
    ]);
    expect(JSON.parse(sent[0]!.body.toString())).toEqual(jsapiOrder());
  });

  it('checks the call against the Hong Kong facts before any I/O', async () => {
    const hk = Builder.factory({ ...config, region: 'hk', baseURL: gateway.url });
    const before = gateway.received.length;
    // merchant_category_code is required by the HK order, not by the mainland one at /v3/pay/transactions/jsapi
    const { merchant_category_code: _dropped, ...order } = jsapiOrder();
    const error = await hk.hk.v3.transactions.jsapi.post({ json: order as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: 'json.merchant_category_code', issue: 'is required' }]);
    const query = await hk
      .chain('hk/v3/refunds/out-refund-no/{out_refund_no}')
      .get({ out_refund_no: 'R1', query: { mchid: MCHID } } as never)
      .catch((e: unknown) => e);
    expect((query as ValidationError).issues).toEqual([
      { path: 'query.sub_mchid', issue: 'is required' },
      { path: 'query.sp_mchid', issue: 'is required' },
    ]);
    expect(gateway.received.length).toBe(before);
  });

  it("encrypts the sensitive fields the Hong Kong facts mark (a sub-merchant's contact) with the platform key", async () => {
    const hk = Builder.factory({ ...config, region: 'hk', baseURL: gateway.url, encrypt: true });
    const before = gateway.received.length;
    const contact = { name: '陈大文', phone: '85212345678', email: 'chan@example.com' };
    await hk.hk.v3.merchants.post({
      json: {
        sp_appid: 'wx8888888888888888',
        sp_mchid: '1900000100',
        name: 'Chan Trading Ltd',
        shortname: 'Chan',
        office_phone: '85223456789',
        contact,
        business_category: 343,
        merchant_country_code: '344',
        merchant_type: 'ENTERPRISE',
        business: { business_type: 'OFFLINE' },
      },
    });
    const [sent] = gateway.received.slice(before);
    expect(sent!.url).toBe('/hk/v3/merchants');
    expect(sent!.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const body = JSON.parse(sent!.body.toString()) as { contact: Record<string, string>; name: string };
    expect(body.name).toBe('Chan Trading Ltd');
    for (const [field, plain] of Object.entries(contact)) {
      expect(body.contact[field]).not.toBe(plain);
      expect(Rsa.decrypt(body.contact[field]!, platformKeys().privateKey)).toBe(plain);
    }
  });

  it('goes to apihk.mch.weixin.qq.com by default and never fails over to the mainland backup host', async () => {
    const hosts = (region?: 'hk') => {
      const seen: string[] = [];
      const adapter: AxiosAdapter = (request) => {
        seen.push(`${request.baseURL}${request.url}`);
        return Promise.reject(new AxiosError('socket hang up', 'ECONNRESET', request));
      };
      const retry = { retries: 1, baseDelayMs: 1, maxDelayMs: 1 };
      const client = Builder.factory({ ...config, ...(region ? { region } : {}), adapter, retry });
      return client
        .chain('hk/v3/certificates')
        .get()
        .then(
          () => seen,
          () => seen,
        );
    };
    expect(await hosts('hk')).toEqual([
      'https://apihk.mch.weixin.qq.com/hk/v3/certificates',
      'https://apihk.mch.weixin.qq.com/hk/v3/certificates',
    ]);
    // the mainland default, for contrast: its retry goes to the backup host
    expect(await hosts()).toEqual([
      'https://api.mch.weixin.qq.com/hk/v3/certificates',
      'https://api2.mch.weixin.qq.com/hk/v3/certificates',
    ]);
  });

  it('is validated like every config field', () => {
    expect(() => Builder.factory({ ...config, region: 'hongkong' as 'hk' })).toThrow(ConfigError);
    expect(() => Builder.factory({ ...config, region: 'hongkong' as 'hk' })).toThrow(
      /region: must be 'mainland' or 'hk'/,
    );
    expect(() => Builder.factory({ ...config, region: 'mainland' })).not.toThrow();
  });
});
