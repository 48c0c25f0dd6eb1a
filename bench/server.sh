#!/usr/bin/env bash
# The collection server's speed (issue 15, bench/README.md "Collection server"):
# submissions per second accepted (201) by a real `ngosurvey serve` on loopback from
# 50 concurrent clients with HTTP Digest, and their p50/p99 latency, on SQLite and on
# PostgreSQL; each submission is a SYNTHETIC 16-question instance of about 2 KB
# (bench/server_load.cpp), durably committed before its 201. Prints one JSON line per
# run and the medians of RUNS runs for each store.
#
#   bench/server.sh [BUILD] [RUNS] [SECONDS] [CLIENTS] [STORES]
#     BUILD   the release build folder (default build/release: ngosurvey and
#             bench/server_load in it)
#     RUNS    runs per store (default 5), each a fresh store and a fresh server
#     SECONDS measured seconds per run after 2 s of warm-up (default 10)
#     CLIENTS concurrent clients (default 50)
#     STORES  "sqlite postgres" (default) or one of them
#     SERVE_ARGS (environment) more flags for `serve`; NGOSURVEY another binary
#
# PostgreSQL: Debian's PostgreSQL 15 started by tests/store/with_postgres.sh in a
# temporary folder on a loopback port, durable (NGOSURVEY_PG_DURABLE=1: fsync=on,
# synchronous_commit=on, full_page_writes=on); each run gets a new database.
# SQLite: a new file in a temporary folder (WAL, synchronous=FULL: the store's
# settings). Timed runs take /work/bench.lock when it exists (the shared machine's
# rule: no two timed runs at once).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
runs="${2:-5}"
seconds="${3:-10}"
clients="${4:-50}"
stores="${5:-sqlite postgres}"
ngosurvey="${NGOSURVEY:-$PWD/$build/ngosurvey}"
load="$PWD/$build/bench/server_load"
for f in "$ngosurvey" "$load"; do
  [ -x "$f" ] || { echo "FAIL: $f is missing (cmake --build --preset release)" >&2; exit 1; }
done

if [ "${NGOSURVEY_BENCH_INNER:-}" != 1 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The SYNTHETIC benchmark form of 16 questions of the usual types
  # (bench/server_form: the server's and the supervisor's benchmarks share it).
  mkdir "$tmp/src"
  cp bench/server_form/survey.csv bench/server_form/choices.csv "$tmp/src/"
  printf 'form_id,version,form_title\nbench_server,1,Server benchmark (synthetic)\n' \
    >"$tmp/src/settings.csv"
  tools/xlsform-from-csv "$tmp/src" "$tmp/bench_server.xlsx"
  export NGOSURVEY_BENCH_FORM="$tmp/bench_server.xlsx"
  lock=()
  if [ -e /work/bench.lock ]; then lock=(flock /work/bench.lock); fi
  for store in $stores; do
    if [ "$store" = postgres ]; then
      NGOSURVEY_BENCH_INNER=1 NGOSURVEY_PG_DURABLE=1 "${lock[@]}" \
        bash tests/store/with_postgres.sh bash "$0" "$build" "$runs" "$seconds" "$clients" postgres
    else
      NGOSURVEY_BENCH_INNER=1 "${lock[@]}" bash "$0" "$build" "$runs" "$seconds" "$clients" sqlite
    fi
  done
  exit 0
fi

# One store's runs (inside the lock; for PostgreSQL, inside with_postgres.sh).
store="$stores"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
results=()
for run in $(seq "$runs"); do
  if [ "$store" = postgres ]; then
    "$PGBIN/psql" -X -q -d "$NGOSURVEY_TEST_POSTGRES/postgres" -c "CREATE DATABASE bench$run"
    db="$NGOSURVEY_TEST_POSTGRES/bench$run"
  else
    db="$work/bench$run.db"
  fi
  "$ngosurvey" form publish --db "$db" "$NGOSURVEY_BENCH_FORM" >/dev/null
  echo "bench-secret-1" | "$ngosurvey" users add --db "$db" bench --role interviewer \
    --password-stdin >/dev/null
  # shellcheck disable=SC2086
  "$ngosurvey" serve --db "$db" --listen 127.0.0.1:0 ${SERVE_ARGS:-} >"$work/serve.out" \
    2>/dev/null &
  server=$!
  for _ in $(seq 100); do grep -q '^serving' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's|^serving https\?://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$work/serve.out")
  [ -n "$port" ] || { echo "FAIL: serve did not start" >&2; exit 1; }
  before=$(cpu_ticks "$server")
  line=$("$load" --port "$port" --user bench --password bench-secret-1 --clients "$clients" \
    --seconds "$seconds" --warmup 2)
  after=$(cpu_ticks "$server")
  kill -TERM "$server"
  wait "$server" || true
  server=""
  hz=$(getconf CLK_TCK)
  line="${line%\}}, \"store\": \"$store\", \"server_cpu_s\": $(awk "BEGIN{print ($after-$before)/$hz}")}"
  echo "$line"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | python3 -c '
import json, statistics, sys
runs = [json.loads(l) for l in sys.stdin]
med = lambda k: statistics.median(r[k] for r in runs)
print(json.dumps({"store": runs[0]["store"], "runs": len(runs), "clients": runs[0]["clients"],
                  "median_accepted_per_s": med("accepted_per_s"), "median_p50_ms": med("p50_ms"),
                  "median_p99_ms": med("p99_ms"), "median_generator_cpu_s": med("generator_cpu_s"),
                  "median_server_cpu_s": med("server_cpu_s"), "median_window_s": med("window_s")}))'
