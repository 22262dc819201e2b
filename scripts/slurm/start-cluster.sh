#!/usr/bin/env bash
# Starts a one-node SLURM cluster on this machine, for CI and local tests (test/slurm.test.ts, and any
# later test that submits jobs). Debian/Ubuntu, as root.
#
#   scripts/slurm/start-cluster.sh [STATE_DIR]      # then: export SLURM_CONF=STATE_DIR/slurm.conf
#   scripts/slurm/stop-cluster.sh STATE_DIR
#
# It installs what is missing (munge slurmctld slurmd slurm-client, after apt-get update), creates
# /etc/munge/munge.key (mungekey -c) if missing, starts munged as the munge user unless one already
# answers, writes STATE_DIR/slurm.conf for this host (hostname -s, nproc CPUs, RealMemory below
# free -m; everything on 127.0.0.1), starts slurmctld and slurmd with it, and waits until sinfo shows
# the node idle. STATE_DIR (default: a new temporary folder) holds the configuration, the daemons'
# state, spool and logs, `env` (the line to source: export SLURM_CONF=…) and `pids` ("name pid" per
# line): exactly the daemons this script started, which is what stop-cluster.sh stops. The PIDs are
# recorded as each daemon starts, so stopping after a failed start stops what did start.
# The state folder is printed on stdout (the only stdout line); progress goes to stderr.
#
# Environment: MFNPE_SLURM_CTLD_PORT / MFNPE_SLURM_D_PORT (default 6817 / 6818), MFNPE_SLURM_WAIT
# (seconds to wait for the idle node, default 60).
set -euo pipefail
say() { echo "start-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (sudo $0)"
state=${1:-}
[ -n "$state" ] || state=$(mktemp -d "${TMPDIR:-/tmp}/mfnpe-slurm.XXXXXX")
mkdir -p "$state"
state=$(cd "$state" && pwd)
[ ! -s "$state/pids" ] || die "$state/pids exists: a cluster from this folder may still run (stop-cluster.sh $state first)"
touch "$state/.mfnpe-slurm" "$state/pids"
chmod 755 "$state"

# Packages: only what is missing.
missing=()
command -v munged >/dev/null 2>&1 && command -v mungekey >/dev/null 2>&1 || missing+=(munge)
command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
command -v sinfo >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# Package versions, for the log.
say "$(slurmctld -V 2>&1 | head -1), $(munged -V 2>&1 | head -1)"

# PID bookkeeping: `record name pid` once a daemon runs (stop-cluster.sh checks the name again).
record() { echo "$1 $2" >>"$state/pids"; }
# Waits until FILE holds the PID of a live process named NAME; prints the PID.
wait_pid() {
  local file=$1 name=$2 pid
  for _ in $(seq 1 100); do
    if [ -s "$file" ]; then
      pid=$(tr -dc '0-9' <"$file")
      if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
        echo "$pid"
        return 0
      fi
    fi
    sleep 0.1
  done
  return 1
}

# munge: the key, then munged as the munge user (unless one already answers).
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  mungekey -c -k /etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key
chmod 600 /etc/munge/munge.key
if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "munged already runs; using it"
else
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- munged
  pid=$(wait_pid /run/munge/munged.pid munged) || die "munged did not start (see /var/log/munge/munged.log)"
  record munged "$pid"
  for _ in $(seq 1 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n </dev/null | unmunge >/dev/null || die "munged does not answer"
fi

# slurm.conf for this one node.
host=$(hostname -s)
cpus=$(nproc)
mem_total=$(free -m | awk '/^Mem:/ { print $2 }')
mem=$((mem_total * 9 / 10))
[ "$mem" -ge 1 ] || mem=1
mkdir -p "$state/ctld" "$state/spool"
cat >"$state/slurm.conf" <<CONF
# One-node cluster written by scripts/slurm/start-cluster.sh; everything on 127.0.0.1.
ClusterName=mfnpe
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=${MFNPE_SLURM_CTLD_PORT:-6817}
SlurmdPort=${MFNPE_SLURM_D_PORT:-6818}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
Waittime=0
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
echo "export SLURM_CONF=$state/slurm.conf" >"$state/env"
export SLURM_CONF="$state/slurm.conf"

say "starting slurmctld and slurmd ($host, $cpus CPUs, ${mem} MB) with $SLURM_CONF"
slurmctld -f "$SLURM_CONF" -c
pid=$(wait_pid "$state/slurmctld.pid" slurmctld) || die "slurmctld did not start (see $state/slurmctld.log)"
record slurmctld "$pid"
slurmd -f "$SLURM_CONF"
pid=$(wait_pid "$state/slurmd.pid" slurmd) || die "slurmd did not start (see $state/slurmd.log)"
record slurmd "$pid"

wait_s=${MFNPE_SLURM_WAIT:-60}
for _ in $(seq 1 $((wait_s * 2))); do
  st=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null || true)
  if [ "$st" = "idle" ]; then
    say "node $host idle; daemons: $(tr '\n' ' ' <"$state/pids")"
    echo "$state"
    exit 0
  fi
  sleep 0.5
done
die "node $host not idle after ${wait_s}s (state '${st:-none}'; see $state/slurmctld.log, $state/slurmd.log)"
