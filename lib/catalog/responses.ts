import { RESPONSE_FAMILIES } from './generated/responses';
import { familyOf } from './lookup';
import { routeKey, type JsonSchema } from './route-facts';

/**
 * The 2xx response schema of `METHOD path`, for the sandbox and tooling. A module of its own, so that the built
 * package's entry does not carry the response schemas (half the facts): only the sandbox entry reaches them.
 */
export function responseSchema(method: string, path: string): JsonSchema | undefined {
  const name = familyOf(path);
  if (!Object.prototype.hasOwnProperty.call(RESPONSE_FAMILIES, name)) return undefined;
  return RESPONSE_FAMILIES[name]!()[routeKey(method, path)];
}
