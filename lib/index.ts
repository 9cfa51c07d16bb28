export { Builder, downloadCertificates, type BuilderConfig } from './builder';
export type { PlatformCertificate } from './certificates/decode';
export type { ChainNode, WechatpayInstance } from './types';
export type { RequestOptions } from './request/options';
export type { HttpMethod } from './request/build';
export { Client } from './transport/client';
export { Rsa, AesGcm, AesEcb, Hash, Formatter, Transformer, ALGO_MD5, ALGO_HMAC_SHA256 } from './crypto';
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
} from './observe/observer';
export type * from './catalog/generated/endpoints';
export type { CallOptions, OptionsOf, TypedVerb, EndpointShape } from './catalog/typing';
export { Webhook, WebhookError, ReplayGuard, readRawBody } from './webhook';
export type {
  WebhookEvent,
  WebhookReply,
  WebhookOptions,
  CallbackEnvelope,
  CallbackResource,
  WebhookFailure,
  ReplayGuardOptions,
} from './webhook';
export { decryptRefundNotification } from './apiv2/refund-notify';
export { signFields as signV2Fields, verifyFields as verifyV2Fields } from './apiv2/sign';
export { downloadBill, BillDigestError, type BillLink, type BillDownloadOptions } from './bills/download';
export { buildMultipart, type MediaInput } from './media/multipart';
export { XmlError } from './crypto';
export type { KeyPassphrasePair } from './crypto';
export { FetchWebhook, type FetchWebhookOptions } from './webhook/fetch';
export { RsaAsync, AesGcmAsync, WebRsaKey, importKey as importWebKey } from './crypto/webcrypto';
export { nodeBackend, webcryptoBackend, type CryptoBackend, type BackendName } from './crypto/backend';
export type { CreateOptions } from './builder';
