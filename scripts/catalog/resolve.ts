import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { knownBroken } from './known-broken';

/** A schema after `$ref` and `allOf` are resolved: what the emitters read. */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'file';
  format?: string;
  description?: string;
  example?: unknown;
  enum?: Array<string | number>;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  maxLength?: number;
  visibleUtf8?: boolean;
  nullable?: boolean;
  /** The shared definition this schema came from (`Transaction.yaml#TransactionBase`): emitted as a named type. */
  refName?: string;
}

/** Facts the generator cannot turn into a schema: names the file and the pointer inside it. */
export class FactsError extends Error {
  constructor(file: string, pointer: string, problem: string) {
    super(`${file}#${pointer}: ${problem}`);
  }
}

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'file']);
const documents = new Map<string, unknown>();

export function loadYaml(file: string): unknown {
  let document = documents.get(file);
  if (document === undefined) {
    document = parse(readFileSync(file, 'utf8')) as unknown;
    documents.set(file, document);
  }
  return document;
}

/** Where a node lives: its file (absolute) and JSON pointer, for `$ref`s relative to it and for errors. */
export interface At {
  file: string;
  pointer: string;
  root: string;
}

const shown = (at: At) => relative(at.root, at.file);
const child = (at: At, key: string | number): At => ({ ...at, pointer: `${at.pointer}/${key}` });

/** `../../definitions/X.yaml#Name`, `#/Name`, `X.yaml#/A/B` -> the node and where it lives. */
export function followRef(ref: string, at: At): { node: unknown; at: At; name: string } {
  const [filepart, fragment = ''] = ref.split('#');
  const file = filepart ? resolve(dirname(at.file), filepart) : at.file;
  const keys = fragment
    .replace(/^\//, '')
    .split('/')
    .filter(Boolean)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown;
  try {
    node = loadYaml(file);
  } catch (error) {
    throw new FactsError(shown(at), at.pointer, `$ref ${ref}: ${(error as Error).message}`);
  }
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new FactsError(shown(at), at.pointer, `$ref ${ref} does not resolve (no "${key}")`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  const name = `${relative(join(at.root, 'openapi', 'definitions'), file).replace(/\.yaml$/, '')}#${keys.join('/')}`;
  return { node, at: { root: at.root, file, pointer: `/${keys.join('/')}` }, name };
}

/** True when a `$ref` points into `definitions/`: a shared shape worth a named type. */
const isShared = (file: string, root: string) =>
  relative(join(root, 'openapi', 'definitions'), file).indexOf('..') !== 0;

function normalType(raw: unknown, at: At): Schema['type'] {
  if (raw === undefined) return undefined;
  const fixed = knownBroken(shown(at), `${at.pointer}/type`, 'type', raw);
  if (typeof fixed === 'string' && TYPES.has(fixed)) return fixed as Schema['type'];
  throw new FactsError(shown(at), `${at.pointer}/type`, `unknown type ${JSON.stringify(raw)}`);
}

/**
 * Merge the parts of an `allOf` into one object schema. `allOf` means every part holds: a field two parts declare
 * gets both schemas intersected (the order-query reply's `amount` is `Amount` and `PayerAmount`: `total` and
 * `payer_total` both), and a field is required when any part requires it. The same field typed two ways is a
 * contradiction in the facts (facts/known-broken.yaml says which part wins).
 */
function mergeAllOf(parts: Schema[], at: At, description?: string, oneOf = false): Schema {
  if (parts.every((part) => part.type !== 'object' && !part.properties)) return mergeScalars(parts, at, description);
  const out: Schema = { type: 'object', properties: {}, required: [] };
  if (description) out.description = description;
  parts.forEach((part, index) => {
    if (part.type !== undefined && part.type !== 'object') {
      throw new FactsError(shown(at), `${at.pointer}/allOf/${index}`, `allOf part is ${part.type}, not an object`);
    }
    for (const [name, property] of Object.entries(part.properties ?? {})) {
      const before = out.properties![name];
      const where = { ...at, pointer: `${at.pointer}/allOf/${index}/properties/${name}` };
      if (before?.type && property.type && before.type !== property.type) {
        const fixed = knownBroken(shown(at), where.pointer, 'conflict', true);
        if (fixed !== 'first' && fixed !== 'last') {
          throw new FactsError(
            shown(at),
            where.pointer,
            `field typed ${property.type} here and ${before.type} in an earlier allOf part`,
          );
        }
        if (fixed === 'last') out.properties![name] = property;
        continue;
      }
      // oneOf alternatives are not all true at once: there the later one is kept, as the facts list them
      out.properties![name] = before && !oneOf ? intersect(before, property, where) : property;
    }
    for (const name of part.required ?? []) if (!out.required!.includes(name)) out.required!.push(name);
    if (!out.description && part.description) out.description = part.description;
  });
  if (out.required!.length === 0) delete out.required;
  return out;
}

/** Two schemas of one field, both of which hold: objects merge their fields, arrays their items, scalars narrow. */
function intersect(a: Schema, b: Schema, at: At): Schema {
  // one shared definition met twice is itself
  if (a.refName !== undefined && a.refName === b.refName) return a;
  if (a.type === 'object' || b.type === 'object' || a.properties || b.properties) {
    const merged = mergeAllOf([a, b], at, b.description ?? a.description);
    return a.nullable && b.nullable ? { ...merged, nullable: true } : merged;
  }
  if (a.type === 'array' || b.type === 'array') {
    const { refName: _a, ...left } = a;
    const { refName: _b, ...right } = b;
    const items = a.items && b.items ? intersect(a.items, b.items, at) : (a.items ?? b.items);
    return { ...left, ...right, ...(items ? { items } : {}) };
  }
  const merged = mergeScalars([a, b], at, b.description ?? a.description);
  if (a.enum?.length && b.enum?.length) {
    merged.enum = a.enum.filter((value) => b.enum!.includes(value));
    if (merged.enum.length === 0) throw new FactsError(shown(at), at.pointer, 'allOf parts allow no common value');
  }
  if (!(a.nullable && b.nullable)) delete merged.nullable;
  return merged;
}

/** `allOf` of scalar parts (an enum definition plus a description, say): one scalar schema. */
function mergeScalars(parts: Schema[], at: At, description?: string): Schema {
  const out: Schema = {};
  parts.forEach((part, index) => {
    if (out.type && part.type && out.type !== part.type) {
      throw new FactsError(shown(at), `${at.pointer}/allOf/${index}`, `typed ${part.type} here, ${out.type} before`);
    }
    const { refName: _shared, ...keywords } = part;
    Object.assign(out, keywords);
  });
  if (description) out.description = description;
  return out;
}

/** A YAML schema node -> a resolved `Schema`. `stack` holds the `$ref`s being expanded, to refuse cycles. */
export function resolveSchema(raw: unknown, at: At, stack: string[] = []): Schema {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FactsError(shown(at), at.pointer, `expected a schema object, found ${JSON.stringify(raw)}`);
  }
  const node = raw as Record<string, unknown>;
  if (typeof node.$ref === 'string') {
    const target = followRef(node.$ref, at);
    const key = `${target.at.file}#${target.at.pointer}`;
    if (stack.includes(key)) throw new FactsError(shown(at), at.pointer, `$ref ${node.$ref} refers to itself`);
    const resolved = resolveSchema(target.node, target.at, [...stack, key]);
    const named = isShared(target.at.file, at.root) ? { ...resolved, refName: target.name } : resolved;
    // keywords beside a $ref (a description, say) refine the referenced schema
    const { $ref: _ref, ...beside } = node;
    if (Object.keys(beside).length === 0) return named;
    const local = resolveSchema(beside, at, stack);
    const { refName: _dropped, ...merged } = { ...named, ...local };
    return merged;
  }
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.map((part, index) => resolveSchema(part, child(child(at, 'allOf'), index), stack));
    const { allOf: _allOf, ...rest } = node;
    if (Object.keys(rest).some((key) => key === 'properties' || key === 'required')) {
      parts.push(resolveSchema({ type: 'object', ...rest }, at, stack));
    }
    return mergeAllOf(parts, at, typeof node.description === 'string' ? node.description : undefined);
  }
  const out: Schema = {};
  const type = normalType(node.type, at);
  if (type) out.type = type;
  if (typeof node.format === 'string') out.format = node.format;
  if (typeof node.description === 'string') out.description = node.description;
  if (node.example !== undefined) out.example = node.example;
  if (Array.isArray(node.enum)) out.enum = node.enum.filter((value) => value !== null) as Array<string | number>;
  if (typeof node.maxLength === 'number') out.maxLength = node.maxLength;
  if (node.nullable === true) out.nullable = true;
  if (node.visibleUtf8 === true) out.visibleUtf8 = true;
  if (node.properties !== undefined) {
    let properties = node.properties as Record<string, unknown> | null;
    if (properties === null || typeof properties !== 'object') {
      // a known mis-indentation: the fields sit beside `properties:` instead of under it
      const siblings = knownBroken(shown(at), `${at.pointer}/properties`, 'misindented', undefined);
      if (properties !== null || (siblings !== undefined && !Array.isArray(siblings))) {
        throw new FactsError(shown(at), `${at.pointer}/properties`, 'properties is not a map');
      }
      // an empty `properties:` documents no fields: an object of unknown fields, not an error
      properties = Object.fromEntries(((siblings ?? []) as string[]).map((name) => [name, node[name]]));
    }
    out.type ??= 'object';
    out.properties = {};
    for (const [name, property] of Object.entries(properties)) {
      out.properties[name] = resolveSchema(property ?? {}, child(child(at, 'properties'), name), stack);
    }
  }
  if (Array.isArray(node.required)) out.required = node.required.filter((name) => typeof name === 'string');
  if (node.items !== undefined) {
    out.type ??= 'array';
    out.items = resolveSchema(node.items, child(at, 'items'), stack);
  }
  if (Array.isArray(node.oneOf)) {
    // oneOf in these facts lists alternative field sets; the union of their fields is what may be sent
    const parts = node.oneOf.map((part, index) => resolveSchema(part, child(child(at, 'oneOf'), index), stack));
    const merged = mergeAllOf(parts, at, undefined, true);
    delete merged.required;
    out.type ??= 'object';
    out.properties = { ...merged.properties, ...out.properties };
  }
  return out;
}
