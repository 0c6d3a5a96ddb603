// npm run conformance:report [-- --update-baseline] [--only <text>] [--readme]
// A table per kernel and arch: lines identical / total, affinities equal / total, effective CPUs
// equal / total, msi_irqs and count changes, then every difference. --update-baseline records
// the run's matches in baseline.json (it refuses while a recorded match is lost).

import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import {
  BASELINE_PATH, COLUMNS, type Column, type FixtureComparison, compareFixture, fixtureDirs, improvements, matchedColumns, readBaseline, regressions,
} from './compare';
import { EXPLAINED } from './explained';

// A closed pipe (| head) ends the report quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const results = fixtureDirs().filter((d) => !only || d.includes(only)).map(compareFixture);

const HEAD: Record<Column, string> = { proc: 'proc lines', affinity: 'affinity', effective: 'effective CPU', msi_irqs: 'msi_irqs', counts: 'count changes', result: 'step results' };
const pct = (e: number, t: number) => (t ? `${e}/${t} (${((100 * e) / t).toFixed(1)}%)` : '—');

function sum(rs: FixtureComparison[]): Record<Column, [number, number]> {
  const out = Object.fromEntries(COLUMNS.map((c) => [c, [0, 0]])) as Record<Column, [number, number]>;
  for (const r of rs) for (const s of r.steps) for (const c of COLUMNS) {
    out[c][0] += s.score[c][0];
    out[c][1] += s.score[c][1];
  }
  return out;
}

const table: string[] = [];
const print = (line: string) => {
  table.push(line);
  console.log(line);
};
const groups = new Map<string, FixtureComparison[]>();
for (const r of results) {
  const key = `${r.kernel} ${r.arch}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
print(`| kernel arch | fixtures | steps | ${COLUMNS.map((c) => HEAD[c]).join(' | ')} |`);
print(`|---|---|---|${COLUMNS.map(() => '---').join('|')}|`);
for (const [key, rs] of [...groups].sort()) {
  const t = sum(rs);
  const steps = rs.reduce((n, r) => n + r.steps.length, 0);
  print(`| ${key} | ${rs.length} | ${steps} | ${COLUMNS.map((c) => pct(...t[c])).join(' | ')} |`);
}
const all = sum(results);
print(`| all | ${results.length} | ${results.reduce((n, r) => n + r.steps.length, 0)} | ${COLUMNS.map((c) => pct(...all[c])).join(' | ')} |`);

// --readme: the table goes into README.md between its conformance-report markers.
if (args.includes('--readme')) {
  const readme = new URL('../README.md', import.meta.url).pathname;
  const text = readFileSync(readme, 'utf8');
  const re = /<!-- conformance-report -->[\s\S]*<!-- \/conformance-report -->/;
  if (!re.test(text)) throw new Error('README.md has no conformance-report markers');
  writeFileSync(readme, text.replace(re, `<!-- conformance-report -->\n${table.join('\n')}\n<!-- /conformance-report -->`));
}

console.log('\nDifferences:');
let shown = 0;
for (const r of results) {
  if (r.error) console.log(`\n${r.name}: ${r.error}`);
  for (const s of r.steps) {
    if (!s.differences.length) continue;
    console.log(`\n${r.name} step ${s.step} (${s.what}):`);
    for (const d of s.differences) {
      const why = EXPLAINED.find((e) => e.match(r.name, s.step, d));
      console.log(`  [${d.column}] ${d.text}${why ? `\n      explained: ${why.why}` : ''}`);
      shown++;
    }
  }
}
if (!shown) console.log('  none');

const baseline = readBaseline();
const run = matchedColumns(results);
const lost = regressions(baseline, run);
if (lost.length) console.log(`\nLost matches (the baseline records them):\n  ${lost.join('\n  ')}`);
if (args.includes('--update-baseline')) {
  if (lost.length && !only) {
    console.error('\nbaseline not updated: matches were lost; fix them first');
    process.exit(1);
  }
  // Only what a clean clone has: captures git tracks (a capture still being made is left out).
  const tracked = new Set(execFileSync('git', ['ls-files', 'conformance/fixtures'], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname })
    .split('\n').filter((f) => f.endsWith('/capture.txt')).map((f) => f.slice('conformance/fixtures/'.length, -'/capture.txt'.length)));
  const merged = { ...baseline };
  for (const [k, cols] of Object.entries(run)) {
    if (!tracked.has(k.split('@')[0])) continue;
    merged[k] = [...new Set([...(baseline[k] ?? []), ...cols])].sort() as Column[];
  }
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
  writeFileSync(BASELINE_PATH, JSON.stringify(sorted, null, 1) + '\n');
  console.log(`\nbaseline.json: ${improvements(baseline, run).length} matches added`);
}
