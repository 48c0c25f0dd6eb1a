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
# PEERS the peers to run (default "duckdb pandas datatable"); ONCE the peers among them
# that run in the first round only (default none: at 10M rows DuckDB takes minutes per
# round, so `ONCE=duckdb` keeps it in the same run without tripling the run); a peer whose expected
# peak memory (its 1M-row peak scaled by ROWS, plus 20%) exceeds the machine's
# MemAvailable at that moment is skipped and recorded as such, so that a large run
# never drives the shared machine out of memory.
# ngosurvey runs twice per round: `peers_bench compute` (the CSV parsed, no cache) and
# `peers_bench cached` (the binary cache of DATA.csv, in the run's own cache folder
# $OUT/xdg-cache/ngosurvey, written once before the first round, mapped).
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
PEERS_LIST=${PEERS:-duckdb pandas datatable}
ONCE=" ${ONCE:-} "
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

# Peak RSS of each peer at 1M rows (MB, bench/README.md), to judge whether it fits.
declare -A PEAK_1M=([duckdb]=1100 [pandas]=2200 [datatable]=1200)
fits() {  # fits PEER: enough available memory for it now?
  local need=$(( PEAK_1M[$1] * ROWS / 1000000 * 12 / 10 ))
  local avail=$(( $(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1024 ))
  [ "$need" -le "$avail" ] || { echo "$1 skipped: needs about $need MB, $avail MB available"; return 1; }
}
run_peer() {  # run_peer PEER ROUND
  local cmd
  case $1 in
    duckdb) cmd=(node "$PEERS/duckdb_peer.mjs") ;;
    pandas) cmd=(/usr/bin/python3 "$PEERS/pandas_peer.py") ;;
    datatable) cmd=(Rscript "$PEERS/datatable_peer.R") ;;
  esac
  local why
  if ! why=$(fits "$1"); then
    echo "$why" | tee "$OUT/runs/$1.$2.skipped"
    return 0
  fi
  "${TIME[@]}" -o "$OUT/runs/$1.$2.time" "${cmd[@]}" "$DATA" "$OUT/$1.canon.csv" > "$OUT/runs/$1.$2.out"
}

# The cache, written once (its load time is the parse plus the write).
export XDG_CACHE_HOME="$(realpath -m "$OUT")/xdg-cache"  # the run's own (absolute, as XDG asks)
rm -rf "$XDG_CACHE_HOME/ngosurvey"
"${TIME[@]}" -o "$OUT/runs/ngosurvey-cachewrite.1.time" "$BUILD/bench/peers_bench" cached "$FORM" "$DATA" \
  > "$OUT/runs/ngosurvey-cachewrite.1.out"

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
  "${TIME[@]}" -o "$OUT/runs/ngosurvey-cached.$i.time" "$BUILD/bench/peers_bench" cached "$FORM" "$DATA" \
    > "$OUT/runs/ngosurvey-cached.$i.out"
  for peer in $PEERS_LIST; do
    [ "$i" -gt 1 ] && [[ "$ONCE" == *" $peer "* ]] && continue
    run_peer "$peer" "$i"
  done
done

# The reference: the kernel's counts (peers_bench); the end-to-end output must agree.
status=0
if [ -f "$OUT/ngosurvey.tabulate.csv" ] && ! ls "$OUT/runs/"ngosurvey-tabulate.*.failed > /dev/null 2>&1; then
  /usr/bin/python3 "$PEERS/peers.py" canon "$OUT/ngosurvey.tabulate.csv" "$OUT/tabulate.canon.csv"
  /usr/bin/python3 "$PEERS/peers.py" check "$OUT/ngosurvey.canon.csv" "ngosurvey tabulate" \
    "$OUT/tabulate.canon.csv" || status=1
fi
for peer in $PEERS_LIST; do
  [ -f "$OUT/$peer.canon.csv" ] || continue
  /usr/bin/python3 "$PEERS/peers.py" check "$OUT/ngosurvey.canon.csv" "$peer" "$OUT/$peer.canon.csv" || status=1
done
/usr/bin/python3 "$PEERS/peers.py" summary "$OUT" | tee "$OUT/summary.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
