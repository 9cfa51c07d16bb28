import { createCipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody } from '../http/raw-body';
import { seconds, rfc3339, systemClock, type Clock } from './clock';
import { authenticate, type MerchantRecord, type NonceLedger } from './gateway-auth';
import type { HandlerContext } from './handlers/context';
import type { Answer, Ledger } from './ledger';
import { checkFields, decryptFields } from './params';
import { signedHeaders, type PlatformIdentity } from './platform';
import { Rejection } from './rejection';
import { matchRoute } from './routes';

export interface GatewayState {
  merchants: Map<string, MerchantRecord>;
  nonces: NonceLedger;
  /** Business time: re-entry validity, rate windows, order times. */
  clock: Clock;
  ledger: Ledger;
  identities: PlatformIdentity[];
  signer: PlatformIdentity;
  apiv3Key: string;
  context: Pick<HandlerContext, 'schedule' | 'notify' | 'allow'>;
  encryptTo(merchant: MerchantRecord, plaintext: string): string;
}

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

function certificates(state: GatewayState): Answer {
  const certs = state.identities.filter((identity) => identity.kind === 'certificate');
  if (certs.length === 0) throw new Rejection(404, 'NOT_FOUND', '本商户使用微信支付公钥，未启用平台证书');
  return {
    status: 200,
    body: {
      data: certs.map((identity) => {
        const iv = randomBytes(6).toString('hex');
        const cipher = createCipheriv('aes-256-gcm', Buffer.from(state.apiv3Key), Buffer.from(iv));
        cipher.setAAD(Buffer.from('certificate'));
        const ciphertext = Buffer.concat([
          cipher.update(identity.certificatePem!, 'utf8'),
          cipher.final(),
          cipher.getAuthTag(),
        ]);
        return {
          serial_no: identity.serial,
          effective_time: rfc3339(identity.notBefore),
          expire_time: rfc3339(identity.notAfter),
          encrypt_certificate: {
            algorithm: 'AEAD_AES_256_GCM',
            nonce: iv,
            associated_data: 'certificate',
            ciphertext: ciphertext.toString('base64'),
          },
        };
      }),
    },
  };
}

async function answer(state: GatewayState, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const target = req.url ?? '/';
  const method = req.method ?? 'GET';
  // protocol time is real time: clients check reply timestamps against their own clocks
  const caller = authenticate(
    { method, target, body, authorization: req.headers.authorization },
    state.merchants,
    state.nonces,
    systemClock,
  );
  const url = new URL(target, 'http://sandbox');
  if (method === 'GET' && url.pathname === '/v3/certificates') return certificates(state);
  const route = matchRoute(method, url.pathname);
  if (!route) throw new Rejection(404, 'NOT_FOUND', `沙箱未实现 ${method} ${url.pathname}`);
  const query = Object.fromEntries(url.searchParams);
  const json = parseJson(body, req.headers['content-type']);
  checkFields(route.facts, 'query', query);
  checkFields(route.facts, 'json', json);
  const serial = req.headers['wechatpay-serial'] as string | undefined;
  const context: HandlerContext = {
    ...state.context,
    caller,
    params: route.params,
    query: decryptFields(route.facts, 'query', query, serial, state.identities) as Record<string, string>,
    json: decryptFields(route.facts, 'json', json, serial, state.identities) ?? {},
    now: state.clock.now(),
    ledger: state.ledger,
    encryptToCaller: (plaintext) => state.encryptTo(caller, plaintext),
  };
  return route.handler(context);
}

/** One request through the gateway: authenticate, validate, decrypt, apply the business rules, sign the reply. */
export async function handle(state: GatewayState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(16).toString('hex').toUpperCase();
  let result: Answer;
  try {
    result = await answer(state, req, await readRawBody(req));
  } catch (error) {
    result =
      error instanceof Rejection
        ? { status: error.status, body: error.body() }
        : { status: 500, body: { code: 'SYSTEM_ERROR', message: `系统异常：${(error as Error).message}` } };
  }
  const text = result.body === undefined ? '' : JSON.stringify(result.body);
  const headers = signedHeaders(state.signer, text, seconds(systemClock), randomBytes(16).toString('hex'));
  res.writeHead(result.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Request-ID': requestId,
  });
  res.end(text);
}
