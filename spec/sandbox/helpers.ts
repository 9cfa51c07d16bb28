import { Builder, type BuilderConfig, type WechatpayInstance } from '../../lib';
import { Sandbox, type SandboxHandle, type SandboxOptions } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

export interface SandboxFixture {
  sandbox: SandboxHandle;
  instance: WechatpayInstance;
}

/** A sandbox on 127.0.0.1:0 and a client that trusts its platform key. */
export async function startSandbox(
  options: Partial<SandboxOptions> = {},
  config: Partial<BuilderConfig> = {},
): Promise<SandboxFixture> {
  const sandbox = await Sandbox.start({
    merchants: [{ mchid: MCHID, serial: MERCHANT_SERIAL, publicKey: merchantKeys().publicKey }],
    settleDelayMs: 60_000,
    ...options,
  });
  const instance = Builder.factory({
    mchid: MCHID,
    serial: MERCHANT_SERIAL,
    privateKey: merchantKeys().privateKey,
    certs: sandbox.certs,
    baseURL: sandbox.url,
    encrypt: true,
    ...config,
  });
  return { sandbox, instance };
}

export const TARGET = { mchid: '1900016681', bal_account_no: '8609cb22e1774a50a930e414cc71eca06121bc' };

export const punishJson = (out_request_no: string) => ({
  out_request_no,
  ...TARGET,
  punish_scene: 1,
  punish_reason: '风险管控',
});

export const recoverJson = (out_request_no: string, punish: { out_request_no: string; wxpay_punish_no: string }) => ({
  out_request_no,
  related_webank_punish_no: punish.out_request_no,
  related_wxpay_punish_no: punish.wxpay_punish_no,
  ...TARGET,
  recover_reason: '风险解除',
});
