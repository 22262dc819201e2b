/**
 * TensorFlow.js backend selection.
 *
 * Order: native TensorFlow through `@tensorflow/tfjs-node` (an optional dependency: its install
 * downloads libtensorflow, which fails on offline machines), else the WebAssembly backend
 * (`@tensorflow/tfjs-backend-wasm`, SIMD, one thread in Node), else the pure-JS cpu backend.
 * `MFNPE_BACKEND=tensorflow|wasm|cpu` forces one. The choice is logged once on stderr
 * (silence it with MFNPE_QUIET=1).
 *
 * Everything imports TensorFlow.js through {@link getTf}, so commands that need no network (the
 * simulators) never pay its start-up cost.
 */
import { createRequire } from 'node:module';

/** The TensorFlow.js module type (tfjs, tfjs-node or tfjs with the wasm backend: the same API). */
export type Tf = typeof import('@tensorflow/tfjs');
/** The TensorFlow.js backends mfnpe can run on, fastest first: native TensorFlow, WebAssembly, pure JavaScript. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const require = createRequire(import.meta.url);
let ready: Promise<Tf> | null = null;
let chosen: BackendName | null = null;

function log(msg: string): void {
  if (!process.env.MFNPE_QUIET) process.stderr.write(`mfnpe: ${msg}\n`);
}

async function tryTensorflow(): Promise<Tf | null> {
  try {
    // tfjs-node registers the 'tensorflow' backend and re-exports tfjs.
    const tfn = require('@tensorflow/tfjs-node') as Tf;
    if (!tfn.findBackend('tensorflow')) return null;
    if (!(await tfn.setBackend('tensorflow'))) return null;
    await tfn.ready();
    return tfn;
  } catch {
    return null;
  }
}

async function tryWasm(tf: Tf): Promise<boolean> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    return tf.getBackend() === 'wasm';
  } catch {
    return false;
  }
}

async function select(): Promise<Tf> {
  const forced = process.env.MFNPE_BACKEND as BackendName | undefined;
  if (forced && !['tensorflow', 'wasm', 'cpu'].includes(forced)) {
    throw new Error(`MFNPE_BACKEND must be tensorflow, wasm or cpu, got '${forced}'`);
  }
  if (!forced || forced === 'tensorflow') {
    const tfn = await tryTensorflow();
    if (tfn) {
      chosen = 'tensorflow';
      log('TensorFlow.js backend: tensorflow (native, @tensorflow/tfjs-node)');
      return tfn;
    }
    if (forced) throw new Error('MFNPE_BACKEND=tensorflow but @tensorflow/tfjs-node is not installed or does not load');
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  // Silence tfjs's "you should install tfjs-node" banner: we know, and we say which backend runs.
  tf.env().set('IS_NODE', true);
  if (!forced || forced === 'wasm') {
    if (await tryWasm(tf)) {
      chosen = 'wasm';
      log('TensorFlow.js backend: wasm (SIMD, one thread)');
      return tf;
    }
    if (forced) throw new Error('MFNPE_BACKEND=wasm but the wasm backend failed to start');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  // The cpu backend prints a multi-line "install tfjs-node" banner on its first tensor; the line
  // below says the same in one line (and MFNPE_QUIET silences it), so bad input stays one line.
  const cpu = tf.backend() as unknown as { firstUse?: boolean };
  if (cpu.firstUse !== undefined) cpu.firstUse = false;
  chosen = 'cpu';
  log('TensorFlow.js backend: cpu (pure JavaScript; slow)');
  return tf;
}

/** TensorFlow.js, initialized on the best available backend (memoized). */
export function getTf(): Promise<Tf> {
  if (!ready) ready = select();
  return ready;
}

/** The backend in use, or null before {@link getTf} resolved. */
export function backendName(): BackendName | null {
  return chosen;
}
