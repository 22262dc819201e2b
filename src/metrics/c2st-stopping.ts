/**
 * Stopping rules of the C2ST classifier's training (src/metrics/c2st.ts), one {@link Plateau} per
 * fold:
 * - 'sbibm': scikit-learn's `MLPClassifier` default, as in sbibm's `c2st` (Lueckmann et al. 2021) —
 *   stop once the epoch's *training* loss ({@link sbibmEpochLoss}) has not improved by
 *   tol = 10⁻⁴ on the best for more than 10 epochs, at most 1000 epochs. On small, overlapping
 *   samples this trains for hundreds of epochs into overfitting.
 * - 'validation' (default): 10 % of each fold's training part is held out; stop once its log loss
 *   has not improved by tol for 10 epochs and keep the best weights (scikit-learn's
 *   `early_stopping=True`, with the loss instead of the noisier accuracy). It trains ~5–20× fewer
 *   epochs and lands within a few thousandths of the 'sbibm' accuracy (see README, "Metrics and
 *   benchmark tasks", for the side-by-side comparison with scikit-learn).
 */

export type StoppingRule = 'validation' | 'sbibm';

/** Tracks one fold's epoch losses: the best so far and the epochs since it last improved by tol. */
export class Plateau {
  /** Lowest loss so far. */
  best = Infinity;
  /** Epochs whose loss did not improve on the best by tol, in a row. */
  noImprove = 0;

  constructor(
    readonly rule: StoppingRule,
    readonly tol: number,
    readonly patience: number,
  ) {}

  /** Records an epoch's loss; returns whether it is a new best (the weights worth keeping). */
  record(loss: number): boolean {
    if (loss > this.best - this.tol) this.noImprove++;
    else this.noImprove = 0;
    if (!(loss < this.best)) return false;
    this.best = loss;
    return true;
  }

  /** Whether training should stop: more than `patience` (sbibm) or `patience` (validation) idle epochs. */
  get done(): boolean {
    return this.rule === 'sbibm' ? this.noImprove > this.patience : this.noImprove >= this.patience;
  }
}

/**
 * scikit-learn's epoch loss for the 'sbibm' rule: the mean log loss plus, per batch, ½α‖W‖² (here
 * with the end-of-epoch weights rather than those of each batch), over the training-set size.
 */
export function sbibmEpochLoss(lossSum: number, nRows: number, nBatches: number, alpha: number, sumSquares: number): number {
  return lossSum / nRows + (nBatches * 0.5 * alpha * sumSquares) / nRows;
}
