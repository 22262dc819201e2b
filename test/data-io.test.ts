/**
 * Data formats: Arrow IPC round trip (values, column names, metadata), the simulate CLI's Arrow
 * output, and progress reporting on terminals and in logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { arrowBytesToTable, isArrowPath, readArrow, tableToArrowBytes, writeArrow } from '../src/data/arrow.js';
import { makeTable } from '../src/data/table.js';
import { readCsv } from '../src/data/csv.js';
import { Progress, formatDuration } from '../src/data/progress.js';
import { executeSimulate, parseSimulate } from '../src/cli/simulate.js';
import { BATCH_COLUMNS } from '../src/simulators/batch.js';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-io-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('Arrow round trip keeps columns, exact float64 values and metadata', () => {
  const cols = ['g_na', 'g_k', 'x'];
  const data = Float64Array.of(1.5, -2, Math.PI, 1e-300, 0.1 + 0.2, -0, 7, 8, 9);
  const f = join(dir, 't.arrow');
  writeArrow(f, makeTable(cols, data), { fidelity: 'hf', seed: '3' });
  const bytes = readFileSync(f);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), 'ARROW1', 'Arrow IPC file magic');
  const t = readArrow(f);
  assert.deepEqual(t.columns, cols);
  assert.equal(t.nRows, 3);
  assert.deepEqual(Array.from(t.data), Array.from(data));
  assert.deepEqual(t.metadata, { fidelity: 'hf', seed: '3' });
  // Readable by any Arrow reader as plain Float64 columns.
  const raw = arrow.tableFromIPC(bytes);
  assert.deepEqual(
    raw.schema.fields.map((x) => String(x.type)),
    ['Float64', 'Float64', 'Float64'],
  );
  assert.deepEqual(Array.from(raw.getChild('g_k')!.toArray() as Float64Array), [-2, 0.1 + 0.2, 8]);
  assert.equal(raw.schema.metadata.get('mfnpe.fidelity'), 'hf');
});

test('Arrow reading rejects non-Arrow bytes and non-numeric columns with a clear error', () => {
  assert.throws(() => arrowBytesToTable(new TextEncoder().encode('a,b\n1,2\n'), 'x.arrow'), /x\.arrow is not an Arrow IPC file/);
  const strTable = arrow.tableFromArrays({ name: ['a', 'b'] as unknown as Float64Array });
  assert.throws(() => arrowBytesToTable(arrow.tableToIPC(strTable, 'file'), 's.arrow'), /column name .* expected numbers/);
  assert.throws(() => readArrow(join(dir, 'missing.arrow')), /does not exist/);
  assert.ok(isArrowPath('a/b.arrow') && isArrowPath('x.feather') && !isArrowPath('x.csv'));
});

test('empty tables round-trip', () => {
  const t = arrowBytesToTable(tableToArrowBytes(makeTable(['a'], new Float64Array(0))));
  assert.equal(t.nRows, 0);
  assert.deepEqual(t.columns, ['a']);
});

test('simulate --out FILE.arrow writes the same rows as CSV, with provenance', async () => {
  const args = (o: string) => ['--fidelity', 'lf', '--prior', '--n', '64', '--seed', '2', '--workers', '1', '--quiet', '--out', o];
  await executeSimulate(parseSimulate(args(join(dir, 's.arrow'))));
  await executeSimulate(parseSimulate(args(join(dir, 's.csv'))));
  const a = readArrow(join(dir, 's.arrow'));
  const c = readCsv(join(dir, 's.csv'));
  assert.deepEqual(a.columns, BATCH_COLUMNS);
  assert.deepEqual(c.columns, BATCH_COLUMNS);
  assert.deepEqual(a.data, c.data, 'CSV numbers round-trip exactly to the Arrow float64 values');
  assert.equal(a.metadata.fidelity, 'lf');
  assert.equal(a.metadata.seed, '2');
  assert.equal(a.metadata.n, '64');
  assert.equal(a.metadata.mode, 'prior');
  assert.equal(a.metadata.prior_low, '50,20,0.1');
  assert.equal(JSON.parse(a.metadata.config).dt_ms, 0.01);
  // --format overrides the extension.
  await executeSimulate(parseSimulate([...args(join(dir, 'forced.csv')), '--format', 'arrow']));
  assert.deepEqual(readArrow(join(dir, 'forced.csv')).data, a.data);
});

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => chunks.push(s) } };
}

test('progress: periodic plain lines off a terminal, with rate and ETA', async () => {
  const { chunks, stream } = fakeStream(false);
  const p = new Progress('simulate lf', 100, { stream, intervalMs: 0, unit: 'sims' });
  await new Promise((r) => setTimeout(r, 5));
  p.tick(40);
  p.tick(60);
  p.finish();
  assert.equal(chunks.length, 3);
  assert.match(chunks[0], /^simulate lf 40\/100 \(40\.0%\) [\d.]+ sims\/s, ETA [\d.]+s\n$/);
  assert.match(chunks[2], /^simulate lf 100\/100 done in/);
  assert.ok(chunks.every((c) => !c.includes('\r')));
});

test('progress: a bar redrawn in place on a terminal; quiet prints nothing; resumed runs start part-done', () => {
  const tty = fakeStream(true);
  const p = new Progress('x', 10, { stream: tty.stream, already: 4 });
  p.tick(6);
  p.finish();
  assert.ok(tty.chunks[0].startsWith('\r'));
  assert.match(tty.chunks[0], /█/);
  assert.match(tty.chunks[0], /10\/10 \(100\.0%\)/);
  assert.ok(tty.chunks.at(-1)!.endsWith('\n'));
  const q = fakeStream(true);
  const p2 = new Progress('x', 10, { stream: q.stream, quiet: true });
  p2.tick(10);
  p2.finish();
  assert.equal(q.chunks.length, 0);
  assert.equal(formatDuration(3.21), '3.2s');
  assert.equal(formatDuration(125), '2m05s');
  assert.equal(formatDuration(3725), '1h02m');
});
