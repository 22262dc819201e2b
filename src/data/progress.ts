/**
 * Progress reporting for long runs, always on stderr (stdout may carry data).
 *
 * On a terminal: one bar redrawn in place (at most ~10 times a second). Otherwise (CI logs, pipes,
 * files): a plain line every `intervalMs` (default 10 s), so logs stay short but show the run is
 * alive. Both show done/total, the rate in items per second and the estimated time left.
 */

/** Any sink of progress text: a write function, and whether it is a terminal (redrawn bar) and its width. */
export interface ProgressStream {
  /** Writes a piece of text. */
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Settings of a progress line. */
export interface ProgressOptions {
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WriteStream | ProgressStream;
  /** Print nothing at all. */
  quiet?: boolean;
  /** Seconds between plain progress lines when not on a terminal (default 10). */
  intervalMs?: number;
  /** Items already done before this run started (resumed runs): counted in done, not in rate. */
  already?: number;
  /** Unit name for the rate, e.g. 'sims'. */
  unit?: string;
}

/** Formats seconds as 1h02m, 3m07s or 4.2s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '?';
  return rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** A progress line on stderr for `total` items: a redrawn bar on a terminal, plain periodic lines elsewhere, with rate and time left. */
export class Progress {
  private done: number;
  private readonly start = Date.now();
  private lastDraw = 0;
  private lastLine: number;
  private printedAny = false;
  private finished = false;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly tty: boolean;
  private readonly interval: number;
  private readonly already: number;
  private readonly unit: string;
  private readonly quiet: boolean;

  constructor(
    readonly label: string,
    readonly total: number,
    opts: ProgressOptions = {},
  ) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.interval = opts.intervalMs ?? 10_000;
    this.already = opts.already ?? 0;
    this.done = this.already;
    this.unit = opts.unit ?? 'items';
    this.quiet = Boolean(opts.quiet);
    this.lastLine = this.start;
  }

  /** Items per second over this run (excluding resumed items). */
  rate(): number {
    const sec = (Date.now() - this.start) / 1000;
    return sec > 0 ? (this.done - this.already) / sec : NaN;
  }

  /** The status text: "label 1200/10000 (12.0%) 850 sims/s, ETA 10s". */
  status(): string {
    const pct = this.total > 0 ? (100 * this.done) / this.total : 100;
    const rate = this.rate();
    const eta = rate > 0 ? (this.total - this.done) / rate : NaN;
    return `${this.label} ${this.done}/${this.total} (${pct.toFixed(1)}%) ${formatRate(rate)} ${this.unit}/s, ETA ${formatDuration(eta)}`;
  }

  /** Records `n` more items done. */
  tick(n = 1): void {
    this.done += n;
    if (this.quiet || this.finished) return;
    const now = Date.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      this.draw();
    } else if (now - this.lastLine >= this.interval) {
      this.lastLine = now;
      this.stream.write(this.status() + '\n');
      this.printedAny = true;
    }
  }

  private draw(): void {
    const cols = (this.stream as { columns?: number }).columns ?? 80;
    const text = this.status();
    const barWidth = Math.max(10, Math.min(40, cols - text.length - 4));
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const full = Math.round(frac * barWidth);
    const bar = '█'.repeat(full) + '░'.repeat(barWidth - full);
    this.stream.write(`\r${bar} ${text}`.slice(0, cols + 1) + '\x1b[K');
    this.printedAny = true;
  }

  /** Ends the display: a final line on terminals, or when periodic lines were printed. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.quiet) return;
    const sec = (Date.now() - this.start) / 1000;
    const msg = `${this.label} ${this.done}/${this.total} done in ${formatDuration(sec)} (${formatRate(this.rate())} ${this.unit}/s)`;
    if (this.tty) this.stream.write(`\r${msg}\x1b[K\n`);
    else if (this.printedAny) this.stream.write(msg + '\n');
  }

  /** Clears a terminal bar without a summary (on errors). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.tty && this.printedAny && !this.quiet) this.stream.write('\r\x1b[K');
  }
}
