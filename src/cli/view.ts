/**
 * `mfnpe view`: interactive, zoomable plots in the browser through nodeplotlib (plotly.js served
 * by a local web server). For looking closely at traces: spike shapes, channel noise at rest, LF
 * against HF at the same θ and seed.
 */
import { parseArgs, getString, getBool, parseSeed, parseCount, UsageError } from './args.js';
import { parseTheta } from './common.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { streamRng } from '../random.js';

export const help = `mfnpe view: interactive zoomable plots in the browser (nodeplotlib / plotly.js)

usage:
  mfnpe view trace --theta G_NA,G_K,G_L [--fidelity hf|lf|both] [--seed S] [--port P]

  Simulates the trace(s) (simulation 0 of \`mfnpe simulate --seed S\`, as \`mfnpe trace\`), starts a
  local web server and opens the plot in the default browser (xdg-open / open / start). Drag to
  zoom, double-click to reset. The command runs until the browser window is closed or Ctrl-C.

options:
  --theta A,B,C          conductances ḡ_Na, ḡ_K, ḡ_L in mS/cm²
  --fidelity hf|lf|both  which simulator(s); both overlays LF and HF (default both)
  --seed S               integer seed (default 0)
  --port P               serve on port P and do not open a browser (for remote machines: open
                         http://localhost:P yourself, e.g. through ssh -L P:localhost:P)`;

const SPEC = { theta: 'string', fidelity: 'string', seed: 'string', port: 'string', help: 'boolean' } as const;

/** The plotly traces (one per fidelity) of the membrane potential against time. */
export function tracePlots(theta: Float64Array, fidelities: readonly Fidelity[], seed: number): { x: number[]; y: number[]; type: 'scatter'; mode: 'lines'; name: string }[] {
  const cfg = DEFAULT_HH_CONFIG;
  return fidelities.map((f) => {
    const { v } = simulateTrace(f, theta, streamRng(seed, 0), cfg);
    return {
      x: Array.from(v, (_, i) => Math.round(i * cfg.dt_ms * 1e6) / 1e6),
      y: Array.from(v),
      type: 'scatter' as const,
      mode: 'lines' as const,
      name: f === 'hf' ? 'HF (Markov channels)' : 'LF (gates + noise)',
    };
  });
}

export async function run(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === undefined || what === '--help' || what === '-h') {
    process.stdout.write(help + '\n');
    return;
  }
  if (what !== 'trace') throw new UsageError(`unknown view '${what}' (expected: trace; see mfnpe view --help)`);
  const p = parseArgs(rest, SPEC, 'view trace');
  if (getBool(p, 'help')) {
    process.stdout.write(help + '\n');
    return;
  }
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}' for 'view trace'`);
  const fidText = getString(p, 'fidelity') ?? 'both';
  if (!['hf', 'lf', 'both'].includes(fidText)) throw new UsageError(`bad --fidelity '${fidText}' (expected hf, lf or both)`);
  const fidelities: Fidelity[] = fidText === 'both' ? ['lf', 'hf'] : [fidText as Fidelity];
  const thetaText = getString(p, 'theta');
  if (thetaText === undefined) throw new UsageError('missing required option --theta G_NA,G_K,G_L');
  // Validate for every fidelity shown (HF needs at least one channel of each kind).
  let theta = new Float64Array(3);
  for (const f of fidelities) theta = parseTheta(thetaText, f);
  const seed = parseSeed(getString(p, 'seed'));
  const portText = getString(p, 'port');
  // nodeplotlib reads NODEPLOTLIB_PORT when it is loaded; with it set, it opens no browser window.
  if (portText !== undefined) process.env.NODEPLOTLIB_PORT = String(parseCount(portText, '--port', 0));
  const plots = tracePlots(theta, fidelities, seed);
  const { plot } = await import('nodeplotlib');
  const title = `θ = (${Array.from(theta).join(', ')}) mS/cm², seed ${seed}`;
  plot(plots as never, {
    title: { text: title },
    xaxis: { title: { text: 't (ms)' } },
    yaxis: { title: { text: 'V (mV)' } },
    shapes: [{
      type: 'rect', xref: 'x', yref: 'paper', x0: DEFAULT_HH_CONFIG.stim_onset_ms, x1: DEFAULT_HH_CONFIG.stim_offset_ms,
      y0: 0, y1: 1, fillcolor: '#f2b134', opacity: 0.15, line: { width: 0 },
    }],
  } as never);
  process.stderr.write('mfnpe view: close the browser window or press Ctrl-C to stop\n');
}
