#!/usr/bin/env bash
# Sharded simulation on SLURM: submits scripts/slurm/simulate.sbatch as a job array of K shards, then
# scripts/slurm/merge.sbatch depending on it (afterok), which writes OUT_DIR/simulations.csv|arrow —
# byte for byte the file of the unsharded `mfnpe simulate` (or `mfnpe task simulate`) run.
#
#   scripts/slurm/simulate.sh --n N --shards K --out-dir DIR [--seed S] [--fidelity lf|hf] [--format csv|arrow]
#                             [--task NAME] [--cpus-per-task C] [--max-parallel P] [--mfnpe DIR] [--wait]
#                             [-- SBATCH_OPTION...]
#
# --out-dir must be a folder every node can write (shared file system). --cpus-per-task C gives each
# shard C cores (its --workers). --max-parallel P runs at most P shards at once (--array=…%P).
# --wait: return when the merge has finished (exit status non-zero if a shard or the merge failed).
# Options after -- go to both sbatch calls (e.g. --partition=short, --time=02:00:00, --account=…).
# Prints the array and merge job ids. Logs: DIR/logs/. See docs/cluster.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mfnpe_dir=$(cd "$here/../.." && pwd)
n="" k="" out="" seed=0 fidelity=lf format=csv task="" cpus=1 throttle="" wait=()
usage() { sed -n '7,9p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --n) n=$2; shift 2 ;;
    --shards) k=$2; shift 2 ;;
    --out-dir) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --fidelity) fidelity=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --task) task=$2; shift 2 ;;
    --cpus-per-task) cpus=$2; shift 2 ;;
    --max-parallel) throttle=%$2; shift 2 ;;
    --mfnpe) mfnpe_dir=$(cd "$2" && pwd); shift 2 ;;
    --wait) wait=(--wait); shift ;;
    --) shift; break ;;
    *) echo "simulate.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$n" ] && [ -n "$k" ] && [ -n "$out" ] || usage
[[ $k =~ ^[1-9][0-9]*$ ]] || { echo "simulate.sh: --shards must be a positive integer, got '$k'" >&2; exit 2; }
[ "$format" = csv ] || [ "$format" = arrow ] || { echo "simulate.sh: --format must be csv or arrow, got '$format'" >&2; exit 2; }
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "simulate.sh: --n must be a positive integer, got '$n'" >&2; exit 2; }
[ "$k" -le "$n" ] || { echo "simulate.sh: more shards ($k) than simulations ($n)" >&2; exit 2; }
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
merged="$out/simulations.$format"
# The merged file appears only when the merge succeeded: refuse to mix with an earlier run's.
[ ! -e "$merged" ] || { echo "simulate.sh: $merged exists (an earlier run); remove it or choose another --out-dir" >&2; exit 2; }

export MFNPE_DIR=$mfnpe_dir MFNPE_OUT_DIR=$out MFNPE_SHARDS=$k MFNPE_N=$n MFNPE_SEED=$seed \
  MFNPE_FIDELITY=$fidelity MFNPE_FORMAT=$format MFNPE_TASK=$task
array=$(sbatch --parsable --array="0-$((k - 1))$throttle" --cpus-per-task="$cpus" --output="$out/logs/simulate-%A_%a.out" \
  "$@" "$here/simulate.sbatch")
array=${array%%;*}
echo "simulate.sh: array job $array (shards 0-$((k - 1)) of $k) → $out/shards/" >&2
# sbatch --wait exits 0 for a merge job cancelled because a shard failed (it never ran): the
# merged file is the proof of success.
merge=$(sbatch --parsable "${wait[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$out/logs/merge-%j.out" "$@" "$here/merge.sbatch") || true
merge=${merge%%;*}
[ -n "$merge" ] || { echo "simulate.sh: submitting the merge job failed" >&2; exit 1; }
echo "simulate.sh: merge job $merge → $merged" >&2
if [ "${#wait[@]}" -gt 0 ] && [ ! -f "$merged" ]; then
  state=$(scontrol show job -o "$merge" 2>/dev/null | grep -o 'JobState=[A-Z_]* Reason=[^ ]*' || true)
  echo "simulate.sh: no $merged: the merge job did not succeed (${state:-state unknown}); logs in $out/logs/" >&2
  exit 1
fi
echo "$array $merge"
