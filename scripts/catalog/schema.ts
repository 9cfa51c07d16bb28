import { RFC3339_PATTERN, VISIBLE_UTF8_PATTERN } from '../../lib/catalog/patterns';
import type { JsonSchema } from '../../lib/catalog/route-facts';
import type { YamlParameter, YamlSchema } from './read-facts';

/** A YAML field schema -> the JSON Schema ajv checks; `format: base64` fields are collected as encrypted. */
export function toJsonSchema(schema: YamlSchema, encrypted: string[], at: string): JsonSchema {
  const out: JsonSchema = {};
  if (schema.type) out.type = schema.type as JsonSchema['type'];
  if (schema.description) out.description = schema.description;
  if (schema.enum) out.enum = schema.enum.map((value) => (schema.type === 'string' ? String(value) : value));
  if (schema.maxLength !== undefined) out.maxLength = schema.maxLength;
  if (schema.format === 'base64') encrypted.push(at);
  if (schema.format === 'rfc3339') out.pattern = RFC3339_PATTERN;
  if (schema.visibleUtf8) out.pattern = VISIBLE_UTF8_PATTERN;
  if (schema.type === 'object' && schema.properties) {
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

/** Query parameters as one object schema. */
export function queryAsSchema(parameters: YamlParameter[]): YamlSchema | undefined {
  if (parameters.length === 0) return undefined;
  const properties: Record<string, YamlSchema> = {};
  for (const { name, in: _in, $ref: _ref, schema: _schema, ...field } of parameters) properties[name!] = field;
  const required = parameters.filter((parameter) => (parameter as { required?: unknown }).required === true);
  return { type: 'object', properties, required: required.map((parameter) => parameter.name!) };
}

function literal(value: string | number, type?: string): string {
  return type === 'string' ? JSON.stringify(String(value)) : String(value);
}

function docComment(schema: YamlSchema, pad: string, encryptedNote: boolean): string {
  const parts = [schema.description, schema.maxLength ? `at most ${schema.maxLength} characters` : undefined];
  if (encryptedNote && schema.format === 'base64') parts.push('encrypted (RSA-OAEP) in transit');
  const text = parts.filter(Boolean).join('; ');
  return text ? `${pad}/** ${text} */\n` : '';
}

/** A YAML field schema -> a TypeScript type expression. */
export function toTsType(schema: YamlSchema, depth = 1, encryptedNote = true): string {
  if (schema.enum) return schema.enum.map((value) => literal(value, schema.type)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return schema.items ? `Array<${toTsType(schema.items, depth, encryptedNote)}>` : 'unknown[]';
    case 'object': {
      if (!schema.properties) return 'Record<string, unknown>';
      const pad = '  '.repeat(depth);
      const required = new Set(schema.required ?? []);
      const lines = Object.entries(schema.properties).map(
        ([name, property]) =>
          `${docComment(property, pad, encryptedNote)}${pad}${name}${required.has(name) ? '' : '?'}: ${toTsType(property, depth + 1, encryptedNote)};`,
      );
      return `{\n${lines.join('\n')}\n${'  '.repeat(depth - 1)}}`;
    }
    default:
      return 'unknown';
  }
}

/** `control-orders/{out_request_no}` -> `ControlOrdersByOutRequestNo` */
export function pascal(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const template = /^\{(.+)\}$/.exec(segment);
      const words = (template ? `by_${template[1]}` : segment).split(/[-_]/);
      return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
    })
    .join('');
}

/** `aggracct-bc` -> `aggracctBc` (the inverse of the chain's segment rule); `mch_archives` stays. */
export function camel(segment: string): string {
  return segment.replace(/-([a-z0-9])/g, (_whole, ch: string) => ch.toUpperCase());
}
