import { createCipheriv, randomBytes, sign } from 'node:crypto';
import { PLATFORM_SERIAL, platformKeys } from './keys';

export const CALLBACK_APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

/** A signed, encrypted callback built with node:crypto alone, as WeChat Pay sends it. */
export function signedCallback(resource: unknown, nonce = randomBytes(16).toString('hex')) {
  const iv = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(CALLBACK_APIV3_KEY), Buffer.from(iv));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]);
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2015-05-20T13:29:35+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ciphertext.toString('base64'),
      associated_data: 'transaction',
      nonce: iv,
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKeys().privateKey);
  const headers = {
    'wechatpay-timestamp': String(timestamp),
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature.toString('base64'),
    'wechatpay-serial': PLATFORM_SERIAL,
    'content-type': 'application/json',
  };
  return { headers, body };
}
