import { allRoutes } from '../catalog/lookup';
import { routeKey, type RouteFacts } from '../catalog/route-facts';
import { factsHandler } from './handlers/facts';
import { Rejection } from './rejection';
import { HANDLERS, type RouteSpec } from './route-table';

export interface MatchedRoute {
  key: string;
  spec: RouteSpec;
  /** The catalogued facts of the operation, when the catalog knows it. */
  facts?: RouteFacts;
  params: Record<string, string>;
}

interface CompiledRoute {
  key: string;
  method: string;
  spec: RouteSpec;
  facts?: RouteFacts;
  pattern: RegExp;
  names: string[];
}

let table: CompiledRoute[] | undefined;

function compileOne(key: string, spec: RouteSpec, facts: RouteFacts | undefined): CompiledRoute {
  const [method, path] = key.split(' ') as [string, string];
  const names: string[] = [];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_whole, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { key, method, spec, facts, pattern: new RegExp(`^/${source}$`), names };
}

function factsSpec(facts: RouteFacts): RouteSpec {
  const media = (facts as RouteFacts & { media?: boolean }).media === true;
  return { handler: factsHandler(facts), auth: media ? 'media' : 'signed' };
}

/** The sandbox's own handlers, plus every catalogued operation (answered from its facts when no handler is ours). */
function compile(): CompiledRoute[] {
  const facts = new Map(allRoutes().map((route) => [routeKey(route.method, route.path), route]));
  const keys = new Set([...Object.keys(HANDLERS), ...facts.keys()]);
  const compiled: CompiledRoute[] = [];
  for (const key of keys) {
    const known = facts.get(key);
    // APIv2 facts are named `v2/...` but served at their wire paths (`/pay/...`), by the sandbox's own handlers
    const fromFacts = known && !known.path.startsWith('v2/') ? factsSpec(known) : undefined;
    const spec = HANDLERS[key] ?? fromFacts;
    if (spec) compiled.push(compileOne(key, spec, known));
  }
  // literal paths win over templated ones (`refunds/{out_refund_no}` must not swallow a fixed segment)
  return compiled.sort((a, b) => a.names.length - b.names.length);
}

function decodeSegment(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new Rejection(400, 'INVALID_REQUEST', `路径参数 ${name} 的百分号编码不合法`, {
      field: name,
      issue: '百分号编码不合法',
      location: 'path',
    });
  }
}

/** The operation a method and path name, with its decoded path variables; 404 when the sandbox does not know it. */
export function matchRoute(method: string, pathname: string): MatchedRoute {
  table ??= compile();
  for (const route of table) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => (params[name] = decodeSegment(match[index + 1]!, name)));
    return { key: route.key, spec: route.spec, facts: route.facts, params };
  }
  throw new Rejection(
    404,
    'NOT_FOUND',
    `沙箱不认识 ${method} ${safePath(pathname)}：该路径不在目录中，请检查路径与请求方法`,
  );
}

/** Echoed paths are bounded and printable: a hostile path must not bloat or garble the error reply. */
function safePath(pathname: string): string {
  const clean = pathname.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
