import type { JsonSchema } from './route-facts';
import { nodeFor, type CheckMode, type Node } from './schema-node';

export { prepareSchema, SUPPORTED_KEYWORDS, type CheckMode } from './schema-node';

/**
 * A hand-written checker for the catalog's JSON Schema subset: no compiler, no `new Function` (so it runs on
 * Cloudflare Workers), nothing to load. It reports what ajv (`allErrors`, `strict`) reports, in ajv's order, so a
 * first issue is ajv's first error too (spec/catalog/validation-differential.spec.ts holds it to that).
 */
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
      report(issues, 'pattern', { pattern: node.patternSource });
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
  const { required } = node;
  if (required !== undefined) {
    for (let index = 0; index < required.length; index++) {
      if (value[required[index]!] === undefined) report(issues, 'required', { field: required[index] });
    }
  }
  if (node.known !== undefined) {
    // for-in like ajv: inherited enumerable fields are unknown fields too
    for (const field in value) if (!node.known.has(field)) report(issues, 'additionalProperties', { field });
  }
  const { names, children } = node;
  if (names !== undefined) {
    for (let index = 0; index < names.length; index++) {
      const field = names[index]!;
      const inner = value[field];
      if (inner === undefined) continue;
      trail.push(field);
      walk(children![index]!, inner, issues);
      trail.pop();
    }
  }
}

/** The same rules as `walk`, answering only whether any issue exists: the common (valid) case pays no trail. */
function isValid(node: Node, value: unknown): boolean {
  const { type } = node;
  if (type !== undefined && !hasType(type, value) && !(node.nullable && value === null)) return false;
  if (node.enumValues !== undefined && !node.enumValues.includes(value as string | number)) return false;
  if (typeof value === 'string') {
    if (node.maxLength !== undefined && value.length > node.maxLength && codePoints(value) > node.maxLength) {
      return false;
    }
    return node.pattern === undefined || node.pattern.test(value);
  }
  if (Array.isArray(value)) {
    const { items } = node;
    if (items !== undefined)
      for (let index = 0; index < value.length; index++) if (!isValid(items, value[index])) return false;
    return true;
  }
  if (!isObject(value)) return true;
  const { requiredElsewhere, known, names, children, namesRequired } = node;
  if (requiredElsewhere !== undefined) {
    for (let index = 0; index < requiredElsewhere.length; index++) {
      if (value[requiredElsewhere[index]!] === undefined) return false;
    }
  }
  if (known !== undefined) for (const field in value) if (!known.has(field)) return false;
  if (names !== undefined) {
    for (let index = 0; index < names.length; index++) {
      const inner = value[names[index]!];
      if (inner === undefined) {
        if (namesRequired![index]) return false;
      } else if (!isValid(children![index]!, inner)) return false;
    }
  }
  return true;
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
  if (isValid(node, value)) return issues;
  trail.length = 0;
  walk(node, value, issues);
  return issues;
}
