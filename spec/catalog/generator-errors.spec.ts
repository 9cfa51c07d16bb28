import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFacts } from '../../scripts/catalog/read-facts';

/** Facts the generator cannot resolve fail it, naming the file and the pointer: never a silent `any`. */
describe('the catalog generator refuses broken facts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'facts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(path: string, text: string): void {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }

  const body = (schema: string) =>
    `post:\n  summary: s\n  parameters:\n    - name: _\n      in: body\n      schema:\n${schema.replace(/^/gm, '        ')}\n`;

  it('names the file and pointer of a $ref that does not resolve', () => {
    write('openapi/definitions/Shared.yaml', 'Known:\n  type: object\n');
    write('openapi/v3/x/y.yaml', body("$ref: '../../definitions/Shared.yaml#Missing'"));
    expect(() => readFacts(dir)).toThrow(
      'openapi/v3/x/y.yaml#/post/parameters/0/schema: $ref ../../definitions/Shared.yaml#Missing does not resolve (no "Missing")',
    );
  });

  it('names a field that two allOf parts type differently', () => {
    const schema = [
      'allOf:',
      '  - type: object',
      '    properties: { amount: { type: integer } }',
      '  - type: object',
      '    properties: { amount: { type: string } }',
    ].join('\n');
    write('openapi/v3/x/y.yaml', body(schema));
    expect(() => readFacts(dir)).toThrow(
      'openapi/v3/x/y.yaml#/post/parameters/0/schema/allOf/1/properties/amount: field typed string here and integer in an earlier allOf part',
    );
  });

  it('names an unknown type', () => {
    write('openapi/v3/x/y.yaml', body('type: object\nproperties:\n  n: { type: long }'));
    expect(() => readFacts(dir)).toThrow(
      'openapi/v3/x/y.yaml#/post/parameters/0/schema/properties/n/type: unknown type "long"',
    );
  });

  it('resolves #Name and #/Name refs, allOf, arrays and nested encrypted fields', () => {
    write(
      'openapi/definitions/Shared.yaml',
      'Contact:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string, format: base64 }\n',
    );
    const schema = [
      'allOf:',
      "  - $ref: '../../definitions/Shared.yaml#Contact'",
      '  - type: object',
      '    properties:',
      "      others: { type: array, items: { $ref: '../../definitions/Shared.yaml#/Contact' } }",
    ].join('\n');
    write('openapi/v3/x/{empty}.yaml', body(schema));
    const [route] = readFacts(dir);
    expect(route!.path).toBe('v3/x/');
    expect(route!.body!.required).toEqual(['name']);
    expect(route!.body!.properties!.name!.format).toBe('base64');
    expect(route!.body!.properties!.others!.items!.refName).toBe('Shared#Contact');
  });
});
