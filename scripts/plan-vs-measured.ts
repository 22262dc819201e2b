/**
 * Compares `mfnpe experiment --plan` estimates with the CPU seconds the units took (recorded in their
 * files): one row per unit, the ratio measured/estimated, and how many units are within a factor of 2.
 *
 *   node bin/mfnpe.js experiment --config C.json --out DIR --plan > plan.jsonl
 *   node bin/mfnpe.js experiment --config C.json --out DIR --jobs 2
 *   node --import tsx scripts/plan-vs-measured.ts plan.jsonl DIR
 */
import { existsSync, readFileSync } from 'node:fs';
import { readStudyPlan } from '../src/experiment/study.js';
import { unitFile, unitSeconds } from '../src/experiment/unit-files.js';

const [planFile, dir] = process.argv.slice(2);
if (!planFile || !dir) throw new Error('usage: plan-vs-measured.ts PLAN.jsonl STUDY_DIR');
const estimates = new Map<string, number>();
for (const line of readFileSync(planFile, 'utf8').trim().split('\n')) {
  const row = JSON.parse(line) as { id?: string; estimated_cpu_s: number };
  if (row.id) estimates.set(row.id, row.estimated_cpu_s);
}
console.log('| unit | estimated CPU s | measured CPU s | measured wall s | measured / estimated |');
console.log('|---|---:|---:|---:|---:|');
let within = 0;
let count = 0;
let sumEst = 0;
let sumCpu = 0;
let missing = 0;
for (const plan of readStudyPlan(dir)) {
  for (const unit of plan.units) {
    const est = estimates.get(unit.id);
    if (est === undefined) continue;
    if (!existsSync(unitFile(plan.dir, unit))) {
      missing++;
      continue;
    }
    const m = unitSeconds(plan.dir, unit);
    const ratio = est > 0 ? m.cpuSeconds / est : Number.NaN;
    // Units under 10 CPU-seconds (the OU reference) are start-up cost only: counted apart.
    const counted = est >= 10 || m.cpuSeconds >= 10;
    if (counted) {
      count++;
      if (ratio >= 0.5 && ratio <= 2) within++;
    }
    sumEst += est;
    sumCpu += m.cpuSeconds;
    console.log(
      `| ${unit.id} | ${est.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${m.seconds.toFixed(1)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '—'}${counted ? '' : ' (under 10 s)'} |`,
    );
  }
}
console.log(
  `\n${within} of ${count} units (≥ 10 CPU-s) within a factor of 2; total estimated ${sumEst.toFixed(0)} CPU-s, measured ${sumCpu.toFixed(0)} CPU-s (ratio ${(sumCpu / sumEst).toFixed(2)}).${missing ? ` ${missing} units not run yet.` : ''}`,
);
