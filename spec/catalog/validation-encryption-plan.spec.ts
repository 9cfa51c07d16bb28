import { encryptFieldsWith, encryptionIssues } from '../../lib/catalog/encrypt';
import { findRoute } from '../../lib/catalog/lookup';
import { oaepLimit } from '../../lib/crypto/rsa';
import { PlatformKeys } from '../../lib/verify/platform-keys';
import { PLATFORM_SERIAL, platformKeys } from '../helpers/keys';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Encryption planning walks pre-parsed paths and copies only what it changes (RSA stubbed: it is not the subject). */
describe('encryption planning', () => {
  const keys = new PlatformKeys({ [PLATFORM_SERIAL]: platformKeys().publicKey });
  const seal = (value: string) => `sealed(${value})`;
  const route = findRoute('POST', 'v3/brand/partner/card-member/user-cards/import-by-phone')!;

  it('replaces sensitive values at any depth, lists of lists and list leaves included, copying only the way there', () => {
    const untouched = { keep: 'me' };
    const bag = deepFreeze({
      json: {
        phone_number: '13800138000',
        untouched,
        user_information: {
          common_field_list: [{ value: 'a' }, { value: null }, { other: 1 }],
          custom_field_list: [{ user_chosen_values: ['x', 'y'] }, { user_chosen_values: [] }],
        },
      },
    });
    const { bag: sent, issues } = encryptFieldsWith(route, bag, keys, oaepLimit, seal);
    expect(issues).toEqual([]);
    expect(sent).toEqual({
      json: {
        phone_number: 'sealed(13800138000)',
        untouched,
        user_information: {
          common_field_list: [{ value: 'sealed(a)' }, { value: null }, { other: 1 }],
          custom_field_list: [{ user_chosen_values: ['sealed(x)', 'sealed(y)'] }, { user_chosen_values: [] }],
        },
      },
      headers: { 'Wechatpay-Serial': PLATFORM_SERIAL },
    });
    expect(sent.json.untouched).toBe(untouched);
    expect(sent.json.user_information.common_field_list[2]).toBe(bag.json.user_information.common_field_list[2]);
    expect(sent.json.user_information.custom_field_list[1]).toBe(bag.json.user_information.custom_field_list[1]);
  });

  it('names where each plaintext value is when encryption is off', () => {
    const bag = { json: { user_information: { custom_field_list: [{}, { user_chosen_values: ['x'] }] } } };
    expect(encryptionIssues(route, bag).map(({ path }) => path)).toEqual([
      'json.user_information.custom_field_list[1].user_chosen_values[0]',
      'headers.Wechatpay-Serial',
    ]);
  });

  it('a route without sensitive fields, or a bag without sensitive values, is passed through as given', () => {
    const refunds = findRoute('POST', 'v3/refund/domestic/refunds')!;
    expect(refunds.encrypted).toEqual({ query: [], json: [] });
    const bag = { json: { out_refund_no: 'R' } };
    expect(encryptFieldsWith(refunds, bag, keys, oaepLimit, seal).bag).toBe(bag);
    expect(encryptionIssues(refunds, bag)).toEqual([]);
    const none = { json: { user_information: {} } };
    expect(encryptFieldsWith(route, none, keys, oaepLimit, seal).bag).toBe(none);
  });
});
