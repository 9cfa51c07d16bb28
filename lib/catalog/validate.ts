import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError, type FieldIssue } from '../errors';
import { PATTERN_MEANING, RFC3339_PATTERN } from './patterns';
import { routeKey, type JsonSchema, type RouteFacts } from './route-facts';

let ajv: Ajv | undefined;

/** ajv costs ~30 ms to load: only a first validated call pays it, never `require('wechatpay-chain')`. */
function loadAjv(): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
  return new AjvClass({ allErrors: true, strict: true });
}

const compiled = new Map<string, ValidateFunction>();

/** ajv compiles schemas to JS with `new Function`, which Cloudflare Workers (and strict CSPs) forbid: say so. */
function compileOrExplain(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    throw new ConfigError([
      {
        path: 'validation',
        issue:
          'needs code generation (ajv), which this runtime forbids: pass `validation: false` on Cloudflare Workers',
      },
    ]);
  }
}

/**
 * `true` (the default) refuses only what WeChat Pay certainly refuses: a missing required field, a wrong JSON
 * type, a value over a documented maximum length, an official page's rule. `'strict'` also refuses fields and
 * enum values the facts do not list, and formats (RFC 3339 times) the community facts state.
 */
export type ValidationMode = true | 'strict';

/** The lenient form of a generated (strict) schema: unknown fields, enum values and stated formats pass. */
export function lenient(schema: JsonSchema): JsonSchema {
  const { enum: _enum, additionalProperties: _closed, properties, items, pattern, ...rest } = schema;
  const out: JsonSchema = { ...rest };
  if (pattern !== undefined && pattern !== RFC3339_PATTERN) out.pattern = pattern;
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, field]) => [name, lenient(field)]));
  }
  if (items) out.items = lenient(items);
  return out;
}

/** One compiled validator per route, location and mode, compiled on first use. */
function validatorFor(
  route: RouteFacts,
  location: 'query' | 'json',
  schema: JsonSchema,
  mode: ValidationMode,
): ValidateFunction {
  const key = `${routeKey(route.method, route.path)} ${location} ${String(mode)}`;
  let validate = compiled.get(key);
  if (!validate) {
    ajv ??= loadAjv();
    validate = compileOrExplain(ajv, mode === 'strict' ? schema : lenient(schema));
    compiled.set(key, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of this endpoint';
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `must be ${params.type === 'integer' ? 'an integer' : `a ${String(params.type)}`}`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'pattern':
      return PATTERN_MEANING[String(params.pattern)] ?? `must match ${String(params.pattern)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function fieldPath(location: string, error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const leaf =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  return [location, at, leaf].filter((part) => part !== undefined && part !== '').join('.');
}

function check(
  route: RouteFacts,
  location: 'query' | 'json',
  value: unknown,
  issues: FieldIssue[],
  mode: ValidationMode,
): void {
  const schema = route[location];
  if (!schema) return;
  if (value === undefined) {
    if (schema.required?.length) issues.push({ path: location, issue: `is required (${schema.required.join(', ')})` });
    return;
  }
  const validate = validatorFor(route, location, schema, mode);
  if (!validate(value)) {
    for (const error of validate.errors ?? [])
      issues.push({ path: fieldPath(location, error), issue: describe(error) });
  }
}

/** Check an options bag against the endpoint's schemas and page rules; an empty list means it may be sent. */
export function validateRequest(
  route: RouteFacts,
  options: { query?: unknown; json?: unknown },
  mode: ValidationMode = true,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  check(route, 'query', options.query, issues, mode);
  check(route, 'json', options.json, issues, mode);
  const json = options.json as Record<string, unknown> | undefined;
  for (const [first, ...others] of route.distinct) {
    for (const other of others) {
      if (json && json[first!] !== undefined && json[first!] === json[other]) {
        issues.push({ path: `json.${first}`, issue: `must differ from ${other}` });
      }
    }
  }
  return issues;
}
