/**
 * The `mfnpe` command line. Each command lives in its own module, loaded only when called, so
 * light commands (simulate, trace) never import TensorFlow.
 */
import { InputError } from '../errors.js';

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<void>; help: string }>;
}

const COMMANDS: Record<string, Command> = {
  simulate: { summary: 'simulate the HH neuron (LF or HF) at one θ or from the prior; CSV of summary statistics', load: () => import('./simulate.js') },
  merge: { summary: 'join the shard files of a sharded simulation (--shard I/K) into one file', load: () => import('./merge.js') },
  trace: { summary: 'one voltage trace as CSV and a vega-lite plot (SVG/PNG)', load: () => import('./trace.js') },
  bench: { summary: 'speed benchmarks: simulators (default), `bench train` for the flow', load: () => import('./bench.js') },
  demo: { summary: 'a first look at the simulators (a few LF/HF traces)', load: () => import('./demo.js') },
  c2st: { summary: 'classifier two-sample test accuracy between two CSV sample sets', load: () => import('./c2st.js') },
  mmd: { summary: 'unbiased squared MMD between two CSV sample sets', load: () => import('./mmd.js') },
  task: { summary: 'benchmark tasks: `task simulate`, `task reference`', load: () => import('./task.js') },
  train: { summary: 'train NPE or MF-NPE and save the posterior', load: () => import('./train.js') },
  sample: { summary: 'draw posterior samples from a saved model', load: () => import('./sample.js') },
  infer: { summary: 'the posterior for one observation (--x or a recorded --trace) by TSNPE, MF-TSNPE or A-MF-TSNPE', load: () => import('./infer.js') },
  'log-prob': { summary: 'log q(θ|x) of a saved model on (θ, x) rows', load: () => import('./log-prob.js') },
  experiment: { summary: 'the MF-NPE vs NPE study: metrics, summary, costs and figures', load: () => import('./experiment.js') },
  view: { summary: 'interactive zoomable plots in the browser (nodeplotlib)', load: () => import('./view.js') },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return [
    'mfnpe: multifidelity simulation-based inference for stochastic Hodgkin–Huxley neurons',
    '',
    'usage: mfnpe <command> [options]      mfnpe <command> --help',
    '',
    'commands:',
    ...lines,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new InputError(`unknown command '${name}' (see mfnpe --help)`);
  const mod = await cmd.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(mod.help);
    return 0;
  }
  await mod.run(rest);
  return 0;
}

/** Runs the CLI: usage errors are one line on stderr and exit code 2; other failures exit 1. */
export async function cli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof InputError || e instanceof RangeError) {
      process.stderr.write(`mfnpe: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      const err = e as Error;
      process.stderr.write(`mfnpe: ${err?.message ?? String(e)}\n`);
      if (process.env.MFNPE_DEBUG) process.stderr.write(`${err?.stack}\n`);
      process.exitCode = 1;
    }
  }
}

const isEntry = process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) await cli(process.argv.slice(2));
