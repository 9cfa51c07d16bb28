import { FAMILIES } from './generated/families';
import { routeKey, type RouteFacts } from './route-facts';

/**
 * The catalog's runtime facts, loaded per family on first use: a call to `v3/pay/...` requires the `v3/pay`
 * module and nothing else, so importing the package and a first signed call never parse 1,000 schemas.
 */
const families = new Map<string, ReadonlyMap<string, RouteFacts>>();

/** `v3/pay/transactions/jsapi` -> `v3/pay`: the family module a path's facts live in. */
export function familyOf(path: string): string {
  const [version = '', first = ''] = path.split('/');
  return `${version}/${first}`;
}

function family(name: string): ReadonlyMap<string, RouteFacts> | undefined {
  let loaded = families.get(name);
  if (loaded === undefined) {
    const load = Object.prototype.hasOwnProperty.call(FAMILIES, name) ? FAMILIES[name] : undefined;
    if (!load) return undefined;
    loaded = new Map(load().map((route) => [routeKey(route.method, route.path), route]));
    families.set(name, loaded);
  }
  return loaded;
}

/**
 * The catalogued facts of `METHOD path` (no leading slash), if any: the path as templated, or with its variables
 * written out (`v3/apply4sub/sub_merchants/1900000109/modify-settlement`), so a call is checked and encrypted the
 * same whichever way it names its operation.
 */
export function findRoute(method: string, path: string): RouteFacts | undefined {
  const routes = family(familyOf(path));
  if (routes === undefined) return undefined;
  return routes.get(routeKey(method, path)) ?? matchTemplate(routes, method, path);
}

/** A template split into segments: `{name}` segments are variables (the catalog has no other kind). */
interface Template {
  readonly route: RouteFacts;
  readonly segments: readonly string[];
}

const isVariable = (segment: string): boolean => segment.startsWith('{') && segment.endsWith('}');

/** Per family: its templates with variables, by `METHOD segment-count`, so a concrete path is matched against few. */
const templates = new WeakMap<ReadonlyMap<string, RouteFacts>, Map<string, Template[]>>();

function templatesOf(routes: ReadonlyMap<string, RouteFacts>, method: string, count: number): readonly Template[] {
  let byShape = templates.get(routes);
  if (byShape === undefined) {
    byShape = new Map();
    for (const route of routes.values()) {
      if (!route.path.includes('{')) continue;
      const segments = route.path.split('/');
      const shape = `${route.method} ${segments.length}`;
      const list = byShape.get(shape) ?? [];
      list.push({ route, segments });
      byShape.set(shape, list);
    }
    templates.set(routes, byShape);
  }
  return byShape.get(`${method.toUpperCase()} ${count}`) ?? [];
}

/** A given segment fits a template's: equal, or any non-empty value (or variable) where the template has a variable. */
function fits(given: string, template: string): boolean {
  return isVariable(template) ? given !== '' : given === template;
}

/** Reading left to right, the first segment where one is literal and the other a variable decides: literal wins. */
function moreSpecific(a: Template, b: Template): number {
  for (let index = 0; index < a.segments.length; index++) {
    const literalA = !isVariable(a.segments[index]!);
    if (literalA !== !isVariable(b.segments[index]!)) return literalA ? 1 : -1;
  }
  return 0;
}

/**
 * The template a concrete path instantiates: segment by segment, a literal segment beats a variable; two equally
 * specific templates (the same operation catalogued twice under different variable names) leave it unmatched.
 */
function matchTemplate(routes: ReadonlyMap<string, RouteFacts>, method: string, path: string): RouteFacts | undefined {
  if (path.includes('?')) return undefined;
  const given = path.split('/');
  let best: Template | undefined;
  let tied = false;
  for (const template of templatesOf(routes, method, given.length)) {
    if (!given.every((segment, index) => fits(segment, template.segments[index]!))) continue;
    const order = best === undefined ? 1 : moreSpecific(template, best);
    if (order > 0) [best, tied] = [template, false];
    else if (order === 0) tied = true;
  }
  return best === undefined || tied ? undefined : best.route;
}

/**
 * The values a sent path gives its route's variables: `{ sub_mchid: '1900000109' }` for
 * `v3/apply4sub/sub_merchants/1900000109/modify-settlement` (percent-encoded as sent; query left out).
 */
export function pathValues(route: RouteFacts, sentPath: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!route.path.includes('{')) return values;
  const sent = sentPath.split('?')[0]!.split('/');
  route.path.split('/').forEach((segment, index) => {
    if (isVariable(segment) && sent[index] !== undefined) values[segment.slice(1, -1)] = sent[index];
  });
  return values;
}

/** The families loaded so far (lazy loading is observable, and tested). */
export function loadedFamilies(): string[] {
  return [...families.keys()];
}

/** Every family name, without loading any. */
export function familyNames(): string[] {
  return Object.keys(FAMILIES);
}

/** Every catalogued operation's facts: loads every family, so tooling only (the sandbox, docs), never a call. */
export function allRoutes(): readonly RouteFacts[] {
  return familyNames().flatMap((name) => [...family(name)!.values()]);
}

/** One line per catalogued operation, from a small index: no family is loaded. */
export interface OperationSummary {
  method: RouteFacts['method'];
  path: string;
  family: string;
  tag: string;
  summary: string;
}

let index: OperationSummary[] | undefined;

export function listOperations(): readonly OperationSummary[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the index loads only when listed
  const operations = require('./generated/operations.json') as ReadonlyArray<
    readonly [method: RouteFacts['method'], path: string, family: string, tag: string, summary: string]
  >;
  index ??= operations.map(([method, path, familyName, tag, summary]) => ({
    method,
    path,
    family: familyName,
    tag,
    summary,
  }));
  return index;
}
