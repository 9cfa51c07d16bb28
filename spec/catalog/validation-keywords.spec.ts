import { allRoutes, familyNames } from '../../lib/catalog/lookup';
import { PATTERN_MEANING } from '../../lib/catalog/patterns';
import type { JsonSchema } from '../../lib/catalog/route-facts';
import { checkSchema, prepareSchema, SUPPORTED_KEYWORDS } from '../../lib/catalog/schema-check';

/** Every schema node of a request schema, with where it is. */
function nodes(schema: JsonSchema, at: string): Array<[string, JsonSchema]> {
  return [
    [at, schema],
    ...Object.entries(schema.properties ?? {}).flatMap(([name, field]) => nodes(field, `${at}.${name}`)),
    ...(schema.items ? nodes(schema.items, `${at}[]`) : []),
  ];
}

/**
 * The checker knows a fixed set of keywords; a facts update that brings another (`format`, `minimum`, `oneOf`)
 * must fail here, never pass unchecked.
 */
describe('the generated request schemas use only what the checker checks', () => {
  const schemas = allRoutes().flatMap((route) =>
    (['query', 'json', 'xml'] as const).flatMap((location) =>
      route[location] ? [[`${route.method} ${route.path} ${location}`, route[location]!] as const] : [],
    ),
  );

  it('walks every family', () => {
    expect(familyNames().length).toBeGreaterThan(100);
    expect(schemas.length).toBeGreaterThan(900);
  });

  it('every node: supported keywords, a known type, closed objects only, patterns with a message', () => {
    const odd: string[] = [];
    for (const [where, schema] of schemas) {
      for (const [at, node] of nodes(schema, where)) {
        for (const keyword of Object.keys(node)) {
          if (!SUPPORTED_KEYWORDS.has(keyword)) odd.push(`${at}: keyword ${keyword}`);
        }
        if (!['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(node.type as string)) {
          odd.push(`${at}: type ${String(node.type)}`);
        }
        if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
          odd.push(`${at}: additionalProperties ${String(node.additionalProperties)}`);
        }
        if (node.pattern !== undefined && PATTERN_MEANING[node.pattern] === undefined) {
          odd.push(`${at}: pattern ${node.pattern} has no message in patterns.ts`);
        }
        if (node.enum && node.enum.some((value) => typeof value !== 'string' && typeof value !== 'number')) {
          odd.push(`${at}: enum of non-scalars`);
        }
      }
    }
    expect(odd).toEqual([]);
  });

  it('every schema prepares in both modes (patterns compile as Unicode regexps)', () => {
    for (const [, schema] of schemas) {
      expect(() => prepareSchema(schema, true)).not.toThrow();
      expect(() => prepareSchema(schema, 'strict')).not.toThrow();
    }
  });

  it('an unsupported keyword or type fails loudly, naming it and where', () => {
    const withFormat = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } };
    expect(() => checkSchema(withFormat as JsonSchema, {}, true)).toThrow('schema keyword "format" at ".at"');
    const nullType = { type: 'object', properties: { gone: { type: 'null' } } };
    expect(() => checkSchema(nullType as unknown as JsonSchema, {}, 'strict')).toThrow('schema type "null" at ".gone"');
  });
});
