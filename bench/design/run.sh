#!/usr/bin/env bash
# Weighted tables with strata and clusters against the same tables unweighted and against
# R's survey package, on SYNTHETIC data (generate.py: 200 strata, 5,000 clusters, 10
# select_one items by 3 regions and a Total). Medians of N runs (default 3) in one session.
#
#   bench/design/run.sh ROWS [OUT]      (BUILD=build/release by default; R=0 skips the peer)
#
# Prints a table of wall seconds and peak RSS (GNU time) per tool; bench/README.md quotes it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${1:?rows}
OUT=${2:-$ROOT/out/design/$ROWS}
BUILD=${BUILD:-$ROOT/build/release}
N=${N:-3}
mkdir -p "$OUT/runs"
if [ ! -s "$OUT/data.csv" ]; then
  /usr/bin/python3 "$ROOT/bench/design/generate.py" "$ROWS" "$OUT"
  "$ROOT/tools/xlsform-from-csv" "$OUT/form" "$OUT/form.xlsx"
fi
TIME=(/usr/bin/time -f "%e %M")
common=(tabulate --form "$OUT/form.xlsx" --data "$OUT/data.csv" --by region --total --format csv
        --items q0,q1,q2,q3,q4,q5,q6,q7,q8,q9 --no-cache)
for i in $(seq 1 "$N"); do
  "${TIME[@]}" -o "$OUT/runs/unweighted.$i" "$BUILD/ngosurvey" "${common[@]}" -o "$OUT/unweighted.csv"
  "${TIME[@]}" -o "$OUT/runs/weighted.$i" "$BUILD/ngosurvey" "${common[@]}" \
    --weight w --strata stratum --cluster cluster -o "$OUT/weighted.csv"
  if [ "${R:-1}" != 0 ]; then
    "${TIME[@]}" -o "$OUT/runs/r.$i" Rscript "$ROOT/bench/design/survey_peer.R" "$OUT/data.csv" \
      "$OUT/r.txt" > "$OUT/runs/r.$i.out"
  fi
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "| tool | wall s (median of $N) | runs | peak RSS MiB |"
echo "|---|---|---|---|"
for tool in unweighted weighted r; do
  ls "$OUT/runs/$tool".[0-9]* > /dev/null 2>&1 || continue
  walls=$(for f in "$OUT/runs/$tool".[0-9]*; do awk '{print $1}' "$f"; done | grep -v '\.out$' || true)
  files=$(ls "$OUT/runs/$tool".[0-9]* | grep -v '\.out$')
  walls=$(for f in $files; do awk 'END {print $1}' "$f"; done)
  peak=$(for f in $files; do awk 'END {print $2}' "$f"; done | median)
  echo "| $tool | $(echo "$walls" | median) | $(echo $walls) | $((peak / 1024)) |"
done
