// One fresh process: the first validated call of jsapi, then of applyment4sub, with the hand-written checker
// (`checker`, the built dist) or the ajv path it replaced (`ajv`: load ajv, compile the lenient schema, check).
// The catalog family loads before the clock starts (both pay it). Prints JSON timings (ms).
const { performance } = require('node:perf_hooks');
const { findRoute } = require('../dist/catalog/lookup');
const { RFC3339_PATTERN } = require('../dist/catalog/patterns');

function fill(schema) {
  if (schema.type === 'object') {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, field]) => [name, fill(field)]));
  }
  if (schema.type === 'array') return schema.items ? [fill(schema.items)] : [];
  if (schema.type === 'integer') return schema.enum?.[0] ?? 1;
  if (schema.type === 'number') return 1.5;
  if (schema.type === 'boolean') return true;
  if (schema.enum) return schema.enum[0];
  if (schema.pattern === RFC3339_PATTERN) return '2025-01-01T00:00:00+08:00';
  return 'x'.repeat(Math.min(schema.maxLength ?? 8, 8));
}

// the ajv-based validator's lenient view, verbatim
function lenient(schema) {
  const { enum: _enum, additionalProperties: _closed, properties, items, pattern, ...rest } = schema;
  const out = { ...rest };
  if (pattern !== undefined && pattern !== RFC3339_PATTERN) out.pattern = pattern;
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([n, f]) => [n, lenient(f)]));
  if (items) out.items = lenient(items);
  return out;
}

const which = process.argv[2];
const routes = [findRoute('POST', 'v3/pay/transactions/jsapi'), findRoute('POST', 'v3/applyment4sub/applyment/')];
const bodies = routes.map((route) => ({ json: fill(route.json) }));
let check;
if (which === 'checker') {
  check = (route, bag) => require('../dist/catalog/validate').validateRequest(route, bag, true).length;
} else {
  let ajv;
  check = (route, bag) => {
    if (!ajv) ajv = new (require('ajv').default)({ allErrors: true, strict: true });
    const validate = ajv.compile(lenient(route.json));
    return validate(bag.json) ? 0 : validate.errors.length;
  };
}
const t0 = performance.now();
const jsapiIssues = check(routes[0], bodies[0]);
const t1 = performance.now();
const applymentIssues = check(routes[1], bodies[1]);
const t2 = performance.now();
if (jsapiIssues + applymentIssues > 0) throw new Error('the filled bodies should be valid');
process.stdout.write(JSON.stringify({ jsapi: t1 - t0, applyment: t2 - t1 }));
