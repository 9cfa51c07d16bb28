import { readFileSync } from 'node:fs';
import type { AxiosResponse } from 'axios';
import { Builder } from '../builder';
import { isVerbatimPath, normalizePath, toSegment } from '../chain/segments';
import { UsageError, pairs, parseCommand } from './args';
import { CREDENTIAL_HELP, CREDENTIAL_OPTIONS, resolveCredentials, scrub } from './credentials';
import { describeFailure } from './failure';

const USAGE = `wechatpay-chain request <path> [options]

Sends one signed APIv3 request, verifies the reply's signature, and prints the status, Request-ID and body.
<path> in any chain form: v3/pay/transactions/native, /v3/pay/transactions/native, v3.pay.transactions.native,
v3.aggracctBc.wbChannel.specialReduction._out_request_no_ (template variables from --var).

  --method M            GET, POST, PUT, PATCH or DELETE (default POST with --json, else GET)
  --json JSON|@FILE     request body: JSON text, or @ and a file holding it
  --query K=V           query parameter (repeatable)
  --header K:V          request header (repeatable)
  --var NAME=VALUE      path template variable, e.g. --var out_request_no=1217752501201407033233368018
  --encrypt             encrypt the endpoint's sensitive fields (given in plaintext) with the WeChat Pay key
  --raw                 print only the body, as received
  -h, --help            this text
  --version             the package version

${CREDENTIAL_HELP}

Exit codes: 0 success, 1 the request failed (HTTP error, signature, validation, network), 2 usage.
`;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Any chain spelling -> the path the chain's string form takes. */
export function pathOf(input: string): string {
  const trimmed = input.trim();
  if (isVerbatimPath(trimmed)) return normalizePath(trimmed);
  return trimmed.split('.').filter(Boolean).map(toSegment).join('/');
}

function jsonOf(value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--json ${value}: cannot read the file (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--json is not valid JSON: ${(error as Error).message}`);
  }
}

function bodyText(data: unknown, pretty: boolean): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (typeof data === 'string') return data;
  if (data === undefined || data === null || data === '') return '';
  return JSON.stringify(data, null, pretty ? 2 : undefined);
}

export async function requestCommand(argv: string[], out: (line: string) => void): Promise<undefined> {
  const { values, positionals, done } = parseCommand(
    argv,
    {
      ...CREDENTIAL_OPTIONS,
      method: { type: 'string' },
      json: { type: 'string' },
      query: { type: 'string', multiple: true },
      header: { type: 'string', multiple: true },
      var: { type: 'string', multiple: true },
      encrypt: { type: 'boolean', default: false },
      raw: { type: 'boolean', default: false },
    },
    USAGE,
    out,
    true,
  );
  if (done) return undefined;
  if (positionals.length !== 1) throw new UsageError('request takes exactly one <path>', USAGE);
  const path = pathOf(positionals[0]!);
  if (!path.startsWith('v3/')) throw new UsageError(`<path> must be an APIv3 path (v3/...), got ${positionals[0]}`);
  const json = values.json === undefined ? undefined : jsonOf(values.json as string);
  const method = ((values.method as string | undefined) ?? (json === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(', ')}, got ${method}`);
  const options: Record<string, unknown> = {
    ...pairs('var', values.var as string[] | undefined, '='),
    ...(json === undefined ? {} : { json }),
    query: pairs('query', values.query as string[] | undefined, '='),
    headers: pairs('header', values.header as string[] | undefined, ':'),
    ...(values.encrypt === true ? { encrypt: true } : {}),
  };
  const { config, secrets } = resolveCredentials(values);
  let response: AxiosResponse;
  try {
    const instance = Builder.factory(config);
    const node = instance.chain(path) as unknown as Record<string, (options: unknown) => Promise<AxiosResponse>>;
    response = await node[method.toLowerCase()]!(options);
  } catch (error) {
    throw new Error(scrub(describeFailure(error), secrets));
  }
  if (values.raw === true) {
    out(bodyText(response.data, false));
    return undefined;
  }
  out(`HTTP ${response.status}`);
  const requestId = response.headers['request-id'];
  if (requestId) out(`Request-ID: ${String(requestId)}`);
  const body = bodyText(response.data, true);
  if (body !== '') out(body);
  return undefined;
}
