/**
 * Showing figures from notebooks: a vega-lite spec is rendered headlessly (render.ts), shown inline
 * when the code runs in a tslab Jupyter kernel, and written to the figures folder as NAME.svg and
 * NAME.png, the files the report uses. Outside a kernel (scripts, tests) only the files are written.
 *
 * The figures folder is $MFNPE_FIGURES_DIR, else `figures/` at the package root (found from this
 * module's own location, so it is the same from src/ under tsx and from dist/).
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { renderVegaLite, type VegaLiteSpec } from './render.js';

/** The part of tslab's `Display` used here (tslab/dist/public.d.ts). */
interface TslabDisplay {
  svg(s: string): void;
  png(b: Uint8Array): void;
  text(s: string): void;
}
interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

export interface ShowOptions {
  /** Inline format: SVG (default: crisp, text stays text) or PNG (for very dense plots). */
  inline?: 'svg' | 'png';
  /** Write NAME.svg and NAME.png to the figures folder (default true when a name is given). */
  save?: boolean;
  /** PNG scale factor relative to the SVG's size (default 2). */
  scale?: number;
}

/** Package root: two levels above this file (src/plots or dist/plots). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder figures are written to: $MFNPE_FIGURES_DIR, else <package>/figures. */
export function figuresDir(): string {
  return process.env.MFNPE_FIGURES_DIR ? resolve(process.env.MFNPE_FIGURES_DIR) : join(PACKAGE_ROOT, 'figures');
}

/** A figure name must be a plain file stem: it becomes figures/NAME.svg and figures/NAME.png. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`figure name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-'`);
  }
}

let tslabCache: TslabModule | null | undefined;

/**
 * tslab's public module when this process is a tslab kernel (`tslab kernel --config-path …`),
 * else null. Loading tslab pulls in its TypeScript compiler, so it is only tried in a kernel;
 * MFNPE_DISPLAY=none turns inline display off, MFNPE_DISPLAY=tslab forces the attempt.
 */
export function tslabDisplay(): TslabModule | null {
  if (tslabCache !== undefined) return tslabCache;
  const mode = process.env.MFNPE_DISPLAY;
  const inKernel = process.argv.slice(1, 3).some((a) => /tslab/.test(a)) && process.argv.includes('kernel');
  tslabCache = null;
  if (mode === 'none' || (!inKernel && mode !== 'tslab')) return tslabCache;
  try {
    // The kernel's own copy: the one in this package's node_modules (tslab's launcher delegates
    // to the local install, so the display channel it set up lives in that module instance).
    tslabCache = createRequire(import.meta.url)('tslab') as TslabModule;
  } catch {
    tslabCache = null;
  }
  return tslabCache;
}

async function emit(target: TslabDisplay | null, spec: VegaLiteSpec, name: string | undefined, opts: ShowOptions): Promise<void> {
  if (name !== undefined) checkName(name);
  const save = name !== undefined && opts.save !== false;
  const wantPng = save || (target !== null && opts.inline === 'png');
  const { svg, png } = await renderVegaLite(spec, { png: wantPng, scale: opts.scale });
  if (target) {
    if (opts.inline === 'png' && png) target.png(png);
    else target.svg(svg);
  }
  if (save && name !== undefined) {
    const dir = figuresDir();
    ensureDir(dir);
    writeFileAtomic(join(dir, `${name}.svg`), svg);
    if (png) writeFileAtomic(join(dir, `${name}.png`), png);
  }
}

/**
 * Renders `spec`, shows it inline under tslab, and (when `name` is given) writes
 * figures/NAME.svg and figures/NAME.png.
 */
export async function show(spec: VegaLiteSpec, name?: string, opts: ShowOptions = {}): Promise<void> {
  const tslab = tslabDisplay();
  await emit(tslab ? tslab.display : null, spec, name, opts);
}

/**
 * A figure redrawn in place as data arrive (tslab's updatable display), e.g. loss curves during
 * training: `update(spec)` replaces the shown figure; `finish(spec)` draws the last state and
 * writes it to the figures folder. Redraws are throttled to one per `minIntervalMs` (rendering
 * costs ~0.1 s), the final one is always drawn.
 */
export class LiveFigure {
  private readonly target: TslabDisplay | null;
  private last = -Infinity;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly opts: ShowOptions & { minIntervalMs?: number } = {},
  ) {
    checkName(name);
    const tslab = tslabDisplay();
    this.target = tslab ? tslab.newDisplay() : null;
  }

  /** Redraws with `spec` unless the last redraw was less than minIntervalMs ago; never saves. */
  update(spec: VegaLiteSpec): Promise<void> {
    const now = performance.now();
    if (!this.target || now - this.last < (this.opts.minIntervalMs ?? 500)) return this.pending;
    this.last = now;
    this.pending = this.pending.then(() => emit(this.target, spec, undefined, this.opts));
    return this.pending;
  }

  /** Draws the final state and writes figures/NAME.svg and .png. */
  async finish(spec: VegaLiteSpec): Promise<void> {
    await this.pending;
    await emit(this.target, spec, this.name, this.opts);
  }
}

/** Shorthand for `new LiveFigure(name, opts)`. */
export function liveFigure(name: string, opts: ShowOptions & { minIntervalMs?: number } = {}): LiveFigure {
  return new LiveFigure(name, opts);
}
