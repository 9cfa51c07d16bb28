import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { FetchWebhook, Webhook } from '../../lib';

// A callback handler is an object users hold and log ("what did I configure?"): printing or serialising it must not
// show the APIv3 key, in any of the forms a logger may use.
const APIV3_KEY = 'kQ7vR2mX9pL4sT8wZ1yB6nC3dF5gH0jJ';
const SERIAL = 'PUB_KEY_ID_0100000000000000000000000000';
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function renderings(thing: unknown): string[] {
  return [
    inspect(thing, { depth: Infinity, showHidden: true, getters: true }),
    JSON.stringify(thing) ?? '',
    String(thing),
    `${Object.values(thing as object)
      .map((value) => inspect(value, { depth: Infinity, showHidden: true }))
      .join()}`,
  ];
}

function expectNoKey(thing: unknown): void {
  const bytes = Buffer.from(APIV3_KEY);
  for (const shown of renderings(thing)) {
    expect(shown).not.toContain(APIV3_KEY);
    // a Buffer of the key prints as hex bytes, and serialises as a list of numbers
    expect(shown).not.toContain(bytes.subarray(0, 8).toString('hex').match(/../g)!.join(' '));
    expect(shown).not.toContain(Array.from(bytes.subarray(0, 8)).join(','));
  }
}

describe('the APIv3 key is never shown by printing a callback handler', () => {
  it('Webhook', () => {
    expectNoKey(new Webhook({ apiv3Key: APIV3_KEY, certs: { [SERIAL]: publicKey } }));
  });

  it.each(['node', 'webcrypto'] as const)('FetchWebhook (%s backend)', async (backend) => {
    expectNoKey(await FetchWebhook.create({ apiv3Key: APIV3_KEY, certs: { [SERIAL]: publicKey }, backend }));
  });
});
