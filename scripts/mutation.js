// `npm run mutation` / `npm run mutation:ci`: Stryker over the security-critical modules (stryker.config.mjs), then
// the score of each module from its JSON report. Fails when Stryker fails or any module scores under the break
// threshold: Stryker's own `thresholds.break` judges only the total, and a strong module must not hide a weak one.
const { spawnSync } = require('node:child_process');
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const report = join(root, 'reports', 'mutation', 'mutation.json');
const started = Date.now();
const run = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
const seconds = Math.round((Date.now() - started) / 1000);

let fresh = false;
try {
  fresh = statSync(report).mtimeMs >= started;
} catch {
  // no report: Stryker failed before writing one
}
if (!fresh) {
  console.error(`mutation: Stryker wrote no report (exit ${run.status}) after ${seconds} s`);
  process.exit(run.status || 1);
}

const { files, thresholds } = JSON.parse(readFileSync(report, 'utf8'));
const breakAt = thresholds?.break ?? 90;
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = Object.entries(files).map(([file, { mutants }]) => {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const valid = detected + undetected;
  return { file, detected, valid, score: valid === 0 ? 100 : (100 * detected) / valid };
});
const width = Math.max(...rows.map((row) => row.file.length));
console.log(`\nmutation score per module (break under ${breakAt}%), ${seconds} s:`);
for (const { file, detected, valid, score } of rows) {
  const mark = score < breakAt ? '  << under the threshold' : '';
  console.log(
    `  ${file.padEnd(width)}  ${String(detected).padStart(4)} / ${String(valid).padEnd(4)} ${score.toFixed(1).padStart(5)}%${mark}`,
  );
}
const under = rows.filter((row) => row.score < breakAt);
if (under.length > 0) {
  console.error(`mutation: ${under.length} module(s) under ${breakAt}%`);
  process.exit(1);
}
process.exit(run.status ?? 1);
