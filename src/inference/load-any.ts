/**
 * Loading any saved posterior: a single flow (config.json + weights.bin, {@link loadPosterior}) or
 * an ensemble (ensemble.json + members/, {@link loadEnsemble}), told apart by the directory's
 * contents. `mfnpe sample` and `mfnpe log-prob` read models through this.
 */
import { type EnsemblePosterior, isEnsembleDir, loadEnsemble } from './ensemble.js';
import { loadPosterior, type NpePosterior } from './posterior.js';

/** A posterior that can be saved and loaded: one flow or an equal-weight ensemble of flows. */
export type SavedPosterior = NpePosterior | EnsemblePosterior;

/** Loads the posterior saved in `dir`, whichever kind it is. Problems are one-line InputErrors. */
export function loadAnyPosterior(dir: string): Promise<SavedPosterior> {
  return isEnsembleDir(dir) ? loadEnsemble(dir) : loadPosterior(dir);
}
