import { RFC3339_PATTERN, VISIBLE_UTF8_PATTERN } from '../../lib/catalog/patterns';
import type { JsonSchema } from '../../lib/catalog/route-facts';
import type { Schema } from './resolve';

/**
 * A resolved schema -> the JSON Schema the run-time checker walks, in its strict form (unknown fields and enum values
 * refused; lib/catalog/schema-node.ts derives the lenient default from it). `format: base64` fields are collected as
 * encrypted, as dotted paths with `[]` for array items: `contact_info.contact_name`, `items[].id_card`.
 */
export function toJsonSchema(schema: Schema, encrypted: string[], at: string): JsonSchema {
  const out: JsonSchema = {};
  if (schema.type && schema.type !== 'file') out.type = schema.type;
  if (schema.enum?.length) out.enum = schema.enum.map((value) => (schema.type === 'string' ? String(value) : value));
  if (schema.maxLength !== undefined && schema.type === 'string') out.maxLength = schema.maxLength;
  if (schema.nullable && out.type) out.nullable = true;
  if (schema.format === 'base64') encrypted.push(at);
  if (schema.format === 'rfc3339' && schema.type === 'string') out.pattern = RFC3339_PATTERN;
  if (schema.visibleUtf8) out.pattern = VISIBLE_UTF8_PATTERN;
  if (schema.properties) {
    out.properties = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      out.properties[name] = toJsonSchema(property, encrypted, at ? `${at}.${name}` : name);
    }
    const required = (schema.required ?? []).filter((name) => name in schema.properties!);
    if (required.length > 0) out.required = required;
    out.additionalProperties = false;
  }
  if (schema.type === 'array' && schema.items) out.items = toJsonSchema(schema.items, encrypted, `${at}[]`);
  return out;
}

function literal(value: string | number, type?: string): string {
  return type === 'string' || typeof value === 'string' ? JSON.stringify(String(value)) : String(value);
}

function docComment(schema: Schema, pad: string, encryptedNote: boolean): string {
  const parts = [schema.description, schema.maxLength ? `at most ${schema.maxLength} characters` : undefined];
  if (encryptedNote && schema.format === 'base64') parts.push('encrypted (RSA-OAEP) in transit');
  const text = parts
    .filter(Boolean)
    .join('; ')
    .replace(/\*\//g, '*\\/')
    .replace(/\s*\n\s*/g, ' ');
  return text ? `${pad}/** ${text} */\n` : '';
}

const quote = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** Shared definitions met while typing: `Transaction#TransactionBase` -> its interface name and schema. */
export class SharedTypes {
  readonly byRef = new Map<string, { name: string; schema: Schema }>();
  private readonly taken = new Set<string>();

  nameOf(schema: Schema): string {
    const ref = schema.refName!;
    let entry = this.byRef.get(ref);
    if (!entry) {
      const stem = `Shared${pascal(ref.replace(/#/g, '/').replace(/[^A-Za-z0-9/_-]+/g, '_'))}`;
      let name = stem;
      for (let n = 2; this.taken.has(name); n += 1) name = `${stem}${n}`;
      this.taken.add(name);
      entry = { name, schema };
      this.byRef.set(ref, entry);
    }
    return entry.name;
  }

  /** The declarations of every shared definition met so far (and those they meet in turn). */
  emit(): string[] {
    const out: string[] = [];
    const done = new Set<string>();
    for (let again = true; again;) {
      again = false;
      for (const [ref, { name, schema }] of [...this.byRef]) {
        if (done.has(ref)) continue;
        done.add(ref);
        again = true;
        const body = toTsType({ ...schema, refName: undefined }, this, 1, true);
        out.push(body.startsWith('{') ? `export interface ${name} ${body}` : `export type ${name} = ${body};`);
      }
    }
    return out.sort();
  }
}

export interface TsOptions {
  /** Fields left optional whatever the facts say (APIv2 fields the client fills in). */
  optional?: ReadonlySet<string>;
  /**
   * APIv2 XML carries text only: a request number may be given as text too, and every reply value is read back
   * as a string (`Transformer.toObject` types nothing), so reply types must not promise numbers.
   */
  xml?: 'request' | 'response';
}

/** A resolved schema -> a TypeScript type expression; shared definitions become named types. */
export function toTsType(
  schema: Schema,
  shared: SharedTypes,
  depth = 1,
  encryptedNote = true,
  options: TsOptions = {},
): string {
  if (schema.refName && !options.xml) return shared.nameOf(schema);
  const inner: TsOptions = options.xml ? { xml: options.xml } : {};
  if (options.xml === 'response' && schema.type !== 'object' && schema.type !== 'array') {
    return schema.enum?.length
      ? [...new Set(schema.enum.map((value) => JSON.stringify(String(value))))].join(' | ')
      : 'string';
  }
  if (schema.enum?.length) return [...new Set(schema.enum.map((value) => literal(value, schema.type)))].join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return options.xml === 'request' ? 'number | string' : 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return schema.items ? `Array<${toTsType(schema.items, shared, depth, encryptedNote, inner)}>` : 'unknown[]';
    case 'object': {
      if (!schema.properties || Object.keys(schema.properties).length === 0) return 'Record<string, unknown>';
      const pad = '  '.repeat(depth);
      const required = new Set(schema.required ?? []);
      const lines = Object.entries(schema.properties).map(([name, property]) => {
        const optional = !required.has(name) || options.optional?.has(name);
        const type = toTsType(property, shared, depth + 1, encryptedNote, inner);
        return `${docComment(property, pad, encryptedNote)}${pad}${quote(name)}${optional ? '?' : ''}: ${type};`;
      });
      return `{\n${lines.join('\n')}\n${'  '.repeat(depth - 1)}}`;
    }
    default:
      return 'unknown';
  }
}

/** `control-orders/{out_request_no}` -> `ControlOrdersByOutRequestNo`; an empty (trailing-slash) segment -> `Slash`. */
export function pascal(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (segment === '') return 'Slash';
      const template = /^\{(.+)\}$/.exec(segment);
      const words = (template ? `by_${template[1]}` : segment).split(/[^A-Za-z0-9]+/);
      return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
    })
    .join('');
}

/** `aggracct-bc` -> `aggracctBc` (the inverse of the chain's segment rule); `mch_archives` stays. */
export function camel(segment: string): string {
  return segment.replace(/-([a-z0-9])/g, (_whole, ch: string) => ch.toUpperCase());
}
