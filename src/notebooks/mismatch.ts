/**
 * The LF/HF mismatch in numbers: for paired simulations (row i of both sets at the same θ), per
 * summary statistic, the means of each fidelity, the mean and standard deviation of LF − HF, and
 * the Pearson correlation across θ. A high correlation with a shifted mean is the situation MF-NPE
 * exploits: the LF model carries the θ-dependence, a few HF simulations correct the offset.
 */
export interface MismatchRow {
  stat: string;
  meanLF: number;
  meanHF: number;
  /** Mean and sample standard deviation of LF − HF. */
  meanDiff: number;
  sdDiff: number;
  /** Pearson correlation of LF and HF values across θ. */
  corr: number;
}

/** Per summary statistic: LF and HF means and standard deviations and their KS distance (the LF/HF mismatch). */
export function lfHfMismatch(lf: ArrayLike<number>, hf: ArrayLike<number>, names: readonly string[]): MismatchRow[] {
  const d = names.length;
  if (lf.length !== hf.length || lf.length % d !== 0) throw new Error(`lfHfMismatch: ${lf.length} and ${hf.length} values for d = ${d}`);
  const n = lf.length / d;
  return names.map((stat, j) => {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      sa += lf[i * d + j];
      sb += hf[i * d + j];
    }
    const ma = sa / n;
    const mb = sb / n;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    let sdd = 0;
    const md = ma - mb;
    for (let i = 0; i < n; i++) {
      const a = lf[i * d + j] - ma;
      const b = hf[i * d + j] - mb;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
      const e = a - b;
      sdd += e * e;
    }
    return { stat, meanLF: ma, meanHF: mb, meanDiff: md, sdDiff: n > 1 ? Math.sqrt(sdd / (n - 1)) : NaN, corr: sab / Math.sqrt(saa * sbb) };
  });
}
