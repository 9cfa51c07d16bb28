import { responseSchema } from '../../catalog/responses';
import type { RouteFacts } from '../../catalog/route-facts';
import { exampleReply, type ReplySchema } from '../from-facts';
import { fingerprint } from '../ledger';
import { noContent, ok, type Handler } from './context';

/**
 * Operations the catalog knows and the sandbox has no rules for: the gateway has already authenticated, checked
 * the request against the facts and decrypted its sensitive fields; this builds the reply from the response
 * schema (deterministic for a request) and encrypts the fields WeChat Pay encrypts to the merchant's key.
 */
function sealAt(node: unknown, segments: string[], seal: (text: string) => string): unknown {
  if (segments.length === 0) return typeof node === 'string' ? seal(node) : node;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '[]') return Array.isArray(node) ? node.map((item) => sealAt(item, rest, seal)) : node;
  if (node === null || typeof node !== 'object' || !(head in node)) return node;
  const copy = { ...(node as Record<string, unknown>) };
  copy[head] = sealAt(copy[head], rest, seal);
  return copy;
}

const segmentsOf = (path: string) => path.replace(/\[\]/g, '.[]').split('.').filter(Boolean);

export function factsHandler(facts: RouteFacts): Handler {
  return (context) => {
    const schema = responseSchema(facts.method, facts.path) as ReplySchema | undefined;
    if (!schema) return noContent();
    const request = { ...context.params, ...context.query, ...context.json };
    const seed = fingerprint({ route: `${facts.method} ${facts.path}`, caller: context.caller.mchid, request });
    let body = exampleReply(schema, request, seed);
    for (const field of facts.responseEncrypted) body = sealAt(body, segmentsOf(field), context.encryptToCaller);
    return ok(body);
  };
}
