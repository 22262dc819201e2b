/**
 * Fidelity ladders (docs/methods.md, "MF-NPE"): pre-train on the cheapest fidelity, fine-tune on each
 * next one, then on HF — the official MF-NPE code's chain of low-fidelity levels. A ladder is written
 * `lf:10000,mf:1000` (fidelity:simulations, cheapest first) or with files, `lf:@lf.csv,mf:@mf.arrow`;
 * HF is always the last stage and is given apart (`--sims` or `--data`).
 */
import { InputError } from '../errors.js';
import type { Pairs } from '../inference/pairs.js';
import { STREAM_OFFSET } from '../random.js';
import { FIDELITIES, type Fidelity } from '../simulators/fidelity.js';
import { readPairs } from './pairs-file.js';
import { sampleJointWithProgress } from './sample-joint.js';
import type { Task } from './task.js';

/** One level of a ladder: a low fidelity and its simulations (a count to simulate, or a file). */
export interface LadderLevel {
  /** The level's fidelity: 'lf' or 'mf' (HF is never a level: it is the last stage, given apart). */
  fidelity: Exclude<Fidelity, 'hf'>;
  /** Simulations to draw from the task (`lf:10000`); absent for a file level. */
  n?: number;
  /** Pairs file to read instead (`lf:@lf.csv`; CSV or Arrow, as `mfnpe train --data`). */
  file?: string;
}

/** Cheapest first: the order a ladder must follow. */
const COST_ORDER: readonly Fidelity[] = ['lf', 'mf', 'hf'];

/** The first stream of each low fidelity's training simulations (disjoint from HF's and the test set's). */
export function ladderOffset(fidelity: Exclude<Fidelity, 'hf'>): number {
  return fidelity === 'lf' ? STREAM_OFFSET.lf : STREAM_OFFSET.mf;
}

function parseLevel(text: string, flag: string): LadderLevel {
  const m = /^\s*([a-z]+)\s*:\s*(\S.*?)\s*$/i.exec(text);
  if (!m) throw new InputError(`${flag}: '${text}' is not FIDELITY:N or FIDELITY:@FILE (e.g. lf:10000,mf:1000)`);
  const name = m[1].toLowerCase() as Fidelity;
  if (!FIDELITIES.includes(name)) throw new InputError(`${flag}: unknown fidelity '${m[1]}' (expected lf or mf)`);
  if (name === 'hf') throw new InputError(`${flag}: hf is the last stage, given by --sims or --data, not a ladder level`);
  if (m[2].startsWith('@')) return { fidelity: name, file: m[2].slice(1) };
  const n = Number(m[2]);
  if (!Number.isInteger(n) || n < 2) throw new InputError(`${flag}: ${name} needs an integer number of simulations ≥ 2, got '${m[2]}'`);
  return { fidelity: name, n };
}

/**
 * Parses a ladder, cheapest fidelity first, each fidelity at most once: `'lf:10000'`, `'mf:10000'`,
 * `'lf:10000,mf:1000'`, `'lf:@lf.csv'`. `flag` names the setting in error messages (an InputError).
 */
export function parseLadder(text: string, flag = '--ladder'): LadderLevel[] {
  const levels = text.split(',').map((t) => parseLevel(t, flag));
  for (let i = 1; i < levels.length; i++) {
    if (COST_ORDER.indexOf(levels[i].fidelity) <= COST_ORDER.indexOf(levels[i - 1].fidelity)) {
      throw new InputError(`${flag}: levels go from the cheapest fidelity to the costliest, each once (lf before mf), got '${text}'`);
    }
  }
  return levels;
}

/**
 * The pairs of one level: read from its file, or simulated from the task with a progress line
 * (streams (seed, ladderOffset(fidelity) + i), disjoint from HF training and test streams).
 * `dims` checks a file's columns; `workers` are simulation threads (default: all cores).
 */
export async function ladderPairs(
  level: LadderLevel,
  task: Task | null,
  seed: number,
  opts: { workers?: number; quiet?: boolean; dims: { thetaDim: number; xDim: number } },
): Promise<Pairs> {
  if (level.file !== undefined) {
    const d = readPairs(level.file, task);
    if (d.thetaCols.length !== opts.dims.thetaDim || d.xCols.length !== opts.dims.xDim) {
      throw new InputError(
        `${level.file} has ${d.thetaCols.length} θ and ${d.xCols.length} x columns; the problem has ${opts.dims.thetaDim} and ${opts.dims.xDim}`,
      );
    }
    return { theta: d.theta, x: d.x };
  }
  if (!task) throw new InputError(`the ladder level ${level.fidelity}:${level.n} needs --task (or give a file, ${level.fidelity}:@FILE)`);
  if (!task.fidelities.includes(level.fidelity)) throw new InputError(`task ${task.name} has no ${level.fidelity.toUpperCase()} simulator`);
  const label = `simulate ${task.name} ${level.fidelity.toUpperCase()}`;
  return sampleJointWithProgress(task, level.n!, seed, {
    fidelity: level.fidelity,
    offset: ladderOffset(level.fidelity),
    workers: opts.workers,
    quiet: opts.quiet,
    label,
  });
}
