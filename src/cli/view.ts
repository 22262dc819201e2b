/**
 * `mfnpe view`: interactive, zoomable plots in the browser (plotly through nodeplotlib), for looking
 * closely at traces (a single spike, the channel noise at rest) or at the columns of a data file.
 * The server keeps running until the browser tab closes it or Ctrl-C.
 */
import { UsageError, getString, parseArgs, parseSeed } from './args.js';
import { parseTheta } from './common.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { streamRng } from '../random.js';
import type { Table } from '../data/table.js';

export const help = `mfnpe view: interactive zoomable plots in the browser (nodeplotlib / plotly)

usage:
  mfnpe view trace --theta G_NA,G_K,G_L [--fidelity hf|lf|both] [--seed S] [--port P]
  mfnpe view file FILE.csv|FILE.arrow [--x COL] [--y COL1,COL2,…] [--port P]

  trace   voltage traces (mV against ms) at θ; both fidelities overlaid by default, stimulus shaded
  file    columns of a CSV or Arrow file: lines when x is 't', otherwise a scatter plot
          (default x: the first column; default y: every other column)

Opens http://localhost:P (default: a free port, printed) in the browser when one is available;
stop with Ctrl-C.`;

const SPEC = { theta: 'string', fidelity: 'string', seed: 'string', port: 'string', x: 'string', y: 'string' } as const;

interface PlotlyTrace {
  x: number[];
  y: number[];
  type: 'scatter' | 'scattergl';
  mode: 'lines' | 'markers';
  name: string;
  line?: { width: number };
  marker?: { size: number; opacity: number };
}

async function show(data: PlotlyTrace[], layout: Record<string, unknown>, port: string | undefined): Promise<void> {
  if (port !== undefined) process.env.NODEPLOTLIB_PORT = port;
  const { plot } = await import('nodeplotlib');
  plot(data as never, layout as never);
  process.stderr.write('mfnpe: plot served by nodeplotlib; press Ctrl-C to stop\n');
}

function tracePlots(p: ReturnType<typeof parseArgs>): { data: PlotlyTrace[]; layout: Record<string, unknown> } {
  const fidText = (getString(p, 'fidelity') ?? 'both').toLowerCase();
  if (!['hf', 'lf', 'both'].includes(fidText)) throw new UsageError(`--fidelity must be hf, lf or both, got '${getString(p, 'fidelity')}'`);
  const thetaText = getString(p, 'theta');
  if (thetaText === undefined) throw new UsageError('missing required option --theta G_NA,G_K,G_L');
  const fids: Fidelity[] = fidText === 'both' ? ['lf', 'hf'] : [fidText as Fidelity];
  const theta = parseTheta(thetaText, fids.includes('hf') ? 'hf' : 'lf');
  const seed = parseSeed(getString(p, 'seed'));
  const cfg = DEFAULT_HH_CONFIG;
  const data: PlotlyTrace[] = fids.map((f) => {
    const { v } = simulateTrace(f, theta, streamRng(seed, 0), cfg);
    return {
      x: Array.from(v, (_, i) => Math.round(i * cfg.dt_ms * 1e10) / 1e10),
      y: Array.from(v),
      type: 'scattergl',
      mode: 'lines',
      name: f.toUpperCase(),
      line: { width: 1 },
    };
  });
  const layout = {
    title: `θ = (${Array.from(theta).join(', ')}) mS/cm², seed ${seed}`,
    xaxis: { title: 'time t (ms)' },
    yaxis: { title: 'membrane potential V (mV)' },
    shapes: [
      { type: 'rect', xref: 'x', yref: 'paper', x0: cfg.stim_onset_ms, x1: cfg.stim_offset_ms, y0: 0, y1: 1, fillcolor: '#f2b134', opacity: 0.15, line: { width: 0 } },
    ],
  };
  return { data, layout };
}

async function filePlots(p: ReturnType<typeof parseArgs>, file: string): Promise<{ data: PlotlyTrace[]; layout: Record<string, unknown> }> {
  let t: Table;
  if (/\.(arrow|feather|ipc)$/i.test(file)) t = (await import('../data/arrow.js')).readArrow(file);
  else t = (await import('../data/csv.js')).readCsv(file);
  const col = (name: string) => {
    const k = t.columns.indexOf(name);
    if (k < 0) throw new UsageError(`column '${name}' not in ${file} (columns: ${t.columns.join(',')})`);
    return k;
  };
  const xName = getString(p, 'x') ?? t.columns[0];
  const xk = col(xName);
  const yNames = getString(p, 'y')?.split(',').map((s) => s.trim()) ?? t.columns.filter((c) => c !== xName);
  if (yNames.length === 0) throw new UsageError(`${file} has no column to plot against ${xName}`);
  const nc = t.columns.length;
  const column = (k: number) => Array.from({ length: t.nRows }, (_, i) => t.data[i * nc + k]);
  const x = column(xk);
  const lines = xName === 't';
  const data: PlotlyTrace[] = yNames.map((name) => ({
    x,
    y: column(col(name)),
    type: 'scattergl',
    mode: lines ? 'lines' : 'markers',
    name,
    ...(lines ? { line: { width: 1 } } : { marker: { size: 4, opacity: 0.5 } }),
  }));
  return { data, layout: { title: file, xaxis: { title: xName }, yaxis: { title: yNames.length === 1 ? yNames[0] : 'value' } } };
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, SPEC, 'view');
  const [what, ...rest] = p.positionals;
  const port = getString(p, 'port');
  if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port must be a port number, got '${port}'`);
  let plots: { data: PlotlyTrace[]; layout: Record<string, unknown> };
  if (what === 'trace') {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'view trace'`);
    plots = tracePlots(p);
  } else if (what === 'file') {
    if (rest.length !== 1) throw new UsageError(`'view file' needs exactly one file, got ${rest.length}`);
    plots = await filePlots(p, rest[0]);
  } else {
    throw new UsageError(what === undefined ? "missing what to view: 'trace' or 'file' (see mfnpe view --help)" : `unknown view '${what}' (expected trace or file)`);
  }
  await show(plots.data, plots.layout, port);
}
