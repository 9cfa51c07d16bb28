// Public exports. The build (tsup.config.ts) bundles them into a few files; what lib/ requires lazily (the APIv2
// client, certificate download, the catalog's facts) stays lazy inside the bundle.
export { Builder, downloadCertificates, type BuilderConfig, type HkBuilderConfig, type Region } from './builder';
export type { PlatformCertificate } from './certificates/decode';
export type { ChainNode, WechatpayInstance, WechatpayHkInstance } from './types';
export type { RequestOptions } from './request/options';
export type { HttpMethod } from './request/build';
export { Client } from './transport/client';
export type { KeyLike, KeyKind, XmlObject, XmlValue, SignType } from './crypto';
export { PlatformKeys } from './verify/platform-keys';
export {
  WechatpayError,
  ConfigError,
  ValidationError,
  SignatureError,
  ApiError,
  ApiV2Error,
  TransportError,
  isWechatpayError,
  isApiError,
  isSignatureError,
  isValidationError,
  isConfigError,
  isTransportError,
} from './errors';
export type { FieldIssue, SignatureFailure, ApiErrorDetail } from './errors';
export { VERSION } from './version';
export { attemptsOf } from './transport/retry';
export type { RetryOptions, RetrySetting } from './transport/retry-policy';
export type {
  ClientEvent,
  ClientHooks,
  ClientLogger,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  ErrorEvent,
  StoreEvent,
} from './observe/observer';
export type * from './catalog/generated/endpoints';
export type { CallOptions, OptionsOf, TypedVerb, EndpointShape } from './catalog/typing';
export type {
  WebhookEvent,
  WebhookReply,
  WebhookOptions,
  CallbackEnvelope,
  CallbackResource,
  WebhookFailure,
  ReplayGuardOptions,
} from './webhook';
export type { BillLink, BillDownloadOptions } from './bills/download';
export type { MediaInput } from './media/multipart';
export type { KeyPassphrasePair } from './crypto';
export type { FetchWebhookOptions } from './webhook/fetch';
export type { Store, MemoryStoreOptions } from './store';
export type { CreateOptions } from './builder';
export type { CryptoBackend, BackendName } from './crypto/backend';
export type { JsapiPayParams, AppPayParams, JsapiInput, AppInput } from './payment/pay-params';
export type { ListReply, ListNode, PageOptions, ItemOf } from './paginate';
export type {
  CallbackEvent,
  CallbackEventType,
  CallbackResources,
  UnmappedEventType,
  ResourceOf,
  Transaction,
  PartnerTransaction,
  CombineTransaction,
  CombineSubOrder,
  PromotionDetail,
  RefundNotification,
  PartnerRefundNotification,
  ProfitSharingNotification,
  ComplaintNotification,
  TransferBillNotification,
  PayscoreOrderNotification,
  PayscorePermissionNotification,
} from './webhook/events';
export type { HandledCallback, CallbackListener } from './webhook';

export { Rsa, AesGcm, AesEcb, Hash, Formatter, Transformer, ALGO_MD5, ALGO_HMAC_SHA256, XmlError } from './crypto';
export { Webhook, WebhookError, ReplayGuard, readRawBody } from './webhook';
export { FetchWebhook } from './webhook/fetch';
export { MemoryStore } from './store';
export { decryptRefundNotification } from './apiv2/refund-notify';
export { signFields as signV2Fields, verifyFields as verifyV2Fields } from './apiv2/sign';
export { downloadBill, BillDigestError } from './bills/download';
export { buildMultipart } from './media/multipart';
export { RsaAsync, AesGcmAsync, WebRsaKey, importKey as importWebKey } from './crypto/webcrypto';
export { nodeBackend, webcryptoBackend, defaultBackend, isNodeRuntime } from './crypto/backend';
export { PayParams } from './payment/pay-params';
export { paginate, DEFAULT_PAGE_LIMIT } from './paginate';
export { combineTransactionOf, partnerTransactionOf, partnerRefundOf } from './webhook/events';
