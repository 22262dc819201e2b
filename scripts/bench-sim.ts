/**
 * Single-threaded simulator benchmark: `node --import tsx scripts/bench-sim.ts [hfTraces] [lfTraces]`.
 * Prints one JSON object (see src/simulators/bench.ts) and the machine load.
 */
import { loadavg } from 'node:os';
import { benchSimulators } from '../src/simulators/bench.js';

const hfTraces = Number(process.argv[2] ?? 30);
const lfTraces = Number(process.argv[3] ?? 200);
const r = benchSimulators({ hfTraces, lfTraces });
console.log(JSON.stringify({ ...r, loadavg_1min: loadavg()[0] }, null, 1));
