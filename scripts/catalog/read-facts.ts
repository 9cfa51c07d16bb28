import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export interface YamlSchema {
  type?: string;
  format?: string;
  description?: string;
  example?: unknown;
  enum?: Array<string | number>;
  required?: string[];
  properties?: Record<string, YamlSchema>;
  items?: YamlSchema;
  maxLength?: number;
  visibleUtf8?: boolean;
}

export interface YamlParameter extends YamlSchema {
  $ref?: string;
  name?: string;
  in?: 'path' | 'query' | 'body' | 'header';
  schema?: YamlSchema;
}

export interface RouteModel {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `v3/aggracct-bc/wb-channel/control-orders/recover` */
  path: string;
  file: string;
  summary: string;
  description: string;
  updatedAt: string;
  serialHeader: boolean;
  pathParams: YamlParameter[];
  queryParams: YamlParameter[];
  body?: YamlSchema;
  response?: YamlSchema;
  distinct: string[][];
  source?: string;
  /** Optional fields the official page shows, which the examples include too. */
  exampleFields: Set<string>;
}

interface Operation {
  'x-last-updated-at'?: string;
  summary?: string;
  description?: string;
  parameters?: YamlParameter[];
  responses?: Record<string, { schema?: YamlSchema }>;
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listYaml(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((file) => file.endsWith('.yaml'))
    .sort();
}

/** `openapi/v3/aggracct-bc/wb-channel/control-orders__recover.yaml` -> `v3/aggracct-bc/wb-channel/control-orders/recover` */
function pathOf(openapiDir: string, file: string): string {
  return relative(openapiDir, file)
    .replace(/\.yaml$/, '')
    .replace(/__/g, '/');
}

export function readFacts(factsDir: string): RouteModel[] {
  const openapiDir = join(factsDir, 'openapi');
  const routes: RouteModel[] = [];
  for (const file of listYaml(openapiDir)) {
    const document = parse(readFileSync(file, 'utf8')) as Record<string, Operation>;
    for (const [verb, operation] of Object.entries(document)) {
      const parameters = operation.parameters ?? [];
      routes.push({
        method: verb.toUpperCase() as RouteModel['method'],
        path: pathOf(openapiDir, file),
        file: relative(factsDir, file),
        summary: operation.summary ?? '',
        description: operation.description ?? '',
        updatedAt: operation['x-last-updated-at'] ?? '',
        serialHeader: parameters.some((parameter) => parameter.$ref?.endsWith('#/HTTP_WECHATPAY_SERIAL')),
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        body: parameters.find((parameter) => parameter.in === 'body')?.schema,
        response: operation.responses?.['200']?.schema,
        distinct: [],
        exampleFields: new Set(),
      });
    }
  }
  return routes.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1));
}

interface Override {
  source?: string;
  json?: { required?: string[]; properties?: Record<string, YamlSchema> };
  query?: { properties?: Record<string, YamlSchema> };
  distinct?: string[][];
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
    for (const [name, patch] of Object.entries(override.query?.properties ?? {})) {
      const parameter = route.queryParams.find((candidate) => candidate.name === name);
      if (!parameter) throw new Error(`overrides.yaml: ${key} has no query field ${name}`);
      Object.assign(parameter, patch);
    }
  }
  return routes;
}

export type ErrorRow = [number, string, string, string];

export function readErrors(factsDir: string): Record<string, ErrorRow[]> {
  return parse(readFileSync(join(factsDir, 'errors.yaml'), 'utf8')) as Record<string, ErrorRow[]>;
}
