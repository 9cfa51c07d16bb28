/**
 * Cold start in fresh processes, ours (the built dist: run `npm run build` first) and the peer alternating:
 * require, Builder.factory / new Wechatpay, first signed + verified call. Medians of wall and CPU time.
 * Run: npm run bench:cold (COLD_VALIDATION=false: ours without the catalog's field validation, as the peer has none)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, pemPair, startResponder } from './measure';

const RUNS = Number(process.env.RUNS ?? 9);

async function main(): Promise<void> {
  const merchant = pemPair();
  const platform = pemPair();
  const { port, child } = await startResponder(platform.privateKey);
  const env = { ...process.env, MERCHANT_KEY: merchant.privateKey, PLATFORM_PUBLIC: platform.publicKey };
  const runs: Record<string, Record<string, number>[]> = { ours: [], peer: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const which of i % 2 ? ['peer', 'ours'] : ['ours', 'peer']) {
      const out = execFileSync(process.execPath, [join(__dirname, 'cold-child.js'), which, String(port)], { env });
      runs[which]!.push(JSON.parse(out.toString()) as Record<string, number>);
    }
  }
  for (const [label, prefix] of [
    ['wall time', ''],
    ['CPU time (user + system, all threads)', 'cpu'],
  ] as const) {
    const key = (name: string) => (prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name);
    console.log(`cold start, ${RUNS} fresh processes each, ${label}, medians (ms)`);
    console.log('client                    require  factory  first call  total');
    for (const [which, name] of [
      ['ours', 'wechatpay-chain'],
      ['peer', 'wechatpay-axios-plugin'],
    ] as const) {
      const m = (field: string) => median(runs[which]!.map((r) => r[key(field)]!)).toFixed(1);
      console.log(
        `${name.padEnd(24)}${m('require').padStart(8)}${m('factory').padStart(9)}${m('firstCall').padStart(12)}${m('total').padStart(7)}`,
      );
    }
    const total = key('total');
    const ratio = median(runs.ours!.map((r, i) => r[total]! / runs.peer![i]![total]!));
    console.log(`wechatpay-chain / peer total, ${label} (paired median): ${ratio.toFixed(2)}x (target <= 1.00)`);
  }
  child.disconnect();
}

void main();
