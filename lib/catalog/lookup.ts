import { ROUTES } from './generated/routes';
import { routeKey, type RouteFacts } from './route-facts';

let byKey: Map<string, RouteFacts> | undefined;

/** The catalogued facts of `METHOD path`, if any; the index is built on first use. */
export function findRoute(method: string, path: string): RouteFacts | undefined {
  byKey ??= new Map(ROUTES.map((route) => [routeKey(route.method, route.path), route]));
  return byKey.get(routeKey(method, path));
}

export function allRoutes(): readonly RouteFacts[] {
  return ROUTES;
}
