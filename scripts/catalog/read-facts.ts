import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { FactsError, followRef, loadYaml, resolveSchema, type At, type Schema } from './resolve';

export type { Schema } from './resolve';
/** The older name of a resolved schema, kept for the emitters. */
export type YamlSchema = Schema;

export interface Parameter {
  name: string;
  required: boolean;
  schema: Schema;
  description?: string;
}

export interface RouteModel {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `v3/aggracct-bc/wb-channel/control-orders/recover`; a trailing `/` for the facts' `{empty}.yaml`. */
  path: string;
  /** The lazily loaded runtime module it lives in: `v3/pay`, `v2/pay`, `v3/certificates`. */
  family: string;
  file: string;
  tag: string;
  summary: string;
  description: string;
  updatedAt: string;
  /** APIv2: an XML body (`xml` option) instead of JSON. */
  v2: boolean;
  serialHeader: boolean;
  pathParams: Parameter[];
  /** Query parameters as one object schema. */
  query?: Schema;
  headerParams: Parameter[];
  body?: Schema;
  /** A multipart media upload (`in: formData` parameters). */
  media: boolean;
  response?: Schema;
  distinct: string[][];
  source?: string;
  /** Optional fields the official page shows, which the examples include too. */
  exampleFields: Set<string>;
  /** The route whose types this one shares (the same operation at another path): see markTwins. */
  typedAs?: Pick<RouteModel, 'method' | 'path'>;
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete']);

function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listYaml(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((file) => file.endsWith('.yaml'))
    .sort();
}

/** `openapi/v3/applyment4sub/applyment/{empty}.yaml` -> `v3/applyment4sub/applyment/` */
export function pathOf(openapiDir: string, file: string): string {
  return relative(openapiDir, file)
    .replace(/\.yaml$/, '')
    .replace(/__/g, '/')
    .replace(/\{empty\}$/, '');
}

export function familyOf(path: string): string {
  const [version, first] = path.split('/');
  return `${version}/${first}`;
}

function parameterOf(raw: unknown, at: At): { parameter: Record<string, unknown>; at: At } {
  const node = raw as Record<string, unknown>;
  if (typeof node?.$ref === 'string') {
    const target = followRef(node.$ref, at);
    return parameterOf(target.node, target.at);
  }
  return { parameter: node, at };
}

interface Operation {
  'x-last-updated-at'?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  tag?: string;
  parameters?: unknown[];
  responses?: Record<string, { schema?: unknown } | null>;
}

function readOperation(root: string, file: string, verb: string, operation: Operation): RouteModel {
  const openapiDir = join(root, 'openapi');
  const path = pathOf(openapiDir, file);
  const at: At = { root, file, pointer: `/${verb}` };
  const model: RouteModel = {
    method: verb.toUpperCase() as RouteModel['method'],
    path,
    family: familyOf(path),
    file: relative(root, file),
    tag: String(operation.tags?.[0] ?? operation.tag ?? 'untagged').trim(),
    summary: (operation.summary ?? '').trim(),
    description: (operation.description ?? '').trim(),
    updatedAt: String(operation['x-last-updated-at'] ?? ''),
    v2: path.startsWith('v2/'),
    serialHeader: false,
    pathParams: [],
    headerParams: [],
    media: false,
    distinct: [],
    exampleFields: new Set(),
  };
  const query: Schema = { type: 'object', properties: {}, required: [] };
  (operation.parameters ?? []).forEach((raw, index) => {
    const { parameter, at: where } = parameterOf(raw, { ...at, pointer: `/${verb}/parameters/${index}` });
    const name = String(parameter.name);
    // `require: true` is the facts' typo of `required: true` (the 13 query parameters of hk/v3/refunds*.yaml)
    const { name: _n, in: _in, required: written, require: typo, schema: inner, description, ...field } = parameter;
    const required = written ?? typo;
    const schemaAt = inner ? { ...where, pointer: `${where.pointer}/schema` } : where;
    switch (parameter.in) {
      case 'body':
        model.body = resolveSchema(inner ?? field, schemaAt);
        return;
      case 'formData':
        model.media = true;
        return;
      case 'header':
        if (name.toLowerCase() === 'wechatpay-serial') model.serialHeader = true;
        else model.headerParams.push({ name, required: required === true, schema: { type: 'string' } });
        return;
    }
    const schema = resolveSchema(inner ?? field, schemaAt);
    if (typeof description === 'string') schema.description ??= description;
    if (parameter.in === 'path') {
      model.pathParams.push({ name, required: true, schema });
    } else if (parameter.in === 'query') {
      query.properties![name] = schema;
      if (required === true) query.required!.push(name);
    } else {
      throw new FactsError(model.file, where.pointer, `parameter ${name} is in ${String(parameter.in)}`);
    }
  });
  if (Object.keys(query.properties!).length > 0) model.query = query;
  const [, reply] =
    Object.entries(operation.responses ?? {}).find(([status, reply]) => /^2\d\d$/.test(status) && reply?.schema) ?? [];
  if (reply?.schema) {
    const status = Object.keys(operation.responses!).find((code) => operation.responses![code] === reply);
    model.response = resolveSchema(reply.schema, { ...at, pointer: `/${verb}/responses/${status}/schema` });
  }
  return model;
}

/**
 * Where the facts live under facts/openapi/, each its own wire path prefix: `hk/v3/...` is sent as `/hk/v3/...`
 * (WeChat Pay's Hong Kong wallet, on apihk.mch.weixin.qq.com and api.mch.weixin.qq.com alike) and `global/v3/...`
 * as `/global/v3/...` (the cross-border customs calls before 2022-09-08, on apihk.mch.weixin.qq.com).
 */
export const FACT_ROOTS = ['v3', 'v2', 'hk', 'global'] as const;

/** Every operation under facts/openapi/{v3,v2,hk,global}, sorted by path then method. */
export function readFacts(factsDir: string): RouteModel[] {
  const routes: RouteModel[] = [];
  for (const version of FACT_ROOTS) {
    for (const file of listYaml(join(factsDir, 'openapi', version))) {
      const document = loadYaml(file) as Record<string, Operation>;
      for (const [verb, operation] of Object.entries(document ?? {})) {
        if (!VERBS.has(verb)) continue;
        routes.push(readOperation(factsDir, file, verb, operation));
      }
    }
  }
  return routes.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1));
}

/** What a reply's facts get wrong about which fields WeChat Pay always sends, by nesting level. */
interface ReplyPatch {
  /** Replaces the level's required list: only what the official page marks 必填 for the reply. */
  required?: string[];
  /** A scalar field the facts leave out of the reply (with its description): added. */
  type?: 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, ReplyPatch>;
}

interface Override {
  source?: string;
  json?: { required?: string[]; properties?: Record<string, Schema> };
  query?: { properties?: Record<string, Schema> };
  response?: ReplyPatch;
  distinct?: string[][];
}

/**
 * Apply `patch` to a reply schema in place. A patched level stops being a shared definition (its `refName` goes):
 * the change is this operation's, and the shared type other operations name stays as the facts give it.
 */
function patchReply(schema: Schema, patch: ReplyPatch, where: string): void {
  const level = schema.type === 'array' && schema.items ? schema.items : schema;
  if (patch.required) {
    const unknown = patch.required.filter((name) => !level.properties?.[name]);
    if (unknown.length > 0) throw new Error(`overrides.yaml: ${where} has no field ${unknown.join(', ')}`);
    level.required = patch.required;
  }
  for (const [name, inner] of Object.entries(patch.properties ?? {})) {
    const property =
      level.properties?.[name] ?? (inner.type ? { type: inner.type, description: inner.description } : undefined);
    if (!property) throw new Error(`overrides.yaml: ${where} has no field ${name}`);
    const { refName: _shared, ...own } = property;
    const copy: Schema = { ...own, ...(own.properties ? { properties: { ...own.properties } } : {}) };
    if (copy.items) {
      const { refName: _item, ...item } = copy.items;
      copy.items = { ...item, ...(item.properties ? { properties: { ...item.properties } } : {}) };
    }
    level.properties![name] = copy;
    patchReply(copy, inner, `${where}.${name}`);
  }
}

/** The official pages win where they disagree with the facts. */
export function applyOverrides(routes: RouteModel[], factsDir: string): RouteModel[] {
  const overrides = parse(readFileSync(join(factsDir, 'overrides.yaml'), 'utf8')) as Record<string, Override>;
  for (const [key, override] of Object.entries(overrides)) {
    const route = routes.find((candidate) => `${candidate.method} /${candidate.path}` === key);
    if (!route) throw new Error(`overrides.yaml names ${key}, which is not in the facts`);
    route.source = override.source;
    route.distinct = override.distinct ?? [];
    route.exampleFields = new Set([
      ...Object.keys(override.json?.properties ?? {}),
      ...Object.keys(override.query?.properties ?? {}),
    ]);
    if (override.json && route.body) {
      if (override.json.required) route.body.required = override.json.required;
      for (const [name, patch] of Object.entries(override.json.properties ?? {})) {
        const property = route.body.properties?.[name];
        if (!property) throw new Error(`overrides.yaml: ${key} has no json field ${name}`);
        Object.assign(property, patch);
      }
    }
    if (override.response) {
      if (!route.response) throw new Error(`overrides.yaml: ${key} has no reply schema`);
      const { refName: _shared, ...reply } = route.response;
      route.response = { ...reply, properties: { ...reply.properties } };
      patchReply(route.response, override.response, `${key} reply`);
    }
    for (const [name, patch] of Object.entries(override.query?.properties ?? {})) {
      const property = route.query?.properties?.[name];
      if (!property) throw new Error(`overrides.yaml: ${key} has no query field ${name}`);
      Object.assign(property, patch);
    }
  }
  return routes;
}

/**
 * `global/v3/customs/orders` is the same operation as `v3/global/customs/orders` before WeChat Pay moved it on
 * 2022-09-08 (the facts give both the same fields): such a route is typed once, by the newer route's types.
 */
export function markTwins(routes: RouteModel[]): RouteModel[] {
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const shape = (model: RouteModel) =>
    JSON.stringify([model.pathParams, model.query, model.body, model.response, model.media, model.headerParams]);
  for (const route of routes) {
    if (!route.path.startsWith('global/v3/')) continue;
    const twin = byKey.get(`${route.method} v3/global/${route.path.slice('global/v3/'.length)}`);
    if (twin && shape(twin) === shape(route)) route.typedAs = { method: twin.method, path: twin.path };
  }
  return routes;
}

export type ErrorRow = [number, string, string, string];

export function readErrors(factsDir: string): Record<string, ErrorRow[]> {
  return parse(readFileSync(join(factsDir, 'errors.yaml'), 'utf8')) as Record<string, ErrorRow[]>;
}
