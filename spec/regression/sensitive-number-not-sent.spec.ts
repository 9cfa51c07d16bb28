import { Builder, ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * Issue 19 item 15: a sensitive field given as a number, with `encrypt: true` and `validation: false`, went out as
 * a plaintext JSON number. It is refused (a 19-digit account number as a number has already lost digits), never sent.
 */
const PATH = 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement';
const json = (account_number: unknown) => ({
  account_type: 'ACCOUNT_TYPE_BUSINESS',
  account_bank: '工商银行',
  bank_address_code: '110000',
  account_number,
});

describe('a sensitive field that is not a string is refused, never sent in clear', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ body: {} }));
  });
  afterAll(() => fixture.gateway.stop());
  beforeEach(() => fixture.gateway.received.splice(0));

  const given: Array<[string, unknown]> = [
    ['a number', 6222021234567890],
    ['a boolean', true],
    ['an object', { digits: '6222021234567890123' }],
  ];
  const modes: Array<Record<string, unknown>> = [
    { encrypt: true, validation: false },
    { encrypt: true },
    { validation: true },
  ];

  for (const [what, value] of given) {
    it.each(modes)(`${what}, %o`, async (mode) => {
      const error = await fixture.instance
        .chain(PATH)
        .post({ sub_mchid: '1900000109', ...mode, json: json(value) } as never)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toContainEqual({
        path: 'json.account_number',
        issue: expect.stringMatching(/must be a string/) as unknown,
      });
      expect(fixture.gateway.received).toHaveLength(0);
    });
  }

  it('the WebCrypto backend (Builder.create) refuses it too', async () => {
    const instance = await Builder.create(
      {
        mchid: MCHID,
        serial: MERCHANT_SERIAL,
        privateKey: merchantKeys().privateKey,
        certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
        baseURL: fixture.gateway.url,
      },
      { backend: 'webcrypto' },
    );
    const error = await instance
      .chain(PATH)
      .post({ sub_mchid: '1900000109', encrypt: true, validation: false, json: json(6222021234567890) } as never)
      .catch((caught: unknown) => caught);
    expect((error as ValidationError).issues).toEqual([
      { path: 'json.account_number', issue: 'is sensitive and must be a string to be RSA-OAEP encrypted, got number' },
    ]);
    expect(fixture.gateway.received).toHaveLength(0);
  });
});
