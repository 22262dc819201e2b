/**
 * Option parsing shared by the simulation commands (simulate, trace): fidelity, θ, output format.
 * Kept free of heavy imports (no TensorFlow, no Arrow) so these commands start fast.
 */
import { getString, parseList, requireString, type Parsed } from './args.js';
import { STREAM_PURPOSES, type StreamPurpose } from '../random.js';
import { FIDELITIES, type Fidelity } from '../simulators/fidelity.js';
import { checkTheta } from '../simulators/validate.js';
import { InputError } from '../errors.js';
import { HH_PARAM_NAMES } from '../prior.js';

/** A fidelity name (hf, mf or lf, any case); `flag` names the option in the one-line error. */
export function fidelityFromText(text: string, flag = '--fidelity'): Fidelity {
  const f = text.trim().toLowerCase() as Fidelity;
  if (!FIDELITIES.includes(f)) throw new InputError(`${flag} must be ${FIDELITIES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, got '${text}'`);
  return f;
}

/** `--fidelity hf|mf|lf` (required). */
export function parseFidelity(p: Parsed): Fidelity {
  return fidelityFromText(requireString(p, 'fidelity'));
}

/** A figure legend for a fidelity's trace (HF with its channel-event count when known). */
export function fidelityLabel(fidelity: Fidelity, events?: number): string {
  if (fidelity === 'hf') return events === undefined ? 'HF (Markov channels)' : `HF (Markov channels, ${events} events)`;
  return fidelity === 'mf' ? 'MF (Langevin channels)' : 'LF (gates + noise)';
}

/** `--theta G_NA,G_K,G_L`: three finite, positive conductances (mS/cm²) valid for the fidelity. */
export function parseTheta(text: string, fidelity: Fidelity): Float64Array {
  const theta = parseList(text, '--theta', 3);
  theta.forEach((v, j) => {
    if (!(v > 0)) throw new InputError(`--theta: conductance ${HH_PARAM_NAMES[j]} must be positive (mS/cm²), got ${v}`);
  });
  try {
    checkTheta(theta, fidelity);
  } catch (e) {
    throw new InputError(`--theta: ${(e as Error).message}`);
  }
  return theta;
}

/** Output format: explicit `--format`, else inferred from the file extension, else CSV. */
export function parseFormat(p: Parsed, out: string | undefined): 'csv' | 'arrow' {
  const f = p.flags.get('format');
  if (typeof f === 'string') {
    const v = f.trim().toLowerCase();
    if (v !== 'csv' && v !== 'arrow') throw new InputError(`--format must be csv or arrow, got '${f}'`);
    return v;
  }
  return out !== undefined && /\.(arrow|feather|ipc)$/i.test(out) ? 'arrow' : 'csv';
}

/**
 * A closed stdout (e.g. `mfnpe simulate … | head`) ends the process quietly, as Unix tools do,
 * instead of an unhandled EPIPE error with a stack trace.
 */
let stdoutGuarded = false;
export function exitQuietlyOnClosedStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** `--purpose train|test` (default train): test draws come from streams disjoint from every training stream. */
export function parsePurpose(p: Parsed): StreamPurpose {
  const text = (getString(p, 'purpose') ?? 'train').trim().toLowerCase() as StreamPurpose;
  if (!STREAM_PURPOSES.includes(text)) throw new InputError(`--purpose must be ${STREAM_PURPOSES.join(' or ')}, got '${getString(p, 'purpose')}'`);
  return text;
}
