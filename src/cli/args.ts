/**
 * Command-line argument parsing shared by every `mfnpe` command.
 *
 * Flags are declared up front, so a flag that takes a value consumes the next token even when it
 * starts with '-' (observations can be negative: `--x -0.64,0.16` and `--x=-0.64,0.16` both work).
 * Every problem is a {@link InputError}: the CLI prints its one-line message and exits with code 2.
 */
import { InputError } from '../errors.js';

export type FlagSpec = Record<string, 'string' | 'boolean'>;

export interface Parsed {
  flags: Map<string, string | true>;
  positionals: string[];
}

/** Parses argv against `spec`; `--help`/`-h` is always accepted. */
export function parseArgs(argv: readonly string[], spec: FlagSpec, command: string): Parsed {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '--help' || tok === '-h') {
      flags.set('help', true);
      continue;
    }
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      const name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
      const kind = spec[name];
      if (!kind) throw new InputError(`unknown option --${name} for '${command}' (see mfnpe ${command} --help)`);
      if (kind === 'boolean') {
        if (eq >= 0) throw new InputError(`option --${name} takes no value`);
        flags.set(name, true);
      } else {
        let value: string | undefined;
        if (eq >= 0) value = tok.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        if (value === undefined || value === '') throw new InputError(`option --${name} needs a value`);
        if (flags.has(name)) throw new InputError(`option --${name} given twice`);
        flags.set(name, value);
      }
      continue;
    }
    if (tok.startsWith('-') && tok.length > 1 && !/^-[0-9.]/.test(tok)) {
      throw new InputError(`unknown option ${tok} for '${command}' (see mfnpe ${command} --help)`);
    }
    positionals.push(tok);
  }
  return { flags, positionals };
}

/** The string value of a flag, or undefined. */
export function getString(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function requireString(p: Parsed, name: string): string {
  const v = getString(p, name);
  if (v === undefined) throw new InputError(`missing required option --${name}`);
  return v;
}

export function getBool(p: Parsed, name: string): boolean {
  return p.flags.get(name) === true;
}

/** A finite number; `what` names the value in the error message. */
export function parseNumber(text: string, what: string): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new InputError(`${what} must be a finite number, got '${text}'`);
  return v;
}

/** An integer ≥ min (default 1). */
export function parseCount(text: string, what: string, min = 1): number {
  const v = parseNumber(text, what);
  if (!Number.isInteger(v) || v < min) throw new InputError(`${what} must be an integer ≥ ${min}, got '${text}'`);
  return v;
}

/** A seed: integer in [0, 2^53). */
export function parseSeed(text: string | undefined, fallback = 0): number {
  if (text === undefined) return fallback;
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(v) || v < 0) {
    throw new InputError(`--seed must be an integer between 0 and ${Number.MAX_SAFE_INTEGER}, got '${text}'`);
  }
  return v;
}

/** Comma-separated finite numbers; `expected` (if given) is the required count. */
export function parseList(text: string, what: string, expected?: number): Float64Array {
  const parts = text.split(',');
  if (expected !== undefined && parts.length !== expected) {
    throw new InputError(`${what} needs ${expected} comma-separated values, got ${parts.length} ('${text}')`);
  }
  return Float64Array.from(parts.map((s, k) => parseNumber(s, `${what} value ${k + 1}`)));
}

/** Optional integer flag with default. */
export function countFlag(p: Parsed, name: string, fallback: number, min = 1): number {
  const v = getString(p, name);
  return v === undefined ? fallback : parseCount(v, `--${name}`, min);
}

/** Optional positive number flag with default. */
export function positiveFlag(p: Parsed, name: string, fallback: number): number {
  const v = getString(p, name);
  if (v === undefined) return fallback;
  const x = parseNumber(v, `--${name}`);
  if (!(x > 0)) throw new InputError(`--${name} must be positive, got '${v}'`);
  return x;
}
