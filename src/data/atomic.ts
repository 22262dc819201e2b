/**
 * Atomic file output: write to a temporary file beside the target, then rename. A crash or a bad
 * input never leaves a half-written file under the final name.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { InputError } from '../errors.js';

let tempCount = 0;

/**
 * A temporary name for writing `path`, unique to this host, process and call, so concurrent writers
 * of the same file (worker processes, cluster jobs on a shared file system) never share one; the
 * last complete rename wins and no reader sees a partial file.
 */
export function tempPathFor(path: string): string {
  tempCount += 1;
  return join(dirname(path), `.${basename(path)}.${hostname()}.${process.pid}.${tempCount}.tmp`);
}

/**
 * Checks early that `path` can be written (its folder exists and is a writable directory), so the
 * CLI can refuse before spending minutes on simulations.
 */
export function checkWritable(path: string): void {
  const dir = dirname(path) || '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`cannot write ${path}: folder ${dir} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`cannot write ${path}: it is a folder`);
  const probe = tempPathFor(path) + '.probe';
  try {
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'not writable'}`);
  }
}

/** Streaming atomic writer: chunks go to a temp file; `commit()` renames it into place. */
export class AtomicWriter {
  private fd: number;
  private readonly tmp: string;
  private done = false;

  constructor(readonly path: string) {
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  write(chunk: string | Uint8Array): void {
    if (typeof chunk === 'string') writeSync(this.fd, chunk);
    else {
      let off = 0;
      while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    }
  }

  commit(): void {
    if (this.done) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true });
    this.done = true;
  }
}

/** Writes the whole content atomically. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const w = new AtomicWriter(path);
  try {
    w.write(content);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}

/** Creates a folder (and parents) if missing. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
