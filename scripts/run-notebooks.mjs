#!/usr/bin/env node
/**
 * Executes the notebooks headless with the mfnpe-tslab kernel and fails on any cell error or on a
 * notebook that shows no inline plot (a display_data output with image/svg+xml or image/png).
 *
 *   node scripts/run-notebooks.mjs [--render] [NAME_FILTER...]
 *
 * Quick mode (MFNPE_QUICK=1) unless MFNPE_QUICK is set in the environment. Default: executed copies
 * and their figures go to a temporary directory, the working tree stays untouched (what CI runs).
 * --render writes the executed notebooks back into notebooks/ and their figures into figures/ (to
 * refresh the committed outputs after changing the code or a notebook).
 *
 * Needs Python with nbclient (Debian: python3-nbclient python3-ipykernel; pip: nbclient ipykernel):
 * $JUPYTER_PYTHON, else /usr/bin/python3, else python3 on PATH — the first that imports nbclient.
 * Registers the kernel first (scripts/setup-notebooks.mjs, idempotent). Build dist/ before
 * (`npm run notebooks` does): the notebooks import the compiled library.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KERNEL = 'mfnpe-tslab';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nbDir = join(root, 'notebooks');
const CELL_TIMEOUT_S = Number(process.env.MFNPE_NOTEBOOK_CELL_TIMEOUT_S ?? 900);

function fail(msg) {
  process.stderr.write(`notebooks: ${msg}\n`);
  process.exit(1);
}

function findPython() {
  const candidates = [process.env.JUPYTER_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import nbclient, nbformat, jupyter_client'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  fail(
    `no Python with nbclient among ${candidates.join(', ')}: ` +
      'apt-get install python3-nbclient python3-ipykernel (or pip install nbclient ipykernel), ' +
      'or set JUPYTER_PYTHON',
  );
}

/** Inline plots of an executed notebook: display_data / execute_result outputs with an image. */
export function countInlinePlots(nb) {
  let n = 0;
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      if ((o.output_type === 'display_data' || o.output_type === 'execute_result') && o.data && ('image/svg+xml' in o.data || 'image/png' in o.data)) n++;
    }
  }
  return n;
}

function main() {
  const args = process.argv.slice(2);
  const render = args.includes('--render');
  const filters = args.filter((a) => !a.startsWith('--'));
  const notebooks = readdirSync(nbDir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
  if (notebooks.length === 0) fail(`no notebook in ${nbDir} matches ${filters.join(' ')}`);
  if (!existsSync(join(root, 'dist', 'index.js'))) fail('dist/index.js is missing: run npm run build');

  const py = findPython();
  const setup = spawnSync(process.execPath, [join(root, 'scripts', 'setup-notebooks.mjs')], { stdio: 'inherit' });
  if (setup.status !== 0) fail('kernel registration failed');

  const outDir = render ? nbDir : mkdtempSync(join(tmpdir(), 'mfnpe-notebooks-'));
  const figDir = render ? join(root, 'figures') : join(outDir, 'figures');
  mkdirSync(figDir, { recursive: true });
  const env = { ...process.env, MFNPE_QUICK: process.env.MFNPE_QUICK ?? '1', MFNPE_FIGURES_DIR: figDir };
  process.stderr.write(`notebooks: ${notebooks.length} to run (MFNPE_QUICK=${env.MFNPE_QUICK}), ` + `output in ${outDir}\n`);

  const results = [];
  for (const f of notebooks) {
    const t0 = performance.now();
    process.stderr.write(`notebooks: ${f} ...\n`);
    const out = join(outDir, f);
    const r = spawnSync(py, [join(root, 'scripts', 'execute-notebook.py'), join(nbDir, f), out, KERNEL, String(CELL_TIMEOUT_S)], {
      stdio: 'inherit',
      env,
      cwd: nbDir,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) fail(`${f} failed after ${seconds.toFixed(1)} s (executed copy: ${out})`);
    const nb = JSON.parse(readFileSync(out, 'utf8'));
    const plots = countInlinePlots(nb);
    if (plots === 0) fail(`${f} ran but shows no inline plot (image/svg+xml or image/png output)`);
    process.stderr.write(`notebooks: ${f} ok in ${seconds.toFixed(1)} s, ${plots} inline plots\n`);
    results.push({ notebook: basename(f), seconds, plots });
  }
  const figures = readdirSync(figDir).length;
  if (figures === 0) fail(`no figure written to ${figDir}`);
  process.stdout.write(
    results.map((r) => `${r.notebook}\t${r.seconds.toFixed(1)} s\t${r.plots} plots`).join('\n') +
      `\nall ${results.length} notebooks ran; ${figures} figure files in ${figDir}\n`,
  );
}

main();
