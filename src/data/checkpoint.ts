/**
 * Resumable row output for long batch runs.
 *
 * While `mfnpe simulate … --out FILE` runs, completed rows are appended in index order to
 * `FILE.partial` (raw little-endian float64, `width` values per row: exact and trivially truncated to
 * whole rows) and the run's arguments are kept in `FILE.partial.json`. If the run is interrupted
 * (Ctrl-C, kill, crash), rerunning with identical arguments resumes after the last complete row;
 * different arguments start afresh. On success the caller converts the rows into FILE (atomically)
 * and removes both checkpoint files.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';

export function checkpointPaths(out: string): { rows: string; meta: string } {
  return { rows: `${out}.partial`, meta: `${out}.partial.json` };
}

/** Order-independent, stable JSON text of plain data (object keys sorted). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export class RowCheckpoint {
  private fd: number;
  private closed = false;
  /** Complete rows stored so far. */
  rowsDone: number;

  private constructor(
    readonly out: string,
    readonly width: number,
    fd: number,
    rowsDone: number,
  ) {
    this.fd = fd;
    this.rowsDone = rowsDone;
  }

  /**
   * Opens the checkpoint of `out` for a run described by `args` (plain JSON data). Resumes when
   * the stored arguments are identical; otherwise starts empty. `resumed` is the number of rows kept.
   */
  static open(out: string, width: number, args: unknown): RowCheckpoint {
    const p = checkpointPaths(out);
    const want = canonical(args);
    let resume = false;
    if (existsSync(p.meta) && existsSync(p.rows)) {
      try {
        resume = canonical(JSON.parse(readFileSync(p.meta, 'utf8'))) === want;
      } catch {
        resume = false;
      }
    }
    if (!resume) {
      rmSync(p.rows, { force: true });
      writeFileAtomic(p.meta, JSON.stringify(args, null, 1) + '\n');
      return new RowCheckpoint(out, width, openSync(p.rows, 'w+'), 0);
    }
    const fd = openSync(p.rows, 'r+');
    const rowBytes = 8 * width;
    const rows = Math.floor(fstatSync(fd).size / rowBytes);
    ftruncateSync(fd, rows * rowBytes); // drop a torn last row
    return new RowCheckpoint(out, width, fd, rows);
  }

  /** Appends whole rows (row-major, `width` values each). */
  append(rows: Float64Array): void {
    if (rows.length % this.width !== 0) throw new RangeError('checkpoint: partial row');
    const bytes = new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
    let off = 0;
    const pos = this.rowsDone * 8 * this.width;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, pos + off);
    this.rowsDone += rows.length / this.width;
  }

  /** Reads stored rows back in order, `chunkRows` at a time (bounded memory). */
  *read(chunkRows = 4096): Generator<{ start: number; rows: Float64Array }> {
    const rowBytes = 8 * this.width;
    for (let s = 0; s < this.rowsDone; s += chunkRows) {
      const n = Math.min(chunkRows, this.rowsDone - s);
      const buf = new Float64Array(n * this.width);
      const bytes = new Uint8Array(buf.buffer);
      let off = 0;
      while (off < bytes.length) {
        const got = readSync(this.fd, bytes, off, bytes.length - off, s * rowBytes + off);
        if (got === 0) throw new Error(`checkpoint ${this.out}.partial is shorter than expected`);
        off += got;
      }
      yield { start: s, rows: buf };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Closes and deletes both checkpoint files (after success, or when the run failed for good). */
  remove(): void {
    this.close();
    const p = checkpointPaths(this.out);
    rmSync(p.rows, { force: true });
    rmSync(p.meta, { force: true });
  }
}
