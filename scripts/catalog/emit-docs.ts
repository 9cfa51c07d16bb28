import type { ErrorRow, RouteModel, Schema } from './read-facts';
import { V2_FILLED, typeStem } from './emit-code';
import { toSegment } from '../../lib/chain/segments';
import { camel } from './schema';

/** A value for an example: the facts' example when it fits the field, else a placeholder of the right type. */
function exampleValue(name: string, schema: Schema, depth = 0): unknown {
  if (schema.enum?.length) {
    const values = schema.enum.map((value) => (schema.type === 'string' ? String(value) : value));
    return values.includes(schema.example as string) ? schema.example : values[0];
  }
  if (schema.type === 'integer' || schema.type === 'number')
    return typeof schema.example === 'number' ? schema.example : 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'array') return schema.items && depth < 8 ? [exampleValue(name, schema.items, depth + 1)] : [];
  if (schema.type === 'object' || schema.properties) return exampleObject(schema, new Set(), depth + 1);
  if (schema.type === undefined) return `example_${name}`;
  return typeof schema.example === 'string' ? schema.example : `example_${name}`;
}

function exampleObject(schema: Schema, extra: Set<string>, depth = 0, skip?: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (skip?.has(name)) continue;
    if (required.has(name) || extra.has(name)) out[name] = exampleValue(name, property, depth);
  }
  return out;
}

function literal(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2)
    .replace(/"([A-Za-z_$][\w$]*)":/g, '$1:')
    .replace(/'/g, "\\'")
    .replace(/"((?:[^"\\]|\\.)*)"/g, (_whole, inner: string) => `'${inner.replace(/\\"/g, '"')}'`)
    .replace(/([^,{[\n])\n/g, '$1,\n')
    .replace(/\n/g, `\n${indent}`);
}

const hasEncrypted = (schema: Schema | undefined, depth = 0): boolean =>
  !!schema &&
  depth < 12 &&
  (schema.format === 'base64' ||
    Object.values(schema.properties ?? {}).some((field) => hasEncrypted(field, depth + 1)) ||
    hasEncrypted(schema.items, depth + 1));

/** The options bag of the examples, as TypeScript source. No `Wechatpay-Serial`: `encrypt: true` sets it. */
function exampleBag(route: RouteModel, overridden: Set<string>): string {
  const lines: string[] = [];
  for (const parameter of route.pathParams)
    lines.push(
      `  ${parameter.name}: ${literal(String(exampleValue(parameter.name, { ...parameter.schema, type: 'string', enum: undefined })), '  ')},`,
    );
  if (route.query) lines.push(`  query: ${literal(exampleObject(route.query, overridden), '  ')},`);
  if (route.body) {
    const skip = route.v2 ? V2_FILLED : undefined;
    lines.push(`  ${route.v2 ? 'xml' : 'json'}: ${literal(exampleObject(route.body, overridden, 0, skip), '  ')},`);
  }
  if (route.media) lines.push("  media: { file: 'file:///path/to/image.jpg' },");
  if (!route.v2 && (hasEncrypted(route.body) || hasEncrypted(route.query))) lines.push('  encrypt: true,');
  return lines.length ? `{\n${lines.join('\n')}\n}` : '';
}

/**
 * `v3/applyment4sub/applyment/` -> `v3.applyment4sub.applyment._empty_`; undefined where a segment has no
 * property spelling (a capital inside it, `addInstitutionsub`: a property would be case-converted).
 */
export function chainedPath(route: RouteModel): string | undefined {
  if (route.path.split('/').some((segment) => /[A-Z]/.test(segment))) return undefined;
  return route.path
    .split('/')
    .map((segment) => {
      if (segment === '') return '._empty_';
      const template = /^\{(.+)\}$/.exec(segment);
      if (template) return `._${template[1]}_`;
      const name = camel(segment);
      return /^[A-Za-z_$][\w$]*$/.test(name) && toSegment(name) === segment ? `.${name}` : `['${segment}']`;
    })
    .join('')
    .replace(/^\./, '');
}

/** The three call styles of a page: chained, `chain()`, string key. */
export function exampleCalls(route: RouteModel, overridden: Set<string>): string[] {
  const verb = route.method.toLowerCase();
  const bag = exampleBag(route, overridden);
  const chained = chainedPath(route);
  const first =
    chained === undefined ? `instance['${route.path}']` : `instance${chained.startsWith('[') ? '' : '.'}${chained}`;
  const targets = [first, `instance.chain('${route.path}')`, `instance['${route.path}']`];
  return targets.map((target) => `const { data } = await ${target}.${verb}(${bag});\nconsole.log(data);`);
}

const STYLE_LABELS = ['chained', 'chain()', 'string key'];

function typeOf(field: Schema): string {
  if (field.enum?.length) return `${field.type ?? ''} (${field.enum.join(' \\| ')})`;
  if (field.type === 'array') return `${field.items?.type ?? ''}[]`;
  return field.type ?? '';
}

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function fieldRows(schema: Schema | undefined, location: string, prefix = '', depth = 0): string[] {
  if (!schema?.properties || depth > 10) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, field]) => {
    const notes = [
      field.maxLength ? `at most ${field.maxLength} characters` : '',
      field.visibleUtf8 ? 'visible UTF-8 only' : '',
    ]
      .filter(Boolean)
      .join('; ');
    const row = `| ${location} | ${prefix}${name} | ${typeOf(field)} | ${required.has(name) ? 'yes' : ''} | ${field.format === 'base64' ? 'yes' : ''} | ${cell(field.description)}${notes ? ` (${notes})` : ''} |`;
    const nested = field.type === 'array' ? field.items : field;
    return [row, ...fieldRows(nested, location, `${prefix}${name}${field.type === 'array' ? '[]' : ''}.`, depth + 1)];
  });
}

export function emitDocPage(route: RouteModel, errors: Record<string, ErrorRow[]>): string {
  const key = `${route.method} /${route.path}`;
  const calls = exampleCalls(route, route.exampleFields);
  const requestRows = [
    ...route.pathParams.map((p) => `| path | ${p.name} | string | yes | | ${cell(p.schema.description)} |`),
    ...fieldRows(route.query, 'query'),
    ...fieldRows(route.body, route.v2 ? 'xml' : 'json'),
    ...(route.serialHeader
      ? [
          '| headers | Wechatpay-Serial | string | with encrypted fields | | WeChat Pay public key id or platform certificate serial (set for you with `encrypt: true`) |',
        ]
      : []),
  ];
  const errorRows = [...(route.v2 ? [] : (errors.common ?? [])), ...(errors[key] ?? [])].map(
    ([status, code, text, fix]) => `| ${status} | ${code} | ${text} | ${fix} |`,
  );
  const stem = typeStem(route.typedAs ?? route);
  return [
    `<!-- Generated by scripts/generate-catalog.ts from facts/${route.file}. Do not edit: run \`npm run catalog\`. -->`,
    `# ${route.summary || key}`,
    '',
    `\`${key}\` · ${route.tag}${route.updatedAt ? ` · updated ${route.updatedAt}` : ''}${route.source ? ` · rules from the ${route.source}` : ''}`,
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
    '## Three ways to call it',
    '',
    `Types: \`${stem}${route.v2 ? 'Xml' : 'Json'}\`/\`Query\`/\`Response\` from \`wechatpay-chain\`.`,
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
    ...(errorRows.length
      ? ['| status | code | description | what to do |', '| --- | --- | --- | --- |', ...errorRows]
      : ['None documented in the facts.']),
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
