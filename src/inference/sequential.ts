/**
 * Sequential NPE for one observation x_o with truncated proposals: the engine behind TSNPE
 * (Deistler et al. 2022), MF-TSNPE and A-MF-TSNPE (Krouglova et al. 2025; spec: sequential.md).
 *
 * Round 1 draws θ from the prior; each later round draws from the prior truncated to the current
 * posterior's highest-probability region at x_o (truncated-prior.ts) and, for an ensemble with an
 * active share, takes the rest from a candidate pool where the members disagree most
 * (acquisition.ts). Every round appends the new pairs and trains the *same* networks (optimizer
 * restarted) on all pairs so far with the plain NPE loss (sbi's `force_first_round_loss=True`);
 * no importance correction is needed inside the truncation.
 *
 * x-standardizer: fitted in round 1, then kept (TSNPE); with a pre-trained start the LF one is kept
 * throughout (MF-TSNPE, A-MF-TSNPE: the official code hands sbi the pre-trained flow whole).
 *
 *   const run = new SequentialNPE(task, { rounds: 5, seed: 0 });
 *   const posterior = await run.run(xo, simulatorOf(task), 100);
 *   run.records;  // per round: θ drawn, acceptance, validation loss, seconds
 */
import type { Prior } from '../prior.js';
import { type Acquired, proposeRound, type RoundDraws } from './propose.js';
import { EnsemblePosterior } from './ensemble.js';
import type { SavedPosterior } from './load-any.js';
import { type FlowSettings, NPE } from './npe.js';
import type { BoxSupport, NpePosterior } from './posterior.js';
import type { ProblemShape } from './problem.js';
import { formatRound, type RoundRecord } from './round-record.js';
import { memberSeed, roundOffsets, roundRng, roundSizes } from './round-plan.js';
import type { TrainOptions } from './train.js';
import { TruncatedPrior, type TruncationSettings, truncationSettings } from './truncated-prior.js';

/** A simulator: x for each row of θ, simulation i from stream (seed, offset + i) (a task's `simulate`). */
export type Simulator = (theta: Float64Array, seed: number, offset: number) => Promise<Float64Array>;

/** The simulator of anything with a task's `simulate` (e.g. `simulatorOf(task)`, HF by default). */
export function simulatorOf(
  t: { simulate(theta: Float64Array, seed: number, opts?: { offset?: number; fidelity?: 'hf' | 'lf'; workers?: number }): Promise<Float64Array> },
  opts: { fidelity?: 'hf' | 'lf'; workers?: number } = {},
): Simulator {
  return (theta, seed, offset) => t.simulate(theta, seed, { ...opts, offset });
}

/** A problem with a prior to draw from (a task is one). */
export interface SequentialProblem extends ProblemShape {
  readonly prior: Prior;
}

/** Settings of a sequential run; every number of the spec, with its default. */
export interface SequentialSettings {
  /** Rounds R (default 5); the budget is split equally over them. */
  rounds?: number;
  /** Ensemble size E (default 1; A-MF-TSNPE: 5). */
  ensemble?: number;
  /** Share of each later round's θ chosen by acquisition (default 0; A-MF-TSNPE: 0.2; needs E ≥ 2). */
  activeShare?: number;
  /** Candidate pool of the acquisition (default 250 / 2500 / 25 000 for N ≤ 10³ / ≤ 10⁴ / above). */
  poolSize?: number;
  /** Where candidates come from: 'prior' (default, the official code) or 'truncated'. */
  poolFrom?: 'prior' | 'truncated';
  /** The truncation's ε, M and fallback settings. */
  truncation?: TruncationSettings;
  /** A trained posterior every member starts from (MF-TSNPE: the LF-pretrained flow); its x standardizer is kept. */
  start?: NpePosterior;
  /** Seed of everything: proposals, simulations' streams, networks, training (default 0). */
  seed?: number;
  /** Flow architecture (ignored with `start`). */
  flow?: FlowSettings;
  /** How a box prior is enforced (ignored with `start`). */
  support?: BoxSupport;
  /** Training settings of every round (learning rate, patience, max epochs…). */
  train?: TrainOptions;
  /** No progress lines on stderr. */
  quiet?: boolean;
  /** Method name saved with the posterior (default 'sequential-npe'). */
  method?: string;
}

/** What {@link SequentialNPE.run} reports after each round. */
export interface RoundInfo {
  record: RoundRecord;
  /** The posterior after this round's training (the members' current state: copy it to keep it). */
  posterior: SavedPosterior;
  /** This round's θ and x (n × thetaDim, n × xDim). */
  theta: Float64Array;
  x: Float64Array;
  /** The truncated prior this round drew from (null in round 1). */
  proposal: TruncatedPrior | null;
  /** The acquisition's pool, scores and chosen indices (null without acquisition). */
  acquired: Acquired | null;
}

/** Sequential NPE with truncated proposals (and optionally an ensemble and acquisition). */
export class SequentialNPE {
  /** One record per finished round (of the latest `run`). */
  readonly records: RoundRecord[] = [];
  /** The ensemble members' trainers (one for TSNPE / MF-TSNPE). */
  members: NPE[] = [];
  readonly rounds: number;
  readonly ensembleSize: number;
  readonly activeShare: number;

  constructor(
    readonly problem: SequentialProblem,
    readonly settings: SequentialSettings = {},
  ) {
    this.rounds = settings.rounds ?? 5;
    this.ensembleSize = settings.ensemble ?? 1;
    this.activeShare = settings.activeShare ?? 0;
    if (!Number.isInteger(this.rounds) || this.rounds < 1) throw new RangeError(`rounds must be an integer ≥ 1, got ${this.rounds}`);
    if (!Number.isInteger(this.ensembleSize) || this.ensembleSize < 1) throw new RangeError(`ensemble size must be an integer ≥ 1, got ${this.ensembleSize}`);
    if (this.activeShare > 0 && this.ensembleSize < 2) throw new RangeError('acquisition (active share > 0) needs an ensemble of at least 2 members');
    if (settings.poolSize !== undefined && (!Number.isInteger(settings.poolSize) || settings.poolSize < 1))
      throw new RangeError(`candidate pool size must be an integer ≥ 1, got ${settings.poolSize}`);
    truncationSettings(settings.truncation);
  }

  get seed(): number {
    return this.settings.seed ?? 0;
  }

  /**
   * Runs all rounds for observation x_o with `budget` simulations and returns the final posterior.
   * `onRound` is awaited after each round (before the next one's proposal).
   */
  async run(xo: ArrayLike<number>, simulate: Simulator, budget: number, onRound?: (info: RoundInfo) => void | Promise<void>): Promise<SavedPosterior> {
    const obs = checkObservation(xo, this.problem.xDim);
    const sizes = roundSizes(budget, this.rounds);
    const offsets = roundOffsets(sizes);
    this.records.length = 0;
    this.members = Array.from({ length: this.ensembleSize }, (_, e) => this.newMember(e));
    let posterior: SavedPosterior | null = null;
    for (let r = 1; r <= this.rounds; r++) {
      const t0 = performance.now();
      const proposal = posterior
        ? await TruncatedPrior.fit(this.problem.prior, posterior, obs, this.settings.truncation ?? {}, roundRng(this.seed, r, 'threshold'))
        : null;
      const drawn = await proposeRound(this, r, sizes[r - 1], budget, proposal, posterior, obs);
      const t1 = performance.now();
      const x = await simulate(drawn.theta, this.seed, offsets[r - 1]);
      if (x.length !== sizes[r - 1] * this.problem.xDim)
        throw new RangeError(`the simulator returned ${x.length} values for ${sizes[r - 1]} θ (x has ${this.problem.xDim})`);
      const t2 = performance.now();
      posterior = await this.trainRound(r, drawn.theta, x);
      const t3 = performance.now();
      const record = this.record(r, drawn, [t0, t1, t2, t3]);
      this.records.push(record);
      if (!this.settings.quiet && !process.env.MFNPE_QUIET) process.stderr.write(`${formatRound(record, this.rounds)}\n`);
      await onRound?.({ record, posterior, theta: drawn.theta, x, proposal, acquired: drawn.acquired });
    }
    (posterior as SavedPosterior).meta = { ...(posterior as SavedPosterior).meta, ...this.provenance(obs, budget) };
    return posterior as SavedPosterior;
  }

  private newMember(e: number): NPE {
    const s = this.settings;
    return new NPE(this.problem, { seed: memberSeed(this.seed, e), start: s.start, flow: s.flow, support: s.support, train: s.train });
  }

  /** Appends the round's pairs to every member and trains it; the posterior (one flow or the ensemble). */
  private async trainRound(r: number, theta: Float64Array, x: Float64Array): Promise<SavedPosterior> {
    const E = this.members.length;
    const posts: NpePosterior[] = [];
    for (let e = 0; e < E; e++) {
      const m = this.members[e];
      m.appendSimulations(theta, x);
      const label = `round ${r}/${this.rounds}${E > 1 ? ` member ${e + 1}/${E}` : ''}`;
      posts.push(await m.train({ refitX: !this.settings.start && r === 1, label, quiet: this.settings.quiet }));
    }
    return E === 1 ? posts[0] : new EnsemblePosterior(posts);
  }

  private record(r: number, d: RoundDraws, [t0, t1, t2, t3]: number[]): RoundRecord {
    const results = this.members.map((m) => m.result!);
    const mean = (f: (v: (typeof results)[number]) => number) => results.reduce((a, v) => a + f(v), 0) / results.length;
    return {
      round: r,
      drawn: d.theta.length / this.problem.thetaDim,
      fromProposal: d.fromProposal,
      acquired: d.acquired ? d.acquired.indices.length : 0,
      acceptance: d.acceptance,
      fallback: d.fallback,
      threshold: d.threshold,
      validationLoss: mean((v) => v.bestValLoss),
      epochs: mean((v) => v.epochs),
      proposalSeconds: (t1 - t0) / 1000,
      simulationSeconds: (t2 - t1) / 1000,
      trainingSeconds: (t3 - t2) / 1000,
      seconds: (t3 - t0) / 1000,
    };
  }

  private provenance(xo: Float64Array, budget: number): Record<string, unknown> {
    return {
      method: this.settings.method ?? 'sequential-npe',
      seed: this.seed,
      observation: Array.from(xo),
      budget,
      rounds: this.rounds,
      ensemble: this.ensembleSize,
      activeShare: this.activeShare,
      roundRecords: this.records.map((r) => ({ ...r, threshold: Number.isFinite(r.threshold) ? r.threshold : null })),
    };
  }
}

/** x_o as a Float64Array, checked: xDim finite values (RangeError otherwise). */
export function checkObservation(xo: ArrayLike<number>, xDim: number): Float64Array {
  if (xo.length !== xDim) throw new RangeError(`the observation has ${xo.length} values, this problem's x has ${xDim}`);
  for (let j = 0; j < xDim; j++) if (!Number.isFinite(xo[j])) throw new RangeError(`observation value ${j + 1} is not a finite number (${xo[j]})`);
  return Float64Array.from(xo);
}
