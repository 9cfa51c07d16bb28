import type { RouteFacts } from './route-facts';

/** `out_trade_no`, `out_refund_no`, `out_bill_no`, ...: the merchant's own number for a business request. */
const BUSINESS_NUMBER = /^out_[a-z_]+_no$/;

const derived = new WeakMap<object, readonly string[]>();

/**
 * The business numbers an operation is re-entrant on, from its facts: the path variables and required JSON fields
 * named `out_*_no` (`v3/fund-app/mch-transfer/transfer-bills` -> `['out_bill_no']`). WeChat Pay treats a request
 * repeated with the same number as the same request, so a POST carrying all of them may be sent again. Empty: no
 * such number, and the operation is not safe to repeat. Docs call it per operation ("re-entrant on X").
 */
export function reentrantOn(route: Pick<RouteFacts, 'path' | 'params' | 'json'>): readonly string[] {
  let names = derived.get(route);
  if (names === undefined) {
    // the path's own variables: a few facts list a path variable as a body field instead of in `params`
    const inPath = [...route.path.matchAll(/\{\+?([^}]+)\}/g)].map((match) => match[1]!);
    const candidates = [...inPath, ...route.params, ...(route.json?.required ?? [])];
    names = [...new Set(candidates.filter((name) => BUSINESS_NUMBER.test(name)))];
    derived.set(route, names);
  }
  return names;
}
