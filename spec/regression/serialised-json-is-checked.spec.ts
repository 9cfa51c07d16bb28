import { Rsa, ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

/**
 * Issue 19 item 6: a DTO with `toJSON` or prototype getters was validated through the prototype and walked for
 * sensitive fields by own properties only, while `JSON.stringify` sent the plaintext. What is serialised is what
 * is checked and encrypted now.
 */
const PATH = 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement';
const ACCOUNT = '6222021234567890123';

/** A DTO as an ORM or a class-based model hands it over: private state, serialised by toJSON. */
class SettlementDto {
  readonly #account: string;
  constructor(account: string) {
    this.#account = account;
  }
  toJSON() {
    return {
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      account_bank: '工商银行',
      bank_address_code: '110000',
      account_number: this.#account,
    };
  }
}

/** Prototype getters: read by property access, never serialised by JSON.stringify. */
class GetterDto {
  get account_type() {
    return 'ACCOUNT_TYPE_BUSINESS';
  }
  get account_bank() {
    return '工商银行';
  }
  get bank_address_code() {
    return '110000';
  }
  get account_number() {
    return ACCOUNT;
  }
}

describe('json objects are checked and encrypted as they are serialised', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ body: {} }));
  });
  afterAll(() => fixture.gateway.stop());
  beforeEach(() => fixture.gateway.received.splice(0));
  const post = (options: Record<string, unknown>) =>
    fixture.instance.chain(PATH).post({ sub_mchid: '1900000109', ...options } as never);

  it('toJSON: encrypt: true encrypts the account number toJSON returns', async () => {
    await post({ json: new SettlementDto(ACCOUNT), encrypt: true });
    const [received] = fixture.gateway.received;
    expect(received!.body.toString('utf8')).not.toContain(ACCOUNT);
    expect(received!.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const sent = JSON.parse(received!.body.toString('utf8')) as Record<string, string>;
    expect(sent.account_type).toBe('ACCOUNT_TYPE_BUSINESS');
    expect(Rsa.decrypt(sent.account_number!, platformKeys().privateKey)).toBe(ACCOUNT);
  });

  it('toJSON: without encrypt, its plaintext account number is refused before any I/O', async () => {
    const error = await post({ json: new SettlementDto(ACCOUNT) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    // the fields toJSON gives are there: the one issue with them is the plaintext
    expect((error as ValidationError).issues).toEqual([
      { path: 'json.account_number', issue: expect.stringMatching(/must be RSA-OAEP encrypted/) as unknown },
      { path: 'headers.Wechatpay-Serial', issue: expect.any(String) as unknown },
    ]);
    expect(fixture.gateway.received).toHaveLength(0);
  });

  it('prototype getters are not serialised, so the required fields they seem to give are missing', async () => {
    const error = await post({ json: new GetterDto(), encrypt: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map(({ path }) => path)).toEqual(
      expect.arrayContaining(['json.account_number', 'json.account_type']),
    );
    expect(fixture.gateway.received).toHaveLength(0);
  });

  it("the caller's DTO is left as given", async () => {
    const dto = new SettlementDto(ACCOUNT);
    await post({ json: dto, encrypt: true });
    expect(dto.toJSON().account_number).toBe(ACCOUNT);
    expect(Object.keys(dto)).toEqual([]);
  });
});
