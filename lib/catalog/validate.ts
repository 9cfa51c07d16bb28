import { ValidationError, type FieldIssue } from '../errors';
import { PATTERN_MEANING } from './patterns';
import type { RouteFacts } from './route-facts';
import { checkSchema, type SchemaIssue } from './schema-check';

/**
 * `true` (the default) refuses only what WeChat Pay certainly refuses: a missing required field, a wrong JSON
 * type, a value over a documented maximum length, an official page's rule. `'strict'` also refuses fields and
 * enum values the facts do not list, and formats (RFC 3339 times) the community facts state.
 */
export type ValidationMode = true | 'strict';

function describe(issue: SchemaIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of this endpoint';
    case 'enum':
      return `must be one of ${issue.allowed!.join(', ')}`;
    case 'type':
      return `must be ${issue.type === 'integer' ? 'an integer' : `a ${issue.type!}`}`;
    case 'maxLength':
      return `must be at most ${issue.limit!} characters`;
    case 'pattern':
      return PATTERN_MEANING[issue.pattern!] ?? `must match ${issue.pattern!}`;
  }
}

/** `json.payer.openid`: the location, where below it, and the field a `required`/unknown-field issue names. */
function fieldPath(location: string, issue: SchemaIssue): string {
  let path = issue.at === '' ? location : `${location}.${issue.at}`;
  if (issue.field !== undefined && issue.field !== '') path += `.${issue.field}`;
  return path;
}

/** Reused: a valid request allocates no list of its own for the checker (checking is synchronous). */
const found: SchemaIssue[] = [];

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
  found.length = 0;
  checkSchema(schema, value, mode, found);
  for (const issue of found) issues.push({ path: fieldPath(location, issue), issue: describe(issue) });
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

/** A thrown thing's message, whatever was thrown (a getter or Proxy trap may throw anything), never re-throwing. */
function reasonOf(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message.slice(0, 120) : `${typeof error} thrown`;
  } catch {
    return `${typeof error} thrown`;
  }
}

/**
 * The bag with `json` replaced by what `JSON.stringify` will send (toJSON applied, prototype getters read once,
 * Proxy traps run once): checking and encrypting that copy checks and encrypts exactly what is serialised, and a
 * throwing getter or trap is the caller's data error, a `ValidationError`. The caller's bag is left as given.
 */
export function withJsonAsSent<B extends { json?: unknown }>(bag: B): B {
  if (bag.json === undefined) return bag;
  let text: string | undefined;
  try {
    text = JSON.stringify(bag.json);
  } catch (error) {
    throw new ValidationError([{ path: 'json', issue: `is not JSON-serialisable: ${reasonOf(error)}` }]);
  }
  if (text === undefined) throw new ValidationError([{ path: 'json', issue: 'is not JSON-serialisable' }]);
  return Object.assign({}, bag, { json: JSON.parse(text) as unknown });
}
