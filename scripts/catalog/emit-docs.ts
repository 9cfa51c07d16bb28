import type { ErrorRow, RouteModel, Schema } from './read-facts';
import { V2_FILLED, routeFacts, typeStem } from './emit-code';
import { reentrantOn } from '../../lib/catalog/reentry';
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

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A field's type as a short word; an enum's values go to its description (they would widen the field cell). */
const typeOf = (field: Schema) => (field.type === 'array' ? `${field.items?.type ?? ''}[]` : (field.type ?? ''));

interface FieldRow {
  path: string;
  /** `json`, `query`, ... (request rows); empty for the response. */
  location: string;
  type: string;
  required: boolean;
  encrypted: boolean;
  description: string;
}

function fieldRows(schema: Schema | undefined, location: string, prefix = '', depth = 0): FieldRow[] {
  if (!schema?.properties || depth > 10) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, field]) => {
    const notes = [
      field.maxLength ? `at most ${field.maxLength} characters` : '',
      field.visibleUtf8 ? 'visible UTF-8 only' : '',
    ]
      .filter(Boolean)
      .join('; ');
    const values = field.enum?.length ? `one of ${field.enum.map((value) => `\`${value}\``).join(', ')}` : '';
    const row: FieldRow = {
      path: `${prefix}${name}`,
      location,
      type: typeOf(field),
      required: required.has(name),
      encrypted: field.format === 'base64',
      description: [`${field.description ?? ''}${notes ? ` (${notes})` : ''}`, values].filter(Boolean).join('; '),
    };
    const nested = field.type === 'array' ? field.items : field;
    return [row, ...fieldRows(nested, location, `${prefix}${name}${field.type === 'array' ? '[]' : ''}.`, depth + 1)];
  });
}

/**
 * A two-column table: the field with its location, type and flags under it, then the description. Six columns
 * were 1,140 px wide in a 688 px column, which hid required/encrypted/description; two wrap (theme/custom.css).
 */
function fieldTable(rows: FieldRow[], flags: { required: string; encrypted: string }): string[] {
  if (rows.length === 0) return ['None.'];
  return [
    '| field | description |',
    '| --- | --- |',
    ...rows.map((row) => {
      const meta = [
        row.location,
        row.type,
        row.required ? `**${flags.required}**` : '',
        row.encrypted ? flags.encrypted : '',
      ].filter(Boolean);
      return `| \`${row.path}\`<br>${cell(meta.join(' · '))} | ${cell(row.description)} |`;
    }),
  ];
}

/** The one line on retry safety, from the same derivation the client uses (lib/transport/retry-policy.ts). */
function retryLine(route: RouteModel): string {
  if (route.method === 'GET') return '**Retries:** safe to repeat: with `retry`, a 5xx or network failure is retried.';
  const numbers = reentrantOn(routeFacts(route));
  if (numbers.length === 0) return '**Retries:** not re-entrant: sent once unless `idempotent: true`.';
  const names = numbers.map((name) => `\`${name}\``).join(' and ');
  const it = numbers.length === 1 ? 'it' : 'them';
  return `**Retries:** re-entrant on ${names}: with \`retry\`, a 5xx or network failure is retried when the call sends ${it}.`;
}

/** The exported type names of an operation, as `lib/catalog/generated/endpoints.ts` declares them. */
export function typeNames(route: RouteModel): string[] {
  // a route typed by its twin (same shape, another path) names the twin's types: only those are declared
  const stem = typeStem(route.typedAs ?? route);
  return [
    ...(route.pathParams.length ? [`${stem}Params`] : []),
    ...(route.query ? [`${stem}Query`] : []),
    ...(route.body ? [`${stem}${route.v2 ? 'Xml' : 'Json'}`] : []),
    `${stem}Response`,
  ];
}

/** Markdown link targets with a scheme other than http(s) (the facts once had `hhttps://`): a broken link. */
function badSchemes(text: string): string[] {
  return [...text.matchAll(/\]\(([a-z][a-z0-9+.-]*):\/\/[^)]*\)/gi)]
    .filter((match) => !/^https?$/i.test(match[1]!))
    .map((match) => match[0].slice(2, -1));
}

export function emitDocPage(route: RouteModel, errors: Record<string, ErrorRow[]>): string {
  const key = `${route.method} /${route.path}`;
  const bad = badSchemes(route.description);
  if (bad.length)
    throw new Error(`facts/${route.file}: a link with an unknown scheme in the description: ${bad.join(', ')}`);
  const calls = exampleCalls(route, route.exampleFields);
  const requestRows: FieldRow[] = [
    ...route.pathParams.map((p) => ({
      path: p.name,
      location: 'path',
      type: 'string',
      required: true,
      encrypted: false,
      description: p.schema.description ?? '',
    })),
    ...fieldRows(route.query, 'query'),
    ...fieldRows(route.body, route.v2 ? 'xml' : 'json'),
    ...(route.serialHeader
      ? [
          {
            path: 'Wechatpay-Serial',
            location: 'headers',
            type: 'string',
            required: false,
            encrypted: false,
            description:
              'Sent with encrypted fields: the WeChat Pay public key id or platform certificate serial (set for you with `encrypt: true`)',
          },
        ]
      : []),
  ];
  const errorRows = [...(route.v2 ? [] : (errors.common ?? [])), ...(errors[key] ?? [])].map(
    ([status, code, text, fix]) => `| ${status} \`${code}\` | ${text} | ${fix} |`,
  );
  // the option each type is for, as plain words: a code span on this line is a type name (spec/docs/exported-type-names)
  const described: Record<string, string> = {
    Params: 'path variables',
    Query: 'query',
    Json: 'json',
    Xml: 'xml',
    Response: 'data',
  };
  const types = typeNames(route).map((name) => {
    const part = /(Params|Query|Json|Xml|Response)$/.exec(name)![1]!;
    return `\`${name}\` (${described[part]})`;
  });
  return [
    // the page's own class: theme/custom.css wraps its tables to the column (frontmatter must come first)
    '---',
    'pageClass: endpoint-page',
    '---',
    '',
    `<!-- Generated by scripts/generate-catalog.ts from facts/${route.file}. Do not edit: run \`npm run catalog\`. -->`,
    `# ${route.summary || key}`,
    '',
    // the group's index is this folder's README.md, not rewritten by the site (docs/.vitepress/config.mts)
    `\`${key}\` · [${route.tag}](./README.md)${route.updatedAt ? ` · updated ${route.updatedAt}` : ''}${route.source ? ` · rules from the ${route.source}` : ''}`,
    '',
    route.description,
    '',
    retryLine(route),
    '',
    '## Request',
    '',
    ...fieldTable(requestRows, { required: 'required', encrypted: 'encrypted' }),
    ...(route.distinct.length
      ? ['', ...route.distinct.map((group) => `\`${group.join('` and `')}\` must differ.`)]
      : []),
    '',
    '## Three ways to call it',
    '',
    `Types from \`wechatpay-chain\`: ${types.join(', ')}; all of them as \`Endpoints['${key}']\`.`,
    '',
    ...calls.flatMap((call, index) => [`${STYLE_LABELS[index]}:`, '', '```ts', call, '```', '']),
    '## Response',
    '',
    ...fieldTable(fieldRows(route.response, ''), {
      required: 'always sent',
      encrypted: 'encrypted to the merchant key (`decrypt: true`)',
    }),
    '',
    '## Error codes',
    '',
    ...(errorRows.length
      ? ['| status and code | description | what to do |', '| --- | --- | --- |', ...errorRows]
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
