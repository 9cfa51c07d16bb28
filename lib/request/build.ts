import { ValidationError, type FieldIssue } from '../errors';
import { numericOptionIssue } from '../transport/numeric-options';
import { BAG_KEYS, REFUSED_AXIOS_OPTIONS, type RequestOptions } from './options';
import { expandedPathIssues, templateSourceIssues, templateValueIssues } from './path-safety';
import { TemplateValueError, type CompiledTemplate } from './template';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Everything needed to send one request, before signing. Pure data: no I/O produced it. */
export interface BuiltRequest {
  method: HttpMethod;
  /** Relative to baseURL, without a leading slash, query included: `v3/x/y?a=1`. */
  url: string;
  headers: Record<string, string>;
  data?: string | Buffer;
  /** Per-request axios options passed through untouched (timeout, signal, ...). */
  passthrough: Record<string, unknown>;
}

function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function buildQuery(query: RequestOptions['query'], issues: FieldIssue[]): string {
  if (query === undefined) return '';
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    issues.push({ path: 'query', issue: 'must be an object of scalar values' });
    return '';
  }
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      issues.push({ path: `query.${key}`, issue: `must be a string, number or boolean, got ${typeof value}` });
      continue;
    }
    pairs.push(`${encodeQueryPart(key)}=${encodeQueryPart(String(value))}`);
  }
  return pairs.join('&');
}

/** RFC 9110 token; node's http refuses anything else with a raw TypeError at send time. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What node's http accepts in a header value (no CR, LF, NUL or other controls but tab). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function buildHeaders(headers: RequestOptions['headers'], issues: FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (headers === null || typeof headers !== 'object') {
    issues.push({ path: 'headers', issue: 'must be an object' });
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!HEADER_NAME.test(name)) {
      issues.push({ path: `headers.${name}`, issue: 'is not a valid HTTP header name' });
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      issues.push({ path: `headers.${name}`, issue: 'must be a string' });
      continue;
    }
    if (!HEADER_VALUE.test(String(value))) {
      issues.push({ path: `headers.${name}`, issue: 'must not contain control characters (CR, LF, NUL, ...)' });
      continue;
    }
    out[name] = String(value);
  }
  return out;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/** A thrown thing's message, whatever was thrown (a toJSON may throw anything), never re-throwing. */
function reasonOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.slice(0, 120) : `${typeof error} thrown`;
}

function buildBody(options: RequestOptions, method: HttpMethod, issues: FieldIssue[]): string | Buffer | undefined {
  const { json, body } = options;
  if (json !== undefined && body !== undefined) {
    issues.push({ path: 'body', issue: 'give either `json` or `body`, not both' });
    return undefined;
  }
  if (method === 'GET' && (json !== undefined || body !== undefined)) {
    issues.push({ path: json !== undefined ? 'json' : 'body', issue: 'a GET request carries no body' });
    return undefined;
  }
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
    issues.push({ path: 'body', issue: 'must be a string or Buffer (use `json` for objects)' });
    return undefined;
  }
  if (json === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(json);
  } catch (error) {
    // BigInt, a circular reference or a throwing toJSON: the caller's data, reported as such
    issues.push({
      path: 'json',
      issue: `is not JSON-serialisable: ${reasonOf(error)}`,
    });
    return undefined;
  }
  if (text === undefined) issues.push({ path: 'json', issue: 'is not JSON-serialisable' });
  return text;
}

/** A template's own problems depend on its source only: found once per compiled template, not per call. */
const SOURCE_ISSUES = new WeakMap<CompiledTemplate, readonly FieldIssue[]>();

function sourceIssuesOf(template: CompiledTemplate): readonly FieldIssue[] {
  let issues = SOURCE_ISSUES.get(template);
  if (issues === undefined) {
    issues = templateSourceIssues(template.source);
    SOURCE_ISSUES.set(template, issues);
  }
  return issues;
}

/**
 * Turn a node's template, a verb and the options bag into the request to send.
 * Every problem is collected, so one `ValidationError` names all of them.
 */
export function buildRequest(
  method: HttpMethod,
  template: CompiledTemplate,
  options: RequestOptions = {},
): BuiltRequest {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError([{ path: 'options', issue: 'must be an object' }]);
  }
  const known = sourceIssuesOf(template);
  const issues: FieldIssue[] = known.length === 0 ? [] : [...known];
  let path = '';
  try {
    path = template.expand(options);
    // without variables the path is the source, already checked (sourceIssuesOf covers what these two would find)
    if (template.variables.length > 0) {
      issues.push(...templateValueIssues(template.source, options));
      if (issues.length === 0) issues.push(...expandedPathIssues(path));
    }
  } catch (error) {
    if (!(error instanceof TemplateValueError)) throw error;
    issues.push({ path: error.variable, issue: error.issue });
  }
  const { variables } = template;
  const passthrough: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    if (BAG_KEYS.has(key) || variables.includes(key)) continue;
    const refusal = REFUSED_AXIOS_OPTIONS[key];
    // a per-call timeout or cap is held to what the client's config is held to
    const issue = refusal === undefined ? numericOptionIssue(key, options[key]) : `option not accepted: ${refusal}`;
    if (issue !== undefined) issues.push({ path: key, issue });
    else passthrough[key] = options[key];
  }
  if (options.xml !== undefined && !template.source.startsWith('v2/')) {
    issues.push({ path: 'xml', issue: 'is for APIv2 (`v2/...`) paths; use `json`' });
  }
  const query = buildQuery(options.query, issues);
  const headers = buildHeaders(options.headers, issues);
  const data = buildBody(options, method, issues);
  if (issues.length > 0) throw new ValidationError(issues);

  if (!hasHeader(headers, 'Accept')) headers.Accept = 'application/json';
  if (data !== undefined && !hasHeader(headers, 'Content-Type')) headers['Content-Type'] = 'application/json';
  const url = query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
  return { method, url, headers, data, passthrough };
}
