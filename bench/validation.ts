/**
 * Per-request cost of catalog validation (lenient and strict) and of encryption planning, in µs/op, and the first
 * validated call in a fresh process (hand-written checker vs the ajv path it replaced). RSA-OAEP itself is excluded:
 * the bench encrypts with a stub returning a fixed ciphertext, so what is timed is finding the sensitive values,
 * choosing the key, checking sizes and copying the bag. Medians of interleaved rounds; CPU time from
 * process.cpuUsage (this machine is shared and noisy). Run: npm run build && npm run bench:validation
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { oaepLimit } from '../lib/crypto/rsa';
import { encryptFieldsWith, encryptionIssues } from '../lib/catalog/encrypt';
import { findRoute } from '../lib/catalog/lookup';
import { RFC3339_PATTERN } from '../lib/catalog/patterns';
import type { JsonSchema, RouteFacts } from '../lib/catalog/route-facts';
import { validateRequest } from '../lib/catalog/validate';
import { PlatformKeys } from '../lib/verify/platform-keys';
import { median, pemPair, PLATFORM_SERIAL } from './measure';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BATCH = Number(process.env.BATCH ?? 2000);
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 7);
const CIPHERTEXT = 'A'.repeat(340) + 'AA==';

/** A complete valid value: every field, enums' first value, RFC 3339 times, short strings, one array item. */
function fill(schema: JsonSchema): unknown {
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, field]) => [name, fill(field)]));
    case 'array':
      return schema.items ? [fill(schema.items)] : [];
    case 'integer':
      return (schema.enum?.[0] as number | undefined) ?? 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    default:
      if (schema.enum) return schema.enum[0];
      if (schema.pattern === RFC3339_PATTERN) return '2025-01-01T00:00:00+08:00';
      return 'x'.repeat(Math.min(schema.maxLength ?? 8, 8));
  }
}

/** A copy of `json` where the sensitive paths hold `value` (undefined: removed). */
function withSensitive(route: RouteFacts, json: unknown, keep: (index: number) => string | undefined): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  route.encrypted.json.forEach((path, index) => {
    const parts = path.split('.');
    const visit = (node: unknown, depth: number): void => {
      if (node === null || typeof node !== 'object') return;
      const part = parts[depth]!;
      const name = part.replace(/\[\]$/, '');
      const record = node as Record<string, unknown>;
      if (depth === parts.length - 1) {
        const value = keep(index);
        if (value === undefined) delete record[name];
        else record[name] = value;
      } else if (part.endsWith('[]'))
        (record[name] as unknown[] | undefined)?.forEach((item) => visit(item, depth + 1));
      else visit(record[name], depth + 1);
    };
    visit(copy, 0);
  });
  return JSON.parse(JSON.stringify(copy)) as unknown; // fast-mode objects again, as a caller's literal is (`delete` made dictionaries)
}

interface Case {
  name: string;
  run: () => unknown;
}

function timeBatch(run: () => unknown): { wallUs: number; cpuUs: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) run();
  const wall = Number(process.hrtime.bigint() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { wallUs: wall / BATCH, cpuUs: (used.user + used.system) / BATCH };
}

function perRequest(all: Case[]): void {
  const cases = all.filter(({ name }) => name.includes(process.env.FILTER ?? ''));
  for (const { run } of cases) for (let i = 0; i < BATCH; i++) run(); // warm up (JIT, lazy schema preparation)
  const results = new Map(cases.map(({ name }) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...cases].reverse() : cases;
    for (const { name, run } of order) {
      const { wallUs, cpuUs } = timeBatch(run);
      results.get(name)!.wall.push(wallUs);
      results.get(name)!.cpu.push(cpuUs);
    }
  }
  console.log(`per request, ${ROUNDS} interleaved rounds of ${BATCH}, medians (µs/op)`);
  console.log(`${'case'.padEnd(62)}${'wall'.padStart(8)}${'cpu'.padStart(8)}`);
  for (const [name, { wall, cpu }] of results) {
    console.log(`${name.padEnd(62)}${median(wall).toFixed(2).padStart(8)}${median(cpu).toFixed(2).padStart(8)}`);
  }
}

function coldStart(): void {
  const runs: Record<string, Array<Record<string, number>>> = { checker: [], ajv: [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const which of i % 2 ? ['ajv', 'checker'] : ['checker', 'ajv']) {
      const out = execFileSync(process.execPath, [join(__dirname, 'validation-child.js'), which]);
      runs[which]!.push(JSON.parse(out.toString()) as Record<string, number>);
    }
  }
  console.log(`\nfirst validated call in a fresh process, ${COLD_RUNS} runs each, medians (ms; family load excluded)`);
  console.log(`${'validator'.padEnd(34)}${'jsapi'.padStart(8)}${'+ applyment'.padStart(13)}`);
  for (const [which, name] of [
    ['ajv', 'before: ajv (load, compile, check)'],
    ['checker', 'after: hand-written checker'],
  ] as const) {
    const m = (key: string) => median(runs[which]!.map((run) => run[key]!)).toFixed(2);
    console.log(`${name.padEnd(34)}${m('jsapi').padStart(8)}${m('applyment').padStart(13)}`);
  }
}

/** The bodies a route is timed with: all sensitive fields encrypted, none given, one in plaintext, all in plaintext. */
function bagsOf(route: RouteFacts) {
  const full = fill(route.json!);
  const headers = { 'Wechatpay-Serial': PLATFORM_SERIAL };
  const json = (keep: (index: number) => string | undefined) =>
    withSensitive(route, full, keep) as Record<string, unknown>;
  const bags = {
    encrypted: { json: json(() => CIPHERTEXT), headers },
    none: { json: json(() => undefined) },
    one: { json: json((index) => (index === 0 ? '张三' : undefined)) },
    all: { json: json(() => '张三') },
  };
  for (const mode of [true, 'strict'] as const) {
    const issues = validateRequest(route, bags.encrypted, mode);
    if (issues.length > 0) throw new Error(`${route.path} body is not valid: ${JSON.stringify(issues)}`);
  }
  if (encryptionIssues(route, bags.encrypted).length > 0) throw new Error('ciphertexts not recognised');
  return { ...bags, fields: JSON.stringify(bags.encrypted.json).match(/":/g)!.length };
}

function main(): void {
  const keys = new PlatformKeys({ [PLATFORM_SERIAL]: pemPair().publicKey });
  const stub = () => CIPHERTEXT;
  const cases: Case[] = [];
  const refunds = findRoute('POST', 'v3/refund/domestic/refunds')!;
  const refundBag = { json: fill(refunds.json!) as Record<string, unknown> };
  cases.push(
    { name: 'refunds (no sensitive field): encryption check', run: () => encryptionIssues(refunds, refundBag) },
    {
      name: 'refunds (no sensitive field): encrypt planning',
      run: () => encryptFieldsWith(refunds, refundBag, keys, oaepLimit, stub),
    },
  );
  for (const [short, path] of [
    ['jsapi', 'v3/pay/transactions/jsapi'],
    ['applyment', 'v3/applyment4sub/applyment/'],
  ] as const) {
    const route = findRoute('POST', path)!;
    const bags = bagsOf(route);
    const sensitive = route.encrypted.json.length;
    cases.push(
      {
        name: `${short} (${bags.fields} fields): validate (lenient)`,
        run: () => validateRequest(route, bags.encrypted, true),
      },
      { name: `${short}: validate (strict)`, run: () => validateRequest(route, bags.encrypted, 'strict') },
      {
        name: `${short}: encryption check, ${sensitive} sensitive given encrypted`,
        run: () => encryptionIssues(route, bags.encrypted),
      },
      {
        name: `${short}: encrypt planning, no sensitive value given`,
        run: () => encryptFieldsWith(route, bags.none, keys, oaepLimit, stub),
      },
      {
        name: `${short}: encrypt planning + copy, 1 field (RSA excluded)`,
        run: () => encryptFieldsWith(route, bags.one, keys, oaepLimit, stub),
      },
      {
        name: `${short}: encrypt planning + copy, all ${sensitive} (RSA excluded)`,
        run: () => encryptFieldsWith(route, bags.all, keys, oaepLimit, stub),
      },
    );
  }
  perRequest(cases);
  if (process.env.COLD !== '0') coldStart();
}

main();
