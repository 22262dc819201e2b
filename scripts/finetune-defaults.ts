/**
 * Fine-tuning defaults of MF-NPE at small HF budgets, over seeds (HH task). For each seed and each
 * pre-training fidelity (MF, then LF): pre-train once on `--n-low` low-fidelity pairs with the
 * experiment's pre-training settings (src/experiment/config.ts, lr 10⁻⁴), evaluate the pre-trained
 * flow (0 HF), then fine-tune a copy on the first n HF training pairs of the seed for each budget n,
 * under each variant:
 *
 * - `current`:       the library's present defaults (refitX true, lr 5·10⁻⁴, startCandidate false,
 *                    validationFraction 0.1, nothing frozen);
 * - `start`:         current + startCandidate (the starting weights are a candidate of early stopping);
 * - `start+keepX`:   start + refitX false (the pre-training x standardizer is kept, so "epoch 0" is
 *                    exactly the pre-trained flow; with refitX true it is the pre-trained weights
 *                    under the HF-refitted standardizer);
 * - `start+lr1e-4`:  start + learning rate 10⁻⁴;
 * - `start+freeze`:  start + everything frozen except the last layer of every conditioner
 *                    (`output_w`, `output_b`): the x/θ features of the pre-trained network are kept,
 *                    only the map from features to spline parameters is fine-tuned (head-only
 *                    fine-tuning, the usual transfer-learning choice at few target samples);
 * - `start+val0.3`:  start + validationFraction 0.3.
 *
 * The reference line is NPE from scratch on 1000 HF pairs of the same seed (the experiment's NPE
 * settings). Every posterior is scored by NLTP (−log q(θ* | x*)) on the experiment's 200 HF test pairs
 * (streams (0, STREAM_OFFSET.test + i)), per test pair, so that differences are paired.
 *
 * Streams are the experiment's: HF training pairs (seed, i) (src/experiment/unit.ts, hfTraining),
 * LF pairs (seed, STREAM_OFFSET.lf + i), MF pairs (seed, STREAM_OFFSET.mf + i) (src/tasks/ladder.ts),
 * cached in `--data` (src/experiment/cache.ts). Network initialization, validation split and batch
 * order follow the replicate seed, as in the experiment.
 *
 *   node --import tsx scripts/finetune-defaults.ts [--seeds 0,1,2] [--budgets 50,100] [--n-low 10000]
 *     [--pretrain mf,lf] [--npe-hf 1000] [--data DIR] [--out FILE.csv] [--workers W]
 *   node --import tsx scripts/finetune-defaults.ts --table FILE-pairs.csv   (table of an earlier run)
 *
 * Writes FILE.csv (one row per posterior: seed, pretrain, variant, n_hf, mean NLTP, epochs, best epoch,
 * training seconds) and FILE-pairs.csv (one row per posterior and test pair), row by row as they are
 * computed, and prints the table (stdout): mean NLTP per (pretrain, variant, n_hf) over seeds, the
 * paired difference to `current` with a 95 % Student-t CI over seeds (n − 1 df; per seed, the mean
 * over test pairs of the per-pair difference) and over test pairs (per pair, the mean over seeds of
 * the difference; 199 df), and the difference to the pre-trained flow. Progress goes to stderr.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cachedJoint } from '../src/experiment/cache.js';
import { defaultConfig, trainOptions } from '../src/experiment/config.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import { NPE } from '../src/inference/npe.js';
import type { NpePosterior } from '../src/inference/posterior.js';
import type { TrainOptions, TrainResult } from '../src/inference/train.js';
import { nltp } from '../src/metrics/nltp.js';
import { meanConfidenceInterval } from '../src/metrics/stats.js';
import { STREAM_OFFSET } from '../src/random.js';
import { getTask } from '../src/tasks/registry.js';

/** The fine-tuning variants: options laid over the experiment's fine-tuning settings. */
const VARIANTS: { name: string; options: TrainOptions }[] = [
  { name: 'current', options: {} },
  { name: 'start', options: { startCandidate: true } },
  { name: 'start+keepX', options: { startCandidate: true, refitX: false } },
  { name: 'start+lr1e-4', options: { startCandidate: true, learningRate: 1e-4 } },
  { name: 'start+freeze', options: { startCandidate: true, freeze: ['context_w', 'context_b', 'input_w', 'hidden_w', 'hidden_b'] } },
  { name: 'start+val0.3', options: { startCandidate: true, validationFraction: 0.3 } },
];

function arg(name: string, def: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : def;
}

function intList(text: string, what: string, min: number): number[] {
  const v = text.split(',').map(Number);
  if (v.length === 0 || !v.every((b) => Number.isInteger(b) && b >= min)) {
    console.error(`--${what} must be a comma-separated list of integers ≥ ${min}, got '${text}'`);
    process.exit(2);
  }
  return v;
}

const progress = (msg: string) => process.stderr.write(`finetune-defaults: ${msg}\n`);

/** One posterior's NLTP per test pair. */
interface Row {
  seed: number;
  pretrain: string;
  variant: string;
  nHf: number;
  values: Float64Array;
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const signed = (v: number, d = 3) => (v >= 0 ? '+' : '') + fmt(v, d);
const ci = (m: { mean: number; lower: number; upper: number }) => `${signed(m.mean)} [${signed(m.lower)}, ${signed(m.upper)}]`;

/** Mean of Float64Array values. */
function meanOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Paired difference a − b over seeds present in both: CI over seeds (per-seed means) and over test pairs (per-pair means over seeds). */
function paired(a: Row[], b: Row[]) {
  const bySeed = new Map(b.map((r) => [r.seed, r.values]));
  const pairs = a.filter((r) => bySeed.has(r.seed)).map((r) => ({ x: r.values, y: bySeed.get(r.seed)! }));
  if (pairs.length === 0) return null;
  const n = pairs[0].x.length;
  const perSeed = pairs.map(({ x, y }) => meanOf(x.map((v, i) => v - y[i])));
  const perPair = new Float64Array(n);
  for (let i = 0; i < n; i++) perPair[i] = meanOf(pairs.map(({ x, y }) => x[i] - y[i]));
  return { seeds: meanConfidenceInterval(perSeed), pairs: meanConfidenceInterval(perPair), nSeeds: pairs.length };
}

/** The table (markdown) of a run's rows. */
function table(rows: Row[]): string {
  const lines: string[] = [];
  const find = (p: string, v: string, n: number) => rows.filter((r) => r.pretrain === p && r.variant === v && r.nHf === n);
  const seedsOf = (rs: Row[]) => rs.map((r) => r.seed).join(',');
  const pretrains = [...new Set(rows.filter((r) => r.pretrain !== 'none').map((r) => r.pretrain))];
  const budgets = [...new Set(rows.filter((r) => r.pretrain !== 'none' && r.nHf > 0).map((r) => r.nHf))].sort((a, b) => a - b);
  const variants = VARIANTS.map((v) => v.name).filter((v) => rows.some((r) => r.variant === v));
  lines.push('| pre-train | variant | HF | seeds | mean NLTP | Δ vs current, CI over seeds | Δ vs current, CI over test pairs | Δ vs pre-trained (0 HF) |');
  lines.push('|---|---|---:|---|---:|---|---|---:|');
  for (const p of pretrains) {
    const pre = find(p, 'pretrained', 0);
    if (pre.length > 0) lines.push(`| ${p} | pre-trained | 0 | ${seedsOf(pre)} | ${fmt(meanOf(pre.map((r) => meanOf(r.values))))} | | | |`);
    for (const n of budgets) {
      const cur = find(p, 'current', n);
      for (const v of variants) {
        const rs = find(p, v, n);
        if (rs.length === 0) continue;
        const m = meanOf(rs.map((r) => meanOf(r.values)));
        const d = v === 'current' ? null : paired(rs, cur);
        const dp = paired(rs, pre);
        lines.push(
          `| ${p} | ${v} | ${n} | ${seedsOf(rs)} | ${fmt(m)} | ${d ? ci(d.seeds) : '—'} | ${d ? ci(d.pairs) : '—'} | ${dp ? signed(dp.seeds.mean) : '—'} |`,
        );
      }
    }
  }
  const npe = rows.filter((r) => r.variant === 'npe');
  for (const n of [...new Set(npe.map((r) => r.nHf))]) {
    const rs = npe.filter((r) => r.nHf === n);
    lines.push(`| — | NPE from scratch | ${n} | ${seedsOf(rs)} | ${fmt(meanOf(rs.map((r) => meanOf(r.values))))} | | | |`);
  }
  // Overall: each variant's mean over (pre-train, budget) cells, and its paired difference to `current` averaged over the cells.
  lines.push('');
  lines.push('| variant | mean NLTP over pre-train × HF cells | Δ vs current (cell-averaged), CI over seeds | Δ vs current, CI over test pairs |');
  lines.push('|---|---:|---|---|');
  const cells = pretrains.flatMap((p) => budgets.map((n) => ({ p, n })));
  for (const v of variants) {
    const per = cells.map(({ p, n }) => find(p, v, n)).filter((rs) => rs.length > 0);
    if (per.length !== cells.length) continue;
    const m = meanOf(per.map((rs) => meanOf(rs.map((r) => meanOf(r.values)))));
    let dSeeds = '—';
    let dPairs = '—';
    if (v !== 'current') {
      // Per seed: mean over cells of the per-seed paired difference; per test pair: mean over cells and seeds.
      const seeds = [...new Set(rows.map((r) => r.seed))];
      const perSeed: number[] = [];
      for (const s of seeds) {
        const ds = cells.map(({ p, n }) => {
          const a = find(p, v, n).find((r) => r.seed === s);
          const b = find(p, 'current', n).find((r) => r.seed === s);
          return a && b ? meanOf(a.values.map((x, i) => x - b.values[i])) : NaN;
        });
        if (ds.every(Number.isFinite)) perSeed.push(meanOf(ds));
      }
      if (perSeed.length > 0) dSeeds = ci(meanConfidenceInterval(perSeed));
      const nPairs = rows[0].values.length;
      const perPair = new Float64Array(nPairs);
      const cellDiffs = cells.map(({ p, n }) => paired(find(p, v, n), find(p, 'current', n)));
      if (cellDiffs.every((d) => d !== null)) {
        for (let i = 0; i < nPairs; i++) {
          let s = 0;
          let k = 0;
          for (const { p, n } of cells) {
            const cur = new Map(find(p, 'current', n).map((r) => [r.seed, r.values]));
            for (const r of find(p, v, n)) {
              const y = cur.get(r.seed);
              if (y) {
                s += r.values[i] - y[i];
                k++;
              }
            }
          }
          perPair[i] = s / k;
        }
        dPairs = ci(meanConfidenceInterval(perPair));
      }
    }
    lines.push(`| ${v} | ${fmt(m)} | ${dSeeds} | ${dPairs} |`);
  }
  return lines.join('\n');
}

/** Rows of a per-pair CSV written by an earlier run. */
function readPairsCsv(path: string): Row[] {
  const rows = new Map<string, Row & { list: number[] }>();
  const text = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  for (const line of text) {
    const [seed, pretrain, variant, nHf, , value] = line.split(',');
    const key = `${seed}|${pretrain}|${variant}|${nHf}`;
    let r = rows.get(key);
    if (!r) {
      r = { seed: Number(seed), pretrain, variant, nHf: Number(nHf), values: new Float64Array(0), list: [] };
      rows.set(key, r);
    }
    r.list.push(Number(value));
  }
  return [...rows.values()].map(({ list, ...r }) => ({ ...r, values: Float64Array.from(list) }));
}

const tableFile = arg('table', '');
if (tableFile) {
  console.log(table(readPairsCsv(tableFile)));
  process.exit(0);
}

const seeds = intList(arg('seeds', '0,1,2'), 'seeds', 0);
const budgets = intList(arg('budgets', '50,100'), 'budgets', 2);
const nLow = intList(arg('n-low', '10000'), 'n-low', 20)[0];
const npeHf = intList(arg('npe-hf', '1000'), 'npe-hf', 20)[0];
const workers = intList(arg('workers', '1'), 'workers', 1)[0];
const pretrainFids = arg('pretrain', 'mf,lf').split(',') as ('mf' | 'lf')[];
if (!pretrainFids.every((f) => f === 'mf' || f === 'lf')) {
  console.error(`--pretrain must list mf and/or lf, got '${pretrainFids.join(',')}'`);
  process.exit(2);
}
const dataDir = arg('data', '/tmp/ftd/data');
const out = arg('out', '/tmp/ftd/finetune-defaults.csv');
const outPairs = out.replace(/\.csv$/, '') + '-pairs.csv';

const task = getTask('hh');
const cfg = defaultConfig('hh');
const D = task.thetaDim;
const C = task.xDim;
const cache = { dir: dataDir, workers, quiet: false };

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, 'seed,pretrain,variant,n_hf,nltp,nonfinite,epochs,best_epoch,train_s\n');
writeFileSync(outPairs, 'seed,pretrain,variant,n_hf,pair,nltp\n');

const test = await cachedJoint(task, { ...cache, purpose: 'test', fidelity: 'hf', seed: cfg.testSeed, offset: STREAM_OFFSET.test, n: cfg.testSize });
const rows: Row[] = [];

/** Scores `q` on the test pairs, records and writes the row. */
async function score(q: NpePosterior, key: Omit<Row, 'values'>, r: TrainResult | null): Promise<void> {
  const nl = await nltp(q, test.theta, test.x);
  rows.push({ ...key, values: nl.values });
  const train = r ? `${r.epochs},${r.bestEpoch},${(r.elapsedMs / 1000).toFixed(1)}` : ',,';
  appendFileSync(out, `${key.seed},${key.pretrain},${key.variant},${key.nHf},${nl.mean},${nl.nonFinite},${train}\n`);
  appendFileSync(outPairs, Array.from(nl.values, (v, i) => `${key.seed},${key.pretrain},${key.variant},${key.nHf},${i},${v}\n`).join(''));
  const ep = r ? ` (${r.epochs} epochs, best ${r.bestEpoch}, ${(r.elapsedMs / 1000).toFixed(1)} s)` : '';
  progress(`seed ${key.seed} ${key.pretrain} ${key.variant} ${key.nHf} HF: NLTP ${fmt(nl.mean)}${nl.nonFinite ? ` (${nl.nonFinite} not finite)` : ''}${ep}`);
}

const prefix = (d: { theta: Float64Array; x: Float64Array }, n: number) => ({ theta: d.theta.subarray(0, n * D), x: d.x.subarray(0, n * C) });
const t0 = performance.now();
const maxHf = Math.max(npeHf, ...budgets);
// MF pre-training first for every seed (with the NPE reference), then LF: a run cut short keeps whole MF results.
for (const fid of pretrainFids) {
  for (const seed of seeds) {
    const hf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'hf', seed, offset: 0, n: maxHf });
    if (fid === pretrainFids[0]) {
      const npe = new NPE(task, { flow: cfg.flow, seed }).appendSimulations(prefix(hf, npeHf).theta, prefix(hf, npeHf).x);
      const q = await npe.train(trainOptions(cfg.npe, seed, `seed ${seed} NPE ${npeHf} HF`, false));
      await score(q, { seed, pretrain: 'none', variant: 'npe', nHf: npeHf }, npe.result);
      q.dispose();
    }
    const offset = fid === 'lf' ? STREAM_OFFSET.lf : STREAM_OFFSET.mf;
    const low = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: fid, seed, offset, n: nLow });
    const mf = new MFNPE(task, { flow: cfg.flow, seed });
    const pre = await mf.pretrain(low.theta, low.x, trainOptions(cfg.pretrain, seed, `seed ${seed} pre-train ${nLow} ${fid.toUpperCase()}`, false));
    await score(pre, { seed, pretrain: fid, variant: 'pretrained', nHf: 0 }, mf.pretrainResult);
    for (const nHf of budgets) {
      const h = prefix(hf, nHf);
      for (const v of VARIANTS) {
        const base = trainOptions(cfg.finetune, seed, `seed ${seed} ${fid} ${v.name} ${nHf} HF`, true);
        const q = await mf.finetune(h.theta, h.x, { ...base, refitX: cfg.finetune.refitX, ...v.options });
        await score(q, { seed, pretrain: fid, variant: v.name, nHf }, mf.finetuneResult);
        q.dispose();
      }
    }
    mf.dispose();
    progress(`seed ${seed} ${fid} done, ${((performance.now() - t0) / 60000).toFixed(1)} min so far`);
  }
}

console.log(table(rows));
progress(`wrote ${out} and ${outPairs} in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
