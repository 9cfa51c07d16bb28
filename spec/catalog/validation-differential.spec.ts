import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { allRoutes } from '../../lib/catalog/lookup';
import { PATTERN_MEANING, RFC3339_PATTERN, VISIBLE_UTF8_PATTERN } from '../../lib/catalog/patterns';
import type { JsonSchema, RouteFacts } from '../../lib/catalog/route-facts';
import { checkSchema } from '../../lib/catalog/schema-check';
import { validateRequest, type ValidationMode } from '../../lib/catalog/validate';
import type { FieldIssue } from '../../lib/errors';

/**
 * The hand-written checker against ajv (the reference it replaced, a devDependency for this spec only): over
 * generated bodies, valid and hostile at any depth, both modes give the same issues, paths, messages and order.
 * `VALIDATION_DIFF_ROUTES=all` checks every catalogued route (slow); `VALIDATION_DIFF_SEED` picks another sample.
 */

/** The lenient view as the ajv-based validator derived it: no enums, no closed objects, no RFC 3339 pattern. */
function lenient(schema: JsonSchema): JsonSchema {
  const { enum: _enum, additionalProperties: _closed, properties, items, pattern, ...rest } = schema;
  const out: JsonSchema = { ...rest };
  if (pattern !== undefined && pattern !== RFC3339_PATTERN) out.pattern = pattern;
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, field]) => [name, lenient(field)]));
  }
  if (items) out.items = lenient(items);
  return out;
}

// The ajv-based validator's messages and paths, verbatim.
function messageOf(error: ErrorObject): string {
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

const instanceAt = (error: ErrorObject) => error.instancePath.replace(/^\//, '').replace(/\//g, '.');

function fieldPath(location: string, error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const leaf =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  return [location, instanceAt(error), leaf].filter((part) => part !== undefined && part !== '').join('.');
}

const allErrors = new Ajv({ allErrors: true, strict: true });
const firstError = new Ajv({ allErrors: false, strict: true });
const compiled = new Map<string, ValidateFunction>();

function ajvFor(ajv: Ajv, schema: JsonSchema, key: string): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
  return validate;
}

function referenceIssues(route: RouteFacts, options: { query?: unknown; json?: unknown }, mode: ValidationMode) {
  const issues: FieldIssue[] = [];
  for (const location of ['query', 'json'] as const) {
    const schema = route[location];
    const value = options[location];
    if (!schema) continue;
    if (value === undefined) {
      if (schema.required?.length)
        issues.push({ path: location, issue: `is required (${schema.required.join(', ')})` });
      continue;
    }
    const key = `${route.method} ${route.path} ${location} ${String(mode)}`;
    const validate = ajvFor(allErrors, mode === 'strict' ? schema : lenient(schema), key);
    if (!validate(value))
      for (const error of validate.errors!) issues.push({ path: fieldPath(location, error), issue: messageOf(error) });
  }
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

const HOSTILE = fc.constantFrom<unknown>(null, 0, 1.5, -0, NaN, Infinity, '', 'x', true, [], {}, ['x'], { x: 1 });
const EXTRA_NAMES = fc.constantFrom('extra', 'mchid', 'toString', 'constructor', '', 'a.b', 'items');
const rfc3339 = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString().replace(/\.\d{3}Z$/, '+08:00'));

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const choices: fc.Arbitrary<string>[] = [fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 6 })];
  if (schema.pattern === RFC3339_PATTERN) choices.push(rfc3339, rfc3339, fc.constant('2025-01-01'));
  if (schema.pattern === VISIBLE_UTF8_PATTERN) choices.push(fc.constantFrom('line\nbreak', '\u007f', '风险解除'));
  if (schema.enum) choices.push(fc.constantFrom(...schema.enum.map(String)), fc.constant('NOT_LISTED'));
  if (schema.maxLength !== undefined) {
    const limit = schema.maxLength;
    // at the limit, one over it, and astral characters: two UTF-16 units but one code point each
    choices.push(fc.constantFrom('x'.repeat(limit), 'x'.repeat(limit + 1), '😀'.repeat(limit), '😀'.repeat(limit + 1)));
  }
  return fc.oneof(...choices);
}

/** Mostly valid values of `schema`, with hostile ones (wrong types, nulls, gaps, extra fields) at any depth. */
function bodyOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  let valid: fc.Arbitrary<unknown>;
  switch (schema.type) {
    case 'string':
      valid = stringFor(schema);
      break;
    case 'integer':
      valid = schema.enum ? fc.oneof(fc.constantFrom(...schema.enum), fc.integer()) : fc.integer();
      break;
    case 'number':
      valid = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
      break;
    case 'boolean':
      valid = fc.boolean();
      break;
    case 'array':
      valid = fc.array(schema.items ? bodyOf(schema.items) : fc.anything(), { maxLength: 3 });
      break;
    default:
      valid = objectOf(schema);
  }
  if (schema.nullable) valid = fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: HOSTILE });
}

function objectOf(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, field]) =>
    fc
      .oneof(
        { weight: required.has(name) ? 20 : 6, arbitrary: bodyOf(field).map((value) => ({ set: true, value })) },
        { weight: 4, arbitrary: fc.constant({ set: false, value: undefined }) },
        { weight: 1, arbitrary: fc.constant({ set: true, value: undefined }) },
      )
      .map((choice) => [name, choice] as const),
  );
  const extras = fc.array(fc.tuple(EXTRA_NAMES, fc.oneof(HOSTILE, fc.string({ maxLength: 4 }))), { maxLength: 1 });
  return fc.tuple(fc.tuple(...fields), extras).map(([chosen, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [name, { set, value }] of chosen) if (set) out[name] = value;
    for (const [name, value] of extra) out[name] = value;
    return out;
  });
}

/** A seeded sample of routes with a body or query schema, always including the brief's big and common ones. */
function sample(): RouteFacts[] {
  const routes = allRoutes().filter((route) => route.json || route.query);
  if (process.env.VALIDATION_DIFF_ROUTES === 'all') return routes;
  let seed = Number(process.env.VALIDATION_DIFF_SEED ?? 20261123);
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const always = new Set(['v3/applyment4sub/applyment/', 'v3/pay/transactions/jsapi']);
  const picked = routes.filter((route) => always.has(route.path) || route.path.startsWith('v3/aggracct-bc/'));
  const rest = routes.filter((route) => !picked.includes(route));
  while (picked.length < 160 && rest.length > 0) picked.push(rest.splice(next() % rest.length, 1)[0]!);
  return picked;
}

describe('the hand-written checker agrees with ajv', () => {
  const routes = sample();

  it('samples the catalog widely (and always the applyment and jsapi bodies)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(160);
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['v3/applyment4sub/applyment/', 'v3/pay/transactions/jsapi']),
    );
  });

  it('on every sampled route, in both modes: same issues, paths, messages and order', () => {
    let invalid = 0;
    let valid = 0;
    for (const route of routes) {
      const options = fc.record(
        {
          ...(route.query ? { query: bodyOf(route.query) } : {}),
          ...(route.json ? { json: bodyOf(route.json) } : {}),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(options, (given: { query?: unknown; json?: unknown }) => {
          for (const mode of [true, 'strict'] as const) {
            const ours = validateRequest(route, given, mode);
            expect({ route: route.path, mode, issues: ours }).toEqual({
              route: route.path,
              mode,
              issues: referenceIssues(route, given, mode),
            });
            if (ours.length > 0) invalid++;
            else valid++;
          }
        }),
        { seed: 7, numRuns: 25 },
      );
    }
    // the generators reach both outcomes often: the comparison is not vacuous
    expect(Math.min(valid, invalid)).toBeGreaterThan(routes.length * 5);
  });

  it("the sandbox's first issue is ajv's first error (allErrors: false)", () => {
    for (const route of routes.slice(0, 60)) {
      for (const location of ['query', 'json'] as const) {
        const schema = route[location];
        if (!schema) continue;
        const validate = ajvFor(firstError, schema, `${route.method} ${route.path} ${location} first`);
        fc.assert(
          fc.property(bodyOf(schema), (value) => {
            const [first] = checkSchema(schema, value ?? {}, 'strict');
            const ok = validate(value ?? {});
            const expected = ok
              ? undefined
              : { at: instanceAt(validate.errors![0]!), keyword: validate.errors![0]!.keyword };
            expect(first && { at: first.at, keyword: first.keyword }).toEqual(expected);
          }),
          { seed: 11, numRuns: 20 },
        );
      }
    }
  });
});
