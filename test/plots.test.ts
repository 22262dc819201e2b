/**
 * Figures: the vega-lite trace spec renders headlessly to SVG (axes with units, stimulus window)
 * and to PNG.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderVegaLite, saveFigure } from '../src/plots/render.js';
import { traceSpec } from '../src/plots/trace.js';
import { simulateTrace } from '../src/simulators/simulate.js';
import { streamRng } from '../src/random.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('trace spec: t in ms against V in mV, stimulus window 10–30 ms shaded', () => {
  const v = new Float64Array(5001).fill(-65);
  const spec = traceSpec(v, { title: 'flat' }) as { layer: { data: { values: Record<string, number>[] }; encoding: Record<string, { title?: string }> }[] };
  const line = spec.layer[2];
  assert.equal(line.data.values.length, 5001);
  assert.equal(line.data.values[5000].t, 50);
  assert.equal(line.encoding.x.title, 'time t (ms)');
  assert.equal(line.encoding.y.title, 'membrane potential V (mV)');
  assert.deepEqual([spec.layer[0].data.values[0].start, spec.layer[0].data.values[0].end], [10, 30]);
});

test('a simulated trace renders to SVG and PNG', async () => {
  const { v } = simulateTrace('lf', [120, 36, 0.3], streamRng(0, 0));
  const { svg, png } = await renderVegaLite(traceSpec(v, { title: 'LF trace' }), { png: true });
  assert.match(svg, /^<svg/);
  assert.ok(svg.length > 10_000, `svg of ${svg.length} chars`);
  for (const text of ['time t (ms)', 'membrane potential V (mV)', 'LF trace', 'stimulus I = 10 µA/cm²']) assert.ok(svg.includes(text), text);
  assert.ok(png && png.length > 5_000, `png of ${png?.length} bytes`);
  assert.deepEqual(Array.from(png!.subarray(0, 8)), PNG_MAGIC);
  // PNG width at scale 2: twice the SVG's width attribute.
  const w = Number(/width="(\d+)"/.exec(svg)![1]);
  const view = new DataView(png!.buffer, png!.byteOffset);
  assert.equal(view.getUint32(16), 2 * w);
});

test('saveFigure writes both files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-plot-'));
  try {
    const v = new Float64Array(501).map((_, i) => -65 + 10 * Math.sin(i / 20));
    await saveFigure(traceSpec(v), { svg: join(dir, 'a.svg'), png: join(dir, 'sub', 'a.png') });
    assert.match(readFileSync(join(dir, 'a.svg'), 'utf8'), /<svg/);
    assert.deepEqual(Array.from(readFileSync(join(dir, 'sub', 'a.png')).subarray(0, 8)), PNG_MAGIC);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mfnpe view trace serves an interactive plot page (nodeplotlib)', async () => {
  const { spawn } = await import('node:child_process');
  const main = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'src', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'view', 'trace', '--fidelity', 'lf', '--theta', '120,36,0.3', '--nodeplotlib'], {
    env: { ...process.env, NODEPLOTLIB_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no server after 30 s: ${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Server running at (http:\/\/localhost:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`view exited with ${code}: ${out}`)));
    });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
  } finally {
    child.kill('SIGTERM');
  }
});
