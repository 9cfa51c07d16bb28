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

/** The catalogued facts of `METHOD path` (path as templated, no leading slash), if any. */
export function findRoute(method: string, path: string): RouteFacts | undefined {
  return family(familyOf(path))?.get(routeKey(method, path));
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
