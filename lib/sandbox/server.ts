import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, type BodyLimits } from './body';
import { seconds, systemClock, type Clock } from './clock';
import { authenticate, type MerchantRecord, type NonceLedger } from './gateway-auth';
import type { HandlerContext } from './handlers/context';
import type { Answer, Ledger } from './ledger';
import { parseMultipart } from './multipart';
import { checkFields, decryptFields } from './params';
import type { Payments } from './payments';
import { signedHeaders, type PlatformIdentity } from './platform';
import { Rejection } from './rejection';
import { matchRoute, type MatchedRoute } from './routes';

export interface GatewayLimits {
  /** Largest JSON body (1 MiB by default); larger ones get a signed 413. */
  maxBodyBytes: number;
  /** Largest media upload (multipart) body. */
  maxMediaBytes: number;
  /** Headers and body must arrive within this time; a stalled client gets a 408 and is disconnected. */
  requestTimeoutMs: number;
}

export interface GatewayState {
  merchants: Map<string, MerchantRecord>;
  nonces: NonceLedger;
  /** Business time: re-entry validity, rate windows, order times. */
  clock: Clock;
  ledger: Ledger;
  payments: Payments;
  identities: PlatformIdentity[];
  signer: PlatformIdentity;
  apiv3Key: string;
  limits: GatewayLimits;
  /** Set once the server listens. */
  baseUrl: string;
  context: Pick<HandlerContext, 'schedule' | 'notify' | 'allow' | 'limitOf'>;
  /** Writes the state to `stateDir` (a no-op without one). */
  persist(): void;
  encryptTo(merchant: MerchantRecord, plaintext: string): string;
}

/** Unauthenticated sandbox hooks (`/sandbox/...`) act for nobody in particular. */
const NOBODY = { mchid: '', serial: '' } as unknown as MerchantRecord;

function parseJson(body: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  if (!contentType?.includes('application/json'))
    throw new Rejection(400, 'INVALID_REQUEST', 'Content-Type 须为 application/json');
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new Rejection(400, 'PARAM_ERROR', '请求体不是合法的 JSON 对象');
  }
}

function parseTarget(target: string): URL {
  // only origin-form targets: `//host/...` or absolute URLs would let URL() reinterpret the path
  if (!target.startsWith('/') || target.startsWith('//'))
    throw new Rejection(400, 'INVALID_REQUEST', '请求路径须以单个 / 开头');
  return new URL(target, 'http://sandbox');
}

/**
 * The sandbox's own hooks carry no signature, so a web page the developer visits must not reach them: a foreign
 * `Origin` (or a cross-site fetch) is refused, and only `application/json` is taken, which a page can send only
 * after a CORS preflight that the sandbox never answers.
 */
function checkUnsignedHook(state: GatewayState, req: IncomingMessage): void {
  const origin = req.headers.origin;
  const own = new URL(state.baseUrl).origin;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && origin !== own) || (site !== undefined && site !== 'same-origin' && site !== 'none'))
    throw new Rejection(
      403,
      'NO_AUTH',
      `沙箱接口不接受来自其他站点的请求（Origin: ${String(origin ?? site).slice(0, 100)}）`,
    );
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new Rejection(415, 'INVALID_REQUEST', '沙箱接口只接受 Content-Type: application/json 的请求');
}

function authenticated(state: GatewayState, req: IncomingMessage, route: MatchedRoute, body: Buffer): MerchantRecord {
  // APIv2 authenticates by the XML `sign`, which its handlers check with the merchant's APIv2 key
  if (route.spec.auth === 'none') {
    checkUnsignedHook(state, req);
    return NOBODY;
  }
  if (route.spec.auth === 'v2') return NOBODY;
  // media uploads sign the `meta` JSON, not the multipart bytes (the one documented exception)
  const signed = route.spec.auth === 'media' ? parseMultipart(body, req.headers['content-type']).meta : body;
  // protocol time is real time: clients check reply timestamps against their own clocks
  return authenticate(
    { method: req.method ?? 'GET', target: req.url ?? '/', body: signed, authorization: req.headers.authorization },
    state.merchants,
    state.nonces,
    systemClock,
  );
}

function answer(state: GatewayState, req: IncomingMessage, url: URL, route: MatchedRoute, body: Buffer): Answer {
  const caller = authenticated(state, req, route, body);
  const query = Object.fromEntries(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  const json = route.spec.auth === 'media' || route.spec.auth === 'v2' ? undefined : parseJson(body, contentType);
  const serial = req.headers['wechatpay-serial'] as string | undefined;
  let decryptedQuery: Record<string, unknown> = query;
  let decryptedJson: Record<string, unknown> | undefined = json;
  if (route.facts && !route.spec.ownChecks) {
    checkFields(route.facts, 'query', query);
    checkFields(route.facts, 'json', json);
    decryptedQuery = decryptFields(route.facts, 'query', query, serial, state.identities) ?? {};
    decryptedJson = decryptFields(route.facts, 'json', json, serial, state.identities);
  }
  const context: HandlerContext = {
    ...state.context,
    caller,
    params: route.params,
    query: decryptedQuery as Record<string, string>,
    json: decryptedJson ?? {},
    raw: { body, contentType },
    now: state.clock.now(),
    ledger: state.ledger,
    payments: state.payments,
    baseUrl: state.baseUrl,
    identities: state.identities,
    apiv3Key: state.apiv3Key,
    encryptToCaller: (plaintext) => state.encryptTo(caller, plaintext),
    merchantOf: (mchid) => state.merchants.get(mchid),
  };
  return route.spec.handler(context);
}

function send(state: GatewayState, res: ServerResponse, result: Answer, close: boolean): void {
  const requestId = randomBytes(16).toString('hex').toUpperCase();
  const connection: Record<string, string> = close ? { Connection: 'close' } : {};
  if (result.unsigned) {
    // bill files are sent unsigned, as WeChat Pay sends them; their integrity is the bill's hash_value
    res.writeHead(result.status, {
      'Content-Type': result.unsigned.contentType,
      'Request-ID': requestId,
      ...connection,
    });
    res.end(result.unsigned.bytes);
    return;
  }
  const text = result.body === undefined ? '' : JSON.stringify(result.body);
  const headers = signedHeaders(state.signer, text, seconds(systemClock), randomBytes(16).toString('hex'));
  res.writeHead(result.status, {
    ...headers,
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Request-ID': requestId,
    ...connection,
  });
  res.end(text);
}

function failure(error: unknown): Answer {
  return error instanceof Rejection
    ? { status: error.status, body: error.body() }
    : { status: 500, body: { code: 'SYSTEM_ERROR', message: `系统异常：${(error as Error).message}` } };
}

/** One request through the gateway: route, read, authenticate, validate, decrypt, apply the rules, sign the reply. */
export async function handle(state: GatewayState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // routing is pure and comes first: an unknown or malformed path is 400/404 whatever the signature says
  let routed: { url: URL; route: MatchedRoute } | Rejection;
  try {
    const url = parseTarget(req.url ?? '/');
    routed = { url, route: matchRoute(req.method ?? 'GET', url.pathname) };
  } catch (error) {
    routed = error instanceof Rejection ? error : new Rejection(400, 'INVALID_REQUEST', '请求路径不合法');
  }
  const limits: BodyLimits = {
    maxBytes:
      !(routed instanceof Rejection) && routed.route.spec.auth === 'media'
        ? state.limits.maxMediaBytes
        : state.limits.maxBodyBytes,
    timeoutMs: state.limits.requestTimeoutMs,
  };
  const outcome = await readBody(req, limits);
  let result: Answer;
  let close = false;
  if (outcome.kind === 'too-large') {
    close = true;
    result = failure(
      new Rejection(413, 'PARAM_ERROR', `请求体超过沙箱上限 ${limits.maxBytes} 字节`, {
        field: 'body',
        issue: `长度不能超过 ${limits.maxBytes} 字节`,
        location: 'body',
      }),
    );
  } else if (outcome.kind === 'timeout') {
    close = true;
    result = failure(new Rejection(408, 'INVALID_REQUEST', `请求体未在 ${limits.timeoutMs} 毫秒内收齐`));
  } else if (routed instanceof Rejection) {
    result = failure(routed);
  } else {
    try {
      result = answer(state, req, routed.url, routed.route, outcome.body);
    } catch (error) {
      result = failure(error);
    }
    try {
      state.persist();
    } catch (error) {
      result = failure(new Rejection(500, 'SYSTEM_ERROR', `沙箱无法保存状态：${(error as Error).message}`));
    }
  }
  if (res.destroyed) return;
  send(state, res, result, close);
  // a client still sending (or stalled) after a 413/408 is cut off once the reply is out
  if (close) res.on('finish', () => req.socket.destroySoon());
}
