/**
 * Speed of one A-MF-TSNPE run on the HH task (sequential.md; Krouglova et al. 2025): 100 HF
 * simulations in 5 rounds, an ensemble of 5 flows, the spec's truncation (ε = 10⁻⁶, M = 10⁶ draws).
 * The LF pre-training is amortized over observations and is set-up here, not timed. Timed: each
 * round's proposal (threshold τ from M mixture draws, truncated-prior rejection, acquisition) and
 * training; HF simulation time is measured and excluded. Prints per round the seconds and the CPU
 * seconds of this process, the flow-sampling throughput of the threshold (samples_per_s: mixture
 * samples/s, each with its own member's log q from the sampling pass; threshold_draws_per_s: the
 * whole threshold, including the mixture density on the few draws that can be among the lowest),
 * the total, and the draws/s the truncation needs for the whole run to fit the 3-minute target. The acceptance target is ≤ 3 min on one core; with other jobs on the
 * machine, CPU seconds are the fairer figure (the load average is printed).
 *
 *   node --import tsx scripts/bench-sequential.ts [--sims 100] [--rounds 5] [--ensemble 5]
 *     [--quantile 1e-6] [--draws 1000000] [--lf-sims 5000] [--pretrain-max-epochs 200] [--seed 0]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AMFTSNPE } from '../src/inference/amf-tsnpe.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import { type RoundInfo, simulatorOf } from '../src/inference/sequential.js';
import { STREAM_OFFSET, streamRng } from '../src/random.js';
import { simulateSummary } from '../src/simulators/simulate.js';
import { getTask } from '../src/tasks/registry.js';

const TARGET_S = 180;
const { values: o } = parseArgs({
  options: {
    sims: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '5' },
    ensemble: { type: 'string', default: '5' },
    quantile: { type: 'string', default: '1e-6' },
    draws: { type: 'string', default: '1000000' },
    'lf-sims': { type: 'string', default: '5000' },
    'pretrain-max-epochs': { type: 'string', default: '200' },
    seed: { type: 'string', default: '0' },
  },
});
const seed = Number(o.seed);
const draws = Number(o.draws);
process.env.MFNPE_QUIET = '1';

const task = getTask('hh');
const xo = simulateSummary('hf', [120, 36, 0.3], streamRng(seed, STREAM_OFFSET.test)).x;
let t = performance.now();
const lf = await task.sampleJoint(Number(o['lf-sims']), seed, { fidelity: 'lf', offset: STREAM_OFFSET.lf });
const mf = new MFNPE(task, { seed, pretrain: { maxEpochs: Number(o['pretrain-max-epochs']), quiet: true } });
const pre = await mf.pretrain(lf.theta, lf.x);
console.log(`set-up (not timed): ${o['lf-sims']} LF simulations + pre-training in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const rows: Record<string, string | number>[] = [];
let cpu = process.cpuUsage();
let simCpu = 0;
const simulate = simulatorOf(task);
const timedSimulator = async (theta: Float64Array, s: number, offset: number) => {
  const c0 = process.cpuUsage();
  const x = await simulate(theta, s, offset);
  const c = process.cpuUsage(c0);
  simCpu += (c.user + c.system) / 1e6;
  return x;
};
const onRound = ({ record: r, proposal }: RoundInfo) => {
  const c = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const f = proposal?.fitted;
  rows.push({
    round: r.round,
    theta: r.drawn,
    acceptance: Number(r.acceptance.toPrecision(3)),
    seconds_excl_sim: Number((r.seconds - r.simulationSeconds).toFixed(2)),
    cpu_s_excl_sim: Number(((c.user + c.system) / 1e6 - simCpu).toFixed(2)),
    threshold_s: f ? Number(f.seconds.toFixed(2)) : 0,
    training_s: Number(r.trainingSeconds.toFixed(2)),
    simulation_s: Number(r.simulationSeconds.toFixed(2)),
    samples_per_s: f ? Math.round(f.draws / f.sampleSeconds) : '',
    threshold_draws_per_s: f ? Math.round(f.draws / f.seconds) : '',
  });
  simCpu = 0;
};
t = performance.now();
const run = new AMFTSNPE(task, pre, {
  seed,
  rounds: Number(o.rounds),
  ensemble: Number(o.ensemble),
  truncation: { quantile: Number(o.quantile), draws },
  quiet: true,
});
await run.run(xo, timedSimulator, Number(o.sims), onRound);
const wall = (performance.now() - t) / 1000;
console.table(rows);
const sum = (k: string) => rows.reduce((a, r) => a + Number(r[k] || 0), 0);
const total = sum('seconds_excl_sim');
const thresholdS = sum('threshold_s');
const fits = rows.filter((r) => r.samples_per_s !== '').length;
// The threshold's cost per round is about M/s for the rate s of draws with their own log q (the
// mixture density of the few candidates adds little); the rest of the run (training, rejection,
// acquisition) is what remains of the total.
const budgetPerFit = (TARGET_S - (total - thresholdS)) / Math.max(fits, 1);
console.log(
  JSON.stringify(
    {
      sims: Number(o.sims),
      rounds: Number(o.rounds),
      ensemble: Number(o.ensemble),
      quantile: Number(o.quantile),
      thresholdDraws: draws,
      totalSecondsExclSimulation: Number(total.toFixed(1)),
      totalCpuSecondsExclSimulation: Number(sum('cpu_s_excl_sim').toFixed(1)),
      thresholdSeconds: Number(thresholdS.toFixed(1)),
      simulationSeconds: Number(sum('simulation_s').toFixed(1)),
      wallSeconds: Number(wall.toFixed(1)),
      within3Minutes: total <= TARGET_S,
      neededDrawsPerSecondFor3Minutes: budgetPerFit > 0 ? Math.round(draws / budgetPerFit) : null,
      loadavg: loadavg().map((v) => Number(v.toFixed(2))),
      cores: 'one thread (wasm backend)',
    },
    null,
    1,
  ),
);
