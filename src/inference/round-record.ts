/**
 * What each round of a sequential run did (TSNPE, MF-TSNPE, A-MF-TSNPE; sequential.md): how many θ
 * it drew and from where, the truncated prior's acceptance rate, the validation loss after training,
 * and where the seconds went. One line per round on stderr, one row per round in `rounds.csv`.
 */

/** One round of a sequential run. */
export interface RoundRecord {
  /** 1-based round number. */
  round: number;
  /** θ simulated this round. */
  drawn: number;
  /** Of those, from the proposal: the prior in round 1, the truncated prior later. */
  fromProposal: number;
  /** Of those, chosen by acquisition (A-MF-TSNPE). */
  acquired: number;
  /** Acceptance rate of rejection from the prior (1 in round 1: the prior is not truncated). */
  acceptance: number;
  /** Proposal draws that came from the SIR fallback (acceptance too low). */
  fallback: number;
  /** τ, the HPR threshold on log q(θ | x_o) (−Infinity in round 1). */
  threshold: number;
  /** Best validation loss (−log q per pair, flow coordinates), mean over ensemble members. */
  validationLoss: number;
  /** Training epochs, mean over ensemble members. */
  epochs: number;
  /** Seconds simulating (the callback). */
  simulationSeconds: number;
  /** Seconds training (all members). */
  trainingSeconds: number;
  /** Seconds on the proposal: threshold, truncated-prior draws, acquisition. */
  proposalSeconds: number;
  /** Seconds of the whole round. */
  seconds: number;
}

/** Columns of the per-round table (rounds.csv). */
export const ROUND_COLUMNS = [
  'round',
  'theta_drawn',
  'from_proposal',
  'acquired',
  'acceptance_rate',
  'fallback',
  'log_threshold',
  'validation_loss',
  'epochs',
  'simulation_s',
  'training_s',
  'proposal_s',
  'seconds',
] as const;

function cell(v: number): string {
  if (!Number.isFinite(v)) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** The records as CSV text (header + one row per round; τ empty in round 1). */
export function roundRecordsCsv(records: readonly RoundRecord[]): string {
  const rows = records.map((r) =>
    [
      r.round,
      r.drawn,
      r.fromProposal,
      r.acquired,
      r.acceptance,
      r.fallback,
      r.threshold,
      r.validationLoss,
      r.epochs,
      r.simulationSeconds,
      r.trainingSeconds,
      r.proposalSeconds,
      r.seconds,
    ]
      .map(cell)
      .join(','),
  );
  return `${[ROUND_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** One progress line for stderr. */
export function formatRound(r: RoundRecord, rounds: number): string {
  const parts = [`round ${r.round}/${rounds}: ${r.drawn} θ`];
  if (r.round > 1)
    parts.push(`${r.fromProposal} from the truncated prior (acceptance ${r.acceptance.toPrecision(3)}${r.fallback ? `, ${r.fallback} by SIR` : ''})`);
  if (r.acquired > 0) parts.push(`${r.acquired} acquired`);
  parts.push(`validation loss ${r.validationLoss.toFixed(4)}`);
  parts.push(
    `${r.seconds.toFixed(1)} s (simulation ${r.simulationSeconds.toFixed(1)}, training ${r.trainingSeconds.toFixed(1)}, proposal ${r.proposalSeconds.toFixed(1)})`,
  );
  return parts.join(', ');
}
