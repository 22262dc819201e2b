/**
 * C2ST benchmark: ours vs scikit-learn on identical files (see src/metrics/bench-c2st.ts).
 *   node --import tsx scripts/bench-c2st.ts [--repeats R] [--sizes 1000,10000] [--no-sklearn] [--json FILE]
 * scikit-learn: `apt-get install -y python3-sklearn`, run through /usr/bin/python3.
 */
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { benchC2st } from '../src/metrics/bench-c2st.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const val = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = await benchC2st({
  repeats: Number(val('--repeats') ?? 3),
  sizes: (val('--sizes') ?? '1000,10000').split(',').map(Number),
  sklearn: !argv.includes('--no-sklearn'),
  sklearnScript: join(root, 'scripts', 'c2st-sklearn.py'),
  dataDir: join(root, 'test', 'data', 'sbibm'),
});
const f = (r?: { accuracy: number; seconds: number }) => (r ? `${r.accuracy.toFixed(3)} | ${r.seconds.toFixed(2)}` : '— | —');
console.log(`| case | n per side | ours: acc | s | ours (sbibm stopping): acc | s | scikit-learn: acc | s |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${f(r.ours)} | ${f(r.oursSbibm)} | ${f(r.sklearn)} |`);
console.log(
  `load average at the end: ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
const json = val('--json');
if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
