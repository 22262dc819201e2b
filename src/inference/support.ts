/**
 * How a posterior keeps its samples inside a box (uniform) prior:
 * - 'logit' (default): the flow models logit((θ − low)/(high − low)), so every sample lies in the
 *   box and densities are exact without correction (zuko / MF-NPE practice; our spec).
 * - 'rejection': the flow models z-scored θ itself, as sbi's NPE and the sbibm benchmark's published
 *   runs (`automatic_transforms_enabled=False`); draws outside the box are rejected and log q is
 *   divided by the flow's mass inside the box (Greenberg et al. 2019's leakage correction).
 * Unbounded priors ignore the setting.
 */
export type BoxSupport = 'logit' | 'rejection';

/** The accepted box-support modes. */
export const BOX_SUPPORTS: readonly BoxSupport[] = ['logit', 'rejection'];
