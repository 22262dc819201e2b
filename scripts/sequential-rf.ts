/**
 * Scores the posterior samples a study saved (`"sequential": {"saveSamples": true}`) with the
 * published classifier, a random-forest C2ST (scripts/c2st-sklearn.py --classifier rf, sbi's
 * `c2st(..., classifier="rf")`), beside the study's own MLP C2ST (units.csv), and compares the means
 * with the published OU numbers of the sequential methods (../shared/benchmarks).
 *
 *   node --import tsx scripts/sequential-rf.ts TASK_DIR [--jobs N] [--published FILE]
 *
 * TASK_DIR is a task's folder of the study (`DIR` for HH, `DIR/ou` for OU). Writes
 * `TASK_DIR/c2st-rf.csv` (one row per saved run: method, n_lf, n_hf, seed, obs, c2st_mlp, c2st_rf),
 * atomically, and prints a table per method and HF budget: the mean over runs, the 95 % CI over seeds
 * (of each seed's mean over its observations) and the published mean ± sd. The random forest is
 * seeded by the observation index, so a rerun gives the same file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../src/data/atomic.js';
import { meanConfidenceInterval } from '../src/metrics/stats.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = args[0];
if (!dir || dir.startsWith('--')) throw new Error('usage: sequential-rf.ts TASK_DIR [--jobs N] [--published FILE]');
const jobs = Number(opt('--jobs', '2'));
const publishedFile = opt('--published', join(import.meta.dirname, '..', '..', 'shared', 'benchmarks', 'mfnpe-ou-sequential-results.csv'));
const samples = join(dir, 'samples');
const script = join(import.meta.dirname, 'c2st-sklearn.py');

interface Run {
  method: string;
  n_lf: number;
  n_hf: number;
  seed: number;
  obs: number;
  file: string;
}

const runs: Run[] = readdirSync(samples)
  .map((file) => {
    const m = /^(.+)-lf(\d+)-hf(\d+)-seed(\d+)-obs(\d+)\.csv$/.exec(file);
    return m ? { method: m[1], n_lf: +m[2], n_hf: +m[3], seed: +m[4], obs: +m[5], file } : null;
  })
  .filter((r): r is Run => r !== null)
  .sort((a, b) => a.method.localeCompare(b.method) || a.n_hf - b.n_hf || a.seed - b.seed || a.obs - b.obs);

/**
 * The study's MLP C2ST per run: from units.csv once the study is reported, else from the unit files
 * written so far (`units/*.json`), so a study still running can be scored.
 */
function mlpC2st(): Map<string, number> {
  const out = new Map<string, number>();
  const set = (r: {
    method: string;
    n_lf: number | string;
    n_hf: number | string;
    seed: number | string;
    unit: number | string;
    metric: string;
    value: number | string;
  }) => {
    if (r.metric === 'c2st') out.set(`${r.method}|${r.n_lf}|${r.n_hf}|${r.seed}|${r.unit}`, Number(r.value));
  };
  const csv = join(dir, 'units.csv');
  if (existsSync(csv)) {
    const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
    const names = header.split(',');
    for (const l of lines) {
      const v = l.split(',');
      set(Object.fromEntries(names.map((n, i) => [n, v[i]])) as Parameters<typeof set>[0]);
    }
    return out;
  }
  const units = join(dir, 'units');
  for (const f of existsSync(units) ? readdirSync(units) : []) {
    const doc = JSON.parse(readFileSync(join(units, f), 'utf8')) as { result?: { units?: Parameters<typeof set>[0][] } };
    for (const r of doc.result?.units ?? []) set(r);
  }
  return out;
}

/**
 * The random-forest C2ST of runs[from..to) against the reference samples at their observations: one
 * Python process scores the whole block (c2st-sklearn.py --pairs), printing an accuracy per line.
 */
function rfBlock(from: number, to: number, scores: number[], onScore: () => void): Promise<void> {
  const list = join(mkdtempSync(join(tmpdir(), 'mfnpe-rf-')), 'pairs.txt');
  const lines = runs.slice(from, to).map((r) => `${join(samples, `reference-obs${r.obs}.csv`)} ${join(samples, r.file)} ${r.obs}`);
  writeFileSync(list, `${lines.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [script, '--pairs', list, '--classifier', 'rf'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let i = from;
    createInterface({ input: child.stdout }).on('line', (line) => {
      scores[i++] = Number(line);
      onScore();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dirname(list), { recursive: true, force: true });
      if (code === 0 && i === to) resolve();
      else reject(new Error(`c2st-sklearn.py --pairs exited with code ${code} after ${i - from} of ${to - from} pairs`));
    });
  });
}

const scores = new Array<number>(runs.length);
let done = 0;
const blocks = Math.max(1, Math.min(jobs, runs.length));
const progress = () => {
  if (++done % 20 === 0 || done === runs.length) process.stderr.write(`random-forest C2ST: ${done}/${runs.length}\n`);
};
await Promise.all(
  Array.from({ length: blocks }, (_, b) => rfBlock(Math.floor((b * runs.length) / blocks), Math.floor(((b + 1) * runs.length) / blocks), scores, progress)),
);

const mlp = mlpC2st();
const key = (r: Run) => `${r.method}|${r.n_lf}|${r.n_hf}|${r.seed}|${r.obs}`;
const rows = runs.map((r, i) => ({ ...r, c2st_mlp: mlp.get(key(r)) ?? Number.NaN, c2st_rf: scores[i] }));
writeFileAtomic(
  join(dir, 'c2st-rf.csv'),
  `method,n_lf,n_hf,seed,obs,c2st_mlp,c2st_rf\n${rows.map((r) => [r.method, r.n_lf, r.n_hf, r.seed, r.obs, r.c2st_mlp, r.c2st_rf].join(',')).join('\n')}\n`,
);

/** Published mean ± sd per method, LF and HF budget (the file's largest study for each). */
function published(): Map<string, { mean: number; sd: number; n: number }> {
  const out = new Map<string, { mean: number; sd: number; n: number }>();
  if (!existsSync(publishedFile)) return out;
  const [, ...lines] = readFileSync(publishedFile, 'utf8').trim().split('\n');
  for (const l of lines) {
    const [method, metric, nLf, nHf, mean, sd, n] = l.split(',');
    if (metric !== 'c2st') continue;
    const k = `${method.replaceAll('_', '-')}|${nLf}|${nHf}`;
    const prev = out.get(k);
    if (!prev || +n > prev.n) out.set(k, { mean: +mean, sd: +sd, n: +n });
  }
  return out;
}

/** Mean over runs and the 95 % CI over seeds of each seed's mean. */
function cell(values: { seed: number; v: number }[]): string {
  const bySeed = new Map<number, number[]>();
  for (const { seed, v } of values) bySeed.set(seed, [...(bySeed.get(seed) ?? []), v]);
  const seedMeans = [...bySeed.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const all = values.reduce((a, b) => a + b.v, 0) / values.length;
  const ci = meanConfidenceInterval(seedMeans);
  return seedMeans.length > 1 ? `${all.toFixed(3)} [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}]` : all.toFixed(3);
}

const pub = published();
console.log('| method | LF | HF | runs (seeds × obs) | C2ST, random forest [95 % CI over seeds] | C2ST, MLP | published (random forest), mean ± sd |');
console.log('|---|---:|---:|---:|---|---|---|');
const cells = new Map<string, typeof rows>();
for (const r of rows) cells.set(`${r.method}|${r.n_lf}|${r.n_hf}`, [...(cells.get(`${r.method}|${r.n_lf}|${r.n_hf}`) ?? []), r]);
for (const [k, rs] of cells) {
  const [method, nLf, nHf] = k.split('|');
  const seeds = new Set(rs.map((r) => r.seed)).size;
  const p = pub.get(k);
  console.log(
    `| ${method} | ${nLf} | ${nHf} | ${rs.length} (${seeds} × ${rs.length / seeds}) | ${cell(rs.map((r) => ({ seed: r.seed, v: r.c2st_rf })))} | ${cell(rs.map((r) => ({ seed: r.seed, v: r.c2st_mlp })))} | ${p ? `${p.mean.toFixed(3)} ± ${p.sd.toFixed(3)} (n = ${p.n})` : '—'} |`,
  );
}
