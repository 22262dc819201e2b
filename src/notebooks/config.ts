/**
 * The configuration cell of a notebook: defaults for a full run, a small variant for quick mode
 * (MFNPE_QUICK=1, what CI and `npm run notebooks` use), and per-key environment overrides, so the
 * same notebook runs as a walkthrough, a smoke test or a larger study without editing cells.
 *
 * Key `nHfTrain` is overridden by MFNPE_N_HF_TRAIN; numbers, booleans, strings, number lists
 * (comma-separated) and string lists (separated by ';' or spaces, since an entry such as the ladder
 * 'lf,mf:1000' may hold commas) are parsed according to the default's type, and a bad value is an
 * error naming the variable, never a silent fallback.
 */
export type ConfigValue = number | string | boolean | readonly number[] | readonly string[];
export type ConfigShape = Record<string, ConfigValue>;

/** Environment variable of a configuration key: camelCase → MFNPE_UPPER_SNAKE. */
export function envName(key: string): string {
  return (
    'MFNPE_' +
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Za-z])([0-9])/g, '$1_$2')
      .toUpperCase()
  );
}

/** True when MFNPE_QUICK is set to anything but '', '0' or 'false'. */
export function quickMode(env: NodeJS.ProcessEnv = process.env): boolean {
  const q = env.MFNPE_QUICK;
  return q !== undefined && q !== '' && q !== '0' && q.toLowerCase() !== 'false';
}

function parseValue(name: string, raw: string, like: ConfigValue): ConfigValue {
  const num = (s: string): number => {
    const v = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(v)) throw new Error(`${name}=${JSON.stringify(raw)} is not a number`);
    return v;
  };
  if (typeof like === 'number') return num(raw);
  if (typeof like === 'boolean') {
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    throw new Error(`${name}=${JSON.stringify(raw)} is not a boolean (1/0, true/false)`);
  }
  if (Array.isArray(like) && typeof like[0] === 'string') {
    const items = raw.split(/[;\s]+/).filter((t) => t !== '');
    if (items.length === 0) throw new Error(`${name}=${JSON.stringify(raw)} is an empty list (entries are separated by ';' or spaces)`);
    return items;
  }
  if (Array.isArray(like)) return raw.split(',').map(num);
  return raw;
}

export interface NotebookConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Print the configuration table (default true). */
  print?: boolean;
}

/**
 * Resolves a notebook's configuration: `full`, replaced by `quick` in quick mode, replaced by
 * MFNPE_<KEY> variables. Returns a frozen object with `quick` added, and prints where each value came from.
 */
export function notebookConfig<T extends ConfigShape>(full: T, quick: Partial<T> = {}, opts: NotebookConfigOptions = {}): Readonly<T & { quick: boolean }> {
  const env = opts.env ?? process.env;
  const isQuick = quickMode(env);
  const out: Record<string, ConfigValue> = {};
  const rows: { key: string; value: string; source: string }[] = [];
  for (const key of Object.keys(full)) {
    const name = envName(key);
    let value: ConfigValue = full[key];
    let source = 'default';
    if (isQuick && quick[key] !== undefined) {
      value = quick[key] as ConfigValue;
      source = 'quick';
    }
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      value = parseValue(name, raw, full[key]);
      source = name;
    }
    out[key] = value;
    rows.push({ key, value: Array.isArray(value) ? value.join(', ') : String(value), source });
  }
  for (const key of Object.keys(quick)) if (!(key in full)) throw new Error(`notebookConfig: quick key ${key} has no default`);
  if (opts.print !== false) {
    const w = Math.max(...rows.map((r) => r.key.length));
    const lines = rows.map((r) => `  ${r.key.padEnd(w)}  ${r.value}${r.source === 'default' ? '' : `   (${r.source})`}`);
    process.stdout.write(`configuration (${isQuick ? 'quick mode: MFNPE_QUICK=1' : 'full run'}; override with MFNPE_<KEY>):\n${lines.join('\n')}\n`);
  }
  return Object.freeze({ ...(out as T), quick: isQuick });
}
