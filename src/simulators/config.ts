/**
 * Configuration of the stochastic Hodgkin–Huxley simulators (hh-model.md, "Units and constants",
 * "Low fidelity", "High fidelity"). Every constant of the model is a field here, never a literal in a
 * loop, so studies can change the protocol (stimulus, duration, channel density…) without touching
 * the simulators. Units are in the field names: ms, mV, µA/cm², µF/cm², mS/cm².
 *
 * An HHConfig is plain data (no functions): it is posted to worker threads as is.
 */
export interface HHConfig {
  /** Integration step (ms). The trace is sampled at t = 0, dt, …, t_end. */
  readonly dt_ms: number;
  /** Duration of the trace (ms), inclusive: nSteps = t_end/dt + 1 samples. */
  readonly t_end_ms: number;
  /** Resting potential V_rest (mV); rate functions take u = V − V_rest. Also the initial voltage. */
  readonly v_rest_mV: number;
  /** Sodium reversal potential E_Na (mV) = V_rest + 115. */
  readonly e_na_mV: number;
  /** Potassium reversal potential E_K (mV) = V_rest − 12. */
  readonly e_k_mV: number;
  /** Leak reversal potential E_L (mV) = V_rest + 10.6. */
  readonly e_l_mV: number;
  /** Membrane capacitance C (µF/cm²). */
  readonly c_uF_per_cm2: number;
  /** Step-current amplitude I (µA/cm²), applied for onset ≤ t < offset. */
  readonly stim_amp_uA_per_cm2: number;
  /** Stimulus onset (ms); also the end of the resting window of the summary statistics. */
  readonly stim_onset_ms: number;
  /** Stimulus offset (ms); the stimulus window of the summary statistics is [onset, offset). */
  readonly stim_offset_ms: number;
  /**
   * LF additive voltage-noise intensity σ (µA/cm² · ms^½): each step adds (σ/C)·√dt·ξ mV, ξ ~ N(0, 1).
   * σ = 0 gives the deterministic Hodgkin–Huxley model.
   */
  readonly lf_sigma_uA_sqrt_ms_per_cm2: number;
  /** HF: number of Na channels at the reference conductance (N_Na = floor(count · ḡ_Na / ref)). */
  readonly na_channels_at_ref: number;
  /** HF: the reference Na conductance (mS/cm²) for `na_channels_at_ref`. */
  readonly na_ref_mS_per_cm2: number;
  /** HF: number of K channels at the reference conductance (N_K = floor(count · ḡ_K / ref)). */
  readonly k_channels_at_ref: number;
  /** HF: the reference K conductance (mS/cm²) for `k_channels_at_ref`. */
  readonly k_ref_mS_per_cm2: number;
  /**
   * HF and MF: membrane-area factor multiplying both channel counts (1 = the counts of hh-model.md).
   * Channel noise shrinks as 1/√(channel_scale); HF cost grows linearly with it, MF cost does not.
   */
  readonly channel_scale: number;
  /** Spike detection threshold (mV) of the spike-count statistic: V[i−1] < thr ≤ V[i]. */
  readonly spike_threshold_mV: number;
}

/** The defaults of hh-model.md. */
export const DEFAULT_HH_CONFIG: HHConfig = Object.freeze({
  dt_ms: 0.01,
  t_end_ms: 50,
  v_rest_mV: -65,
  e_na_mV: -65 + 115,
  e_k_mV: -65 - 12,
  e_l_mV: -65 + 10.6,
  c_uF_per_cm2: 1,
  stim_amp_uA_per_cm2: 10,
  stim_onset_ms: 10,
  stim_offset_ms: 30,
  lf_sigma_uA_sqrt_ms_per_cm2: 2,
  na_channels_at_ref: 6000,
  na_ref_mS_per_cm2: 120,
  k_channels_at_ref: 1800,
  k_ref_mS_per_cm2: 36,
  channel_scale: 1,
  spike_threshold_mV: 0,
});

/** A copy of the defaults with some fields replaced. */
export function hhConfig(overrides: Partial<HHConfig> = {}): HHConfig {
  return Object.freeze({ ...DEFAULT_HH_CONFIG, ...overrides });
}

/** Grid index of time t (ms): t/dt rounded, so 10 ms is exactly sample 1000 at dt = 0.01 ms. */
export function timeIndex(t_ms: number, cfg: HHConfig = DEFAULT_HH_CONFIG): number {
  return Math.round(t_ms / cfg.dt_ms);
}

/** Number of samples of a trace: t = 0, dt, …, t_end inclusive (5001 for the defaults). */
export function nSteps(cfg: HHConfig = DEFAULT_HH_CONFIG): number {
  return timeIndex(cfg.t_end_ms, cfg) + 1;
}

/**
 * HF and MF channel counts N_Na = floor(s · 6000 ḡ_Na / 120), N_K = floor(s · 1800 ḡ_K / 36) with
 * s = channel_scale (defaults; at s = 1 the product s · 6000 is exact, so the counts are unchanged).
 */
export function channelCounts(gNa: number, gK: number, cfg: HHConfig = DEFAULT_HH_CONFIG): { nNa: number; nK: number } {
  const s = cfg.channel_scale;
  return {
    nNa: Math.floor((s * cfg.na_channels_at_ref * gNa) / cfg.na_ref_mS_per_cm2),
    nK: Math.floor((s * cfg.k_channels_at_ref * gK) / cfg.k_ref_mS_per_cm2),
  };
}

/**
 * Throws a one-line RangeError naming the first bad field (non-finite, or out of its domain).
 * Called by the facade; the simulators themselves trust their config.
 */
export function checkConfig(cfg: HHConfig): void {
  const positive: (keyof HHConfig)[] = [
    'dt_ms',
    't_end_ms',
    'c_uF_per_cm2',
    'na_channels_at_ref',
    'na_ref_mS_per_cm2',
    'k_channels_at_ref',
    'k_ref_mS_per_cm2',
    'channel_scale',
  ];
  for (const key of Object.keys(DEFAULT_HH_CONFIG) as (keyof HHConfig)[]) {
    const v = cfg[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`bad HH config: ${key} = ${String(v)} is not a finite number`);
    if (positive.includes(key) && !(v > 0)) throw new RangeError(`bad HH config: ${key} = ${v} must be > 0`);
  }
  if (cfg.lf_sigma_uA_sqrt_ms_per_cm2 < 0) throw new RangeError(`bad HH config: lf_sigma_uA_sqrt_ms_per_cm2 = ${cfg.lf_sigma_uA_sqrt_ms_per_cm2} must be ≥ 0`);
  if (cfg.t_end_ms < cfg.dt_ms) throw new RangeError(`bad HH config: t_end_ms = ${cfg.t_end_ms} is shorter than dt_ms = ${cfg.dt_ms}`);
}
