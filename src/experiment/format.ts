/**
 * The plain-text summary printed after a run: means with 95 % CIs, paired differences and the HF
 * budget at which MF-NPE matches NPE. With three or more seeds the CI is over seeds (the one to
 * quote); with fewer, where a Student-t interval over two seeds is wider than the metric's range, it
 * is the CI over test units, labelled as conditional on the trained networks. C2ST intervals are
 * clipped to [0, 1], the range of an accuracy.
 */
import { groupKey, hfToMatchNpe, type PairedRow, type SummaryRow } from './summary.js';
import type { ExperimentResult, MetricName } from './types.js';

/** Seeds below which the summary shows the CI over test units instead of the CI over seeds. */
export const MIN_SEEDS_FOR_SEED_CI = 3;

const METHOD_LABEL: Record<string, string> = { npe: 'NPE', 'mf-npe': 'MF-NPE', 'npe-lf': 'NPE-LF (LF only)' };

export function methodLabel(r: { method: string; n_lf: number }): string {
  return r.method === 'npe' ? 'NPE' : `${METHOD_LABEL[r.method]}, ${r.n_lf} LF`;
}

/** "mean [low, high]" with the chosen interval (C2ST clipped to [0, 1]). */
export function intervalText(s: SummaryRow, digits: number, bySeed: boolean): string {
  let [lo, hi] = bySeed ? [s.ci_low, s.ci_high] : [s.unit_ci_low, s.unit_ci_high];
  if (s.metric === 'c2st') [lo, hi] = [Math.max(0, lo), Math.min(1, hi)];
  return `${s.mean.toFixed(digits)}${Number.isFinite(lo) ? ` [${lo.toFixed(digits)}, ${hi.toFixed(digits)}]` : ''}`;
}

function cell(s: SummaryRow | undefined, digits: number, bySeed: boolean): string {
  return s ? intervalText(s, digits, bySeed) : '';
}

/** The aligned table of methods × metrics. */
function summaryTable(summary: SummaryRow[], bySeed: boolean): string[] {
  const rows = new Map<string, Partial<Record<MetricName, SummaryRow>> & { label: string; n_hf: number }>();
  for (const s of summary) {
    const k = groupKey(s);
    if (!rows.has(k)) rows.set(k, { label: methodLabel(s), n_hf: s.n_hf });
    rows.get(k)![s.metric] = s;
  }
  const table = [['method', 'HF sims', 'NLTP', 'C2ST', 'MMD']];
  for (const r of rows.values()) table.push([r.label, String(r.n_hf), cell(r.nltp, 3, bySeed), cell(r.c2st, 3, bySeed), cell(r.mmd, 4, bySeed)]);
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  return table.map((row) => row.map((c, j) => c.padEnd(widths[j])).join('  '));
}

/** The first line: what the intervals are and what the reference posterior is. */
function headline(res: ExperimentResult, bySeed: boolean): string {
  const ref = res.reference;
  const nSeeds = res.config.seeds.length;
  const ci = bySeed
    ? `95 % CI over ${nSeeds} seeds`
    : `95 % CI over test pairs (NLTP) / observations (C2ST, MMD) of the ${nSeeds}-seed mean, conditional on these networks; too few seeds for a CI over seeds`;
  const against =
    ref.kind === 'exact'
      ? 'the exact posterior'
      : `an NPE reference (${ref.sims} HF sims; its own NLTP ${ref.nltp!.mean.toFixed(3)} [${ref.nltp!.lower.toFixed(3)}, ${ref.nltp!.upper.toFixed(3)}])`;
  return `${res.task}: mean [${ci}]; NLTP on ${res.config.testSize} HF test pairs, C2ST/MMD at ${res.config.nObs} observations vs ${against}`;
}

/** Paired NLTP differences, each labelled with what its CI is over (none over fewer than 3 seeds). */
function pairedLines(paired: PairedRow[]): string[] {
  return paired
    .filter((p) => p.metric === 'nltp')
    .map((p) => {
      const useful = p.unit === 'unit' || p.n >= MIN_SEEDS_FOR_SEED_CI;
      const ci = useful && Number.isFinite(p.ci_low) ? ` [${p.ci_low.toFixed(3)}, ${p.ci_high.toFixed(3)}]` : '';
      const over = p.unit === 'seed' ? `${p.n} seeds${useful ? '' : ' (too few for a CI)'}` : `${p.n} test pairs (conditional on these networks)`;
      return `  NLTP MF-NPE − NPE, ${p.n_lf} LF, ${p.n_hf} HF: ${p.mean.toFixed(3)}${ci} over ${over}`;
    });
}

/** A plain-text table of the summary, for stdout. */
export function formatSummary(res: ExperimentResult, summary: SummaryRow[], paired: PairedRow[]): string {
  const bySeed = res.config.seeds.length >= MIN_SEEDS_FOR_SEED_CI;
  const match = [...new Set(summary.filter((r) => r.method === 'mf-npe').map((r) => r.n_lf))].map((nLf) => {
    const h = hfToMatchNpe(summary, nLf);
    if (!h) return '';
    const hf = h.mfNpeHf === null ? 'at no HF budget of the grid' : `with ${h.atMost ? '≤' : '≈'} ${Math.round(h.mfNpeHf)} HF simulations`;
    return `  MF-NPE with ${nLf} LF reaches NPE's mean NLTP at ${h.npeHf} HF (${h.target.toFixed(3)}) ${hf}`;
  });
  return [
    headline(res, bySeed),
    ...summaryTable(summary, bySeed),
    'paired differences (negative: MF-NPE better; quote the CI over seeds):',
    ...pairedLines(paired),
    'HF simulations to match NPE:',
    ...match,
  ].join('\n');
}
