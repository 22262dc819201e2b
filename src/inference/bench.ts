/**
 * Training-speed benchmark of the flow (`mfnpe bench train`): milliseconds per optimization step
 * (forward, backward, gradient clipping, Adam update, batch upload) for the reference
 * configuration — batch 200, θ dimension 3, x dimension 4, 5 transforms, 8 bins, 50 hidden units —
 * with 2 and with 5 hidden layers. Reference: PyTorch + zuko on one thread ≈ 20 ms (2 layers) and
 * ≈ 28 ms (5 layers) per step on this machine class.
 *
 * Timing: warm-up steps, then several repeats; the medians of wall-clock and of process CPU time
 * per step are reported (CPU time is robust when other jobs share the cores).
 */
import { loadavg } from 'node:os';
import { backendName, getTf } from '../backend.js';
import { Nsf, type NsfConfig, nsfConfig } from '../flows/nsf.js';
import { median } from '../numeric.js';
import { Rng } from '../random.js';
import { makeTrainStep } from './step.js';

export interface BenchTrainResult {
  backend: string;
  ms_per_step_2_layers: number;
  ms_per_step_5_layers: number;
  cpu_ms_per_step_2_layers: number;
  cpu_ms_per_step_5_layers: number;
  load_average_1min: number;
}

/** Median wall and CPU milliseconds per step for one configuration. */
async function timeSteps(layers: number, reps: number, steps: number): Promise<{ wall: number; cpu: number }> {
  return measureTrainStep(nsfConfig({ thetaDim: 3, xDim: 4, layers, hidden: 50, transforms: 5, bins: 8 }), 200, { reps, steps, label: `${layers} layers` });
}

/**
 * Median wall and CPU milliseconds per optimization step of a flow (batch of `batch` rows), after
 * `warmup` untimed steps (default 30); `reps` repeats of `steps` steps. In a fresh process the
 * WebAssembly backend's kernels run slower for the first 200 or so steps (its code is still being
 * optimized), so a figure meant for long training runs needs a longer warm-up.
 */
export async function measureTrainStep(
  cfg: NsfConfig,
  batch: number,
  opts: { reps: number; steps: number; warmup?: number; label?: string; quiet?: boolean },
): Promise<{ wall: number; cpu: number }> {
  const { reps, steps } = opts;
  const tf = await getTf();
  const D = cfg.thetaDim;
  const C = cfg.xDim;
  const B = batch;
  const flow = Nsf.create(tf, cfg, 1);
  const opt = tf.train.adam(5e-4, 0.9, 0.999, 1e-8);
  const step = makeTrainStep(tf, flow, opt, 5);
  const rng = new Rng(2);
  const z = new Float32Array(B * D);
  const c = new Float32Array(B * C);
  const one = () => {
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    for (let i = 0; i < c.length; i++) c[i] = rng.normal();
    const zt = tf.tensor2d(z, [B, D]);
    const ct = tf.tensor2d(c, [B, C]);
    step(zt, ct);
    zt.dispose();
    ct.dispose();
  };
  try {
    for (let i = 0; i < (opts.warmup ?? 30); i++) one();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < reps; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) one();
      wall.push((performance.now() - t0) / steps);
      const cu = process.cpuUsage(c0);
      cpu.push((cu.user + cu.system) / 1000 / steps);
      if (!process.env.MFNPE_QUIET && !opts.quiet)
        process.stderr.write(`bench train: ${opts.label ?? ''}, repeat ${r + 1}/${reps}: ${wall[wall.length - 1].toFixed(2)} ms/step\n`);
      await new Promise((res) => setImmediate(res));
    }
    return { wall: median(wall), cpu: median(cpu) };
  } finally {
    opt.dispose();
    flow.dispose();
  }
}

/** Runs the benchmark; prints progress on stderr only. */
export async function benchTrain(opts: { reps?: number; steps?: number } = {}): Promise<BenchTrainResult> {
  const reps = opts.reps ?? 7;
  const steps = opts.steps ?? 30;
  await getTf();
  const two = await timeSteps(2, reps, steps);
  const five = await timeSteps(5, reps, steps);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    backend: backendName() ?? 'unknown',
    ms_per_step_2_layers: r2(two.wall),
    ms_per_step_5_layers: r2(five.wall),
    cpu_ms_per_step_2_layers: r2(two.cpu),
    cpu_ms_per_step_5_layers: r2(five.cpu),
    load_average_1min: r2(loadavg()[0]),
  };
}
