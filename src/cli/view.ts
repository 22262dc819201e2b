/**
 * `mfnpe view`: interactive, zoomable plots in the browser, for looking closely at traces (spike
 * shapes, channel noise at rest, LF against HF at the same θ and seed).
 *
 * Default: an offline viewer (view-server.ts: vega from node_modules, served on 127.0.0.1).
 * `--nodeplotlib`: nodeplotlib's plotly.js page instead; its page loads plotly.js from a CDN, so it
 * needs internet access in the browser.
 */
import { exec } from 'node:child_process';
import { parseArgs, getString, getBool, parseSeed, parseCount, UsageError } from './args.js';
import { parseTheta } from './common.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { streamRng } from '../random.js';

export const help = `mfnpe view: interactive zoomable plots in the browser

usage:
  mfnpe view trace --theta G_NA,G_K,G_L [--fidelity hf|lf|both] [--seed S] [--port P] [--no-open] [--nodeplotlib]

  Simulates the trace(s) (simulation 0 of \`mfnpe simulate --seed S\`, as \`mfnpe trace\`), serves an
  interactive plot on http://127.0.0.1:PORT/ and opens it in the default browser. Mouse wheel: zoom
  the time axis; drag: pan; double-click: reset; hover: values. Runs until Ctrl-C.

options:
  --theta A,B,C          conductances ḡ_Na, ḡ_K, ḡ_L in mS/cm²
  --fidelity hf|lf|both  which simulator(s); both overlays LF and HF (default both)
  --seed S               integer seed (default 0)
  --port P               port to serve on (default: a free one)
  --no-open              print the address without opening a browser (remote machines: ssh -L P:127.0.0.1:P)
  --nodeplotlib          use nodeplotlib (plotly.js) instead; its page needs internet access for plotly.js`;

const SPEC = { theta: 'string', fidelity: 'string', seed: 'string', port: 'string', 'no-open': 'boolean', nodeplotlib: 'boolean', help: 'boolean' } as const;

interface Parsed {
  theta: Float64Array;
  fidelities: Fidelity[];
  seed: number;
  port: number | undefined;
  open: boolean;
  nodeplotlib: boolean;
}

function parse(argv: string[]): Parsed | null {
  const p = parseArgs(argv, SPEC, 'view trace');
  if (getBool(p, 'help')) return null;
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}' for 'view trace'`);
  const fidText = getString(p, 'fidelity') ?? 'both';
  if (!['hf', 'lf', 'both'].includes(fidText)) throw new UsageError(`bad --fidelity '${fidText}' (expected hf, lf or both)`);
  const fidelities: Fidelity[] = fidText === 'both' ? ['lf', 'hf'] : [fidText as Fidelity];
  const thetaText = getString(p, 'theta');
  if (thetaText === undefined) throw new UsageError('missing required option --theta G_NA,G_K,G_L');
  // Validate for every fidelity shown (HF needs at least one channel of each kind).
  let theta = new Float64Array(3);
  for (const f of fidelities) theta = parseTheta(thetaText, f);
  const portText = getString(p, 'port');
  const port = portText === undefined ? undefined : parseCount(portText, '--port', 0);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got '${portText}'`);
  return { theta, fidelities, seed: parseSeed(getString(p, 'seed')), port, open: !getBool(p, 'no-open'), nodeplotlib: getBool(p, 'nodeplotlib') };
}

function traces(a: Parsed): { name: string; v: Float64Array }[] {
  return a.fidelities.map((f) => ({
    name: f === 'hf' ? 'HF (Markov channels)' : 'LF (gates + noise)',
    v: simulateTrace(f, a.theta, streamRng(a.seed, 0), DEFAULT_HH_CONFIG).v,
  }));
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start ""' : 'xdg-open';
  exec(`${cmd} ${url}`, (err) => {
    if (err) process.stderr.write(`mfnpe view: could not open a browser (${cmd}); open ${url} yourself\n`);
  });
}

async function viewNodeplotlib(a: Parsed, title: string): Promise<void> {
  // nodeplotlib reads NODEPLOTLIB_PORT when it is loaded; with it set, it opens no browser window.
  if (a.port !== undefined || !a.open) process.env.NODEPLOTLIB_PORT = String(a.port ?? 0);
  const { plot } = await import('nodeplotlib');
  const cfg = DEFAULT_HH_CONFIG;
  plot(traces(a).map((t) => ({ x: Array.from(t.v, (_, i) => i * cfg.dt_ms), y: Array.from(t.v), type: 'scatter', mode: 'lines', name: t.name })) as never, {
    title: { text: title },
    xaxis: { title: { text: 't (ms)' } },
    yaxis: { title: { text: 'V (mV)' } },
  } as never);
}

export async function run(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === undefined || what === '--help' || what === '-h') {
    process.stdout.write(help + '\n');
    return;
  }
  if (what !== 'trace') throw new UsageError(`unknown view '${what}' (expected: trace; see mfnpe view --help)`);
  const a = parse(rest);
  if (a === null) {
    process.stdout.write(help + '\n');
    return;
  }
  const title = `θ = (${Array.from(a.theta).join(', ')}) mS/cm², seed ${a.seed}`;
  if (a.nodeplotlib) return viewNodeplotlib(a, title);
  const [{ interactiveTraceSpec }, { serveFigure }] = await Promise.all([import('../plots/trace-interactive.js'), import('./view-server.js')]);
  const spec = interactiveTraceSpec(traces(a), { title: `${title} (wheel: zoom, drag: pan, double-click: reset)` });
  const { url } = await serveFigure(spec, `mfnpe view: ${title}`, a.port ?? 0);
  process.stdout.write(`mfnpe view: serving ${url}\n`);
  process.stderr.write('mfnpe view: press Ctrl-C to stop\n');
  if (a.open) openBrowser(url);
}
