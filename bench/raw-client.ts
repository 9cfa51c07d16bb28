/**
 * The raw limit the benches measure against: one signed + verified POST on node:http + node:crypto, keys parsed
 * once, signing in the threadpool, the reply's signature checked. Shared, so every bench compares with the same bytes.
 */
import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { MCHID, SERIAL } from './measure';

export const PATH = '/v3/aggracct-bc/wb-channel/control-orders/recover';
export const JSON_BODY = JSON.stringify({
  out_request_no: 'R-1',
  related_webank_punish_no: 'P-1',
  related_wxpay_punish_no: 'W-1',
  mchid: '1900016681',
});

/** How the raw client signs: node:crypto in the threadpool, unless a bench stubs it out. */
export type RawSigner = (
  message: Buffer,
  key: KeyObject,
  done: (error: Error | null, signature: Buffer) => void,
) => void;

const threadpoolSign: RawSigner = (message, key, done) => sign('sha256', message, key, done);

export function rawOnce(
  port: number,
  agent: Agent,
  merchantKey: KeyObject,
  platformPublic: KeyObject,
  signWith: RawSigner = threadpoolSign,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const message = Buffer.from(`POST\n${PATH}\n${timestamp}\n${nonce}\n${JSON_BODY}\n`);
    signWith(message, merchantKey, (error, signature) => {
      if (error) return reject(error);
      const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature.toString('base64')}",timestamp="${timestamp}",serial_no="${SERIAL}"`;
      const headers = { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' };
      const req = request({ host: '127.0.0.1', port, path: PATH, method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const h = res.headers;
          const signed = Buffer.concat([
            Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n`),
            body,
            Buffer.from('\n'),
          ]);
          const sig = Buffer.from(String(h['wechatpay-signature']), 'base64');
          if (!verify('sha256', signed, platformPublic, sig)) return reject(new Error('bad reply'));
          resolve(JSON.parse(body.toString()));
        });
      });
      req.on('error', reject);
      req.end(JSON_BODY);
    });
  });
}
