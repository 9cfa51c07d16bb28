/** The options bag every verb takes, as in wechatpay-php: one object for body, query, headers and template variables. */
export interface RequestOptions {
  /** JSON body; serialised once, and those exact bytes are signed and sent. */
  json?: unknown;
  /** Query parameters, appended in the given order. */
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string | number | undefined>;
  /** A body sent byte for byte as given (string or Buffer). */
  body?: string | Buffer;
  /** APIv2 fields (for `v2/` paths). */
  xml?: Record<string, unknown>;
  /** Encrypt the endpoint's sensitive fields given in plaintext (catalogued endpoints). */
  encrypt?: boolean;
  /** Decrypt the reply's fields encrypted to the merchant key (catalogued endpoints). */
  decrypt?: boolean;
  /** Check fields against the endpoint's schema before sending (catalogued endpoints). */
  validation?: boolean | 'strict';
  /** A media upload (multipart `meta` + `file`); the signature covers the `meta` JSON. */
  media?: import('../media/multipart').MediaInput;
  /** APIv2: send over mutual TLS with the merchant certificate (`merchant.cert`/`merchant.key`). */
  security?: boolean;
  /** Retry this call (overrides the client's `retry`); only calls safe to repeat are retried. */
  retry?: import('../transport/retry-policy').RetrySetting;
  /**
   * Whether this call may be sent again on a network failure or 5xx (overrides what the operation's facts say:
   * by default a GET is, and a call that sends every business number its operation is re-entrant on).
   */
  idempotent?: boolean;
  /** Template variables (`{out_request_no}`) and per-request axios options. */
  [key: string]: unknown;
}

export const BAG_KEYS = new Set([
  'json',
  'query',
  'headers',
  'body',
  'xml',
  'encrypt',
  'decrypt',
  'validation',
  'media',
]);

/** axios options that would change what is sent after signing, or bypass verification. */
export const REFUSED_AXIOS_OPTIONS: Readonly<Record<string, string>> = {
  url: 'name the endpoint through the chain',
  method: 'use the verb (get, post, ...)',
  params: 'use `query`: axios params would be added after signing',
  paramsSerializer: 'use `query`: the query is part of the signature',
  data: 'use `json` or `body`',
  transformRequest: 'the signed bytes must be the bytes sent',
  transformResponse: 'replies are verified over their raw bytes',
  responseType: 'replies are verified over their raw bytes',
  validateStatus: 'non-2xx replies always reject with ApiError',
  allowAbsoluteUrls: 'requests only go to paths relative to baseURL',
  wechatpaySignedBody: 'set by the SDK for media uploads only',
  wechatpaySignedTarget: 'set by the signer',
};

/** The axios config key that tells the signer to sign the media `meta` JSON instead of the multipart body. */
export const SIGNED_BODY = 'wechatpaySignedBody';
