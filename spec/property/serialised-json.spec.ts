import fc from 'fast-check';
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';
import { Builder, Rsa, ValidationError } from '../../lib';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * `json` values of any class shape (plain, class instances, toJSON DTOs, prototype getters, Proxies): what is
 * serialised is what was checked and encrypted. An in-memory adapter records what would leave; no network.
 */
const PATH = 'v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement';
const SENSITIVE = ['account_number', 'account_name'] as const;

function offline() {
  const sent: Array<{ body: string; serial: unknown }> = [];
  const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
    sent.push({ body: String(config.data), serial: config.headers.get('Wechatpay-Serial') });
    return Promise.resolve({ status: 400, statusText: 'Bad Request', headers: {}, config, data: Buffer.from('{}') });
  };
  const instance = Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL: 'https://api.mch.weixin.qq.com/',
    adapter,
  });
  return { instance, sent };
}

const fields = fc.record(
  {
    account_type: fc.constantFrom('ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE'),
    account_bank: fc.string({ minLength: 1, maxLength: 8 }),
    bank_address_code: fc.stringMatching(/^[0-9]{6}$/),
    account_number: fc.stringMatching(/^[0-9]{12,19}$/),
    account_name: fc.string({ minLength: 1, maxLength: 12 }),
  },
  { requiredKeys: ['account_type', 'account_bank', 'bank_address_code'] },
);
type Fields = Record<string, string>;

/** The same fields in the shapes application code hands over; each keeps some, hides some, or decoys some. */
const shapes: Array<[string, (given: Fields, decoy: Fields) => unknown]> = [
  ['plain object', (given) => ({ ...given })],
  ['class instance', (given) => Object.assign(new (class Dto {})(), given)],
  ['toJSON, with decoy own fields', (given, decoy) => ({ ...decoy, toJSON: () => given })],
  [
    'class with private state and toJSON',
    (given) =>
      new (class Entity {
        readonly #state = { ...given };
        toJSON() {
          return this.#state;
        }
      })(),
  ],
  [
    'prototype getters over own fields',
    (given, decoy) => {
      const prototype = {};
      for (const [name, text] of Object.entries(given)) {
        Object.defineProperty(prototype, name, { get: () => text, enumerable: true });
      }
      const own = Object.entries(decoy).map(([name, text]) => [name, { value: text, enumerable: true }]);
      return Object.create(prototype, Object.fromEntries(own)) as object;
    },
  ],
  [
    'own enumerable getters',
    (given) =>
      Object.defineProperties(
        {},
        Object.fromEntries(Object.entries(given).map(([name, text]) => [name, { get: () => text, enumerable: true }])),
      ),
  ],
  [
    'non-enumerable own fields',
    (given, decoy) =>
      Object.defineProperties(
        { ...decoy },
        Object.fromEntries(Object.entries(given).map(([name, text]) => [name, { value: text, enumerable: false }])),
      ),
  ],
  ['Proxy over a plain object', (given) => new Proxy({ ...given }, {})],
  [
    'Proxy whose get trap answers differently',
    (given, decoy) =>
      new Proxy(
        { ...given },
        { get: (target, key) => (typeof key === 'string' && key in decoy ? decoy[key] : Reflect.get(target, key)) },
      ),
  ],
  ['nested toJSON', (given) => ({ toJSON: () => ({ toJSON: undefined, ...given }) })],
];

describe('what is serialised is what was checked and encrypted, for json of any class shape', () => {
  const { instance, sent } = offline();
  const post = (options: Record<string, unknown>) =>
    instance
      .chain(PATH)
      .post({ sub_mchid: '1900000109', ...options } as never)
      .then(
        () => undefined,
        (error: unknown) => (error instanceof ValidationError ? error : undefined),
      );

  it('encrypt: true: every sensitive field that is sent is ciphertext of what the value serialises to', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shapes), fields, fields, async ([, shape], given, decoy) => {
        sent.length = 0;
        const json = shape(given, decoy);
        const expected = JSON.parse(JSON.stringify(json)) as Fields;
        const refused = await post({ json, encrypt: true });
        if (refused) {
          expect(sent).toHaveLength(0);
          return;
        }
        expect(sent).toHaveLength(1);
        const body = JSON.parse(sent[0]!.body) as Fields;
        expect(Object.keys(body).sort()).toEqual(Object.keys(expected).sort());
        for (const [name, text] of Object.entries(expected)) {
          if ((SENSITIVE as readonly string[]).includes(name)) {
            expect(Rsa.decrypt(body[name]!, platformKeys().privateKey)).toBe(text);
            expect(sent[0]!.serial).toBe(PLATFORM_SERIAL);
          } else expect(body[name]).toBe(text);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('without encrypt: a plaintext sensitive field is refused whatever shape carries it, and nothing leaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shapes), fields, fields, async ([, shape], given, decoy) => {
        sent.length = 0;
        const json = shape(given, decoy);
        const serialised = JSON.parse(JSON.stringify(json)) as Fields;
        const refused = await post({ json });
        if (SENSITIVE.some((name) => serialised[name] !== undefined)) {
          expect(refused).toBeInstanceOf(ValidationError);
          expect(sent).toHaveLength(0);
        }
        for (const { body } of sent) for (const name of SENSITIVE) expect(JSON.parse(body)[name]).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
