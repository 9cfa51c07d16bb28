// Public exports. What a client needs (Builder, its errors) loads with the package; the rest (callbacks, the
// static toolkit, APIv2 helpers, bills, the WebCrypto backend) loads on first access through a getter, so
// `require('wechatpay-chain')` pays only for what a signed call uses (see bench/cold-start.ts).
import type * as Toolkit from './crypto';
import type * as Callbacks from './webhook';
import type * as FetchCallbacks from './webhook/fetch';
import type * as WebCrypto from './crypto/webcrypto';
import type * as Backends from './crypto/backend';
import type * as RefundNotify from './apiv2/refund-notify';
import type * as V2Sign from './apiv2/sign';
import type * as Bills from './bills/download';
import type * as Media from './media/multipart';
import type * as Stores from './store';
import type * as Payment from './payment/pay-params';
import type * as Events from './webhook/events';
import type * as Pages from './paginate';

export { Builder, downloadCertificates, type BuilderConfig } from './builder';
export type { PlatformCertificate } from './certificates/decode';
export type { ChainNode, WechatpayInstance } from './types';
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

// The lazily loaded values: declared here for the type checker (classes as a value and a type), defined below.
export declare const Rsa: typeof Toolkit.Rsa;
export declare const AesGcm: typeof Toolkit.AesGcm;
export declare const AesEcb: typeof Toolkit.AesEcb;
export declare const Hash: typeof Toolkit.Hash;
export declare const Formatter: typeof Toolkit.Formatter;
export declare const Transformer: typeof Toolkit.Transformer;
export declare const ALGO_MD5: typeof Toolkit.ALGO_MD5;
export declare const ALGO_HMAC_SHA256: typeof Toolkit.ALGO_HMAC_SHA256;
export declare const XmlError: typeof Toolkit.XmlError;
export type XmlError = Toolkit.XmlError;
export declare const Webhook: typeof Callbacks.Webhook;
export type Webhook = Callbacks.Webhook;
export declare const WebhookError: typeof Callbacks.WebhookError;
export type WebhookError = Callbacks.WebhookError;
export declare const ReplayGuard: typeof Callbacks.ReplayGuard;
export type ReplayGuard = Callbacks.ReplayGuard;
export declare const readRawBody: typeof Callbacks.readRawBody;
export declare const FetchWebhook: typeof FetchCallbacks.FetchWebhook;
export declare const MemoryStore: typeof Stores.MemoryStore;
export type MemoryStore = Stores.MemoryStore;
export type FetchWebhook<K = unknown> = FetchCallbacks.FetchWebhook<K>;
export declare const decryptRefundNotification: typeof RefundNotify.decryptRefundNotification;
export declare const signV2Fields: typeof V2Sign.signFields;
export declare const verifyV2Fields: typeof V2Sign.verifyFields;
export declare const downloadBill: typeof Bills.downloadBill;
export declare const BillDigestError: typeof Bills.BillDigestError;
export type BillDigestError = Bills.BillDigestError;
export declare const buildMultipart: typeof Media.buildMultipart;
export declare const RsaAsync: typeof WebCrypto.RsaAsync;
export declare const AesGcmAsync: typeof WebCrypto.AesGcmAsync;
export declare const WebRsaKey: typeof WebCrypto.WebRsaKey;
export type WebRsaKey = WebCrypto.WebRsaKey;
export declare const importWebKey: typeof WebCrypto.importKey;
export declare const nodeBackend: typeof Backends.nodeBackend;
export declare const webcryptoBackend: typeof Backends.webcryptoBackend;
export declare const defaultBackend: typeof Backends.defaultBackend;
export declare const isNodeRuntime: typeof Backends.isNodeRuntime;
export declare const PayParams: typeof Payment.PayParams;
export declare const paginate: typeof Pages.paginate;
export declare const DEFAULT_PAGE_LIMIT: typeof Pages.DEFAULT_PAGE_LIMIT;
export declare const combineTransactionOf: typeof Events.combineTransactionOf;
export declare const partnerTransactionOf: typeof Events.partnerTransactionOf;
export declare const partnerRefundOf: typeof Events.partnerRefundOf;

/** Export `names` (exported name -> the module's name) as getters that require the module on first access. */
function lazy(load: () => Record<string, unknown>, names: Record<string, string>): void {
  for (const [exported, name] of Object.entries(names)) {
    Object.defineProperty(exports, exported, { enumerable: true, get: () => load()[name] });
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- the point: these modules load on first use */
lazy(() => require('./crypto'), {
  Rsa: 'Rsa',
  AesGcm: 'AesGcm',
  AesEcb: 'AesEcb',
  Hash: 'Hash',
  Formatter: 'Formatter',
  Transformer: 'Transformer',
  ALGO_MD5: 'ALGO_MD5',
  ALGO_HMAC_SHA256: 'ALGO_HMAC_SHA256',
  XmlError: 'XmlError',
});
lazy(() => require('./webhook'), {
  Webhook: 'Webhook',
  WebhookError: 'WebhookError',
  ReplayGuard: 'ReplayGuard',
  readRawBody: 'readRawBody',
});
lazy(() => require('./webhook/fetch'), { FetchWebhook: 'FetchWebhook' });
lazy(() => require('./store'), { MemoryStore: 'MemoryStore' });
lazy(() => require('./apiv2/refund-notify'), { decryptRefundNotification: 'decryptRefundNotification' });
lazy(() => require('./apiv2/sign'), { signV2Fields: 'signFields', verifyV2Fields: 'verifyFields' });
lazy(() => require('./bills/download'), { downloadBill: 'downloadBill', BillDigestError: 'BillDigestError' });
lazy(() => require('./media/multipart'), { buildMultipart: 'buildMultipart' });
lazy(() => require('./crypto/webcrypto'), {
  RsaAsync: 'RsaAsync',
  AesGcmAsync: 'AesGcmAsync',
  WebRsaKey: 'WebRsaKey',
  importWebKey: 'importKey',
});
lazy(() => require('./crypto/backend'), {
  nodeBackend: 'nodeBackend',
  webcryptoBackend: 'webcryptoBackend',
  defaultBackend: 'defaultBackend',
  isNodeRuntime: 'isNodeRuntime',
});
lazy(() => require('./payment/pay-params'), { PayParams: 'PayParams' });
lazy(() => require('./paginate'), { paginate: 'paginate', DEFAULT_PAGE_LIMIT: 'DEFAULT_PAGE_LIMIT' });
lazy(() => require('./webhook/events'), {
  combineTransactionOf: 'combineTransactionOf',
  partnerTransactionOf: 'partnerTransactionOf',
  partnerRefundOf: 'partnerRefundOf',
});
/* eslint-enable @typescript-eslint/no-require-imports */
