import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';

/**
 * A loopback stand-in for the WeChat Pay gateway, written with node:crypto alone (none of the SDK's code):
 * it checks Authorization with the merchant public key as WeChat Pay does and signs replies with a platform key.
 */
export type ReplyMode = 'signed' | 'unsigned' | 'tampered' | 'unknown-serial' | 'skew' | 'probe' | 'wrong-key';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether Authorization verified against the merchant public key. */
  authorized: boolean;
  authorization?: Record<string, string>;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GatewayOptions {
  mchid: string;
  merchantSerial: string;
  merchantPublicKey: string;
  platformSerial: string;
  platformPrivateKey: string;
  strangerPrivateKey: string;
  route?: (request: Received) => Reply;
}

export interface Gateway {
  url: string;
  received: Received[];
  /** The Wechatpay-Signature of each reply sent. */
  replySignatures: string[];
  mode: ReplyMode;
  /** Seconds added to the reply timestamp in `skew` mode. */
  skewSeconds: number;
  route: (request: Received) => Reply;
  stop(): Promise<void>;
}

function parseAuthorization(value: string | undefined): Record<string, string> | undefined {
  const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(value ?? '');
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const part of match[1]!.split(',')) {
    const pair = /^(\w+)="([^"]*)"$/.exec(part);
    if (!pair) return undefined;
    fields[pair[1]!] = pair[2]!;
  }
  return fields;
}

function checkAuthorization(options: GatewayOptions, req: IncomingMessage, body: Buffer) {
  const fields = parseAuthorization(req.headers.authorization);
  if (!fields) return { ok: false, fields };
  const { mchid, serial_no, timestamp, nonce_str, signature } = fields;
  if (mchid !== options.mchid || serial_no !== options.merchantSerial || !timestamp || !nonce_str || !signature) {
    return { ok: false, fields };
  }
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300 || !/^[0-9A-Za-z]{32}$/.test(nonce_str)) {
    return { ok: false, fields };
  }
  const message = Buffer.concat([
    Buffer.from(`${req.method}\n${req.url}\n${timestamp}\n${nonce_str}\n`),
    body,
    Buffer.from('\n'),
  ]);
  const ok = verify('sha256', message, createPublicKey(options.merchantPublicKey), Buffer.from(signature, 'base64'));
  return { ok, fields };
}

export function startGateway(options: GatewayOptions): Promise<Gateway> {
  const received: Received[] = [];
  const gateway: Gateway = {
    url: '',
    received,
    replySignatures: [],
    mode: 'signed',
    skewSeconds: 400,
    route: options.route ?? (() => ({ body: { ok: true } })),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const reply = (res: ServerResponse, { status = 200, body, headers = {} }: Reply) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000) + (gateway.mode === 'skew' ? gateway.skewSeconds : 0);
    const nonce = randomBytes(16).toString('hex');
    const key = gateway.mode === 'wrong-key' ? options.strangerPrivateKey : options.platformPrivateKey;
    let signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${text}\n`), key).toString('base64');
    if (gateway.mode === 'probe') signature = `WECHATPAY/SIGNTEST/${signature}`;
    gateway.replySignatures.push(signature);
    const out: Record<string, string> = {
      'Content-Type': 'application/json',
      'Request-ID': `req-${received.length}`,
      ...headers,
    };
    if (gateway.mode !== 'unsigned') {
      Object.assign(out, {
        'Wechatpay-Timestamp': String(timestamp),
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': signature,
        'Wechatpay-Serial': gateway.mode === 'unknown-serial' ? 'PUB_KEY_ID_UNKNOWN' : options.platformSerial,
      });
    }
    const sent = gateway.mode === 'tampered' ? text.replace(/.$/, ' }') : text;
    res.writeHead(status, out).end(sent);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { ok, fields } = checkAuthorization(options, req, body);
      const request: Received = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
        authorized: ok,
        authorization: fields,
      };
      received.push(request);
      if (!ok) {
        reply(res, { status: 401, body: { code: 'SIGN_ERROR', message: '签名错误' } });
        return;
      }
      reply(res, gateway.route(request));
    });
  });
  server.unref();

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      resolve(gateway);
    });
  });
}
