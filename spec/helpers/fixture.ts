import { Builder, type BuilderConfig, type WechatpayInstance } from '../../lib';
import { startGateway, type Gateway, type GatewayOptions } from './gateway';
import { MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, merchantKeys, platformKeys, strangerKeys } from './keys';

export interface Fixture {
  gateway: Gateway;
  instance: WechatpayInstance;
}

/** A gateway on 127.0.0.1:0 and a client configured for it. */
export async function withGateway(
  route?: GatewayOptions['route'],
  config: Partial<BuilderConfig> = {},
): Promise<Fixture> {
  const gateway = await startGateway({
    mchid: MCHID,
    merchantSerial: MERCHANT_SERIAL,
    merchantPublicKey: merchantKeys().publicKey,
    platformSerial: PLATFORM_SERIAL,
    platformPrivateKey: platformKeys().privateKey,
    strangerPrivateKey: strangerKeys().privateKey,
    route,
  });
  return { gateway, instance: clientFor(gateway.url, config) };
}

/** The test merchant's client for a server at `baseURL`, trusting the test platform key. */
export function clientFor(baseURL: string, config: Partial<BuilderConfig> = {}): WechatpayInstance {
  return Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: { [PLATFORM_SERIAL]: platformKeys().publicKey },
    baseURL,
    ...config,
  });
}
