import { verify, type KeyObject } from 'node:crypto';
import type { Clock } from './clock';
import { seconds } from './clock';
import { Rejection } from './rejection';

/**
 * The gateway's side of request authentication, written independently of the client's signer:
 * it parses Authorization, and checks merchant, serial, time window, nonce reuse and the signature.
 */
export interface MerchantRecord {
  mchid: string;
  serial: string;
  publicKey: KeyObject;
  /** The APIv2 key, for `/pay/...` XML calls. */
  secret?: string;
}

const SCHEME = 'WECHATPAY2-SHA256-RSA2048';
const WINDOW_SECONDS = 300;
const FIELDS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;

/** WeChat Pay lists a malformed Authorization and an unknown scheme among the causes of 401 SIGN_ERROR. */
export function parseAuthorization(header: string): Record<(typeof FIELDS)[number], string> {
  if (!header.startsWith(`${SCHEME} `)) throw new Rejection(401, 'SIGN_ERROR', `Authorization 须以 ${SCHEME} 开头`);
  const fields: Record<string, string> = {};
  for (const part of header.slice(SCHEME.length + 1).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!match) throw new Rejection(401, 'SIGN_ERROR', 'Authorization 格式错误');
    fields[match[1]!] = match[2]!;
  }
  for (const name of FIELDS) {
    if (!fields[name]) throw new Rejection(401, 'SIGN_ERROR', `Authorization 缺少 ${name}`);
  }
  return fields as Record<(typeof FIELDS)[number], string>;
}

/** How much of the signed body WeChat Pay echoes in `truncated_sign_message` (its replies show 8 characters). */
const ECHOED_BODY_CHARS = 8;

/**
 * The `detail` WeChat Pay gives a signature that does not verify: the method and URL it saw, and the message it
 * verified (its length, and the message with the body cut short), so a merchant can compare it with what it signed.
 */
export function signInformation(
  method: string,
  target: string,
  message: Buffer,
  head: string,
): Record<string, unknown> {
  const body = message.subarray(Buffer.byteLength(head), message.length - 1).toString('utf8');
  return {
    detail: { issue: 'sign not match' },
    field: 'signature',
    location: 'authorization',
    sign_information: {
      method,
      url: target,
      sign_message_length: message.length,
      truncated_sign_message: `${head}${[...body].slice(0, ECHOED_BODY_CHARS).join('')}\n`,
    },
  };
}

/** Nonces seen inside the time window, per merchant; bounded by expiry and a hard cap. */
export class NonceLedger {
  private readonly seen = new Map<string, number>();
  constructor(private readonly cap = 100_000) {}

  /** false when this nonce was already used in the window */
  remember(key: string, nowSeconds: number): boolean {
    if (this.seen.has(key) && this.seen.get(key)! > nowSeconds) return false;
    if (this.seen.size >= this.cap) {
      for (const [old, expiry] of this.seen) if (expiry <= nowSeconds) this.seen.delete(old);
      if (this.seen.size >= this.cap) this.seen.delete(this.seen.keys().next().value!);
    }
    this.seen.set(key, nowSeconds + WINDOW_SECONDS);
    return true;
  }
}

export interface AuthInput {
  method: string;
  target: string;
  body: Buffer;
  authorization: string | undefined;
}

export function authenticate(
  input: AuthInput,
  merchants: Map<string, MerchantRecord>,
  nonces: NonceLedger,
  clock: Clock,
): MerchantRecord {
  if (!input.authorization) throw new Rejection(401, 'SIGN_ERROR', '缺少 Authorization 请求头');
  const fields = parseAuthorization(input.authorization);
  const merchant = merchants.get(fields.mchid);
  if (!merchant) throw new Rejection(401, 'SIGN_ERROR', `商户号 ${fields.mchid} 未在沙箱登记`);
  if (merchant.serial.toUpperCase() !== fields.serial_no.toUpperCase()) {
    throw new Rejection(401, 'SIGN_ERROR', `证书序列号 ${fields.serial_no} 与商户 ${fields.mchid} 不匹配`);
  }
  const now = seconds(clock);
  if (!/^\d+$/.test(fields.timestamp) || Math.abs(now - Number(fields.timestamp)) > WINDOW_SECONDS) {
    throw new Rejection(401, 'SIGN_ERROR', '请求时间戳超出允许范围（±300 秒）');
  }
  const head = `${input.method}\n${input.target}\n${fields.timestamp}\n${fields.nonce_str}\n`;
  const message = Buffer.concat([Buffer.from(head), input.body, Buffer.from('\n')]);
  if (!verify('sha256', message, merchant.publicKey, Buffer.from(fields.signature, 'base64'))) {
    throw new Rejection(
      401,
      'SIGN_ERROR',
      '错误的签名,验签失败',
      signInformation(input.method, input.target, message, head),
    );
  }
  if (!nonces.remember(`${fields.mchid}:${fields.nonce_str}`, now)) {
    throw new Rejection(401, 'SIGN_ERROR', '随机串 nonce_str 重复使用');
  }
  return merchant;
}
