/**
 * Rendering of vega-lite specifications to static figures, without a browser:
 * vega-lite → vega (compile) → headless vega View → SVG (View.toSVG) → PNG (resvg).
 *
 * Text in PNGs needs a font on the machine: resvg loads the system fonts and we point generic
 * `sans-serif` at the first common family found (DejaVu Sans on Debian: package fonts-dejavu-core).
 * SVGs carry their text as text, so a viewer renders it with its own fonts.
 */
import { existsSync } from 'node:fs';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { dirname } from 'node:path';

/** A vega-lite specification (top-level JSON object). */
export type VegaLiteSpec = Record<string, unknown>;

/** The font family used in figures; listed fallbacks keep browsers happy too. */
export const FIGURE_FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

/** The rendering stack: vega-lite (compiler), vega (headless view) and resvg (SVG → PNG). */
export interface RenderingStack {
  vl: typeof import('vega-lite');
  vega: typeof import('vega');
  Resvg: typeof import('@resvg/resvg-js').Resvg;
}

let stack: Promise<RenderingStack> | null = null;

/**
 * The lazy adapter of the rendering stack: imported once, on the first figure, so modules that
 * build specs or never draw do not pay for it.
 */
export function renderingStack(): Promise<RenderingStack> {
  if (!stack) {
    stack = Promise.all([import('vega-lite'), import('vega'), import('@resvg/resvg-js')]).then(([vl, vega, resvg]) => ({ vl, vega, Resvg: resvg.Resvg }));
  }
  return stack;
}

/** Compiles a vega-lite spec and renders it headlessly to SVG text. */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const { vl, vega } = await renderingStack();
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Font folders searched by resvg in addition to the system's defaults. */
const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', '/System/Library/Fonts', 'C:\\Windows\\Fonts'];

/** Rasterises SVG text to PNG bytes; `scale` multiplies the SVG's size (2 = crisp on HiDPI). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await renderingStack();
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: true,
      fontDirs: FONT_DIRS.filter((d) => existsSync(d)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return r.render().asPng();
}

/** Renders a vega-lite spec to SVG text and PNG bytes (PNG only when asked). */
export async function renderVegaLite(spec: VegaLiteSpec, opts: { png?: boolean; scale?: number } = {}): Promise<{ svg: string; png?: Uint8Array }> {
  const svg = await vegaLiteToSvg(spec);
  return opts.png ? { svg, png: await svgToPng(svg, opts.scale) } : { svg };
}

/** Writes a figure atomically as SVG and/or PNG (creating folders as needed). */
export async function saveFigure(spec: VegaLiteSpec, paths: { svg?: string; png?: string }): Promise<void> {
  if (!paths.svg && !paths.png) return;
  const { svg, png } = await renderVegaLite(spec, { png: Boolean(paths.png) });
  if (paths.svg) {
    ensureDir(dirname(paths.svg));
    writeFileAtomic(paths.svg, svg);
  }
  if (paths.png && png) {
    ensureDir(dirname(paths.png));
    writeFileAtomic(paths.png, png);
  }
}
