/**
 * Vega-lite figure of simulation-based calibration (Talts et al. 2018, "Validating Bayesian
 * inference algorithms with simulation-based calibration", fig. 1): per parameter, the histogram
 * of the ranks of θ_true among L posterior samples over N test simulations. A calibrated posterior
 * gives uniform ranks; the grey band is the central 99 % interval of a bin count under uniformity
 * (binomial(N, 1/B), normal approximation).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface SbcRanksOptions {
  labels?: readonly string[];
  bins?: number;
  title?: string;
  width?: number;
  height?: number;
}

/**
 * `ranks` row-major N × d, each in 0..L (L = number of posterior samples per test point).
 */
export function sbcRanksSpec(ranks: ArrayLike<number>, names: readonly string[], L: number, opts: SbcRanksOptions = {}): VegaLiteSpec {
  const d = names.length;
  const N = ranks.length / d;
  // Bins must split the L + 1 possible ranks evenly, or the expected counts differ between bins;
  // about 5 test pairs per bin at least, or the uniformity band covers everything.
  let B = Math.min(opts.bins ?? 20, Math.max(2, Math.floor(N / 5)), L + 1);
  while ((L + 1) % B !== 0) B--;
  const per = (L + 1) / B;
  const p = 1 / B;
  const mean = N * p;
  const sd = Math.sqrt(N * p * (1 - p));
  const z = 2.576;
  const panels = names.map((name, j) => {
    const counts = new Array<number>(B).fill(0);
    for (let i = j; i < ranks.length; i += d) counts[Math.min(B - 1, Math.floor(ranks[i] / per))]++;
    const values = counts.map((count, b) => ({ lo: b * per, hi: (b + 1) * per, count }));
    return {
      width: opts.width ?? 200,
      height: opts.height ?? 140,
      layer: [
        {
          data: { values: [{ lo: 0, hi: L + 1, a: Math.max(0, mean - z * sd), b: mean + z * sd }] },
          mark: { type: 'rect', color: '#bbbbbb', opacity: 0.45 },
          encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y: { field: 'a', type: 'quantitative' }, y2: { field: 'b' } },
        },
        {
          data: { values },
          mark: { type: 'rect', color: '#4c78a8', opacity: 0.85 },
          encoding: {
            x: { field: 'lo', type: 'quantitative', title: `rank of ${opts.labels?.[j] ?? name}`, scale: { domain: [0, L + 1], nice: false } },
            x2: { field: 'hi' },
            y: { field: 'count', type: 'quantitative', title: 'count' },
            y2: { datum: 0 },
          },
        },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? `SBC ranks (N = ${N} tests, L = ${L} samples); grey: 99 % band under uniformity`,
    config: { font: FIGURE_FONT, view: { stroke: null } },
    hconcat: panels,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
