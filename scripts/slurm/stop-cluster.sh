#!/usr/bin/env bash
# Stops the daemons that scripts/slurm/start-cluster.sh started from STATE_DIR, and only those:
# each PID in STATE_DIR/pids is signalled only while it is still a process of the recorded name
# (a reused PID is left alone). SIGTERM, then SIGKILL after 10 s. Then removes STATE_DIR (a folder
# that start-cluster.sh made), unless MFNPE_SLURM_KEEP=1 (to read the logs).
#
#   scripts/slurm/stop-cluster.sh STATE_DIR
set -uo pipefail
say() { echo "stop-cluster: $*" >&2; }
state=${1:?usage: stop-cluster.sh STATE_DIR}
[ -f "$state/pids" ] || { say "no $state/pids: nothing to stop"; exit 0; }

alive() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

# Stop in reverse start order: slurmd, slurmctld, munged.
mapfile -t lines < <(tac "$state/pids")
for line in "${lines[@]}"; do
  read -r name pid <<<"$line"
  [ -n "${pid:-}" ] || continue
  if alive "$pid" "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" "$name" || break; sleep 0.1; done
    if alive "$pid" "$name"; then
      say "$name ($pid) still runs after 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $name ($pid)"
  else
    say "$name ($pid) no longer runs"
  fi
done
: >"$state/pids"
if [ -f "$state/.mfnpe-slurm" ] && [ "${MFNPE_SLURM_KEEP:-0}" != 1 ]; then rm -rf "$state"; fi
exit 0
