/* global Request */
// What every non-Node runtime must do with the BUILT package: sign and verify calls against the sandbox, encrypt a
// sensitive field, answer a callback through FetchWebhook. Shared by smoke.mjs (Bun, Deno) and worker.mjs (workerd).
import { Builder, FetchWebhook, RsaAsync, SignatureError, defaultBackend } from 'wechatpay-chain';

export async function exercise(input) {
  const config = {
    mchid: input.mchid,
    serial: input.serial,
    privateKey: input.privateKey,
    certs: input.certs,
    baseURL: input.baseURL,
    encrypt: true,
    ...(input.validation === undefined ? {} : { validation: input.validation }),
  };
  const orders = (await Builder.create(config)).v3.aggracctBc.wbChannel.controlOrders;
  const target = { mchid: input.target.mchid, bal_account_no: input.target.bal_account_no };
  const no = `${input.runtime}-P`;
  const punished = await orders.punish.post({
    json: { out_request_no: no, ...target, punish_scene: 1, punish_reason: '风险管控' },
  });
  // bal_account_no goes out RSA-OAEP encrypted: the sandbox answers 400 if it does not decrypt with its key
  const recovered = await orders.recover.post({
    json: {
      out_request_no: `${input.runtime}-R`,
      related_webank_punish_no: no,
      related_wxpay_punish_no: punished.data.wxpay_punish_no,
      ...target,
      recover_reason: '风险解除',
    },
  });
  // a client that trusts another key under the sandbox's serial must refuse the sandbox's reply
  const distrustful = await Builder.create({ ...config, certs: { [input.platformSerial]: input.strangerPublicKey } });
  const refused = await distrustful.v3.aggracctBc.wbChannel.controlOrders.punish
    .post({ json: { out_request_no: no, ...target, punish_scene: 1, punish_reason: '风险管控' } })
    .then(
      () => 'accepted',
      (error) => (SignatureError.isSignatureError(error) ? error.reason : String(error)),
    );
  const ciphertext = await RsaAsync.encrypt(input.sensitive, input.certs[input.platformSerial]);
  const result = {
    runtime: input.runtime,
    backend: defaultBackend(),
    punished: punished.status,
    recovered: recovered.data.out_request_no,
    refused,
    ciphertext,
  };
  if (input.callback) {
    const webhook = await FetchWebhook.create({ certs: input.certs, apiv3Key: input.apiv3Key });
    const request = new Request('http://127.0.0.1/notify', {
      method: 'POST',
      headers: input.callback.headers,
      body: input.callback.body,
    });
    const response = await webhook.respond(request, (event) => void (result.callback = event.resource));
    result.callbackStatus = response.status;
  }
  return result;
}
