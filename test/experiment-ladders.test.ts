/**
 * Low-fidelity ladders in the experiment (src/experiment/low-fidelity.ts): MF-NPE pre-trained on LF,
 * on MF and on LF then MF, side by side; simulation CPU-seconds per fidelity in costs.csv; paired
 * comparisons against LF pre-training; the cost figure; bad ladders refused with one line.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { methodLabel } from '../src/experiment/format.js';
import { parseLowFidelity } from '../src/experiment/low-fidelity.js';
import { mfnpe as runMfnpe } from './helpers/cli.js';
import { TINY } from './helpers/tiny-config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'mfnpe-ladders-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const mfnpe = (args: string[]) => runMfnpe(args, 600000);

function csv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

function configFile(name: string, over: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...TINY, dataDir: join(dir, 'data'), ...over }));
  return path;
}

test('experiment with LF, MF and LF → MF pre-training: LF rows unchanged, costs per fidelity, paired rows, cost figure', () => {
  const config = configFile('ladders', { tasks: ['hh'], lowFidelities: ['lf', 'mf', 'lf,mf:100'], figures: true });
  const out = join(dir, 'out');
  const plan = mfnpe(['experiment', '--config', config, '--out', join(dir, 'plan'), '--plan']);
  assert.equal(plan.code, 0, plan.stderr);
  const ids = plan.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).id)
    .filter(Boolean);
  assert.deepEqual(ids, ['hh/reference', 'hh/seed0/npe', 'hh/seed0/lf200', 'hh/seed0/mf200', 'hh/seed0/lf200-mf100']);

  const r = mfnpe(['experiment', '--config', config, '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
  const methods = new Set(metrics.slice(1).map((l) => l.split(',')[0]));
  assert.deepEqual([...methods].sort(), ['mf-npe', 'mf-npe:lf>mf100', 'mf-npe:mf', 'npe', 'npe-lf', 'npe-lf>mf100', 'npe-mf']);
  // The NPE and LF rows are those of the LF-only tiny run (fixture): other ladders change nothing there.
  const fixture = readFileSync(join(ROOT, 'test', 'data', 'experiment', 'tiny-hh-metrics.csv'), 'utf8')
    .trim()
    .split('\n');
  const lfRows = metrics.filter((l) => /^(method|npe|mf-npe|npe-lf),/.test(l));
  assert.deepEqual(lfRows, fixture);

  const costs = csv(join(out, 'costs.csv'));
  assert.deepEqual(Object.keys(costs[0]), [
    'method',
    'n_lf',
    'n_hf',
    'seeds',
    'lf_sim_cpu_s',
    'mf_sim_cpu_s',
    'hf_sim_cpu_s',
    'sim_cpu_s',
    'train_s',
    'total_s',
  ]);
  const cost = (method: string, nHf: string) => costs.find((c) => c.method === method && c.n_hf === nHf)!;
  assert.ok(Number(cost('mf-npe:mf', '30').mf_sim_cpu_s) > 0 && Number(cost('mf-npe:mf', '30').lf_sim_cpu_s) === 0);
  assert.ok(Number(cost('mf-npe', '30').lf_sim_cpu_s) > 0 && Number(cost('mf-npe', '30').mf_sim_cpu_s) === 0);
  const ladder = cost('mf-npe:lf>mf100', '60');
  assert.ok(Number(ladder.lf_sim_cpu_s) > 0 && Number(ladder.mf_sim_cpu_s) > 0 && Number(ladder.hf_sim_cpu_s) > 0);
  // 100 MF simulations of the ladder cost about half of the MF ladder's 200. Exactly half when one
  // process simulated the cache entry; with two units running at once both may simulate it, each
  // charging its own measured CPU time, which differs by the timing noise of two runs (≈ 10 %).
  const ratio = Number(ladder.mf_sim_cpu_s) / Number(cost('mf-npe:mf', '60').mf_sim_cpu_s);
  assert.ok(Math.abs(ratio - 0.5) < 0.1, `MF cost ratio ${ratio}`);
  const sum = Number(ladder.lf_sim_cpu_s) + Number(ladder.mf_sim_cpu_s) + Number(ladder.hf_sim_cpu_s);
  assert.ok(Math.abs(Number(ladder.sim_cpu_s) - sum) < 1e-6 * sum);

  const comparisons = new Set(csv(join(out, 'paired.csv')).map((p) => p.comparison));
  for (const c of ['mf-npe - npe', 'mf-npe:mf - npe', 'mf-npe:mf - mf-npe', 'mf-npe:lf>mf100 - mf-npe', 'npe-mf - npe-lf']) assert.ok(comparisons.has(c), c);
  assert.match(r.stdout, /MF-NPE \(MF\) − MF-NPE \(LF\)/);
  assert.ok(existsSync(join(out, 'nltp-vs-cost.svg')) && existsSync(join(out, 'nltp-vs-cost.png')));
  assert.match(readFileSync(join(out, 'nltp-vs-cost.svg'), 'utf8'), /simulation CPU-seconds/);
});

test('experiment: a ladder the task cannot simulate or a malformed one is one line, exit 2', () => {
  const cases: [unknown, RegExp][] = [
    [{ tasks: ['ou'], lowFidelities: ['mf'] }, /task ou has no MF simulator/],
    [{ tasks: ['hh'], lowFidelities: ['hf'] }, /hf is the last stage/],
    [{ tasks: ['hh'], lowFidelities: ['mf:0'] }, /integer number of simulations ≥ 2/],
    [{ tasks: ['hh'], lowFidelities: ['mf,lf:100'] }, /cheapest fidelity to the costliest/],
    [{ tasks: ['hh'], lowFidelities: [] }, /non-empty list of ladders/],
    [{ tasks: ['hh'], lowFidelities: ['lf,mf'] }, /not FIDELITY:N/],
  ];
  for (const [i, [over, message]] of cases.entries()) {
    const out = join(dir, `bad${i}`);
    const r = mfnpe(['experiment', '--config', configFile(`bad${i}`, over as Record<string, unknown>), '--out', out, '--plan']);
    assert.equal(r.code, 2, `${JSON.stringify(over)}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(existsSync(out), false);
  }
});

test('labels name the ladder the sequential methods pre-train on', () => {
  assert.equal(methodLabel({ method: 'a-mf-tsnpe', n_lf: 10000 }), 'A-MF-TSNPE, 10000 LF');
  assert.equal(methodLabel({ method: 'a-mf-tsnpe', n_lf: 10000 }, parseLowFidelity('mf', 'x')), 'A-MF-TSNPE (MF), 10000 MF');
  assert.equal(methodLabel({ method: 'mf-tsnpe', n_lf: 10000 }, parseLowFidelity('lf,mf:1000', 'x')), 'MF-TSNPE (LF → MF 1000), 10000 LF');
  assert.equal(methodLabel({ method: 'tsnpe', n_lf: 0 }, parseLowFidelity('mf', 'x')), 'TSNPE');
});
