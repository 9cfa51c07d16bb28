import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { request } from 'node:http';
import type { SandboxHandle } from '../../lib/sandbox';
import { MCHID, MERCHANT_SERIAL, merchantKeys } from '../helpers/keys';

/**
 * An independent client for the sandbox: requests signed with node:crypto directly (not the SDK's signer), replies
 * checked with node:crypto directly (not the SDK's verifier).
 */
export interface Raw {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: { code?: string; message?: string; detail?: Record<string, unknown> } & Record<string, unknown>;
}

export interface RawOptions {
  body?: string | Buffer;
  /** What the signature covers, when it is not the body (media uploads sign their meta JSON). */
  signed?: string;
  headers?: Record<string, string>;
}

export function authorization(method: string, target: string, signed: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const signature = sign(
    'sha256',
    Buffer.from(`${method}\n${target}\n${timestamp}\n${nonce}\n${signed}\n`),
    merchantKeys().privateKey,
  ).toString('base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${MCHID}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${MERCHANT_SERIAL}"`;
}

export function rawCall(
  sandbox: SandboxHandle,
  method: string,
  target: string,
  options: RawOptions = {},
): Promise<Raw> {
  const body = options.body ?? '';
  const signed = options.signed ?? (typeof body === 'string' ? body : body.toString('utf8'));
  const url = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: target, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = {};
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: text, json });
      });
    });
    req.setHeader('Authorization', authorization(method, target, signed));
    req.setHeader('Accept', 'application/json');
    req.setHeader('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(options.headers ?? {})) req.setHeader(name, value);
    req.on('error', reject);
    req.end(body);
  });
}

/** The reply's Wechatpay-* signature checks out against the sandbox's platform key. */
export function independentlyVerified(sandbox: SandboxHandle, reply: Raw): boolean {
  const {
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': serial,
  } = reply.headers;
  if (!signature) return false;
  return (
    serial === sandbox.platformSerial &&
    verify(
      'sha256',
      Buffer.from(`${ts}\n${nonce}\n${reply.body}\n`),
      createPublicKey(sandbox.platformPublicKey),
      Buffer.from(signature, 'base64'),
    )
  );
}
