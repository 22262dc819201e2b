/**
 * `mfnpe trace`: one voltage trace at θ, as CSV `t,v` (ms, mV) and optionally a vega-lite figure.
 * The trace uses the random stream (seed, 0): it is simulation 0 of `mfnpe simulate --theta … --seed S`.
 */
import { getString, parseArgs, parseSeed } from './args.js';
import { exitQuietlyOnClosedStdout, fidelityLabel, parseFidelity, parseTheta } from './common.js';
import { checkWritable, writeFileAtomic } from '../data/atomic.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateTrace } from '../simulators/simulate.js';
import { streamRng } from '../random.js';
import { InputError } from '../errors.js';

export const help = `mfnpe trace: one membrane-voltage trace of the stochastic Hodgkin–Huxley neuron

usage:
  mfnpe trace --fidelity hf|mf|lf --theta G_NA,G_K,G_L [--seed S] [--out FILE.csv] [--svg FILE.svg] [--png FILE.png]

options:
  --fidelity hf|mf|lf  hf: Markov-chain channels (Gillespie); mf: channels in the diffusion (Langevin)
                       approximation; lf: deterministic gates + voltage noise
  --theta A,B,C        conductances ḡ_Na, ḡ_K, ḡ_L in mS/cm²
  --seed S             integer seed (default 0); the trace is simulation 0 of \`mfnpe simulate --seed S\`
  --out FILE.csv       CSV with columns t,v (ms, mV), 5001 rows (default: stdout, unless --svg/--png is given)
  --svg FILE.svg       vega-lite figure of the trace (stimulus window shaded), as SVG
  --png FILE.png       the same figure as PNG`;

const SPEC = { fidelity: 'string', theta: 'string', seed: 'string', out: 'string', svg: 'string', png: 'string' } as const;

/** The trace as CSV text `t,v`. */
export function traceCsv(v: ArrayLike<number>, dt_ms: number): string {
  const lines = new Array<string>(v.length + 1);
  lines[0] = 't,v';
  // t = i·dt rounded to 10 decimals so that 0.3 prints as 0.3, not 0.30000000000000004.
  for (let i = 0; i < v.length; i++) lines[i + 1] = `${Math.round(i * dt_ms * 1e10) / 1e10},${v[i]}`;
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, SPEC, 'trace');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'trace' (see mfnpe trace --help)`);
  const fidelity = parseFidelity(p);
  const thetaText = getString(p, 'theta');
  if (thetaText === undefined) throw new InputError('missing required option --theta G_NA,G_K,G_L');
  const theta = parseTheta(thetaText, fidelity);
  const seed = parseSeed(getString(p, 'seed'));
  const outs = { csv: getString(p, 'out'), svg: getString(p, 'svg'), png: getString(p, 'png') };
  if (outs.csv === '-') outs.csv = undefined;
  for (const [kind, path] of Object.entries(outs)) {
    if (path !== undefined && path !== '-') checkWritable(path);
    if (kind !== 'csv' && path === '-') throw new InputError(`--${kind} needs a file name`);
  }
  const cfg = DEFAULT_HH_CONFIG;
  const { v, events } = simulateTrace(fidelity, theta, streamRng(seed, 0), cfg);
  const csv = traceCsv(v, cfg.dt_ms);
  if (outs.csv !== undefined) writeFileAtomic(outs.csv, csv);
  else if (!outs.svg && !outs.png) {
    exitQuietlyOnClosedStdout();
    process.stdout.write(csv);
  }
  if (outs.svg || outs.png) {
    const [{ traceSpec }, { saveFigure }] = await Promise.all([import('../plots/trace.js'), import('../plots/render.js')]);
    const label = fidelityLabel(fidelity, events);
    const spec = traceSpec(v, { cfg, title: `${label}: θ = (${Array.from(theta).join(', ')}) mS/cm², seed ${seed}` });
    await saveFigure(spec, { svg: outs.svg, png: outs.png });
  }
}
