/**
 * The low fidelities of the experiment's MF-NPE methods (docs/methods.md, "Low fidelities and
 * ladders"): which simulator the flow is pre-trained on before fine-tuning on HF. A config entry is a
 * fidelity ladder in the `--ladder` syntax of `mfnpe train`, cheapest level first, whose first level
 * may leave out its count:
 *
 * - `"lf"`: pre-train on LF at every budget of `lfBudgets` (the method 'mf-npe', baseline 'npe-lf');
 * - `"mf"`, or `"mf:1000"` for that budget only ('mf-npe:mf', baseline 'npe-mf');
 * - `"lf,mf:1000"`: pre-train on LF at each LF budget, then fine-tune on 1000 MF simulations, then on
 *   HF ('mf-npe:lf>mf1000', baseline 'npe-lf>mf1000').
 */
import { InputError } from '../errors.js';
import { type LadderLevel, parseLadder } from '../tasks/ladder.js';

/** One low-fidelity ladder of the experiment. */
export interface LowFidelity {
  /** Identifier in method names: 'lf', 'mf', 'lf>mf1000'. */
  id: string;
  /** First level's fidelity and its budget (null: every budget of `lfBudgets`). */
  first: { fidelity: LadderLevel['fidelity']; n: number | null };
  /** Later levels, each with its count (trained on after the first, before HF). */
  rest: { fidelity: LadderLevel['fidelity']; n: number }[];
}

/** Parses one config entry (e.g. 'lf', 'mf:1000', 'lf,mf:1000'); `what` names it in errors. */
export function parseLowFidelity(text: unknown, what: string): LowFidelity {
  if (typeof text !== 'string' || text.trim() === '') throw new InputError(`${what} must be a ladder such as "lf", "mf:1000" or "lf,mf:1000"`);
  const parts = text.split(',');
  const bare = /^\s*([a-z]+)\s*$/i.exec(parts[0]);
  // The first level may omit its count: parse it with a placeholder and drop it again.
  const levels = parseLadder(bare ? [`${bare[1]}:2`, ...parts.slice(1)].join(',') : text, what);
  if (levels.some((l) => l.file !== undefined)) throw new InputError(`${what}: files are not ladder levels of the experiment, got '${text}'`);
  const rest = levels.slice(1).map((l) => ({ fidelity: l.fidelity, n: l.n! }));
  const first = { fidelity: levels[0].fidelity, n: bare ? null : levels[0].n! };
  const id = [levels[0].fidelity, ...rest.map((l) => `${l.fidelity}${l.n}`)].join('>');
  return { id, first, rest };
}

/** The LF-pre-training ladder, the experiment's default. */
export const LF_ONLY: LowFidelity = { id: 'lf', first: { fidelity: 'lf', n: null }, rest: [] };

/** The first-level budgets a ladder runs at. */
export function ladderBudgets(low: LowFidelity, lfBudgets: readonly number[]): number[] {
  return low.first.n === null ? [...lfBudgets] : [low.first.n];
}

/** Method name of the fine-tuned flow: 'mf-npe' for LF pre-training, 'mf-npe:<id>' otherwise. */
export function fineTunedMethod(low: LowFidelity): string {
  return low.id === 'lf' ? 'mf-npe' : `mf-npe:${low.id}`;
}

/** Method name of the pre-trained flow alone (no HF): 'npe-lf', 'npe-mf', 'npe-lf>mf1000'. */
export function pretrainedMethod(low: LowFidelity): string {
  return `npe-${low.id}`;
}

/** The unit name of a ladder at first-level budget n: 'lf1000', 'mf10000', 'lf10000-mf1000'. */
export function ladderUnitName(low: LowFidelity, n: number): string {
  return [`${low.first.fidelity}${n}`, ...low.rest.map((l) => `${l.fidelity}${l.n}`)].join('-');
}

/** The ladder named by a method ('mf-npe:mf' → 'mf'; 'mf-npe', 'npe-lf' → 'lf'); null for NPE. */
export function methodLadder(method: string): string | null {
  if (method === 'mf-npe') return 'lf';
  if (method.startsWith('mf-npe:')) return method.slice('mf-npe:'.length);
  if (method.startsWith('npe-')) return method.slice('npe-'.length);
  return null;
}

/** A ladder id for people: 'lf' → 'LF', 'lf>mf1000' → 'LF → MF 1000'. */
export function ladderLabel(id: string): string {
  return id
    .split('>')
    .map((p) => p.replace(/^([a-z]+)(\d*)$/, (_, f: string, n: string) => `${f.toUpperCase()}${n ? ` ${n}` : ''}`))
    .join(' → ');
}
