import { createCipheriv, randomBytes } from 'node:crypto';
import { rfc3339 } from './clock';
import { mchArchives, mchMedia, queryRename, rename } from './handlers/account';
import { billFile, fundFlowBillLink, tradeBillLink } from './handlers/bills';
import { ok, type Handler } from './handlers/context';
import { infoUpdateResultNotify, punish, queryControlOrder, recover } from './handlers/control-orders';
import { orderQuery, refund as refundV2, unifiedOrder } from './handlers/apiv2';
import { uploadImage } from './handlers/media';
import { createRefund, queryRefund } from './handlers/refunds';
import { balance, queryReduction, specialReduction } from './handlers/special-reduction';
import {
  appOrder,
  closeOrder,
  h5Order,
  jsapiOrder,
  nativeOrder,
  payHook,
  queryByOutTradeNo,
  queryByTransactionId,
} from './handlers/transactions';
import { requestPaymentHook } from './handlers/request-payment';
import { Rejection } from './rejection';

/**
 * What the sandbox answers with its own rules (state on one ledger), by `METHOD path`. `auth`: `signed` (the
 * APIv3 Authorization over the body), `media` (over the multipart `meta`), `none` (sandbox-only hooks).
 */
export interface RouteSpec {
  handler: Handler;
  auth: 'signed' | 'media' | 'none' | 'v2';
  /** The handler checks its fields itself, by the official rules (the catalog's schemas are not applied). */
  ownChecks?: boolean;
}

const certificates: Handler = (context) => {
  const certs = context.identities.filter((identity) => identity.kind === 'certificate');
  // what WeChat Pay answers a merchant on the WeChat Pay public key only (wechatpay-php's README quotes it)
  if (certs.length === 0) throw new Rejection(404, 'RESOURCE_NOT_EXISTS', '无可用的平台证书');
  return ok({
    data: certs.map((identity) => {
      const iv = randomBytes(6).toString('hex');
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(context.apiv3Key), Buffer.from(iv));
      cipher.setAAD(Buffer.from('certificate'));
      const ciphertext = Buffer.concat([
        cipher.update(identity.certificatePem!, 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return {
        serial_no: identity.serial,
        effective_time: rfc3339(identity.notBefore),
        expire_time: rfc3339(identity.notAfter),
        encrypt_certificate: {
          algorithm: 'AEAD_AES_256_GCM',
          nonce: iv,
          associated_data: 'certificate',
          ciphertext: ciphertext.toString('base64'),
        },
      };
    }),
  });
};

const WB = 'v3/aggracct-bc/wb-channel';
const PAY = 'v3/pay/transactions';
const signed = (handler: Handler): RouteSpec => ({ handler, auth: 'signed' });
const checked = (handler: Handler): RouteSpec => ({ handler, auth: 'signed', ownChecks: true });

export const HANDLERS: Record<string, RouteSpec> = {
  'GET v3/certificates': signed(certificates),
  [`POST ${WB}/control-orders/punish`]: signed(punish),
  [`POST ${WB}/control-orders/recover`]: signed(recover),
  [`GET ${WB}/control-orders/{out_request_no}`]: signed(queryControlOrder),
  [`POST ${WB}/control-orders/info/update/result/notify`]: signed(infoUpdateResultNotify),
  [`POST ${WB}/special-reduction`]: signed(specialReduction),
  [`GET ${WB}/special-reduction/{out_request_no}`]: signed(queryReduction),
  [`GET ${WB}/account/balance`]: signed(balance),
  [`GET ${WB}/account/mch_archives`]: signed(mchArchives),
  [`GET ${WB}/account/mch_media`]: signed(mchMedia),
  [`POST ${WB}/bank-channel-account/rename`]: signed(rename),
  [`GET ${WB}/bank-channel-account/rename/{application_id}`]: signed(queryRename),
  [`POST ${PAY}/jsapi`]: checked(jsapiOrder),
  [`POST ${PAY}/native`]: checked(nativeOrder),
  [`POST ${PAY}/app`]: checked(appOrder),
  [`POST ${PAY}/h5`]: checked(h5Order),
  [`GET ${PAY}/out-trade-no/{out_trade_no}`]: checked(queryByOutTradeNo),
  [`GET ${PAY}/id/{transaction_id}`]: checked(queryByTransactionId),
  [`POST ${PAY}/out-trade-no/{out_trade_no}/close`]: checked(closeOrder),
  'POST v3/refund/domestic/refunds': checked(createRefund),
  'GET v3/refund/domestic/refunds/{out_refund_no}': checked(queryRefund),
  'GET v3/bill/tradebill': checked(tradeBillLink),
  'GET v3/bill/fundflowbill': checked(fundFlowBillLink),
  'GET v3/billdownload/file': checked(billFile),
  'POST v3/merchant/media/upload': { handler: uploadImage, auth: 'media', ownChecks: true },
  'POST sandbox/pay/{out_trade_no}': { handler: payHook, auth: 'none' },
  'POST sandbox/request-payment': { handler: requestPaymentHook, auth: 'none' },
  'POST pay/unifiedorder': { handler: unifiedOrder, auth: 'v2' },
  'POST pay/orderquery': { handler: orderQuery, auth: 'v2' },
  'POST secapi/pay/refund': { handler: refundV2, auth: 'v2' },
};
