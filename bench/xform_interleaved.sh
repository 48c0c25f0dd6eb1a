#!/usr/bin/env bash
# The whole `form xform` process's CPU (perf stat's task-clock: user + sys) and page
# faults on one workbook for several binaries, run by run in turn (so that the
# machine's load falls on all alike), and the median and minimum of N runs of each:
#   bench/xform_interleaved.sh N WORKBOOK BINARY...
# Run it under the bench lock: flock /work/bench.lock bench/xform_interleaved.sh ...
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: bench/xform_interleaved.sh N WORKBOOK BINARY..." >&2; exit 2; }
N=$1
BOOK=$2
shift 2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
for _ in $(seq "$N"); do
  for b in "$@"; do
    perf stat -x, -e task-clock,page-faults "$b" form xform "$BOOK" -o "$W/out.xml" 2>&1 \
      >/dev/null | awk -F, -v b="$b" '$3 == "task-clock" { t = $1 } $3 == "page-faults" { f = $1 }
                                       END { print b, t, f }' 
  done
done | python3 -c '
import collections, statistics, sys
runs = collections.defaultdict(list)
faults = collections.defaultdict(list)
for line in sys.stdin:
    binary, ms, pf = line.split()
    runs[binary].append(float(ms))
    faults[binary].append(int(pf))
for binary, ms in runs.items():
    print("%s: median %.1f ms CPU, min %.1f, of %d runs; page faults median %d" % (
        binary, statistics.median(ms), min(ms), len(ms), statistics.median(faults[binary])))
'
