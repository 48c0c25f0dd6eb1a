#!/bin/bash
# ngosurvey and its peers (DuckDB, pandas, R data.table) on the analysis issue's
# workload, in the same run, with identical numbers (bench/README.md, "Peers").
#
#   bench/peers/run.sh [ROWS]        (default 1000000)
#
# Environment: N runs per tool (default 5), E2E_N runs of the end-to-end
# `ngosurvey tabulate` (default N; it also computes exact r x c Fisher tests, whose
# cost grows with the counts), E2E_TIMEOUT seconds after which a tabulate run is
# stopped and recorded as not finished (default 0: none), BUILD the release build folder with
# ngosurvey and bench/peers_bench (default build/release), OUT the output folder
# (default out/peers/ROWS; the data are generated there once and reused).
# Needs: `npm ci` done in bench/peers (DuckDB), /usr/bin/python3 with pandas,
# Rscript with data.table, /usr/bin/time, tools/xlsform-from-csv (openpyxl).
#
# Each round runs every tool once, one after the other (so that a noisy moment of
# the shared machine does not fall on one tool only); every tool prints its load
# and compute times, /usr/bin/time -v records its wall time and peak RSS. Each
# tool's counts are then checked against ngosurvey's; the run fails on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
N=${N:-5}
E2E_N=${E2E_N:-$N}
E2E_TIMEOUT=${E2E_TIMEOUT:-0}
BUILD=${BUILD:-build/release}
OUT=${OUT:-out/peers/$ROWS}
PEERS=bench/peers
TIME=(/usr/bin/time -v)

[ -x "$BUILD/ngosurvey" ] && [ -x "$BUILD/bench/peers_bench" ] || {
  echo "error: build ngosurvey and peers_bench first:" >&2
  echo "  cmake --preset release -B $BUILD && cmake --build $BUILD --target ngosurvey peers_bench" >&2
  exit 2
}
[ -d "$PEERS/node_modules/@duckdb/node-api" ] || { echo "error: run 'npm ci' in $PEERS first" >&2; exit 2; }

mkdir -p "$OUT/runs"
rm -f "$OUT/runs/"* "$OUT/"*.canon.csv "$OUT/ngosurvey.tabulate.csv"
if [ ! -f "$OUT/data.csv" ] || [ ! -f "$OUT/form.xlsx" ]; then
  echo "generating $ROWS rows in $OUT"
  "$BUILD/bench/peers_bench" generate "$ROWS" "$OUT"
  tools/xlsform-from-csv "$OUT/form" "$OUT/form.xlsx"
fi
DATA=$OUT/data.csv
FORM=$OUT/form.xlsx
echo "data: $(du -h "$DATA" | cut -f1) $DATA; $(date -u '+%Y-%m-%d %H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"

for i in $(seq 1 "$N"); do
  echo "round $i of $N"
  if [ "$i" -le "$E2E_N" ]; then
    "${TIME[@]}" -o "$OUT/runs/ngosurvey-tabulate.$i.time" timeout "$E2E_TIMEOUT" "$BUILD/ngosurvey" \
      tabulate --form "$FORM" --data "$DATA" --by grp --refused 99 --format csv \
      -o "$OUT/ngosurvey.tabulate.csv" > "$OUT/runs/ngosurvey-tabulate.$i.out" ||
      echo "ngosurvey tabulate did not finish (timeout ${E2E_TIMEOUT}s or error)" | tee "$OUT/runs/ngosurvey-tabulate.$i.failed"
  fi
  "${TIME[@]}" -o "$OUT/runs/ngosurvey-compute.$i.time" "$BUILD/bench/peers_bench" compute \
    "$FORM" "$DATA" 5 "$OUT/ngosurvey.canon.csv" > "$OUT/runs/ngosurvey-compute.$i.out"
  "${TIME[@]}" -o "$OUT/runs/duckdb.$i.time" node "$PEERS/duckdb_peer.mjs" "$DATA" \
    "$OUT/duckdb.canon.csv" > "$OUT/runs/duckdb.$i.out"
  "${TIME[@]}" -o "$OUT/runs/pandas.$i.time" /usr/bin/python3 "$PEERS/pandas_peer.py" "$DATA" \
    "$OUT/pandas.canon.csv" > "$OUT/runs/pandas.$i.out"
  "${TIME[@]}" -o "$OUT/runs/datatable.$i.time" Rscript "$PEERS/datatable_peer.R" "$DATA" \
    "$OUT/datatable.canon.csv" > "$OUT/runs/datatable.$i.out"
done

# The reference: the kernel's counts (peers_bench); the end-to-end output must agree.
status=0
if [ -f "$OUT/ngosurvey.tabulate.csv" ] && ! ls "$OUT/runs/"ngosurvey-tabulate.*.failed > /dev/null 2>&1; then
  /usr/bin/python3 "$PEERS/peers.py" canon "$OUT/ngosurvey.tabulate.csv" "$OUT/tabulate.canon.csv"
  /usr/bin/python3 "$PEERS/peers.py" check "$OUT/ngosurvey.canon.csv" "ngosurvey tabulate" \
    "$OUT/tabulate.canon.csv" || status=1
fi
for peer in duckdb pandas datatable; do
  /usr/bin/python3 "$PEERS/peers.py" check "$OUT/ngosurvey.canon.csv" "$peer" "$OUT/$peer.canon.csv" || status=1
done
/usr/bin/python3 "$PEERS/peers.py" summary "$OUT" | tee "$OUT/summary.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
