/**
 * Agreement of the MF and LF simulators with HF (langevin.md, "What it must show"): at five θ (the
 * three θ of the HF tests in test/simulators-reference.test.ts and two near corners of the prior
 * [50, 200] × [20, 100] × [0.1, 1.0]) simulate N traces of each fidelity (default 400) and compute,
 * for each of the 4 summary statistics, the two-sample Kolmogorov–Smirnov distance MF–HF and LF–HF.
 * Writes docs/results/mf-agreement.md (or --out FILE): date, commit, command, machine, load, the
 * table, and the mean KS distance of each pair over the 4 × 5 cells (acceptance: MF–HF ≤ ½ LF–HF).
 *
 *   node --import tsx scripts/mf-agreement.ts [--n 400] [--seed 2025] [--workers W] [--out FILE]
 *
 * Streams: fidelity f at θ_k uses seed S + 1000·f + k (f = 0 HF, 1 MF, 2 LF), streams 0..N−1, so the
 * three samples are independent (HF and MF would otherwise share their initial multinomial draws).
 * Simulations run in worker threads (src/simulators/batch.ts); rows do not depend on the worker count.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { simulateBatch, ROW_WIDTH, defaultWorkers } from '../src/simulators/batch.js';
import type { Fidelity } from '../src/simulators/fidelity.js';
import { SUMMARY_NAMES } from '../src/simulators/summary.js';
import { SIMULATOR_VERSION } from '../src/simulators/version.js';
import { ksTwoSample, median } from '../test/helpers/stats.js';

const THETAS: { theta: number[]; note: string }[] = [
  { theta: [120, 36, 0.3], note: 'reference point (HF tests)' },
  { theta: [60, 30, 0.8], note: 'strong leak (HF tests)' },
  { theta: [55, 22, 0.12], note: 'few channels, weak leak (HF tests)' },
  { theta: [195, 25, 0.15], note: 'prior corner: high Na, low K, weak leak' },
  { theta: [55, 95, 0.95], note: 'prior corner: low Na, high K, strong leak' },
];
const FIDS: Fidelity[] = ['hf', 'mf', 'lf'];

function arg(name: string, def: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : def;
}

const n = Number(arg('n', '400'));
const seed = Number(arg('seed', '2025'));
const workers = Number(arg('workers', String(defaultWorkers())));
const out = arg('out', 'docs/results/mf-agreement.md');
if (!(Number.isInteger(n) && n >= 10 && Number.isSafeInteger(seed) && seed >= 0 && Number.isInteger(workers) && workers >= 1)) {
  console.error('usage: node --import tsx scripts/mf-agreement.ts [--n N ≥ 10] [--seed S] [--workers W] [--out FILE]');
  process.exit(2);
}

const sh = (cmd: string) => {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const commit = sh('git rev-parse --short HEAD');
const dirty = sh('git status --porcelain --untracked-files=no') === '' ? '' : ' (with uncommitted changes)';
const uptime0 = sh('uptime');
const load0 = loadavg();
const started = new Date();

/** Summaries per fidelity per θ: stats[f][k][j] = values of statistic j. */
const stats: Record<string, number[][][]> = {};
const seconds: Record<string, number> = {};
for (const [fi, f] of FIDS.entries()) {
  stats[f] = [];
  const t0 = performance.now();
  for (const [k, { theta }] of THETAS.entries()) {
    const { rows } = await simulateBatch({ fidelity: f, seed: seed + 1000 * fi + k, theta }, n, { workers, forcePool: workers > 1 });
    const cols: number[][] = SUMMARY_NAMES.map(() => []);
    for (let i = 0; i < n; i++) for (let j = 0; j < SUMMARY_NAMES.length; j++) cols[j].push(rows[i * ROW_WIDTH + 3 + j]);
    stats[f].push(cols);
  }
  seconds[f] = (performance.now() - t0) / 1000;
  console.error(`mf-agreement: ${f.toUpperCase()} ${THETAS.length} × ${n} traces in ${seconds[f].toFixed(1)} s`);
}
const uptime1 = sh('uptime');
const load1 = loadavg();

const fmt = (x: number, d = 3) => x.toFixed(d);
const lines: string[] = [];
let sumMF = 0;
let sumLF = 0;
let mfWins = 0;
for (const [k, { theta }] of THETAS.entries()) {
  for (const [j, name] of SUMMARY_NAMES.entries()) {
    const hf = stats.hf[k][j];
    const mf = stats.mf[k][j];
    const lf = stats.lf[k][j];
    const a = ksTwoSample(mf, hf);
    const b = ksTwoSample(lf, hf);
    sumMF += a.d;
    sumLF += b.d;
    if (a.d < b.d) mfWins++;
    const med = (v: number[]) => fmt(median(v), name === 'n_spikes' ? 1 : 2);
    lines.push(
      `| ${j === 0 ? `(${theta.join(', ')})` : ''} | ${name} | ${med(hf)} | ${med(mf)} | ${med(lf)} | **${fmt(a.d)}** | ${a.p.toExponential(1)} | ${fmt(b.d)} | ${b.p.toExponential(1)} |`,
    );
  }
}
const cells = THETAS.length * SUMMARY_NAMES.length;
const meanMF = sumMF / cells;
const meanLF = sumLF / cells;
const pass = meanMF <= meanLF / 2;
const cmd = `node --import tsx scripts/mf-agreement.ts --n ${n} --seed ${seed} --workers ${workers}${out === 'docs/results/mf-agreement.md' ? '' : ` --out ${out}`}`;
const cpu = cpus()[0]?.model ?? 'unknown CPU';

const md = `# MF vs HF and LF vs HF: summary-statistic agreement

Generated by \`scripts/mf-agreement.ts\` (langevin.md, "What it must show"; the MF model: docs/mf-model.md).

- Date: ${started.toISOString()}
- Commit: ${commit}${dirty}, SIMULATOR_VERSION ${SIMULATOR_VERSION}
- Command: \`${cmd}\`
- Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}; ${workers} worker thread${workers === 1 ? '' : 's'}
- Load before: \`${uptime0}\`
- Load after: \`${uptime1}\` (1-min load ${fmt(load0[0], 2)} → ${fmt(load1[0], 2)}; the machine is shared)
- Wall time: HF ${seconds.hf.toFixed(1)} s, MF ${seconds.mf.toFixed(1)} s, LF ${seconds.lf.toFixed(1)} s for ${THETAS.length} × ${n} traces each

θ (mS/cm²): ${THETAS.map(({ theta, note }) => `(${theta.join(', ')}) ${note}`).join('; ')}.

${n} traces per fidelity and θ; fidelity f at θ_k uses seed ${seed} + 1000·f + k (f = 0 HF, 1 MF, 2 LF),
streams 0..${n - 1}, so the three samples are independent. D: two-sample Kolmogorov–Smirnov distance to
the HF sample (ties stepped over together); p: its asymptotic p-value (Stephens' correction;
conservative for the discrete spike count). With ${n} vs ${n} traces, D ≈ ${fmt(1.36 * Math.sqrt(2 / n), 3)} is the 5 % critical value.

| θ (ḡ_Na, ḡ_K, ḡ_L) | statistic | median HF | median MF | median LF | D(MF, HF) | p | D(LF, HF) | p |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${lines.join('\n')}

**Mean KS distance over the ${THETAS.length} × ${SUMMARY_NAMES.length} = ${cells} cells: MF–HF ${fmt(meanMF)}, LF–HF ${fmt(meanLF)}** (ratio ${fmt(meanMF / meanLF, 2)};
MF closer to HF than LF in ${mfWins} of ${cells} cells). Acceptance (MF–HF mean ≤ ½ LF–HF mean): **${pass ? 'met' : 'NOT met'}**.
`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, md);
console.log(md);
console.error(`mf-agreement: wrote ${out}; mean D MF–HF ${fmt(meanMF)}, LF–HF ${fmt(meanLF)}: ${pass ? 'met' : 'NOT met'}`);
