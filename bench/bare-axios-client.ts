/**
 * The floor our client is held to: a bare axios instance that only signs (a request interceptor, RSA in the
 * threadpool) and verifies (a response interceptor over the raw reply text). No validation, encryption, retries,
 * typed errors or caps: what any merchant could write in an afternoon. Ours should cost about the same.
 */
import axios from 'axios';
import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { Agent } from 'node:http';
import { MCHID, SERIAL } from './measure';
import { JSON_BODY, PATH } from './raw-client';

export function bareAxiosClient(
  port: number,
  agent: Agent,
  merchantKey: KeyObject,
  platformPublic: KeyObject,
): () => Promise<unknown> {
  const http = axios.create({
    baseURL: `http://127.0.0.1:${port}`,
    httpAgent: agent,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
  http.interceptors.request.use(
    (config) =>
      new Promise((resolve, reject) => {
        const timestamp = Math.floor(Date.now() / 1000);
        const nonce = randomBytes(16).toString('hex');
        const body = typeof config.data === 'string' ? config.data : '';
        const message = Buffer.from(
          `${config.method!.toUpperCase()}\n${config.url}\n${timestamp}\n${nonce}\n${body}\n`,
        );
        sign('sha256', message, merchantKey, (error, signature) => {
          if (error) return reject(error);
          config.headers.set(
            'Authorization',
            `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature.toString('base64')}",timestamp="${timestamp}",serial_no="${SERIAL}"`,
          );
          resolve(config);
        });
      }),
  );
  http.interceptors.response.use((response) => {
    const h = response.headers;
    const text = String(response.data);
    const message = Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${text}\n`);
    if (!verify('sha256', message, platformPublic, Buffer.from(String(h['wechatpay-signature']), 'base64'))) {
      throw new Error('reply signature does not verify');
    }
    response.data = JSON.parse(text);
    return response;
  });
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  return () => http.post(PATH, JSON_BODY, { headers });
}
