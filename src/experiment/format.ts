/**
 * The plain-text summary printed after a run: means with 95 % CIs, paired differences and the HF
 * budget at which MF-NPE matches NPE. With three or more seeds the CI is over seeds (the one to
 * quote); with fewer, where a Student-t interval over two seeds is wider than the metric's range, it
 * is the CI over test units, labelled as conditional on the trained networks. C2ST intervals are
 * clipped to [0, 1], the range of an accuracy.
 */
import { sequentialObs } from './config.js';
import { LF_ONLY, type LowFidelity, ladderLabel, methodLadder, parseLowFidelity } from './low-fidelity.js';
import { isSequential, SEQUENTIAL_LABELS } from './sequential-unit.js';
import { groupKey, hfToMatchNpe, hfToMatchNpeAtObservations, type PairedRow, type SummaryRow } from './summary.js';
import type { ExperimentResult, MetricName } from './types.js';

/** Seeds below which the summary shows the CI over test units instead of the CI over seeds. */
export const MIN_SEEDS_FOR_SEED_CI = 3;

/**
 * A method and its first-level budget for people: 'NPE', 'MF-NPE, 1000 LF', 'NPE-LF (LF only), 1000 LF',
 * 'MF-NPE (MF), 1000 MF', 'MF-NPE (LF → MF 1000), 10000 LF', 'MF only, 1000 MF', 'A-MF-TSNPE, 10000 LF',
 * 'A-MF-TSNPE (MF), 10000 MF'. `sequential` is the ladder the sequential methods pre-train on
 * (the config's `sequential.lowFidelity`, default LF).
 */
export function methodLabel(r: { method: string; n_lf: number }, sequential: LowFidelity = LF_ONLY): string {
  if (r.method === 'npe') return 'NPE';
  if (isSequential(r.method)) {
    if (r.n_lf === 0) return SEQUENTIAL_LABELS[r.method];
    return `${sequentialName(r.method, sequential)}, ${r.n_lf} ${sequential.first.fidelity.toUpperCase()}`;
  }
  if (r.method === 'mf-npe') return `MF-NPE, ${r.n_lf} LF`;
  if (r.method === 'npe-lf') return `NPE-LF (LF only), ${r.n_lf} LF`;
  const ladder = methodLadder(r.method)!;
  const first = ladder.split('>')[0].toUpperCase();
  return r.method.startsWith('mf-npe:') ? `MF-NPE (${ladderLabel(ladder)}), ${r.n_lf} ${first}` : `${ladderLabel(ladder)} only, ${r.n_lf} ${first}`;
}

/** A sequential method's name, with its ladder unless that is plain LF: 'A-MF-TSNPE', 'A-MF-TSNPE (MF)'. */
function sequentialName(method: keyof typeof SEQUENTIAL_LABELS, sequential: LowFidelity): string {
  return sequential.id === 'lf' ? SEQUENTIAL_LABELS[method] : `${SEQUENTIAL_LABELS[method]} (${ladderLabel(sequential.id)})`;
}

/** The ladder the sequential methods of a run pre-train on. */
function sequentialLadder(res: ExperimentResult): LowFidelity {
  return res.config.sequential ? parseLowFidelity(res.config.sequential.lowFidelity, 'sequential.lowFidelity') : LF_ONLY;
}

/** A paired comparison for people: 'mf-npe:mf - mf-npe' → 'MF-NPE (MF) − MF-NPE (LF)'. */
function comparisonLabel(comparison: string, sequential: LowFidelity): string {
  const name = (m: string) =>
    m === 'npe'
      ? 'NPE'
      : isSequential(m)
        ? sequentialName(m, sequential)
        : m.startsWith('npe-')
          ? `${ladderLabel(methodLadder(m)!)} only`
          : `MF-NPE (${ladderLabel(methodLadder(m)!)})`;
  const [a, b] = comparison.split(' - ');
  return comparison === 'mf-npe - npe' ? 'MF-NPE − NPE' : `${name(a)} − ${name(b)}`;
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
function summaryTable(summary: SummaryRow[], bySeed: boolean, sequential: LowFidelity): string[] {
  const rows = new Map<string, Partial<Record<MetricName, SummaryRow>> & { label: string; n_hf: number }>();
  for (const s of summary) {
    const k = groupKey(s);
    if (!rows.has(k)) rows.set(k, { label: methodLabel(s, sequential), n_hf: s.n_hf });
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
  const line = `${res.task}: mean [${ci}]; NLTP on ${res.config.testSize} HF test pairs, C2ST/MMD at ${res.config.nObs} observations vs ${against}`;
  if (!res.config.sequential) return line;
  const K = sequentialObs(res.config);
  return `${line}\n  sequential methods: one run per observation at the first ${K} test pairs; their NLTP is over those ${K}, C2ST/MMD at the first ${Math.min(K, res.config.nObs)}`;
}

/** Paired NLTP differences, each labelled with what its CI is over (none over fewer than 3 seeds). */
function pairedLines(paired: PairedRow[], sequentialLow: LowFidelity): string[] {
  return paired
    .filter((p) => p.metric === 'nltp')
    .map((p) => {
      const useful = p.unit === 'unit' || p.n >= MIN_SEEDS_FOR_SEED_CI;
      const ci = useful && Number.isFinite(p.ci_low) ? ` [${p.ci_low.toFixed(3)}, ${p.ci_high.toFixed(3)}]` : '';
      const over = p.unit === 'seed' ? `${p.n} seeds${useful ? '' : ' (too few for a CI)'}` : `${p.n} test pairs (conditional on these networks)`;
      const sequential = isSequential(p.comparison.split(' - ')[0]);
      const first = sequential ? sequentialLow.first.fidelity.toUpperCase() : (methodLadder(p.comparison.split(' - ')[0]) ?? 'lf').split('>')[0].toUpperCase();
      const budget = sequential && p.n_lf === 0 ? `${p.n_hf} HF` : p.n_hf > 0 ? `${p.n_lf} ${first}, ${p.n_hf} HF` : `${p.n_lf} ${first}`;
      return `  NLTP ${comparisonLabel(p.comparison, sequentialLow)}, ${p.comparison === 'mf-npe - npe' ? `${p.n_lf} LF, ${p.n_hf} HF` : budget}: ${p.mean.toFixed(3)}${ci} over ${over}`;
    });
}

/** Pre-trained flows (no HF at all) whose mean NLTP already reaches NPE's at its largest HF budget. */
function pretrainedMatches(summary: SummaryRow[]): string[] {
  const npe = summary.filter((s) => s.method === 'npe' && s.metric === 'nltp').sort((a, b) => a.n_hf - b.n_hf);
  if (npe.length === 0) return [];
  const target = npe[npe.length - 1];
  return summary
    .filter((s) => s.method.startsWith('npe-') && s.metric === 'nltp' && s.mean <= target.mean)
    .map((s) => `  ${methodLabel(s)} reaches it with no HF simulations (${s.mean.toFixed(3)} ≤ ${target.mean.toFixed(3)})`);
}

/** For each sequential method and first-level budget: the HF budget at which it reaches NPE's NLTP at its own observations. */
function sequentialMatches(res: ExperimentResult, sequential: LowFidelity): string[] {
  const cells = new Map<string, { method: string; n_lf: number }>();
  for (const u of res.units) if (isSequential(u.method) && u.metric === 'nltp') cells.set(`${u.method}|${u.n_lf}`, u);
  return [...cells.values()].flatMap((c) => {
    const h = hfToMatchNpeAtObservations(res.units, c.method, c.n_lf);
    if (!h) return [];
    const hf = h.mfNpeHf === null ? 'at no HF budget of the grid' : `with ${h.atMost ? '≤' : '≈'} ${Math.round(h.mfNpeHf)} HF simulations`;
    return [
      `  ${methodLabel(c, sequential)} reaches NPE's mean NLTP at ${h.npeHf} HF on the same ${h.runs} observations × seeds (${h.target.toFixed(3)}) ${hf}`,
    ];
  });
}

/** A plain-text table of the summary, for stdout. */
export function formatSummary(res: ExperimentResult, summary: SummaryRow[], paired: PairedRow[]): string {
  const bySeed = res.config.seeds.length >= MIN_SEEDS_FOR_SEED_CI;
  const cells = new Map<string, { method: string; n_lf: number }>();
  for (const r of summary) if (r.method === 'mf-npe' || r.method.startsWith('mf-npe:')) cells.set(`${r.method}|${r.n_lf}`, r);
  const match = [...cells.values()].map((c) => {
    const h = hfToMatchNpe(summary, c.n_lf, 'nltp', c.method);
    if (!h) return '';
    const hf = h.mfNpeHf === null ? 'at no HF budget of the grid' : `with ${h.atMost ? '≤' : '≈'} ${Math.round(h.mfNpeHf)} HF simulations`;
    const name = c.method === 'mf-npe' ? `MF-NPE with ${c.n_lf} LF` : methodLabel(c);
    return `  ${name} reaches NPE's mean NLTP at ${h.npeHf} HF (${h.target.toFixed(3)}) ${hf}`;
  });
  const sequential = sequentialLadder(res);
  match.push(...pretrainedMatches(summary), ...sequentialMatches(res, sequential));
  return [
    headline(res, bySeed),
    ...summaryTable(summary, bySeed, sequential),
    'paired differences (negative: the first method better; quote the CI over seeds):',
    ...pairedLines(paired, sequential),
    'HF simulations to match NPE:',
    ...match,
  ].join('\n');
}
