import { RFC3339_PATTERN } from './patterns';
import type { JsonSchema } from './route-facts';

/**
 * A hand-written checker for the catalog's JSON Schema subset: no compiler, no `new Function` (so it runs on
 * Cloudflare Workers), nothing to load. It reports what ajv (`allErrors`, `strict`) reports, in ajv's order, so a
 * first issue is ajv's first error too (spec/catalog/validation-differential.spec.ts holds it to that).
 */
export type CheckMode = true | 'strict';

export type SchemaKeyword = 'type' | 'required' | 'additionalProperties' | 'enum' | 'maxLength' | 'pattern';

export interface SchemaIssue {
  /** Dotted path below the checked value, '' at its root; array items by index (`items.0.id`). */
  readonly at: string;
  readonly keyword: SchemaKeyword;
  /** `required`: the missing field; `additionalProperties`: the unknown one. */
  readonly field?: string;
  /** `type`: the type the schema states. */
  readonly type?: string;
  readonly allowed?: ReadonlyArray<string | number>;
  /** `maxLength`: the limit, in Unicode code points. */
  readonly limit?: number;
  /** `pattern`: the pattern's source. */
  readonly pattern?: string;
}

/** Every keyword the generator writes; any other fails `compile` (and a spec), never passes unchecked. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'maxLength',
  'pattern',
  'nullable',
  'description',
]);

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** One schema node prepared for checking in one mode: regexps built, the lenient view applied, once. */
interface Node {
  readonly type: JsonSchema['type'];
  readonly nullable: boolean;
  /** ajv checks a single type inside its keyword group (after `enum`) when the group has keywords; else first. */
  readonly typeInGroup: boolean;
  readonly enumValues?: ReadonlyArray<string | number>;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  readonly required?: readonly string[];
  readonly properties?: ReadonlyArray<readonly [string, Node]>;
  /** Present when unknown fields are refused. */
  readonly known?: ReadonlySet<string>;
  readonly items?: Node;
}

const regexps = new Map<string, RegExp>();

function regexpOf(source: string): RegExp {
  let regexp = regexps.get(source);
  if (regexp === undefined) regexps.set(source, (regexp = new RegExp(source, 'u')));
  return regexp;
}

function compile(schema: JsonSchema, mode: CheckMode, at: string): Node {
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) throw new Error(`schema keyword "${keyword}" at "${at}" is not supported`);
  }
  if (schema.type !== undefined && !TYPES.has(schema.type)) {
    throw new Error(`schema type "${String(schema.type)}" at "${at}" is not supported`);
  }
  const strict = mode === 'strict';
  const pattern = schema.pattern !== undefined && (strict || schema.pattern !== RFC3339_PATTERN);
  const properties = schema.properties
    ? Object.entries(schema.properties).map(([name, field]) => [name, compile(field, mode, `${at}.${name}`)] as const)
    : undefined;
  const known =
    strict && schema.additionalProperties === false ? new Set(Object.keys(schema.properties ?? {})) : undefined;
  const items = schema.items ? compile(schema.items, mode, `${at}[]`) : undefined;
  const groupHasKeywords =
    schema.type === 'string'
      ? schema.maxLength !== undefined || pattern
      : schema.type === 'object'
        ? properties !== undefined || schema.required !== undefined || known !== undefined
        : schema.type === 'array' && items !== undefined;
  return {
    type: schema.type,
    nullable: schema.nullable === true,
    typeInGroup: schema.nullable !== true && groupHasKeywords,
    enumValues: strict ? schema.enum : undefined,
    maxLength: schema.maxLength,
    pattern: pattern ? regexpOf(schema.pattern!) : undefined,
    required: schema.required?.length ? schema.required : undefined,
    properties,
    known,
    items,
  };
}

const prepared = { lenient: new WeakMap<JsonSchema, Node>(), strict: new WeakMap<JsonSchema, Node>() };

function nodeFor(schema: JsonSchema, mode: CheckMode): Node {
  const cache = mode === 'strict' ? prepared.strict : prepared.lenient;
  let node = cache.get(schema);
  if (node === undefined) cache.set(schema, (node = compile(schema, mode, '')));
  return node;
}

/** Prepare a schema for checking now (and fail on an unsupported keyword) rather than on first use. */
export function prepareSchema(schema: JsonSchema, mode: CheckMode): void {
  nodeFor(schema, mode);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** ajv's JSON types with `strictNumbers`: NaN and Infinity are no numbers. */
function hasType(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** Length in Unicode code points (a surrogate pair counts once), like ajv's `ucs2length`. */
function codePoints(text: string): number {
  let count = 0;
  for (let at = 0; at < text.length; at++, count++) {
    const unit = text.charCodeAt(at);
    if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length) {
      if ((text.charCodeAt(at + 1) & 0xfc00) === 0xdc00) at++;
    }
  }
  return count;
}

/** Where the walk is: pushed and popped, joined only when an issue is found (no allocation on valid input). */
const trail: Array<string | number> = [];

function report(issues: SchemaIssue[], keyword: SchemaKeyword, extra: Omit<SchemaIssue, 'at' | 'keyword'>): void {
  issues.push({ at: trail.join('.'), keyword, ...extra });
}

function walk(node: Node, value: unknown, issues: SchemaIssue[]): void {
  const { type } = node;
  if (type !== undefined && !node.typeInGroup && !hasType(type, value) && !(node.nullable && value === null)) {
    report(issues, 'type', { type });
  }
  if (node.enumValues !== undefined && !node.enumValues.includes(value as string | number)) {
    report(issues, 'enum', { allowed: node.enumValues });
  }
  if (typeof value === 'string') {
    if (node.maxLength !== undefined && value.length > node.maxLength && codePoints(value) > node.maxLength) {
      report(issues, 'maxLength', { limit: node.maxLength });
    }
    if (node.pattern !== undefined && !node.pattern.test(value)) {
      report(issues, 'pattern', { pattern: node.pattern.source });
    }
  } else if (isObject(value)) {
    walkObject(node, value, issues);
  } else if (Array.isArray(value)) {
    if (node.items !== undefined) {
      for (let index = 0; index < value.length; index++) {
        trail.push(index);
        walk(node.items, value[index], issues);
        trail.pop();
      }
    }
  }
  if (node.typeInGroup && !hasType(type!, value)) report(issues, 'type', { type });
}

function walkObject(node: Node, value: Record<string, unknown>, issues: SchemaIssue[]): void {
  if (node.required !== undefined) {
    for (const field of node.required) if (value[field] === undefined) report(issues, 'required', { field });
  }
  if (node.known !== undefined) {
    // for-in like ajv: inherited enumerable fields are unknown fields too
    for (const field in value) if (!node.known.has(field)) report(issues, 'additionalProperties', { field });
  }
  if (node.properties !== undefined) {
    for (const [field, child] of node.properties) {
      const inner = value[field];
      if (inner === undefined) continue;
      trail.push(field);
      walk(child, inner, issues);
      trail.pop();
    }
  }
}

/**
 * Check `value` against a catalog schema. `true` (lenient) skips unknown fields, unlisted enum values and the
 * community facts' RFC 3339 pattern; `'strict'` checks them. Appends to `issues` and returns it.
 */
export function checkSchema(
  schema: JsonSchema,
  value: unknown,
  mode: CheckMode,
  issues: SchemaIssue[] = [],
): SchemaIssue[] {
  const node = nodeFor(schema, mode);
  trail.length = 0;
  walk(node, value, issues);
  return issues;
}
