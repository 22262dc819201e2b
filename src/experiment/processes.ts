/**
 * Units of a study in worker processes: at most `jobs` at once, each a fresh Node process running
 * unit-main.ts (TensorFlow.js on WebAssembly trains on one core per process, so processes are how a
 * study uses every core). A failing unit stops the study with its exit status after the running ones end.
 */
import { spawn } from 'node:child_process';

/** One unit to run: its task folder (holding config.json) and its id. */
export interface UnitJob {
  dir: string;
  unit: string;
}

/** The unit entry module and the Node flags it needs (tsx when running from the sources). */
export function unitModule(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    file: new URL(fromSource ? './unit-main.ts' : './unit-main.js', import.meta.url).pathname,
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
  };
}

/** Runs one unit in a child process; resolves with its exit code. */
function runChild(job: UnitJob, quiet: boolean): Promise<number> {
  const { file, execArgv } = unitModule();
  const args = [...execArgv, file, job.dir, job.unit, ...(quiet ? ['--quiet'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    const kill = () => child.kill('SIGTERM');
    process.once('exit', kill);
    child.on('error', reject);
    child.on('close', (code) => {
      process.removeListener('exit', kill);
      resolve(code ?? 1);
    });
  });
}

/**
 * A runner of unit processes with at most `jobs` at once (first come, first served). After a unit
 * fails, units not yet started are refused, and the returned promises reject.
 */
export function processPool(jobs: number, quiet: boolean): (job: UnitJob) => Promise<void> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const failures: string[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async (job) => {
    if (running >= jobs) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      if (failures.length > 0) throw new Error(failures.join('; '));
      const code = await runChild(job, quiet);
      if (code !== 0) {
        failures.push(`unit ${job.unit} failed (exit ${code})`);
        throw new Error(failures.join('; '));
      }
    } finally {
      release();
    }
  };
}
