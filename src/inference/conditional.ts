/**
 * What metrics need of a posterior estimate q(θ | x): sampling and batched log-densities.
 * Any object with these two methods can be evaluated (NPE, MF-NPE, an exact reference posterior).
 * Arrays are row-major: theta n × thetaDim, x n × xDim (or one x of xDim for `sample`).
 */
export interface ConditionalDensity {
  readonly thetaDim: number;
  readonly xDim: number;
  /** n samples θ ~ q(θ | x) for one observation x (length xDim). */
  sample(n: number, x: Float64Array, seed: number): Promise<Float64Array>;
  /** log q(θ_i | x_i) for aligned rows of theta and x. */
  logProb(theta: Float64Array, x: Float64Array): Promise<Float64Array>;
  /**
   * Optional: n samples with their log q from the sampling pass (the samples of `sample` with the same
   * seed; log q equal to `logProb`'s up to float32 rounding), for densities that can give both at once.
   */
  sampleWithLogProb?(n: number, x: Float64Array, seed: number): Promise<{ theta: Float64Array; logProb: Float64Array }>;
}
