/**
 * Published OU results of the MF-NPE paper (Krouglova et al. 2025; the official code's result files,
 * docs/results/mfnpe-quick.md): C2ST with a random-forest classifier (1000 vs 1000 samples) and MMD, mean
 * over 10 observations × 10 network seeds for the amortized methods; for the sequential ones, over
 * 30 observations × 6 seeds (MF-TSNPE, A-MF-TSNPE) or 10 observations × 5 seeds (TSNPE, the only file
 * with it). Our C2ST uses the MLP classifier of src/metrics/c2st.ts, so the comparison is of the same
 * quantity measured by a different classifier (scripts/sequential-rf.ts scores saved samples with
 * the random forest).
 */
import { intervalText, MIN_SEEDS_FOR_SEED_CI, methodLabel } from './format.js';
import { isSequential } from './sequential-unit.js';
import { summarize } from './summary.js';
import type { ExperimentResult } from './types.js';

export interface PublishedRow {
  method: 'npe' | 'mf-npe' | 'tsnpe' | 'mf-tsnpe' | 'a-mf-tsnpe';
  metric: 'c2st' | 'mmd';
  n_lf: number;
  n_hf: number;
  mean: number;
  sd: number;
}

const C2ST: [PublishedRow['method'], number, number, number, number][] = [
  ['npe', 0, 50, 0.7947, 0.0796],
  ['npe', 0, 100, 0.7827, 0.0933],
  ['npe', 0, 1000, 0.629, 0.0595],
  ['npe', 0, 10000, 0.5428, 0.0332],
  ['mf-npe', 1000, 50, 0.7484, 0.0776],
  ['mf-npe', 1000, 100, 0.7228, 0.0857],
  ['mf-npe', 1000, 1000, 0.6172, 0.0553],
  ['mf-npe', 10000, 50, 0.7398, 0.0839],
  ['mf-npe', 10000, 100, 0.7187, 0.0884],
  ['mf-npe', 10000, 1000, 0.604, 0.0542],
  ['mf-npe', 100000, 50, 0.7309, 0.1135],
  ['mf-npe', 100000, 100, 0.6943, 0.1119],
  ['mf-npe', 100000, 1000, 0.5903, 0.0643],
  ['tsnpe', 0, 50, 0.8427, 0.1067],
  ['tsnpe', 0, 100, 0.7729, 0.1188],
  ['tsnpe', 0, 1000, 0.674, 0.0935],
  ['mf-tsnpe', 10000, 50, 0.7582, 0.1165],
  ['mf-tsnpe', 10000, 100, 0.7088, 0.1039],
  ['mf-tsnpe', 10000, 1000, 0.6107, 0.0702],
  ['a-mf-tsnpe', 10000, 50, 0.7149, 0.1053],
  ['a-mf-tsnpe', 10000, 100, 0.6785, 0.0922],
  ['a-mf-tsnpe', 10000, 1000, 0.6036, 0.0655],
];

export const PUBLISHED_OU_C2ST: readonly PublishedRow[] = C2ST.map(([method, n_lf, n_hf, mean, sd]) => ({ method, metric: 'c2st', n_lf, n_hf, mean, sd }));

/** The published OU C2ST of a method and budget, if the paper reports it. */
export function publishedOuC2st(method: string, nLf: number, nHf: number): PublishedRow | undefined {
  return PUBLISHED_OU_C2ST.find((r) => r.method === method && r.n_hf === nHf && (method === 'npe' || method === 'tsnpe' || r.n_lf === nLf));
}

/**
 * OU: our mean C2ST next to the published one (random-forest classifier) at the same budgets, with
 * the CI over seeds (or, below three seeds, over observations, labelled).
 */
export function ouComparison(res: ExperimentResult): string {
  const bySeed = res.config.seeds.length >= MIN_SEEDS_FOR_SEED_CI;
  const basis = bySeed ? `95 % CI over ${res.config.seeds.length} seeds` : '95 % CI over observations, conditional on these networks';
  const lines = [`OU C2ST vs the published MF-NPE table (ours: MLP classifier, ${basis}; published: random forest):`];
  for (const s of summarize(res.metrics, res.units)) {
    if (s.metric !== 'c2st' || !(s.method === 'npe' || s.method === 'mf-npe' || isSequential(s.method))) continue;
    const pub = publishedOuC2st(s.method, s.n_lf, s.n_hf);
    const name = s.method === 'npe' ? 'NPE' : s.method === 'mf-npe' ? `MF-NPE ${s.n_lf} LF` : methodLabel(s);
    lines.push(`  ${name}, ${s.n_hf} HF: ours ${intervalText(s, 3, bySeed)}${pub ? `, published ${pub.mean.toFixed(3)}` : ', not in the published table'}`);
  }
  return lines.join('\n');
}
