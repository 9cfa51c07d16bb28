import { Builder, FetchWebhook, Webhook } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys } from '../helpers/keys';

/**
 * A wrong APIv3 key was refused in three wordings ("must NOT have fewer than 32 characters", "must be 32 bytes",
 * "apiv3Key must be 32 bytes"). Every front door now says the same thing, with the length, never the key.
 */
const WORDING = /^must be 32 bytes \(the 32-character APIv3 key set in the merchant platform\), got (\d+)$/;
const certs = () => ({ [PLATFORM_SERIAL]: platformKeys().publicKey });

async function issueOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    const issues = (error as { issues?: { path: string; issue: string }[] }).issues;
    if (issues) return issues.find((entry) => entry.path === 'apiv3Key')!.issue;
    return (error as Error).message.replace(/^apiv3Key /, '');
  }
  throw new Error('accepted a wrong APIv3 key');
}

describe('a wrong APIv3 key is refused in one wording everywhere', () => {
  const secretLooking = 'S3CRETS3CRET';
  const doors: [string, (key: string) => unknown][] = [
    [
      'Builder.factory',
      (apiv3Key) =>
        Builder.factory({
          mchid: MCHID,
          serial: MERCHANT_SERIAL,
          privateKey: merchantKeys().privateKey,
          certs: certs(),
          apiv3Key,
        }),
    ],
    ['new Webhook', (apiv3Key) => new Webhook({ certs: certs(), apiv3Key })],
    ['FetchWebhook.create', (apiv3Key) => FetchWebhook.create({ certs: certs(), apiv3Key })],
    ['Sandbox.start', (apiv3Key) => Sandbox.start({ merchants: [], apiv3Key })],
  ];

  it.each(doors)('%s: too short, and 32 characters of more than 32 bytes', async (_door, open) => {
    const short = await issueOf(() => open(secretLooking));
    expect(short).toMatch(WORDING);
    expect(WORDING.exec(short)![1]).toBe('12');
    expect(short).not.toContain(secretLooking);
    expect(WORDING.exec(await issueOf(() => open('中'.repeat(32))))![1]).toBe('96');
  });
});
