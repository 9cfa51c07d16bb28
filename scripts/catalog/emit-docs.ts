import type { ErrorRow, RouteModel, YamlSchema } from './read-facts';
import { camel, queryAsSchema } from './schema';
import { typeStem } from './emit-code';

/** A value for an example: the facts' example when it fits the field, else a placeholder of the right type. */
function exampleValue(name: string, schema: YamlSchema): unknown {
  if (schema.enum) return schema.enum.includes(schema.example as string) ? schema.example : schema.enum[0];
  if (schema.type === 'integer' || schema.type === 'number')
    return typeof schema.example === 'number' ? schema.example : 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'array') return schema.items ? [exampleValue(name, schema.items)] : [];
  if (schema.type === 'object') return exampleObject(schema, new Set());
  return typeof schema.example === 'string' ? schema.example : `example_${name}`;
}

function exampleObject(schema: YamlSchema, extra: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (required.has(name) || extra.has(name)) out[name] = exampleValue(name, property);
  }
  return out;
}

function literal(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2)
    .replace(/"([A-Za-z_$][\w$]*)":/g, '$1:')
    .replace(/"/g, "'")
    .replace(/([^,{[\n])\n/g, '$1,\n')
    .replace(/\n/g, `\n${indent}`);
}

/** The options bag of the examples, as TypeScript source. */
function exampleBag(route: RouteModel, overridden: Set<string>): string {
  const lines: string[] = [];
  for (const parameter of route.pathParams)
    lines.push(`  ${parameter.name}: ${literal(exampleValue(parameter.name!, parameter), '  ')},`);
  const query = queryAsSchema(route.queryParams);
  if (query) lines.push(`  query: ${literal(exampleObject(query, overridden), '  ')},`);
  if (route.body) lines.push(`  json: ${literal(exampleObject(route.body, overridden), '  ')},`);
  const encrypts = [route.body, query].some((schema) =>
    Object.values(schema?.properties ?? {}).some((p) => p.format === 'base64'),
  );
  if (encrypts) lines.push('  encrypt: true,');
  if (route.serialHeader) lines.push("  headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000' },");
  return `{\n${lines.join('\n')}\n}`;
}

function chainedPath(route: RouteModel): string {
  return route.path
    .split('/')
    .map((segment) => {
      const template = /^\{(.+)\}$/.exec(segment);
      return template ? `_${template[1]}_` : camel(segment);
    })
    .join('.');
}

/** The six call styles of a page (chained, `chain()`, string key; each awaited and as a promise chain). */
export function exampleCalls(route: RouteModel, overridden: Set<string>): string[] {
  const verb = route.method.toLowerCase();
  const bag = exampleBag(route, overridden);
  const targets = [`instance.${chainedPath(route)}`, `instance.chain('${route.path}')`, `instance['${route.path}']`];
  const styles: string[] = [];
  for (const target of targets) {
    styles.push(`${target}\n  .${verb}Async(${bag.replace(/\n/g, '\n  ')})\n  .then(({ data }) => console.log(data));`);
  }
  for (const target of targets) styles.push(`const { data } = await ${target}.${verb}(${bag});\nconsole.log(data);`);
  return styles;
}

const STYLE_LABELS = [
  'async, chained',
  'async, chain()',
  'async, string key',
  'await, chained',
  'await, chain()',
  'await, string key',
];

function fieldRows(schema: YamlSchema | undefined, location: string, prefix = ''): string[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, field]) => {
    const type = field.enum
      ? `${field.type} (${field.enum.join(' \\| ')})`
      : field.type === 'array'
        ? `${field.items?.type ?? ''}[]`
        : (field.type ?? '');
    const notes = [
      field.maxLength ? `at most ${field.maxLength} characters` : '',
      field.visibleUtf8 ? 'visible UTF-8 only' : '',
    ]
      .filter(Boolean)
      .join('; ');
    const row = `| ${location} | ${prefix}${name} | ${type} | ${required.has(name) ? 'yes' : ''} | ${field.format === 'base64' ? 'yes' : ''} | ${field.description ?? ''}${notes ? ` (${notes})` : ''} |`;
    const nested =
      field.type === 'object'
        ? field
        : field.type === 'array' && field.items?.type === 'object'
          ? field.items
          : undefined;
    return [row, ...fieldRows(nested, location, `${prefix}${name}${field.type === 'array' ? '[]' : ''}.`)];
  });
}

export function emitDocPage(route: RouteModel, errors: Record<string, ErrorRow[]>): string {
  const key = `${route.method} /${route.path}`;
  const calls = exampleCalls(route, route.exampleFields);
  const requestRows = [
    ...route.pathParams.map((p) => `| path | ${p.name} | string | yes | | ${p.description ?? ''} |`),
    ...fieldRows(queryAsSchema(route.queryParams), 'query'),
    ...fieldRows(route.body, 'json'),
    ...(route.serialHeader
      ? [
          '| headers | Wechatpay-Serial | string | with encrypted fields | | WeChat Pay public key id or platform certificate serial (set for you with `encrypt: true`) |',
        ]
      : []),
  ];
  const errorRows = [...(errors.common ?? []), ...(errors[key] ?? [])].map(
    ([status, code, text, fix]) => `| ${status} | ${code} | ${text} | ${fix} |`,
  );
  return [
    `<!-- Generated by scripts/generate-catalog.ts from facts/${route.file}. Do not edit: run \`npm run catalog\`. -->`,
    `# ${route.summary}`,
    '',
    `\`${key}\`${route.updatedAt ? ` · updated ${route.updatedAt}` : ''}${route.source ? ` · rules from the ${route.source}` : ''}`,
    '',
    route.description,
    '',
    '## Request',
    '',
    '| in | field | type | required | encrypted | description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...requestRows,
    ...(route.distinct.length
      ? ['', ...route.distinct.map((group) => `\`${group.join('` and `')}\` must differ.`)]
      : []),
    '',
    '## Six ways to call it',
    '',
    'Types: `' + typeStem(route) + 'Json`/`Query`/`Response` from `wechatpay-chain`.',
    '',
    ...calls.flatMap((call, index) => [`${STYLE_LABELS[index]}:`, '', '```ts', call, '```', '']),
    '## Response',
    '',
    '| field | type | required | encrypted to merchant key | description |',
    '| --- | --- | --- | --- | --- |',
    ...fieldRows(route.response, '').map((row) => row.replace(/^\| {2}\| /, '| ')),
    '',
    '## Error codes',
    '',
    '| status | code | description | what to do |',
    '| --- | --- | --- | --- |',
    ...errorRows,
    '',
  ].join('\n');
}

/** The examples of every page as one TypeScript file, so CI type-checks exactly what the docs show. */
export function emitDocExamples(routes: RouteModel[]): string {
  const out = [
    '// Generated by scripts/generate-catalog.ts: the examples of docs/api, type-checked by `npm run typecheck`.',
    "import type { WechatpayInstance } from '../../lib';",
    '',
    'declare const instance: WechatpayInstance;',
    '',
  ];
  for (const route of routes) {
    const calls = exampleCalls(route, route.exampleFields);
    out.push(`export async function ${typeStem(route)}(): Promise<void> {`);
    for (const call of calls) out.push(`  {\n    ${call.replace(/\n/g, '\n    ')}\n  }`);
    out.push('}', '');
  }
  return out.join('\n');
}
