/** Plain-text tables for notebook and terminal output: aligned columns, numbers right-aligned. */

/** Table of rows (numbers to `digits` decimals), for notebook output. */
export function formatTable(rows: readonly Record<string, unknown>[], digits = 2): string {
  if (rows.length === 0) return '(empty)';
  const keys = Object.keys(rows[0]);
  const cells = rows.map((r) =>
    keys.map((k) => {
      const v = r[k];
      return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : String(v);
    }),
  );
  const w = keys.map((k, c) => Math.max(k.length, ...cells.map((row) => row[c].length)));
  const line = (vals: string[]) => vals.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ');
  return [line(keys), line(w.map((n) => '-'.repeat(n))), ...cells.map(line)].join('\n');
}
