import { createHash } from 'node:crypto';

/**
 * A reply built from an operation's response schema, for operations the sandbox has no rules for: valid against
 * the schema, and the same for the same request (so tests can rely on it). Values come, in order, from the
 * request (a reply field named like a request field echoes it), the facts' `example`, the first `enum` value,
 * and otherwise a value derived from a hash of the request and the field's path.
 */
export interface ReplySchema {
  type?: string | string[];
  properties?: Record<string, ReplySchema>;
  required?: string[];
  items?: ReplySchema;
  enum?: unknown[];
  example?: unknown;
  format?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  allOf?: ReplySchema[];
}

const FIXED_TIME = '2026-01-01T00:00:00+08:00';

function typeOf(schema: ReplySchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** `allOf` members merged into one schema (the facts use it to compose shared definitions). */
export function flatten(schema: ReplySchema): ReplySchema {
  if (!schema.allOf) return schema;
  const merged: ReplySchema = {
    ...schema,
    allOf: undefined,
    properties: { ...schema.properties },
    required: [...(schema.required ?? [])],
  };
  for (const part of schema.allOf.map(flatten)) {
    Object.assign(merged.properties!, part.properties);
    merged.required!.push(...(part.required ?? []));
    merged.type ??= part.type;
    merged.items ??= part.items;
    merged.enum ??= part.enum;
    merged.example ??= part.example;
    merged.format ??= part.format;
    merged.maxLength ??= part.maxLength;
  }
  return merged;
}

function fits(schema: ReplySchema, value: unknown): boolean {
  const type = typeOf(schema);
  if (schema.enum && !schema.enum.includes(value)) return false;
  switch (type) {
    case 'string':
      return typeof value === 'string' && (schema.maxLength === undefined || [...value].length <= schema.maxLength);
    case 'integer':
    case 'number':
      return (
        typeof value === 'number' &&
        (type === 'number' || Number.isInteger(value)) &&
        (schema.minimum === undefined || value >= schema.minimum) &&
        (schema.maximum === undefined || value <= schema.maximum)
      );
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false; // objects and arrays are built, never echoed
  }
}

function derived(schema: ReplySchema, seed: string, path: string): unknown {
  const digest = createHash('sha256').update(`${seed}\n${path}`).digest('hex');
  switch (typeOf(schema)) {
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? 1;
      const high = schema.maximum ?? low + 9999;
      return low + (parseInt(digest.slice(0, 8), 16) % (high - low + 1));
    }
    case 'boolean':
      return parseInt(digest[0]!, 16) % 2 === 0;
    default: {
      if (schema.format === 'rfc3339' || schema.format === 'date-time') return FIXED_TIME;
      const size = Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 32, 32));
      return digest.repeat(2).slice(0, size);
    }
  }
}

function build(
  schema: ReplySchema,
  request: Record<string, unknown>,
  seed: string,
  path: string,
  depth: number,
): unknown {
  const flat = flatten(schema);
  const type = typeOf(flat);
  if (type === 'object') {
    const result: Record<string, unknown> = {};
    if (depth > 8) return result; // recursive definitions stop here
    for (const [name, property] of Object.entries(flat.properties ?? {})) {
      const required = flat.required?.includes(name) ?? false;
      // optional fields appear when the facts give an example for them: a fuller, still valid reply
      if (!required && flatten(property).example === undefined && request[name] === undefined) continue;
      result[name] = build(property, request, seed, `${path}.${name}`, depth + 1);
    }
    return result;
  }
  if (type === 'array') return flat.items ? [build(flat.items, {}, seed, `${path}[0]`, depth + 1)] : [];
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (depth === 1 && fits(flat, request[name])) return request[name];
  if (flat.example !== undefined && fits(flat, flat.example)) return flat.example;
  if (flat.enum && flat.enum.length > 0) return flat.enum[0];
  return derived(flat, seed, path);
}

/** The reply for `request` (query, path variables and body, merged): deterministic, schema-valid. */
export function exampleReply(schema: ReplySchema, request: Record<string, unknown>, seed: string): unknown {
  return build(schema, request, seed, '$', 0);
}
