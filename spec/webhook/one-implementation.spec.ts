import { sign } from 'node:crypto';
import { FetchWebhook, Webhook } from '../../lib';
import { CALLBACK_APIV3_KEY, signedCallback } from '../helpers/callback';
import { PLATFORM_SERIAL, platformKeys, strangerKeys } from '../helpers/keys';

type Headers = Record<string, string>;

/** Re-sign a callback body (as a forger or a broken gateway would) with the given key and headers. */
function resigned(body: string, headers: Headers, key = platformKeys().privateKey): Headers {
  const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${body}\n`;
  return { ...headers, 'wechatpay-signature': sign('sha256', Buffer.from(message), key).toString('base64') };
}

/** What a handler made of a callback: the decrypted resource, or the error's class and reason. */
function outcome(result: unknown): unknown {
  if (result instanceof Error) return { error: result.name, reason: (result as { reason?: string }).reason };
  const event = result as { resource: unknown; serial: string; reply: unknown };
  return { resource: event.resource, serial: event.serial, reply: event.reply };
}

/**
 * `Webhook` and `FetchWebhook` open a callback through one implementation: every callback, good or bad, gets the
 * same answer from `Webhook.parse` and from `FetchWebhook.parse` on either crypto backend.
 */
describe('Webhook and FetchWebhook agree on every callback', () => {
  const certs = { [PLATFORM_SERIAL]: platformKeys().publicKey };
  const good = signedCallback({ out_trade_no: 'T1', trade_state: 'SUCCESS' });
  const stale = String(Math.floor(Date.now() / 1000) - 301);
  const cases: Array<[string, Headers, string]> = [
    ['a valid callback', good.headers, good.body],
    ['a tampered body', good.headers, good.body.replace('T1', 'T2')],
    ['a stranger signature', resigned(good.body, good.headers, strangerKeys().privateKey), good.body],
    ['a probe', { ...good.headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abc' }, good.body],
    ['a stale timestamp', resigned(good.body, { ...good.headers, 'wechatpay-timestamp': stale }), good.body],
    ['an unknown serial', { ...good.headers, 'wechatpay-serial': 'PUB_KEY_ID_OTHER' }, good.body],
    ['a missing nonce', { ...good.headers, 'wechatpay-nonce': '' }, good.body],
    ['a body that is not JSON', resigned('nope', good.headers), 'nope'],
    [
      'a resource that does not decrypt',
      resigned(good.body.replace(/"ciphertext":"[^"]{4}/, '"ciphertext":"AAAA'), good.headers),
      good.body.replace(/"ciphertext":"[^"]{4}/, '"ciphertext":"AAAA'),
    ],
  ];

  it.each(cases)('%s', async (_name, headers, body) => {
    const webhook = new Webhook({ certs, apiv3Key: CALLBACK_APIV3_KEY });
    const expected = outcome(
      (() => {
        try {
          return webhook.parse({ headers, body });
        } catch (error) {
          return error;
        }
      })(),
    );
    for (const backend of ['node', 'webcrypto'] as const) {
      const fetchWebhook = await FetchWebhook.create({ certs, apiv3Key: CALLBACK_APIV3_KEY, backend });
      const request = new Request('https://merchant.example/notify', { method: 'POST', headers, body });
      const got = outcome(await fetchWebhook.parse(request).catch((error: unknown) => error));
      expect({ backend, got }).toEqual({ backend, got: expected });
    }
  });
});
