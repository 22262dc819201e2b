/**
 * Axis labels with units for the HH task's parameters and summary statistics (docs/model.md, §3 and §6), in
 * the order of HH_PARAM_NAMES and SUMMARY_NAMES.
 */
export const HH_PARAM_LABELS: readonly string[] = ['ḡ_Na (mS/cm²)', 'ḡ_K (mS/cm²)', 'ḡ_L (mS/cm²)'];

/** Axis labels of the four HH summary statistics, with units. */
export const SUMMARY_LABELS: readonly string[] = ['spike count', 'mean V, t < 10 ms (mV)', 'std V, t < 10 ms (mV)', 'mean V, 10 ≤ t < 30 ms (mV)'];
