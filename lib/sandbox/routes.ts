import { findRoute } from '../catalog/lookup';
import type { RouteFacts } from '../catalog/route-facts';
import { mchArchives, mchMedia, queryRename, rename } from './handlers/account';
import type { Handler } from './handlers/context';
import { infoUpdateResultNotify, punish, queryControlOrder, recover } from './handlers/control-orders';
import { balance, queryReduction, specialReduction } from './handlers/special-reduction';

const FAMILY = 'v3/aggracct-bc/wb-channel';

const HANDLERS: Record<string, Handler> = {
  [`POST ${FAMILY}/control-orders/punish`]: punish,
  [`POST ${FAMILY}/control-orders/recover`]: recover,
  [`GET ${FAMILY}/control-orders/{out_request_no}`]: queryControlOrder,
  [`POST ${FAMILY}/control-orders/info/update/result/notify`]: infoUpdateResultNotify,
  [`POST ${FAMILY}/special-reduction`]: specialReduction,
  [`GET ${FAMILY}/special-reduction/{out_request_no}`]: queryReduction,
  [`GET ${FAMILY}/account/balance`]: balance,
  [`GET ${FAMILY}/account/mch_archives`]: mchArchives,
  [`GET ${FAMILY}/account/mch_media`]: mchMedia,
  [`POST ${FAMILY}/bank-channel-account/rename`]: rename,
  [`GET ${FAMILY}/bank-channel-account/rename/{application_id}`]: queryRename,
};

export interface MatchedRoute {
  facts: RouteFacts;
  handler: Handler;
  params: Record<string, string>;
}

interface CompiledRoute {
  facts: RouteFacts;
  handler: Handler;
  pattern: RegExp;
  names: string[];
}

let table: CompiledRoute[] | undefined;

function compile(): CompiledRoute[] {
  return Object.entries(HANDLERS).map(([key, handler]) => {
    const [method, path] = key.split(' ') as [string, string];
    const facts = findRoute(method, path);
    if (!facts) throw new Error(`sandbox handles ${key}, which is not catalogued`);
    const names: string[] = [];
    const source = facts.path
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{([^}]+)\\?\}/g, (_whole, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    return { facts, handler, pattern: new RegExp(`^/${source}$`), names };
  });
}

/** The catalogued endpoint a method and path name, with its decoded path variables. */
export function matchRoute(method: string, pathname: string): MatchedRoute | undefined {
  table ??= compile();
  for (const route of table) {
    if (route.facts.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1]!)));
    return { facts: route.facts, handler: route.handler, params };
  }
  return undefined;
}
