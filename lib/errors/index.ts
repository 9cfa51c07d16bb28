import { redactHeaders } from './redact';
import { describeSignDiff, signDiffOf, type SignDiff, type SignedRequest } from './sign-diff';

export { redactAuthorization, redactHeaders, truncate } from './redact';
export type { SignDiff, SignPart, SignedParts, SignedRequest } from './sign-diff';

const BRAND = Symbol.for('wechatpay-chain.error');

/** Base of every error this SDK throws; `WechatpayError.is(e)` works across package copies. */
export class WechatpayError extends Error {
  override name = 'WechatpayError';
  readonly [BRAND] = true;
  /** How many attempts the failed call made (set by the client; more than 1 with retries). */
  declare attempts?: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  static is(thing: unknown): thing is WechatpayError {
    return typeof thing === 'object' && thing !== null && (thing as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * `instanceof` across copies of the classes: the package's CommonJS and ESM builds each define them (a real ESM
   * build cannot share the CommonJS instances), so an error made by one is an instance of the other's class of
   * the same name when it carries the brand. Within one copy this is the ordinary prototype check.
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, thing: unknown): thing is T {
    if (Function.prototype[Symbol.hasInstance].call(this, thing)) return true;
    if (!WechatpayError.is(thing)) return false;
    for (let proto = Object.getPrototypeOf(thing); proto !== null; proto = Object.getPrototypeOf(proto)) {
      if ((proto as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      ...(this.attempts === undefined ? {} : { attempts: this.attempts }),
    };
  }
}

export interface FieldIssue {
  /** Where: a config field (`certs.PUB_KEY_ID_...`), a body path (`json.mchid`) or an option name. */
  path: string;
  issue: string;
}

function listIssues(issues: FieldIssue[]): string {
  return issues.map(({ path, issue }) => `${path}: ${issue}`).join('; ');
}

/** The client configuration is unusable; `issues` names each field. Thrown by `Builder.factory`. */
export class ConfigError extends WechatpayError {
  override name = 'ConfigError';
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid config: ${listIssues(issues)}`);
  }
  static isConfigError(thing: unknown): thing is ConfigError {
    return WechatpayError.is(thing) && thing.name === 'ConfigError';
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** A request was refused locally, before any I/O. */
export class ValidationError extends WechatpayError {
  override name = 'ValidationError';
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid request: ${listIssues(issues)}`);
  }
  static isValidationError(thing: unknown): thing is ValidationError {
    return WechatpayError.is(thing) && thing.name === 'ValidationError';
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

export type SignatureFailure =
  'HEADERS_MISSING' | 'TIMESTAMP_SKEW' | 'UNKNOWN_SERIAL' | 'SIGNATURE_PROBE' | 'SIGNATURE_MISMATCH';

export interface SignatureErrorDetails {
  status?: number;
  serial?: string;
  requestId?: string;
  headers?: Record<string, unknown>;
  /** What caused it (an unknown serial: the failed certificate download). */
  cause?: unknown;
}

/** A reply or callback whose WeChat Pay signature did not verify; nothing of it reached the caller. */
export class SignatureError extends WechatpayError {
  override name = 'SignatureError';
  readonly status?: number;
  readonly serial?: string;
  readonly requestId?: string;
  readonly headers: Record<string, string>;

  constructor(
    readonly reason: SignatureFailure,
    message: string,
    details: SignatureErrorDetails = {},
  ) {
    super(`${reason}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.serial = details.serial;
    this.requestId = details.requestId;
    this.headers = redactHeaders(details.headers);
  }
  static isSignatureError(thing: unknown): thing is SignatureError {
    return WechatpayError.is(thing) && thing.name === 'SignatureError';
  }
  override toJSON(): Record<string, unknown> {
    const { reason, status, serial, requestId, headers } = this;
    return { ...super.toJSON(), reason, status, serial, requestId, headers };
  }
}

export interface ApiErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: string;
  [extra: string]: unknown;
}

export interface ApiErrorInit {
  status: number;
  code?: string;
  message?: string;
  detail?: ApiErrorDetail;
  requestId?: string;
  headers: Record<string, unknown>;
  body: string;
  method?: string;
  url?: string;
  /** Whether the error reply carried a WeChat Pay signature that verified. */
  verified: boolean;
  /** What was signed (the request's Authorization and body): compared with a SIGN_ERROR's `sign_information`, then dropped. */
  signed?: SignedRequest;
}

/** WeChat Pay answered with a non-2xx status. */
export class ApiError extends WechatpayError {
  override name = 'ApiError';
  readonly status: number;
  readonly code?: string;
  readonly detail?: ApiErrorDetail;
  readonly requestId?: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly method?: string;
  readonly url?: string;
  readonly verified: boolean;
  /**
   * On a 401 SIGN_ERROR carrying `detail.sign_information`: which part of the signed message differs from the one
   * WeChat Pay verified (method, url, timestamp, nonce, body), or `signature` when it is the same message.
   */
  readonly signDiff?: SignDiff;

  constructor(init: ApiErrorInit) {
    const signDiff =
      init.code === 'SIGN_ERROR'
        ? signDiffOf(init.detail, { method: init.method, url: init.url, ...init.signed })
        : undefined;
    // `message` is WeChat Pay's own text, as the contract promises (a SIGN_ERROR's says what differs after it)
    const text = init.message ?? `HTTP ${init.status}${init.code ? ` ${init.code}` : ''}`;
    super(signDiff ? `${text}: ${describeSignDiff(signDiff)}` : text);
    this.signDiff = signDiff;
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.headers = redactHeaders(init.headers);
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
    this.verified = init.verified;
  }

  static isApiError(thing: unknown): thing is ApiError {
    return WechatpayError.is(thing) && (thing.name === 'ApiError' || thing.name === 'ApiV2Error');
  }

  override toJSON(): Record<string, unknown> {
    const { status, code, detail, requestId, headers, body, method, url, verified, signDiff } = this;
    return { ...super.toJSON(), status, code, detail, requestId, headers, body, method, url, verified, signDiff };
  }
}

/** An APIv2 reply with `return_code` or `result_code` FAIL; `code` is `err_code` (or `FAIL`). */
export class ApiV2Error extends ApiError {
  override name = 'ApiV2Error';
  readonly returnCode?: string;
  readonly returnMsg?: string;
  readonly resultCode?: string;
  readonly errCode?: string;
  readonly errCodeDes?: string;
  /** The parsed reply. */
  readonly data: Record<string, unknown>;

  constructor(init: ApiErrorInit & { data: Record<string, unknown> }) {
    const text = (key: string) => (typeof init.data[key] === 'string' ? (init.data[key] as string) : undefined);
    super({
      ...init,
      code: text('err_code') ?? 'FAIL',
      message: text('err_code_des') ?? text('return_msg') ?? 'FAIL',
    });
    this.returnCode = text('return_code');
    this.returnMsg = text('return_msg');
    this.resultCode = text('result_code');
    this.errCode = text('err_code');
    this.errCodeDes = text('err_code_des');
    this.data = init.data;
  }

  override toJSON(): Record<string, unknown> {
    const { returnCode, returnMsg, resultCode, errCode, errCodeDes } = this;
    return { ...super.toJSON(), returnCode, returnMsg, resultCode, errCode, errCodeDes };
  }
}

/** The request did not complete: network failure, timeout, abort. `cause` keeps the underlying error. */
export class TransportError extends WechatpayError {
  override name = 'TransportError';
  readonly code?: string;
  constructor(
    message: string,
    readonly method: string | undefined,
    readonly url: string | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
    this.code = (cause as { code?: string } | undefined)?.code;
  }
  static isTransportError(thing: unknown): thing is TransportError {
    return WechatpayError.is(thing) && thing.name === 'TransportError';
  }
  override toJSON(): Record<string, unknown> {
    const { code, method, url } = this;
    return { ...super.toJSON(), code, method, url };
  }
}

export const isWechatpayError = WechatpayError.is;
export const isApiError = ApiError.isApiError;
export const isSignatureError = SignatureError.isSignatureError;
export const isValidationError = ValidationError.isValidationError;
export const isConfigError = ConfigError.isConfigError;
export const isTransportError = TransportError.isTransportError;
