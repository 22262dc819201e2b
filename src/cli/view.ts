/**
 * `mfnpe view`: interactive, zoomable plots in the browser, for looking closely at traces (a single
 * spike, the channel noise at rest, LF, MF and HF at the same θ and seed) or at the columns of a
 * data file. The server keeps running until Ctrl-C.
 *
 * Two engines:
 * - default: an offline viewer (view-server.ts): the figure compiled to vega and vega's browser
 *   build from node_modules, served on 127.0.0.1; works without internet access;
 * - `--nodeplotlib`: plotly through nodeplotlib; its page loads plotly.js from a CDN, so the
 *   browser needs internet access.
 */
import { exec } from 'node:child_process';
import { getBool, getString, parseArgs, parseSeed } from './args.js';
import { fidelityLabel, parseTheta } from './common.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { FIDELITIES, hasChannels } from '../simulators/fidelity.js';
import { streamRng } from '../random.js';
import type { Table } from '../data/table.js';
import { InputError } from '../errors.js';
import { readArrow } from '../data/arrow.js';
import { readCsv } from '../data/csv.js';

export const help = `mfnpe view: interactive zoomable plots in the browser

usage:
  mfnpe view trace --theta G_NA,G_K,G_L [--fidelity all|hf|mf|lf|F1,F2] [--seed S] [--port P] [--no-open] [--nodeplotlib]
  mfnpe view file FILE.csv|FILE.arrow [--x COL] [--y COL1,COL2,…] [--port P] [--no-open] [--nodeplotlib]

  trace   voltage traces (mV against ms) at θ (simulation 0 of \`mfnpe simulate --seed S\`); LF, MF
          and HF overlaid by default (--fidelity: one, a comma list, 'all', or 'both' = lf,hf),
          stimulus shaded
  file    columns of a CSV or Arrow file: lines when x is 't', otherwise a scatter plot
          (default x: the first column; default y: every other column)

Serves the plot on http://127.0.0.1:P (default: a free port, printed) and opens it in the default
browser. Mouse wheel: zoom; drag: pan; double-click: reset; hover: values. Stop with Ctrl-C.

options:
  --port P        port to serve on
  --no-open       print the address only (remote machine: ssh -L P:127.0.0.1:P, then open it locally)
  --nodeplotlib   plotly through nodeplotlib instead of the offline viewer; its page loads plotly.js
                  from a CDN (needs internet access in the browser)`;

const SPEC = {
  theta: 'string',
  fidelity: 'string',
  seed: 'string',
  port: 'string',
  x: 'string',
  y: 'string',
  'no-open': 'boolean',
  nodeplotlib: 'boolean',
} as const;

/** What to draw, independent of the engine: named series of (x, y) points. */
interface Figure {
  title: string;
  xTitle: string;
  yTitle: string;
  lines: boolean;
  series: { name: string; x: ArrayLike<number>; y: ArrayLike<number> }[];
  /** Shaded x-interval (the stimulus), if any. */
  band?: [number, number];
}

function traceFigure(p: ReturnType<typeof parseArgs>): Figure {
  const fidText = (getString(p, 'fidelity') ?? 'all').trim().toLowerCase();
  const thetaText = getString(p, 'theta');
  const one = (f: string): Fidelity => {
    if (!(FIDELITIES as readonly string[]).includes(f.trim())) {
      throw new InputError(`--fidelity must be all, both (lf,hf), or ${FIDELITIES.join(', ')} or a comma list of them, got '${getString(p, 'fidelity')}'`);
    }
    return f.trim() as Fidelity;
  };
  const fids: Fidelity[] = fidText === 'all' ? ['lf', 'mf', 'hf'] : fidText === 'both' ? ['lf', 'hf'] : [...new Set(fidText.split(',').map(one))];
  if (thetaText === undefined) throw new InputError('missing required option --theta G_NA,G_K,G_L');
  // HF and MF need at least one channel of each kind: validate for them when they are shown.
  const theta = parseTheta(thetaText, fids.find(hasChannels) ?? 'lf');
  const seed = parseSeed(getString(p, 'seed'));
  const cfg = DEFAULT_HH_CONFIG;
  return {
    title: `θ = (${Array.from(theta).join(', ')}) mS/cm², seed ${seed}`,
    xTitle: 'time t (ms)',
    yTitle: 'membrane potential V (mV)',
    lines: true,
    band: [cfg.stim_onset_ms, cfg.stim_offset_ms],
    series: fids.map((f) => {
      const { v } = simulateTrace(f, theta, streamRng(seed, 0), cfg);
      return { name: fidelityLabel(f), x: Array.from(v, (_, i) => Math.round(i * cfg.dt_ms * 1e10) / 1e10), y: v };
    }),
  };
}

async function fileFigure(p: ReturnType<typeof parseArgs>, file: string): Promise<Figure> {
  let t: Table;
  if (/\.(arrow|feather|ipc)$/i.test(file)) t = readArrow(file);
  else t = readCsv(file);
  const col = (name: string) => {
    const k = t.columns.indexOf(name);
    if (k < 0) throw new InputError(`column '${name}' not in ${file} (columns: ${t.columns.join(',')})`);
    return k;
  };
  const xName = getString(p, 'x') ?? t.columns[0];
  const xk = col(xName);
  const yNames =
    getString(p, 'y')
      ?.split(',')
      .map((s) => s.trim()) ?? t.columns.filter((c) => c !== xName);
  if (yNames.length === 0) throw new InputError(`${file} has no column to plot against ${xName}`);
  const nc = t.columns.length;
  const column = (k: number) => Array.from({ length: t.nRows }, (_, i) => t.data[i * nc + k]);
  const x = column(xk);
  return {
    title: file,
    xTitle: xName,
    yTitle: yNames.length === 1 ? yNames[0] : 'value',
    lines: xName === 't',
    series: yNames.map((name) => ({ name, x, y: column(col(name)) })),
  };
}

async function showNodeplotlib(fig: Figure, port: number | undefined, open: boolean): Promise<void> {
  // nodeplotlib reads NODEPLOTLIB_PORT when it is loaded; with it set, it opens no browser window.
  if (port !== undefined || !open) process.env.NODEPLOTLIB_PORT = String(port ?? 0);
  const { plot } = await import('nodeplotlib');
  const data = fig.series.map((s) => ({
    x: Array.from(s.x),
    y: Array.from(s.y),
    type: 'scattergl',
    mode: fig.lines ? 'lines' : 'markers',
    name: s.name,
    ...(fig.lines ? { line: { width: 1 } } : { marker: { size: 4, opacity: 0.5 } }),
  }));
  const shapes = fig.band
    ? [{ type: 'rect', xref: 'x', yref: 'paper', x0: fig.band[0], x1: fig.band[1], y0: 0, y1: 1, fillcolor: '#f2b134', opacity: 0.15, line: { width: 0 } }]
    : [];
  plot(data as never, { title: fig.title, xaxis: { title: fig.xTitle }, yaxis: { title: fig.yTitle }, shapes } as never);
  process.stderr.write('mfnpe: plot served by nodeplotlib (its page loads plotly.js from a CDN); press Ctrl-C to stop\n');
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start ""' : 'xdg-open';
  exec(`${cmd} ${url}`, (err) => {
    if (err) process.stderr.write(`mfnpe view: could not open a browser (${cmd}); open ${url} yourself\n`);
  });
}

async function showOffline(fig: Figure, port: number | undefined, open: boolean): Promise<void> {
  const [{ interactiveXYSpec }, { serveFigure }] = await Promise.all([import('../plots/trace-interactive.js'), import('./view-server.js')]);
  const spec = interactiveXYSpec(fig.series, {
    title: `${fig.title} (wheel: zoom, drag: pan, double-click: reset)`,
    xTitle: fig.xTitle,
    yTitle: fig.yTitle,
    lines: fig.lines,
    band: fig.band,
  });
  const { url } = await serveFigure(spec, `mfnpe view: ${fig.title}`, port ?? 0);
  process.stdout.write(`mfnpe view: serving ${url}\n`);
  process.stderr.write('mfnpe view: press Ctrl-C to stop\n');
  if (open) openBrowser(url);
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, SPEC, 'view');
  const [what, ...rest] = p.positionals;
  const portText = getString(p, 'port');
  if (portText !== undefined && !(/^\d+$/.test(portText) && Number(portText) <= 65535)) throw new InputError(`--port must be a port number, got '${portText}'`);
  const port = portText === undefined ? undefined : Number(portText);
  let fig: Figure;
  if (what === 'trace') {
    if (rest.length > 0) throw new InputError(`unexpected argument '${rest[0]}' for 'view trace'`);
    fig = traceFigure(p);
  } else if (what === 'file') {
    if (rest.length !== 1) throw new InputError(`'view file' needs exactly one file, got ${rest.length}`);
    fig = await fileFigure(p, rest[0]);
  } else {
    throw new InputError(
      what === undefined ? "missing what to view: 'trace' or 'file' (see mfnpe view --help)" : `unknown view '${what}' (expected trace or file)`,
    );
  }
  const open = !getBool(p, 'no-open');
  if (getBool(p, 'nodeplotlib')) await showNodeplotlib(fig, port, open);
  else await showOffline(fig, port, open);
}
