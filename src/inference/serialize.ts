/**
 * Saving and loading a trained flow without tfjs-node (which has the only `file://` handler):
 * `config.json` (architecture, standardization, prior bounds, names, the weight table) and
 * `weights.bin` (all weight tensors as little-endian float32, concatenated in table order).
 * Both files are written atomically (weights first, so a config never points at missing weights).
 * Any problem reading a model directory is a one-line InputError naming the directory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import type { NamedWeights } from '../flows/nsf.js';
import { InputError } from '../errors.js';

export const MODEL_FORMAT = 'mfnpe-nsf';
export const MODEL_VERSION = 1;
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.bin';

interface WeightEntry {
  name: string;
  shape: number[];
  /** Offset in float32 values from the start of weights.bin. */
  offset: number;
}

/** Writes config (any JSON object; format, version and the weight table are added) and weights. */
export function writeModel(dir: string, config: Record<string, unknown>, weights: NamedWeights[]): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`cannot save the model to ${dir}: it is a file, not a folder`);
  ensureDir(dir);
  const total = weights.reduce((a, w) => a + w.data.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  const table: WeightEntry[] = [];
  let off = 0;
  for (const w of weights) {
    table.push({ name: w.name, shape: w.shape, offset: off });
    for (let i = 0; i < w.data.length; i++) view.setFloat32((off + i) * 4, w.data[i], true);
    off += w.data.length;
  }
  writeFileAtomic(join(dir, WEIGHTS_FILE), bytes);
  const full = { format: MODEL_FORMAT, version: MODEL_VERSION, ...config, weights: table, weightsFile: WEIGHTS_FILE, weightCount: total };
  writeFileAtomic(join(dir, CONFIG_FILE), JSON.stringify(full, null, 2) + '\n');
}

/** Reads a model directory: the parsed config and the weight tensors. */
export function readModel(dir: string): { config: Record<string, unknown>; weights: NamedWeights[] } {
  if (!existsSync(dir)) throw new InputError(`model directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is not a model directory (it is a file)`);
  const cfgPath = join(dir, CONFIG_FILE);
  const wPath = join(dir, WEIGHTS_FILE);
  if (!existsSync(cfgPath)) throw new InputError(`${dir} is not a model directory (no ${CONFIG_FILE})`);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(cfgPath, 'utf8'));
  } catch (e) {
    throw new InputError(`corrupt model in ${dir}: ${CONFIG_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof config !== 'object' || config === null || config.format !== MODEL_FORMAT) {
    throw new InputError(`corrupt model in ${dir}: ${CONFIG_FILE} is not an ${MODEL_FORMAT} model`);
  }
  if (config.version !== MODEL_VERSION)
    throw new InputError(`model in ${dir} has version ${String(config.version)}, this mfnpe reads version ${MODEL_VERSION}`);
  if (!existsSync(wPath)) throw new InputError(`corrupt model in ${dir}: ${WEIGHTS_FILE} is missing`);
  const buf = readFileSync(wPath);
  const table = config.weights as WeightEntry[] | undefined;
  const count = config.weightCount;
  if (!Array.isArray(table) || typeof count !== 'number' || buf.length !== count * 4) {
    throw new InputError(`corrupt model in ${dir}: ${WEIGHTS_FILE} has ${buf.length} bytes, expected ${typeof count === 'number' ? count * 4 : '?'}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const weights: NamedWeights[] = table.map((e) => {
    const n = Array.isArray(e.shape) ? e.shape.reduce((a, b) => a * b, 1) : NaN;
    if (!Number.isInteger(n) || !Number.isInteger(e.offset) || e.offset < 0 || e.offset + n > count) {
      throw new InputError(`corrupt model in ${dir}: bad weight table entry ${JSON.stringify(e)}`);
    }
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32((e.offset + i) * 4, true);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(data[i])) throw new InputError(`corrupt model in ${dir}: weight ${e.name} has a non-finite value`);
    }
    return { name: e.name, shape: e.shape, data };
  });
  return { config, weights };
}
