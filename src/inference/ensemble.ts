/**
 * An ensemble posterior: the equal-weight mixture of E posteriors,
 *   q(θ | x) = (1/E) Σ_e q_e(θ | x),
 * as sbi's `EnsemblePosterior` and A-MF-TSNPE use it (Krouglova et al. 2025: E = 5 flows, each a copy
 * of the LF-pretrained flow fine-tuned with its own seed). Sampling draws each sample's member from a
 * seeded uniform categorical (so the member counts are multinomial), then samples that member;
 * log q = logsumexp_e log q_e − log E. `sampleTaggedWithLogProb` also returns each draw's density
 * under its own member from the sampling pass (what the HPR threshold's bound needs; ensemble-threshold.ts).
 *
 * Saved as a directory: `members/0` … `members/E−1` (each a model directory, as
 * {@link NpePosterior.save}) and `ensemble.json` (written last), read back by {@link loadEnsemble}.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { InputError } from '../errors.js';
import { Rng } from '../random.js';
import type { ConditionalDensity } from './conditional.js';
import { loadPosterior, type NpePosterior } from './posterior.js';

export const ENSEMBLE_FILE = 'ensemble.json';
export const ENSEMBLE_FORMAT = 'mfnpe-ensemble';
export const ENSEMBLE_VERSION = 1;

/** The equal-weight mixture of trained posteriors with the same θ and x dimensions. */
export class EnsemblePosterior implements ConditionalDensity {
  readonly thetaDim: number;
  readonly xDim: number;
  /** Provenance saved with the ensemble (method, task, rounds…). */
  meta: Record<string, unknown> = {};

  constructor(readonly members: readonly NpePosterior[]) {
    if (members.length === 0) throw new RangeError('an ensemble needs at least one member');
    this.thetaDim = members[0].thetaDim;
    this.xDim = members[0].xDim;
    for (const m of members) {
      if (m.thetaDim !== this.thetaDim || m.xDim !== this.xDim) throw new RangeError('ensemble members must have the same θ and x dimensions');
    }
  }

  get thetaNames(): string[] {
    return this.members[0].thetaNames;
  }

  get xNames(): string[] {
    return this.members[0].xNames;
  }

  /** The prior box of the members (null for unbounded priors). */
  get bounds(): NpePosterior['bounds'] {
    return this.members[0].bounds;
  }

  /** n samples from the mixture for one x; reproducible from `seed`. Rows are in random member order. */
  async sample(n: number, x: Float64Array | ArrayLike<number>, seed = 0): Promise<Float64Array> {
    return (await this.sampleTagged(n, x, seed)).theta;
  }

  /** As {@link sample}, with the member that drew each row. */
  async sampleTagged(n: number, x: Float64Array | ArrayLike<number>, seed = 0): Promise<{ theta: Float64Array; member: Int32Array }> {
    const { theta, member } = await this.sampleMembers(n, x, seed, false);
    return { theta, member };
  }

  /**
   * As {@link sampleTagged} (the same rows for the same seed), with each row's density under the
   * member that drew it, log q_e(θ_i | x) for e = member[i], from the sampling pass itself
   * (NpePosterior.sampleWithLogProb; equal to {@link ownLogProbs} up to float32 rounding).
   */
  async sampleTaggedWithLogProb(
    n: number,
    x: Float64Array | ArrayLike<number>,
    seed = 0,
  ): Promise<{ theta: Float64Array; member: Int32Array; ownLogProb: Float64Array }> {
    const { theta, member, ownLogProb } = await this.sampleMembers(n, x, seed, true);
    return { theta, member, ownLogProb: ownLogProb as Float64Array };
  }

  private async sampleMembers(
    n: number,
    x: Float64Array | ArrayLike<number>,
    seed: number,
    withLogProb: boolean,
  ): Promise<{ theta: Float64Array; member: Int32Array; ownLogProb: Float64Array | null }> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`number of samples must be an integer ≥ 1, got ${n}`);
    const E = this.members.length;
    const D = this.thetaDim;
    const rng = new Rng(seed);
    const member = new Int32Array(n);
    const counts = new Array<number>(E).fill(0);
    for (let i = 0; i < n; i++) {
      member[i] = rng.int(E);
      counts[member[i]]++;
    }
    const seeds = this.members.map(() => rng.seed31());
    const draws: ({ theta: Float64Array; logProb: Float64Array | null } | null)[] = [];
    for (let e = 0; e < E; e++) {
      if (counts[e] === 0) draws.push(null);
      else if (withLogProb) draws.push(await this.members[e].sampleWithLogProb(counts[e], x, seeds[e]));
      else draws.push({ theta: await this.members[e].sample(counts[e], x, seeds[e]), logProb: null });
    }
    const next = new Array<number>(E).fill(0);
    const theta = new Float64Array(n * D);
    const ownLogProb = withLogProb ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const e = member[i];
      const k = next[e]++;
      const d = draws[e] as { theta: Float64Array; logProb: Float64Array | null };
      theta.set(d.theta.subarray(k * D, k * D + D), i * D);
      if (ownLogProb) ownLogProb[i] = (d.logProb as Float64Array)[k];
    }
    return { theta, member, ownLogProb };
  }

  /** log q_e(θ_i | x) of the member e = member[i] that drew each row (one x for all rows). */
  async ownLogProbs(theta: Float64Array, member: Int32Array, x: Float64Array | ArrayLike<number>): Promise<Float64Array> {
    const D = this.thetaDim;
    const out = new Float64Array(member.length);
    for (let e = 0; e < this.members.length; e++) {
      const rows: number[] = [];
      member.forEach((m, i) => {
        if (m === e) rows.push(i);
      });
      if (rows.length === 0) continue;
      const sub = new Float64Array(rows.length * D);
      rows.forEach((i, r) => {
        sub.set(theta.subarray(i * D, i * D + D), r * D);
      });
      const lp = await this.members[e].logProb(sub, x);
      rows.forEach((i, r) => {
        out[i] = lp[r];
      });
    }
    return out;
  }

  /** log q(θ_i | x_i) of the mixture (aligned rows, or one x for all rows), −Infinity outside the prior box. */
  async logProb(theta: Float64Array | ArrayLike<number>, x: Float64Array | ArrayLike<number>): Promise<Float64Array> {
    const each = await this.memberLogProbs(theta, x);
    return mixtureLogProb(each);
  }

  /** log q_e(θ_i | x_i) of every member e (E arrays of n values). */
  async memberLogProbs(theta: Float64Array | ArrayLike<number>, x: Float64Array | ArrayLike<number>): Promise<Float64Array[]> {
    const out: Float64Array[] = [];
    for (const m of this.members) out.push(await m.logProb(theta, x));
    return out;
  }

  /** Saves to a directory: members/0..E−1, then ensemble.json. */
  save(dir: string): void {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`cannot save the ensemble to ${dir}: it is a file, not a folder`);
    ensureDir(join(dir, 'members'));
    this.members.forEach((m, e) => {
      m.save(join(dir, 'members', String(e)));
    });
    const config = { format: ENSEMBLE_FORMAT, version: ENSEMBLE_VERSION, members: this.members.length, weights: 'equal', meta: this.meta };
    writeFileAtomic(join(dir, ENSEMBLE_FILE), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** Frees every member's tensors. */
  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

/** log((1/E) Σ_e exp(lp_e[i])) per row, stable (logsumexp); −Infinity where every member gives −Infinity. */
export function mixtureLogProb(each: readonly Float64Array[]): Float64Array {
  const E = each.length;
  const n = each[0].length;
  const out = new Float64Array(n);
  const logE = Math.log(E);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let e = 0; e < E; e++) if (each[e][i] > max) max = each[e][i];
    if (max === -Infinity) {
      out[i] = -Infinity;
      continue;
    }
    let s = 0;
    for (let e = 0; e < E; e++) s += Math.exp(each[e][i] - max);
    out[i] = max + Math.log(s) - logE;
  }
  return out;
}

/** Whether `dir` holds a saved ensemble (an ensemble.json). */
export function isEnsembleDir(dir: string): boolean {
  return existsSync(join(dir, ENSEMBLE_FILE));
}

/** Loads an ensemble saved with {@link EnsemblePosterior.save}; problems are one-line InputErrors. */
export async function loadEnsemble(dir: string): Promise<EnsemblePosterior> {
  const path = join(dir, ENSEMBLE_FILE);
  if (!existsSync(path)) throw new InputError(`${dir} is not an ensemble directory (no ${ENSEMBLE_FILE})`);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`corrupt ensemble in ${dir}: ${ENSEMBLE_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof config !== 'object' || config === null || config.format !== ENSEMBLE_FORMAT)
    throw new InputError(`corrupt ensemble in ${dir}: ${ENSEMBLE_FILE} is not an ${ENSEMBLE_FORMAT} file`);
  if (config.version !== ENSEMBLE_VERSION)
    throw new InputError(`ensemble in ${dir} has version ${String(config.version)}, this mfnpe reads version ${ENSEMBLE_VERSION}`);
  const E = config.members;
  if (typeof E !== 'number' || !Number.isInteger(E) || E < 1) throw new InputError(`corrupt ensemble in ${dir}: members should be an integer ≥ 1`);
  const members: NpePosterior[] = [];
  try {
    for (let e = 0; e < E; e++) members.push(await loadPosterior(join(dir, 'members', String(e))));
    const ens = new EnsemblePosterior(members);
    ens.meta = (config.meta as Record<string, unknown>) ?? {};
    return ens;
  } catch (e) {
    for (const m of members) m.dispose();
    if (e instanceof RangeError) throw new InputError(`corrupt ensemble in ${dir}: ${e.message}`);
    throw e;
  }
}
