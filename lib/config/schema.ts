import type { FieldIssue } from '../errors';
import { NUMERIC_OPTIONS, numericOptionIssue } from '../transport/numeric-options';
import { missingStoreMethods } from '../store/store';
import { apiv3KeyIssue } from './apiv3-key';

/**
 * The rules of `Builder.factory`'s config as plain checks: no schema compiler runs at first use, so building a
 * client costs what loading its keys costs. Each rule returns the issue for its field, or undefined.
 * Messages name the rule broken, never the value: some fields are secrets.
 */
export type Rule = (value: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const string =
  (pattern?: RegExp, length?: { min?: number; max?: number }): Rule =>
  (value) => {
    if (typeof value !== 'string') return 'must be string';
    const size = [...value].length;
    if (length?.min !== undefined && size < length.min) return `must NOT have fewer than ${length.min} characters`;
    if (length?.max !== undefined && size > length.max) return `must NOT have more than ${length.max} characters`;
    if (pattern && !pattern.test(value)) return `must match pattern "${pattern.source}"`;
    return undefined;
  };

export const integer =
  (minimum: number): Rule =>
  (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be integer';
    return value < minimum ? `must be >= ${minimum}` : undefined;
  };

export const boolean: Rule = (value) => (typeof value === 'boolean' ? undefined : 'must be boolean');

/** Key material: text (PEM, `file://`) or an object (Buffer, KeyObject, CryptoKey, JWK); the loader checks contents. */
export const keyMaterial: Rule = (value) =>
  typeof value === 'string' || (typeof value === 'object' && value !== null) ? undefined : 'must be string,object';

export const object: Rule = (value) => (isObject(value) ? undefined : 'must be object');

export const oneOf =
  (...rules: Rule[]): Rule =>
  (value) => {
    const failures = rules.map((rule) => rule(value));
    return failures.includes(undefined) ? undefined : failures.join(', or ');
  };

/** A `Store` (get, set, setIfAbsent, delete): `redisStore(client)`, a `MemoryStore`, or one of the caller's own. */
export const store: Rule = (value) => {
  const missing = missingStoreMethods(value);
  return missing.length === 0
    ? undefined
    : `must be a store (get, set, setIfAbsent, delete): ${missing.join(', ')} missing`;
};

export const functionRule: Rule = (value) => (typeof value === 'function' ? undefined : 'must be a function');

export const MCHID = /^[0-9]{1,32}$/;
export const SERIAL = /^[0-9A-Fa-f]{1,64}$/;
export const CERT_ID = /^[0-9A-Za-z_]{1,64}$/;
export const HTTP_URL = /^https?:\/\/[^/]+/;

/** Top-level fields of the SDK's own (not axios') options, with their rule. Nested objects are checked in validate.ts. */
export const SDK_FIELDS: Readonly<Record<string, Rule>> = {
  region: (value) => (value === 'mainland' || value === 'hk' ? undefined : "must be 'mainland' or 'hk'"),
  mchid: string(MCHID),
  serial: string(SERIAL),
  privateKey: keyMaterial,
  certs: object,
  secret: string(undefined, { min: 32, max: 32 }),
  apiv3Key: apiv3KeyIssue,
  merchant: object,
  validation: oneOf(boolean, (value) => (value === 'strict' ? undefined : "must be 'strict'")),
  encrypt: boolean,
  cacheSize: integer(1),
  certificateRefreshMs: integer(1000),
  certificateStore: store,
  retry: oneOf(boolean, integer(0), object),
  backupBaseURL: oneOf((value) => (value === false ? undefined : 'must be false'), string(HTTP_URL)),
  logger: object,
  hooks: object,
  // a caller's axios instance to derive the transport from (see lib/transport/custom-axios.ts)
  axios: (value) =>
    typeof value === 'function' && typeof (value as { create?: unknown }).create === 'function'
      ? undefined
      : 'must be an axios instance (axios.create())',
};

export const REQUIRED = ['mchid', 'serial', 'privateKey'] as const;

/** axios options checked here because the SDK relies on their shape. */
export const AXIOS_FIELDS: Readonly<Record<string, Rule>> = {
  baseURL: string(HTTP_URL),
  headers: object,
  ...Object.fromEntries(
    NUMERIC_OPTIONS.map((name): [string, Rule] => [name, (value) => numericOptionIssue(name, value)]),
  ),
};

/** Every other option axios 1.x documents in `AxiosRequestConfig`; a key in neither list is a typo. */
export const AXIOS_OPTIONS: ReadonlySet<string> = new Set([
  'allowAbsoluteUrls',
  'timeoutErrorMessage',
  'withCredentials',
  'adapter',
  'auth',
  'responseEncoding',
  'xsrfCookieName',
  'xsrfHeaderName',
  'withXSRFToken',
  'onUploadProgress',
  'onDownloadProgress',
  'maxRate',
  'beforeRedirect',
  'socketPath',
  'allowedSocketPaths',
  'transport',
  'httpAgent',
  'httpsAgent',
  'proxy',
  'cancelToken',
  'decompress',
  'transitional',
  'signal',
  'insecureHTTPParser',
  'env',
  'formSerializer',
  'family',
  'lookup',
  'parseReviver',
  'fetchOptions',
  'httpVersion',
  'http2Options',
  'formDataHeaderPolicy',
  'redact',
  'sensitiveHeaders',
]);

/** axios options a caller may not override: the protocol depends on them. */
export const PROTOCOL_OWNED_OPTIONS = [
  'transformRequest',
  'transformResponse',
  'responseType',
  'validateStatus',
  'params',
  'paramsSerializer',
] as const;

/** Options that belong on a call, not on the client. */
export const PER_CALL_OPTIONS: Readonly<Record<string, string>> = {
  url: 'name the endpoint through the chain',
  method: 'use the verb (get, post, ...)',
  data: 'use `json` or `body` on the call',
};

export function issuesOf(fields: Readonly<Record<string, Rule>>, config: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, rule] of Object.entries(fields)) {
    if (config[name] === undefined) continue;
    const issue = rule(config[name]);
    if (issue !== undefined) issues.push({ path: name, issue });
  }
  return issues;
}

export { isObject };
