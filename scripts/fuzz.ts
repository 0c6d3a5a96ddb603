// npm run fuzz [-- --scenarios N --links N --saved N --files N --seed S --max-cpus N]
// The hostile-input fuzz suite at a large size (CI runs it small: src/fuzz/fuzz.test.ts).
// Prints the figures and every distinct finding with its seed; exits 1 on any finding.

import { parseArgs } from 'node:util';
import { emptyStats, fuzzFiles, fuzzLinks, fuzzSaved, fuzzScenarios, summary } from '../src/fuzz/run';

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: '10000' },
    links: { type: 'string', default: '1000' },
    saved: { type: 'string', default: '1000' },
    files: { type: 'string', default: '1000' },
    seed: { type: 'string', default: process.env.IRQSCOPE_FUZZ_SEED ?? '20261207' },
    'max-cpus': { type: 'string', default: '64' },
  },
});
const seed = values.seed === 'random' ? (Date.now() & 0x7fffffff) : Number(values.seed);
const st = emptyStats();
const t0 = Date.now();
const n = (k: keyof typeof values) => Number(values[k]);
const chunk = 500;
for (let i = 0; i < n('scenarios'); i += chunk) {
  fuzzScenarios(st, seed + i, Math.min(chunk, n('scenarios') - i), { maxCpus: n('max-cpus') });
  process.stderr.write(`\r${st.scenarios} scenarios, ${st.actions} actions, ${st.findings.length} findings, ${Math.round((Date.now() - t0) / 1000)} s`);
}
process.stderr.write('\n');
fuzzLinks(st, seed, n('links'));
fuzzFiles(st, seed, n('files'));
await fuzzSaved(st, seed, n('saved'));
console.log(`seed ${seed} (replay: npm run fuzz -- --seed ${seed})`);
console.log(summary(st));
console.log(`${Math.round((Date.now() - t0) / 1000)} s`);
const seen = new Set<string>();
for (const f of st.findings) {
  const key = `${f.kind} ${f.what.replace(/\d+/g, 'N').slice(0, 100)}`;
  if (seen.has(key)) continue;
  seen.add(key);
  console.log(`\n${f.kind} (seed ${f.seed}): ${f.what}\n${JSON.stringify(f.input)?.slice(0, 4000)}`);
}
process.exitCode = st.findings.length ? 1 : 0;
