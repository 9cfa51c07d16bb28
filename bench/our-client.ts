import { Builder, type BuilderConfig, type WechatpayInstance } from '../lib';
import { MCHID, PLATFORM_SERIAL, SERIAL } from './measure';

/**
 * wechatpay-chain for the bench responder on `port`: the bench merchant signing, the bench platform key trusted, and
 * field validation off unless `extra` turns it on (the raw and peer clients validate nothing).
 */
export function ourClient(
  port: number,
  keys: { merchantPrivateKey: string; platformPublicKey: string },
  extra: Partial<BuilderConfig> = {},
): WechatpayInstance {
  return Builder.factory({
    mchid: MCHID,
    serial: SERIAL,
    privateKey: keys.merchantPrivateKey,
    certs: { [PLATFORM_SERIAL]: keys.platformPublicKey },
    baseURL: `http://127.0.0.1:${port}/`,
    validation: false,
    ...extra,
  });
}
