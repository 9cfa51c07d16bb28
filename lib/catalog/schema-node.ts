import { RFC3339_PATTERN } from './patterns';
import type { JsonSchema } from './route-facts';

/** `true`: the lenient view (no unknown-field, enum or RFC 3339 checks); `'strict'`: the schema as generated. */
export type CheckMode = true | 'strict';

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
export interface Node {
  readonly type: JsonSchema['type'];
  readonly nullable: boolean;
  /** ajv checks a single type inside its keyword group (after `enum`) when the group has keywords; else first. */
  readonly typeInGroup: boolean;
  readonly enumValues?: ReadonlyArray<string | number>;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  /** As the schema writes it (`RegExp#source` may escape it differently): messages look it up. */
  readonly patternSource?: string;
  readonly required?: readonly string[];
  /** The schema's properties as parallel arrays: indexed loops, no tuple per field. */
  readonly names?: readonly string[];
  readonly children?: readonly Node[];
  /**
   * Parallel to `names`: whether the field is required. The yes/no check reads each field once for both questions
   * (a read by a changing name is a generic lookup, most of a valid body's cost); `requiredElsewhere` holds the
   * required names that are not properties.
   */
  readonly namesRequired?: readonly boolean[];
  readonly requiredElsewhere?: readonly string[];
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
  const names = schema.properties ? Object.keys(schema.properties) : undefined;
  const children = names?.map((name) => compile(schema.properties![name]!, mode, `${at}.${name}`));
  const known =
    strict && schema.additionalProperties === false ? new Set(Object.keys(schema.properties ?? {})) : undefined;
  const items = schema.items ? compile(schema.items, mode, `${at}[]`) : undefined;
  const required = schema.required?.length ? schema.required : undefined;
  const requiredElsewhere = required?.filter((name) => !names?.includes(name));
  const groupHasKeywords =
    schema.type === 'string'
      ? schema.maxLength !== undefined || pattern
      : schema.type === 'object'
        ? names !== undefined || schema.required !== undefined || known !== undefined
        : schema.type === 'array' && items !== undefined;
  return {
    type: schema.type,
    nullable: schema.nullable === true,
    typeInGroup: schema.nullable !== true && groupHasKeywords,
    enumValues: strict ? schema.enum : undefined,
    maxLength: schema.maxLength,
    pattern: pattern ? regexpOf(schema.pattern!) : undefined,
    patternSource: pattern ? schema.pattern : undefined,
    required,
    names,
    children,
    namesRequired: names?.map((name) => required?.includes(name) === true),
    requiredElsewhere: requiredElsewhere?.length ? requiredElsewhere : undefined,
    known,
    items,
  };
}

const prepared = { lenient: new WeakMap<JsonSchema, Node>(), strict: new WeakMap<JsonSchema, Node>() };

export function nodeFor(schema: JsonSchema, mode: CheckMode): Node {
  const cache = mode === 'strict' ? prepared.strict : prepared.lenient;
  let node = cache.get(schema);
  if (node === undefined) cache.set(schema, (node = compile(schema, mode, '')));
  return node;
}

/** Prepare a schema for checking now (and fail on an unsupported keyword) rather than on first use. */
export function prepareSchema(schema: JsonSchema, mode: CheckMode): void {
  nodeFor(schema, mode);
}
