#!/usr/bin/env bash
# Compares a quick run's metrics.csv (HH in DIR, OU in DIR/ou) with the fixtures in test/data/experiment.
#   node bin/mfnpe.js experiment --quick --out /tmp/quick && scripts/compare-quick-metrics.sh /tmp/quick
set -euo pipefail
dir=${1:?usage: compare-quick-metrics.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
status=0
for t in hh ou; do
  f="$dir/metrics.csv"; [ "$t" = ou ] && f="$dir/ou/metrics.csv"
  if cmp -s "$f" "$here/test/data/experiment/quick-$t-metrics.csv"; then echo "$t: metrics.csv identical to the fixture"
  else echo "$t: metrics.csv differs from the fixture"; status=1; fi
done
exit $status
