#!/usr/bin/env bash
# The MF-NPE experiment on SLURM: plans the study here (`mfnpe experiment --plan`, which writes the
# configuration into OUT_DIR and lists the units), then submits
#   1. a job array over the stage-0 units (each task's test set and reference posterior),
#   2. a job array over the stage-1 units (one per seed and budget chain), after 1 (afterok),
#   3. the report (`mfnpe experiment --report OUT_DIR`), after 2 (afterok),
# all running scripts/slurm/experiment-unit.sbatch / experiment-report.sbatch. The tables and figures
# in OUT_DIR are the same as a single `mfnpe experiment` run's. Rerunning the script on the same
# OUT_DIR resumes: units whose results are complete return at once.
#
#   scripts/slurm/experiment.sh --out-dir DIR [--config FILE.json] [--quick] [--data-dir DIR]
#                               [--max-parallel P] [--mfnpe DIR] [--wait] [-- SBATCH_OPTION...]
#
# --out-dir and --data-dir (default OUT_DIR/data) must be folders every node can write. Each unit is
# one process on one core (TensorFlow.js on WebAssembly). --max-parallel P runs at most P units at
# once. --wait returns when the report has finished (non-zero if a unit or the report failed).
# Options after -- go to every sbatch call (--partition, --time, --account…). See docs/cluster.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mfnpe_dir=$(cd "$here/../.." && pwd)
out="" data="" throttle="" wait=() plan_args=()
usage() { sed -n '12,13p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --out-dir) out=$2; shift 2 ;;
    --config) plan_args+=(--config "$2"); shift 2 ;;
    --quick) plan_args+=(--quick); shift ;;
    --data-dir) data=$2; shift 2 ;;
    --max-parallel) throttle=%$2; shift 2 ;;
    --mfnpe) mfnpe_dir=$(cd "$2" && pwd); shift 2 ;;
    --wait) wait=(--wait); shift ;;
    --) shift; break ;;
    *) echo "experiment.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$out" ] || usage
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
data=${data:-$out/data}
node=${MFNPE_NODE:-node}

"$node" "$mfnpe_dir/bin/mfnpe.js" experiment "${plan_args[@]}" --data-dir "$data" --out "$out" --plan --quiet > "$out/plan.jsonl"
grep '"stage":0' "$out/plan.jsonl" | sed 's/.*"id":"\([^"]*\)".*/\1/' > "$out/units-0.txt"
grep '"stage":1' "$out/plan.jsonl" | sed 's/.*"id":"\([^"]*\)".*/\1/' > "$out/units-1.txt"
echo "experiment.sh: $(wc -l < "$out/units-0.txt") stage-0 and $(wc -l < "$out/units-1.txt") stage-1 units; estimate: $(tail -n 1 "$out/plan.jsonl")" >&2

export MFNPE_DIR=$mfnpe_dir MFNPE_OUT_DIR=$out
submit_array() {
  local list=$1 dep=$2 n
  shift 2
  n=$(wc -l < "$list")
  sbatch --parsable --array="0-$((n - 1))$throttle" ${dep:+--dependency=afterok:$dep --kill-on-invalid-dep=yes} \
    --export="ALL,MFNPE_UNITS=$list" --output="$out/logs/unit-%A_%a.out" "$@" "$here/experiment-unit.sbatch"
}
a0=$(submit_array "$out/units-0.txt" "" "$@"); a0=${a0%%;*}
a1=$(submit_array "$out/units-1.txt" "$a0" "$@"); a1=${a1%%;*}
echo "experiment.sh: stage-0 array $a0, stage-1 array $a1" >&2
# sbatch --wait exits 0 for a report cancelled because a unit failed: run.json is the proof of success.
rm -f "$out/run.json"
rep=$(sbatch --parsable "${wait[@]}" --dependency="afterok:$a1" --kill-on-invalid-dep=yes \
  --output="$out/logs/report-%j.out" "$@" "$here/experiment-report.sbatch") || true
rep=${rep%%;*}
[ -n "$rep" ] || { echo "experiment.sh: submitting the report job failed" >&2; exit 1; }
echo "experiment.sh: report job $rep → $out" >&2
if [ "${#wait[@]}" -gt 0 ] && [ ! -f "$out/run.json" ]; then
  echo "experiment.sh: no $out/run.json: a unit or the report failed; logs in $out/logs/" >&2
  exit 1
fi
echo "$a0 $a1 $rep"
