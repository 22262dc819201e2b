/**
 * Units of a study in worker processes: a pool of long-lived Node processes (unit-worker.ts), each
 * running the units it is sent one after another and keeping its tasks' contexts between them, so
 * Node, TensorFlow.js and a task's context start once per worker, not once per unit (TensorFlow.js
 * on WebAssembly trains on one core per process, so processes are how a study uses every core).
 *
 * A failing unit stops the study: units not yet started are refused, the running ones finish. A
 * worker that dies fails the unit it was running. Workers exit when the pool closes; if this process
 * exits or is signalled first, it kills them, and a worker whose channel to this process closes
 * (this process killed outright) exits by itself.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** One unit to run: its task folder (holding config.json) and its id. */
export interface UnitJob {
  dir: string;
  unit: string;
}

/** The parent's message to a worker: run this unit (`quiet`: no progress lines). */
export interface UnitRequest extends UnitJob {
  quiet: boolean;
}

/**
 * A worker's messages to the parent: `ready` once it takes units, then `done` for each unit it was
 * sent, with the unit's one-line error message when the unit failed.
 */
export type WorkerMessage = { kind: 'ready' } | { kind: 'done'; unit: string; error?: string };

/** The worker entry module and the Node flags it needs (tsx when running from the sources). */
export function unitModule(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    file: new URL(fromSource ? './unit-worker.ts' : './unit-worker.js', import.meta.url).pathname,
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
  };
}

/** A pool of unit worker processes. */
export interface WorkerPool {
  /**
   * Runs a unit in a free worker, first come first served (preferring a worker that already holds
   * the unit's task context); rejects with the one-line message of the study's failures when the
   * unit fails, its worker dies, or an earlier failure refuses it.
   */
  run(job: UnitJob): Promise<void>;
  /** Ends the workers once every run has settled; resolves when they have exited. */
  close(): Promise<void>;
  /** The process ids of the workers alive now. */
  pids(): number[];
}

/** A unit waiting for, or running in, a worker. */
interface Pending {
  job: UnitJob;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** A worker process as the pool sees it. */
interface Worker {
  child: ChildProcess;
  ready: boolean;
  /** The unit it runs, if any. */
  running?: Pending;
  /** The task folders whose context it holds. */
  dirs: Set<string>;
  /** Resolves when the process has exited. */
  gone: Promise<void>;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Seconds a closed worker has to exit before it is killed. */
const CLOSE_GRACE_SECONDS = 10;

/** How a process ended, in words. */
function ending(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Starts `size` worker processes at once (their start-up overlaps the first units) and returns the pool. */
export function workerPool(size: number, quiet: boolean): WorkerPool {
  const workers: Worker[] = [];
  const queue: Pending[] = [];
  const failures: string[] = [];
  let closing = false;

  const failure = () => new Error(failures.join('; '));
  const fail = (msg: string) => {
    failures.push(msg);
    for (const p of queue.splice(0)) p.reject(failure());
  };

  const dispatch = () => {
    while (queue.length > 0) {
      const free = workers.filter((w) => w.ready && !w.running);
      if (free.length === 0) return;
      const p = queue.shift()!;
      const w = free.find((x) => x.dirs.has(p.job.dir)) ?? free[0];
      w.running = p;
      w.dirs.add(p.job.dir);
      const request: UnitRequest = { ...p.job, quiet };
      // A failed send means the worker is gone: its exit event fails the unit.
      w.child.send(request, () => {});
    }
  };

  const onMessage = (w: Worker, m: WorkerMessage) => {
    if (m.kind === 'ready') w.ready = true;
    else if (w.running) {
      const p = w.running;
      w.running = undefined;
      if (m.error === undefined) p.resolve();
      else {
        fail(`unit ${m.unit}: ${m.error}`);
        p.reject(failure());
      }
    }
    dispatch();
  };

  const onGone = (w: Worker, how: string) => {
    if (!workers.includes(w)) return;
    workers.splice(workers.indexOf(w), 1);
    const p = w.running;
    w.running = undefined;
    if (p) {
      fail(`unit ${p.job.unit}: its worker process died (${how})`);
      p.reject(failure());
    } else if (!closing) fail(`a unit worker process died (${how})`);
  };

  const { file, execArgv } = unitModule();
  for (let i = 0; i < size; i++) {
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exited = () => {};
    const w: Worker = { child, ready: false, dirs: new Set(), gone: new Promise<void>((r) => (exited = r)) };
    workers.push(w);
    child.on('message', (m: WorkerMessage) => onMessage(w, m));
    child.on('error', (e) => {
      // A process that did not start has no exit event; one that did reports its end there.
      if (child.pid !== undefined) return;
      onGone(w, e.message);
      exited();
    });
    child.on('exit', (code, signal) => {
      onGone(w, ending(code, signal));
      exited();
    });
  }

  const killAll = () => {
    for (const w of workers) w.child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    detach();
    process.kill(process.pid, signal);
  };
  const detach = () => {
    process.removeListener('exit', killAll);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  process.on('exit', killAll);
  for (const s of SIGNALS) process.on(s, onSignal);

  return {
    run: (job) =>
      new Promise<void>((resolve, reject) => {
        if (failures.length > 0) return reject(failure());
        if (closing) return reject(new Error(`unit ${job.unit}: the worker pool is closed`));
        queue.push({ job, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closing = true;
      for (const p of queue.splice(0)) p.reject(new Error(`unit ${p.job.unit}: the worker pool is closed`));
      const all = [...workers];
      const timer = setTimeout(() => {
        for (const w of all) w.child.kill('SIGKILL');
      }, CLOSE_GRACE_SECONDS * 1000);
      timer.unref();
      for (const w of all) if (w.child.connected) w.child.disconnect();
      await Promise.all(all.map((w) => w.gone));
      clearTimeout(timer);
      detach();
    },
    pids: () => workers.flatMap((w) => (w.child.pid === undefined ? [] : [w.child.pid])),
  };
}
