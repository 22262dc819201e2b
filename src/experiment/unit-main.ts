/**
 * Entry of a unit worker process (processes.ts): `node unit-main.js TASK_DIR UNIT_ID [--quiet]` runs
 * one unit of the study planned in TASK_DIR/config.json and writes its file; exit code 0 on success.
 */
import { readTaskPlan, runOneUnit } from './study.js';

const [dir, id, flag] = process.argv.slice(2);
const quiet = flag === '--quiet';
try {
  const plan = readTaskPlan(dir);
  const unit = plan.units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id} in ${dir}/config.json`);
  await runOneUnit(plan, unit, quiet);
} catch (e) {
  process.stderr.write(`mfnpe: unit ${id}: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
