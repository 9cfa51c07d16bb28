import { Formatter } from '../crypto/formatter';
import { KeyLoadError, type KeyLike } from '../crypto/keys';
import { Rsa } from '../crypto/rsa';
import { RsaAsync } from '../crypto/webcrypto/rsa';
import type { WebRsaKey } from '../crypto/webcrypto/keys';
import { ValidationError, type FieldIssue } from '../errors';

/** What `wx.requestPayment` (mini program) and `WeixinJSBridge.invoke('getBrandWCPayRequest')` (JSAPI) take. */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=...` */
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** What the App SDK's `PayReq` (iOS `PayReq`, Android `PayReq`) takes. */
export interface AppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}

interface Fixed {
  /** Unix seconds; default now. For tests and replays only: WeChat Pay refuses stale parameters. */
  timestamp?: number | string;
  /** 1-32 characters `[0-9A-Za-z]`; default a fresh random 32. */
  nonce?: string;
}

export interface JsapiInput<K = KeyLike> extends Fixed {
  /** The AppID the order was placed with (`appid`; in partner mode the `sp_appid` or `sub_appid` that ordered). */
  appId: string;
  /** `prepay_id` from the JSAPI / mini-program order reply. */
  prepayId: string;
  privateKey: K;
}

export interface AppInput<K = KeyLike> extends Fixed {
  appId: string;
  /** The merchant id (`mchid`; in partner mode the `sp_mchid`). */
  partnerId: string;
  /** `prepay_id` from the App order reply. */
  prepayId: string;
  privateKey: K;
}

// A field holding a line feed would shift the signed lines: refused, never escaped.
const PRINTABLE = /^[\x21-\x7e]+$/;
const NONCE = /^[0-9A-Za-z]{1,32}$/;

function requireText(issues: FieldIssue[], input: Record<string, unknown>, field: string, max: number): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    issues.push({ path: field, issue: `is required (a non-empty string), got ${describe(value)}` });
  } else if (value.length > max || !PRINTABLE.test(value)) {
    issues.push({ path: field, issue: `must be 1-${max} visible ASCII characters` });
  }
  return value as string;
}

function describe(value: unknown): string {
  return value === null ? 'null' : value === '' ? 'an empty string' : typeof value;
}

/** The fields every form shares, checked together so one error lists every bad field. */
function common(
  input: unknown,
  fields: Array<[string, number]>,
): { values: string[]; timeStamp: string; nonce: string } {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError([{ path: '(input)', issue: `must be an object, got ${describe(input)}` }]);
  }
  const record = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const values = fields.map(([field, max]) => requireText(issues, record, field, max));
  if (record.privateKey === undefined || record.privateKey === null || record.privateKey === '') {
    issues.push({ path: 'privateKey', issue: 'is required: the merchant API private key' });
  }
  const { timestamp, nonce } = record;
  const timeStamp = timestamp === undefined ? String(Formatter.timestamp()) : String(timestamp);
  const integral =
    (typeof timestamp === 'number' || typeof timestamp === 'string') && /^[1-9]\d{0,10}$/.test(timeStamp);
  if (timestamp !== undefined && !integral) {
    issues.push({ path: 'timestamp', issue: 'must be Unix seconds (a positive integer)' });
  }
  if (nonce !== undefined && (typeof nonce !== 'string' || !NONCE.test(nonce))) {
    issues.push({ path: 'nonce', issue: 'must be 1-32 characters [0-9A-Za-z]' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { values, timeStamp, nonce: (nonce as string | undefined) ?? Formatter.nonce() };
}

/** A key that does not load is the caller's `privateKey` field, said so (the key itself is never shown). */
function keyFailure(error: unknown): never {
  if (error instanceof KeyLoadError) {
    throw new ValidationError([{ path: 'privateKey', issue: `does not load: ${error.message}` }]);
  }
  throw error;
}

function signSync(message: string, privateKey: KeyLike): string {
  try {
    return Rsa.sign(message, privateKey);
  } catch (error) {
    return keyFailure(error);
  }
}

function signAsync(message: string, privateKey: KeyLike | WebRsaKey): Promise<string> {
  return RsaAsync.sign(message, privateKey).catch(keyFailure);
}

interface Prepared<T> {
  message: string;
  build(signature: string): T;
}

function prepareJsapi(input: JsapiInput<unknown>): Prepared<JsapiPayParams> {
  const {
    values: [appId, prepayId],
    timeStamp,
    nonce: nonceStr,
  } = common(input, [
    ['appId', 32],
    ['prepayId', 64],
  ]);
  const pkg = `prepay_id=${prepayId}`;
  return {
    message: Formatter.joinedByLineFeed(appId, timeStamp, nonceStr, pkg),
    build: (paySign) => ({ appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign }),
  };
}

function prepareApp(input: AppInput<unknown>): Prepared<AppPayParams> {
  const {
    values: [appid, partnerid, prepayid],
    timeStamp: timestamp,
    nonce: noncestr,
  } = common(input, [
    ['appId', 32],
    ['partnerId', 32],
    ['prepayId', 64],
  ]);
  return {
    message: Formatter.joinedByLineFeed(appid, timestamp, noncestr, prepayid),
    build: (sign) => ({ appid, partnerid, prepayid, package: 'Sign=WXPay', noncestr, timestamp, sign }),
  };
}

/**
 * The parameters the front end needs to take a payment for a prepay id, signed with the merchant key
 * (RSA-SHA256, PKCS#1 v1.5, base64): what wechatpay-go's `PrepayWithRequestPayment` and wechatpay-java's
 * `JsapiServiceExtension` / `AppServiceExtension` return. Synchronous like the toolkit; the `...Async` forms sign
 * on WebCrypto (any runtime) and also take a `WebRsaKey` already imported.
 *
 * @throws ValidationError naming each missing or malformed field (`appId`, `prepayId`, `partnerId`, `privateKey`,
 *   `timestamp`, `nonce`)
 */
export const PayParams = {
  /** JSAPI and mini program: `paySign` over `appId\ntimeStamp\nnonceStr\npackage\n`. */
  jsapi(input: JsapiInput): JsapiPayParams {
    const prepared = prepareJsapi(input);
    return prepared.build(signSync(prepared.message, input.privateKey));
  },

  /** App: `sign` over `appid\ntimestamp\nnoncestr\nprepayid\n`. */
  app(input: AppInput): AppPayParams {
    const prepared = prepareApp(input);
    return prepared.build(signSync(prepared.message, input.privateKey));
  },

  async jsapiAsync(input: JsapiInput<KeyLike | WebRsaKey>): Promise<JsapiPayParams> {
    const prepared = prepareJsapi(input);
    return prepared.build(await signAsync(prepared.message, input.privateKey));
  },

  async appAsync(input: AppInput<KeyLike | WebRsaKey>): Promise<AppPayParams> {
    const prepared = prepareApp(input);
    return prepared.build(await signAsync(prepared.message, input.privateKey));
  },
};
