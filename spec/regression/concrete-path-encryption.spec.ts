import { Rsa, ValidationError, type WechatpayInstance } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

/**
 * Issue 19 item 5: naming an operation with its variable written into the path found no catalog route, so
 * `account_number` went out in plaintext with no `Wechatpay-Serial` where the template form encrypted it.
 */
const TEMPLATE = 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement';
const CONCRETE = 'v3/apply4sub/sub_merchants/1900000109/modify-settlement';
const ACCOUNT = '6222021234567890123';
const json = () => ({
  account_type: 'ACCOUNT_TYPE_BUSINESS',
  account_bank: '工商银行',
  bank_address_code: '110000',
  account_number: ACCOUNT,
});

type Post = (options: Record<string, unknown>) => Promise<unknown>;
/** The four ways to write the same call; the last three write `1900000109` into the path. */
const forms: Array<[string, (instance: WechatpayInstance) => Post, Record<string, unknown>]> = [
  ['template with a variable', (i) => i.chain(TEMPLATE).post as unknown as Post, { sub_mchid: '1900000109' }],
  ['instance[concrete path]', (i) => (i as unknown as Record<string, { post: Post }>)[CONCRETE]!.post, {}],
  ['chain(concrete path)', (i) => i.chain(CONCRETE).post as unknown as Post, {}],
  [
    ".sub_merchants['1900000109']",
    (i) => {
      const apply4sub = (i.v3 as unknown as Record<string, Record<string, Record<string, Record<string, unknown>>>>)
        .apply4sub!;
      return (apply4sub.sub_merchants!['1900000109']!.modifySettlement as { post: Post }).post;
    },
    {},
  ],
];

describe('a path with its variables written out is the same operation as its template', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ body: {} }));
  });
  afterAll(() => fixture.gateway.stop());
  beforeEach(() => fixture.gateway.received.splice(0));

  it.each(forms)('%s: encrypt: true encrypts account_number and names the key', async (_, post, variables) => {
    await post(fixture.instance)({ ...variables, json: json(), encrypt: true });
    const [received] = fixture.gateway.received;
    expect(received!.url).toBe(`/${CONCRETE}`);
    expect(received!.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const sent = JSON.parse(received!.body.toString('utf8')) as Record<string, string>;
    expect(received!.body.toString('utf8')).not.toContain(ACCOUNT);
    expect(Rsa.decrypt(sent.account_number!, platformKeys().privateKey)).toBe(ACCOUNT);
  });

  it.each(forms)('%s: without encrypt, the plaintext is refused before any I/O', async (_, post, variables) => {
    const error = await post(fixture.instance)({ ...variables, json: json() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map(({ path }) => path)).toContain('json.account_number');
    expect(fixture.gateway.received).toHaveLength(0);
  });
});
