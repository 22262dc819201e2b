/**
 * TypeScript vs C, single thread: ms per trace of the HF, MF and LF simulators at θ = (120, 36, 0.3)
 * for the TS implementation (src/simulators) and the C reference (bench/c/hh.c: the same algorithms,
 * arithmetic and random streams), in one run, and the ratios TS/C.
 *
 *   node --import tsx scripts/bench-sim-vs-c.ts [--rounds R] [--hf N] [--mf N] [--lf N] [--cc CC]
 *
 * The C file is compiled with `cc -O3 -march=native -ffp-contract=off` (no fused multiply-adds: JS has
 * none, so C and TS compute the same numbers) into a temporary folder; without a C compiler only the
 * TS timings are printed, with a note. First a cross-check: the summary statistics (and HF event
 * counts) of a few streams from C and TS must agree (they follow each other draw for draw; only
 * last-bit differences of the C library's exp/log against V8's can make traces drift apart).
 *
 * Timing: R rounds (default 9); each round times, per fidelity, N traces in C (a child process that
 * times itself after a warm-up) and then the same N traces (same streams) in TS in this process. The
 * result per fidelity is the median over rounds of the CPU time per trace of the simulating thread
 * (C: CLOCK_PROCESS_CPUTIME_ID of its single thread; TS: the main thread's run time from
 * /proc/thread-self/schedstat, so V8's background compiler and GC threads are not counted — where
 * that file is missing, the whole process's user + system time), which is robust to other load on a
 * shared machine, and of the wall time per trace; rounds interleave C and TS, so a change of load
 * affects both alike. The ratio TS/C is the median over rounds of the per-round ratio (C and TS of a
 * round ran within a fraction of a second of each other, under about the same load). The load average is printed with the results; last
 * line: JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamRng } from '../src/random.js';
import { hhConfig, nSteps } from '../src/simulators/config.js';
import { simulateHF } from '../src/simulators/hf.js';
import { simulateLF } from '../src/simulators/lf.js';
import { simulateMF } from '../src/simulators/mf.js';
import { summaryStats } from '../src/simulators/summary.js';

type Fid = 'hf' | 'mf' | 'lf';
const FIDS: Fid[] = ['hf', 'mf', 'lf'];
const THETA = [120, 36, 0.3];
const SEED = 12345;

function arg(name: string, def: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : def;
}
const rounds = Number(arg('rounds', '9'));
const counts: Record<Fid, number> = { hf: Number(arg('hf', '8')), mf: Number(arg('mf', '100')), lf: Number(arg('lf', '200')) };
const ccName = arg('cc', 'cc');
for (const v of [rounds, ...Object.values(counts)]) {
  if (!(Number.isInteger(v) && v >= 1)) {
    console.error('usage: node --import tsx scripts/bench-sim-vs-c.ts [--rounds R] [--hf N] [--mf N] [--lf N] [--cc CC]');
    process.exit(2);
  }
}

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const uptime0 = sh('uptime', []).stdout?.trim() ?? '';
const load0 = loadavg()[0];
const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'bench', 'c', 'hh.c');

// Compile the C reference (or note why not).
const dir = mkdtempSync(join(tmpdir(), 'mfnpe-hh-c-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const exe = join(dir, 'hh');
const cflags = ['-O3', '-march=native', '-ffp-contract=off'];
let cNote = '';
const ccVersion = sh(ccName, ['--version']);
if (ccVersion.error || ccVersion.status !== 0) {
  cNote = `no C compiler ('${ccName}' not found): TS timings only`;
} else {
  const r = sh(ccName, [...cflags, '-o', exe, source, '-lm']);
  if (r.status !== 0) cNote = `C compilation failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
}
const haveC = cNote === '';
const ccLine = haveC ? ccVersion.stdout.split('\n')[0] : '';

/** TS: simulates trace i of fidelity f; returns the HF event count (0 otherwise). */
const buf = new Float64Array(nSteps());
function tsTrace(f: Fid, i: number, seed = SEED, theta = THETA, scale = 1): number {
  const rng = streamRng(seed, i);
  const cfg = scale === 1 ? undefined : hhConfig({ channel_scale: scale });
  if (f === 'hf') return simulateHF(theta, rng, cfg, buf).events;
  if (f === 'mf') simulateMF(theta, rng, cfg, buf);
  else simulateLF(theta, rng, cfg, buf);
  return 0;
}

// Cross-check: C and TS summaries of the same streams.
let check = 'skipped (no C)';
if (haveC) {
  let maxRel = 0;
  let eventsEqual = true;
  let spikesEqual = true;
  for (const f of FIDS) {
    for (const [k, theta] of [THETA, [55, 22, 0.12]].entries()) {
      const out = sh(exe, ['stats', f, String(90 + k), '0', '4', ...theta.map(String), '1']);
      if (out.status !== 0) throw new Error(`C stats failed: ${out.stderr}`);
      for (const line of out.stdout.trim().split('\n')) {
        const [i, ...vals] = line.split(',').map(Number);
        const ev = tsTrace(f, i, 90 + k, theta);
        const x = summaryStats(buf);
        if (vals[4] !== ev) eventsEqual = false;
        if (vals[0] !== x[0]) spikesEqual = false;
        for (let j = 1; j < 4; j++) maxRel = Math.max(maxRel, Math.abs(vals[j] - x[j]) / Math.max(1, Math.abs(x[j])));
      }
    }
  }
  check = `24 traces (3 fidelities × 2 θ × 4 streams): spike counts ${spikesEqual ? 'equal' : 'DIFFER'}, HF event counts ${
    eventsEqual ? 'equal' : 'DIFFER'
  }, max relative difference of the other statistics ${maxRel.toExponential(1)}`;
}

// Warm-up of the TS simulators.
for (const f of FIDS) for (let i = 0; i < (f === 'hf' ? 4 : 40); i++) tsTrace(f, i, SEED + 1);

/** CPU ms of this thread (Linux schedstat, ns resolution) or, without it, of the whole process. */
const THREAD_STAT = '/proc/thread-self/schedstat';
const threadClock = existsSync(THREAD_STAT);
function cpuMs(): number {
  if (threadClock) return Number(readFileSync(THREAD_STAT, 'utf8').split(' ')[0]) / 1e6;
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

const median = (a: number[]) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[(b.length - 1) >> 1] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
const cpu: Record<string, number[]> = {};
const wall: Record<string, number[]> = {};
const push = (key: string, c: number, w: number) => {
  if (cpu[key] === undefined) {
    cpu[key] = [];
    wall[key] = [];
  }
  cpu[key].push(c);
  wall[key].push(w);
};
let generator = '';
for (let r = 0; r < rounds; r++) {
  for (const f of FIDS) {
    const n = counts[f];
    if (haveC) {
      const out = sh(exe, ['bench', f, String(n), '1', String(SEED)]);
      if (out.status !== 0) throw new Error(`C bench failed: ${out.stderr}`);
      const j = JSON.parse(out.stdout);
      generator = j.generator;
      push(`c_${f}`, j.cpu_ms_per_trace, j.ms_median);
    }
    const walls: number[] = [];
    const c0 = cpuMs();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      tsTrace(f, i);
      walls.push(performance.now() - t0);
    }
    push(`ts_${f}`, (cpuMs() - c0) / n, median(walls));
  }
}
const load1 = loadavg()[0];
const uptime1 = sh('uptime', []).stdout?.trim() ?? '';

const result: Record<string, unknown> = {
  theta: THETA,
  rounds,
  traces_per_round: counts,
  c_compiler: haveC ? `${ccLine}; ${cflags.join(' ')}` : cNote,
  c_generator: generator || null,
  ts_cpu_clock: threadClock ? 'main thread (/proc/thread-self/schedstat)' : 'process (user + system)',
  cross_check: check,
  loadavg_1min: [load0, load1],
};
const lines: string[] = [];
const f3 = (x: number) => x.toFixed(3);
lines.push(
  `TS vs C, single thread, θ = (${THETA.join(', ')}); ${cpus()[0]?.model ?? ''} ${cpus().length} cores; load ${load0.toFixed(2)} → ${load1.toFixed(2)}`,
);
lines.push(haveC ? `C: ${ccLine} ${cflags.join(' ')}; generator ${generator}` : `C: ${cNote}`);
lines.push(`cross-check C vs TS: ${check}`);
lines.push(`CPU time: C its one thread; TS ${threadClock ? 'the main thread (V8 background threads excluded)' : 'the whole process'}`);
lines.push('');
lines.push('fidelity  TS CPU ms  C CPU ms  TS/C (CPU)  TS wall ms  C wall ms  TS/C (wall)  target TS/C');
const targets: Record<Fid, number> = { hf: 1.3, mf: 1.5, lf: 1.5 };
for (const f of FIDS) {
  const tc = median(cpu[`ts_${f}`]);
  const tw = median(wall[`ts_${f}`]);
  const entry: Record<string, number | null> = { ts_cpu_ms: tc, ts_wall_ms: tw, c_cpu_ms: null, c_wall_ms: null, ratio_cpu: null, ratio_wall: null };
  if (haveC) {
    const cc = median(cpu[`c_${f}`]);
    const cw = median(wall[`c_${f}`]);
    const rc = median(cpu[`ts_${f}`].map((x, r) => x / cpu[`c_${f}`][r]));
    const rw = median(wall[`ts_${f}`].map((x, r) => x / wall[`c_${f}`][r]));
    Object.assign(entry, { c_cpu_ms: cc, c_wall_ms: cw, ratio_cpu: rc, ratio_wall: rw });
    lines.push(
      `${f.toUpperCase().padEnd(8)}  ${f3(tc).padStart(9)}  ${f3(cc).padStart(8)}  ${rc.toFixed(2).padStart(10)}  ${f3(tw).padStart(10)}  ${f3(cw).padStart(9)}  ${rw.toFixed(2).padStart(11)}  ≤ ${targets[f]}`,
    );
  } else {
    lines.push(`${f.toUpperCase().padEnd(8)}  ${f3(tc).padStart(9)}  ${'–'.padStart(8)}  ${'–'.padStart(10)}  ${f3(tw).padStart(10)}`);
  }
  result[f] = entry;
}
lines.push('');
lines.push(`load before: ${uptime0}`);
lines.push(`load after:  ${uptime1}`);
console.log(lines.join('\n'));
console.log(JSON.stringify(result));
