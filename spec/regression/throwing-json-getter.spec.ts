import { ValidationError } from '../../lib';
import { withGateway, type Fixture } from '../helpers/fixture';

/**
 * Issue 19 item 12: a throwing getter or Proxy trap in `json` escaped as a raw Error when validation was on
 * (with validation off it was a ValidationError). Our error class in every mode now, before any I/O.
 */
const PATH = 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement';
const fields = {
  account_type: 'ACCOUNT_TYPE_BUSINESS',
  account_bank: '工商银行',
  bank_address_code: '110000',
  account_number: '6222021234567890123',
};

const hostile: Array<[string, () => unknown]> = [
  [
    'a throwing getter',
    () =>
      Object.defineProperty({ ...fields }, 'account_bank', {
        enumerable: true,
        get() {
          throw new Error('lazy field failed to load');
        },
      }),
  ],
  [
    'a throwing get trap',
    () =>
      new Proxy(fields, {
        get() {
          throw new Error('get trap');
        },
      }),
  ],
  [
    'a throwing ownKeys trap',
    () =>
      new Proxy(fields, {
        ownKeys() {
          throw new Error('ownKeys trap');
        },
      }),
  ],
  [
    'something thrown that is not an Error',
    () =>
      Object.defineProperty({ ...fields }, 'account_type', {
        enumerable: true,
        get() {
          throw 'a string';
        },
      }),
  ],
  [
    'a revoked Proxy',
    () => {
      const { proxy, revoke } = Proxy.revocable(fields, {});
      revoke();
      return proxy;
    },
  ],
];

const modes: Array<Record<string, unknown>> = [
  { validation: true },
  { validation: 'strict' },
  { validation: false },
  { validation: true, encrypt: true },
  { validation: false, encrypt: true },
];

describe('a json value that throws while read is a ValidationError in every mode', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await withGateway(() => ({ body: {} }));
  });
  afterAll(() => fixture.gateway.stop());

  for (const [what, json] of hostile) {
    it.each(modes)(`${what}, %o`, async (mode) => {
      const error = await fixture.instance
        .chain(PATH)
        .post({ sub_mchid: '1900000109', ...mode, json: json() } as never)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'json', issue: expect.stringMatching(/^is not JSON-serialisable/) as unknown },
      ]);
      expect(fixture.gateway.received).toHaveLength(0);
    });
  }
});
