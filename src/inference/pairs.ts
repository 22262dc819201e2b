/**
 * Training pairs (θ_i, x_i): row-major Float64Arrays, n × thetaDim and n × xDim. A {@link PairSet}
 * gathers them round after round (sbi's `append_simulations`) and checks their shapes on the way in.
 */
import { InputError } from '../errors.js';

/** Row-major pairs: theta n × thetaDim, x n × xDim. */
export interface Pairs {
  theta: Float64Array;
  x: Float64Array;
}

/** Throws a one-line InputError unless theta and x hold the same number of whole rows. */
export function checkPairs(theta: ArrayLike<number>, x: ArrayLike<number>, thetaDim: number, xDim: number): number {
  if (theta.length % thetaDim !== 0) throw new InputError(`θ has ${theta.length} values, not a multiple of its dimension ${thetaDim}`);
  if (x.length % xDim !== 0) throw new InputError(`x has ${x.length} values, not a multiple of its dimension ${xDim}`);
  const n = theta.length / thetaDim;
  if (x.length / xDim !== n) throw new InputError(`θ has ${n} rows but x has ${x.length / xDim}`);
  return n;
}

/** A growing set of pairs; `appendSimulations` copies its input, so callers may reuse their buffers. */
export class PairSet {
  private chunks: Pairs[] = [];
  private merged: Pairs | null = null;

  constructor(
    readonly thetaDim: number,
    readonly xDim: number,
  ) {}

  /** Number of pairs gathered so far. */
  get size(): number {
    return this.chunks.reduce((n, c) => n + c.theta.length / this.thetaDim, 0);
  }

  /** Adds rows (θ_i, x_i); returns the number of rows added. */
  append(theta: ArrayLike<number>, x: ArrayLike<number>): number {
    const n = checkPairs(theta, x, this.thetaDim, this.xDim);
    this.chunks.push({ theta: Float64Array.from(theta), x: Float64Array.from(x) });
    this.merged = null;
    return n;
  }

  /** All pairs in the order they were appended. */
  all(): Pairs {
    if (this.merged) return this.merged;
    this.merged = this.chunks.length === 1 ? this.chunks[0] : this.concat();
    return this.merged;
  }

  private concat(): Pairs {
    const n = this.size;
    const out = { theta: new Float64Array(n * this.thetaDim), x: new Float64Array(n * this.xDim) };
    let row = 0;
    for (const c of this.chunks) {
      out.theta.set(c.theta, row * this.thetaDim);
      out.x.set(c.x, row * this.xDim);
      row += c.theta.length / this.thetaDim;
    }
    return out;
  }
}
