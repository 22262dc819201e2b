/**
 * `mfnpe demo`: a first look at the simulators: the three simulators (LF, MF, HF) at
 * θ = (120, 36, 0.3) mS/cm² — summary statistics of a few traces printed, and one trace of each
 * fidelity drawn to figures/trace-hf.svg, figures/trace-mf.svg and figures/trace-lf.svg.
 */
import { join } from 'node:path';
import { countFlag, getString, parseArgs, parseSeed } from './args.js';
import { fidelityLabel } from './common.js';
import { ensureDir, checkWritable } from '../data/atomic.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateSummary, simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { SUMMARY_NAMES } from '../simulators/summary.js';
import { streamRng } from '../random.js';
import { InputError } from '../errors.js';

export const help = `mfnpe demo: a first look at the simulators

usage: mfnpe demo [--traces N] [--seed S] [--figures DIR]

Simulates LF, MF and HF at θ = (120, 36, 0.3) mS/cm², prints the summary statistics of N traces of
each (default 5) and writes DIR/trace-hf.svg, DIR/trace-mf.svg and DIR/trace-lf.svg (default DIR:
figures).`;

const THETA = Float64Array.of(120, 36, 0.3);

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { traces: 'string', seed: 'string', figures: 'string' }, 'demo');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'demo'`);
  const nTraces = countFlag(p, 'traces', 5);
  const seed = parseSeed(getString(p, 'seed'));
  const dir = getString(p, 'figures') ?? 'figures';
  ensureDir(dir);
  const paths: Record<Fidelity, string> = { hf: join(dir, 'trace-hf.svg'), mf: join(dir, 'trace-mf.svg'), lf: join(dir, 'trace-lf.svg') };
  for (const path of Object.values(paths)) checkWritable(path);

  console.log(`Stochastic Hodgkin–Huxley neuron at θ = (ḡ_Na, ḡ_K, ḡ_L) = (120, 36, 0.3) mS/cm², seed ${seed}`);
  console.log(
    `step current ${DEFAULT_HH_CONFIG.stim_amp_uA_per_cm2} µA/cm² for ${DEFAULT_HH_CONFIG.stim_onset_ms} ≤ t < ${DEFAULT_HH_CONFIG.stim_offset_ms} ms, dt = ${DEFAULT_HH_CONFIG.dt_ms} ms, ${DEFAULT_HH_CONFIG.t_end_ms} ms\n`,
  );
  const header = ['fidelity', 'trace', ...SUMMARY_NAMES, 'ms', 'events'];
  const rows: string[][] = [];
  const x = new Float64Array(4);
  for (const fid of ['lf', 'mf', 'hf'] as Fidelity[]) {
    for (let i = 0; i < nTraces; i++) {
      const t0 = performance.now();
      const r = simulateSummary(fid, THETA, streamRng(seed, i), undefined, x);
      const ms = performance.now() - t0;
      rows.push([
        fid.toUpperCase(),
        String(i),
        String(r.x[0]),
        r.x[1].toFixed(2),
        r.x[2].toFixed(2),
        r.x[3].toFixed(2),
        ms.toFixed(1),
        fid === 'hf' ? String(r.events) : '–',
      ]);
    }
  }
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const fmt = (r: string[]) => r.map((c, j) => (j < 2 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(fmt(header));
  for (const r of rows) console.log(fmt(r));
  console.log(
    '\n(n_spikes: upward crossings of 0 mV; mean_rest, std_rest: V over t < 10 ms; mean_stim: V over 10 ≤ t < 30 ms; all mV.\n ms: wall time of each trace; the first of each fidelity includes JIT compilation)',
  );

  const [{ traceSpec }, { saveFigure }] = await Promise.all([import('../plots/trace.js'), import('../plots/render.js')]);
  for (const fid of ['hf', 'mf', 'lf'] as Fidelity[]) {
    const { v, events } = simulateTrace(fid, THETA, streamRng(seed, 0));
    const label = fidelityLabel(fid, fid === 'hf' ? events : undefined);
    await saveFigure(traceSpec(v, { title: `${label}: θ = (120, 36, 0.3) mS/cm², seed ${seed}` }), { svg: paths[fid] });
  }
  console.log(`\nwrote ${paths.hf}, ${paths.mf} and ${paths.lf}`);
}
