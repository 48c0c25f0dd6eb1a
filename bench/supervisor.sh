#!/usr/bin/env bash
# The supervisor's submissions table at scale (issue 16, bench/README.md
# "Supervisor's submissions table"): a real `ngosurvey serve` over a store of ROWS
# SYNTHETIC complete submissions (bench/supervisor_fill.cpp: 20 interviewers, 500
# organisations, 60 days, 16 answers each, 300 reviewed; on PostgreSQL the same rows
# written by SQL, without answers), on SQLite and on
# PostgreSQL; a supervisor logged in (a browser session, as the page is) asks for
# the table's first page, a sort, filters and the next page, each REPS times with
# curl; prints one JSON line per request with the median and slowest wall times,
# and the time the fill took.
#
#   bench/supervisor.sh [BUILD] [ROWS] [REPS] [STORES]
#     BUILD   the release build folder (default build/release: ngosurvey and
#             bench/supervisor_fill in it)
#     ROWS    submissions in the store (default 1000000)
#     REPS    requests of each kind (default 10)
#     STORES  "sqlite postgres" (default) or one of them
#
# PostgreSQL: Debian's PostgreSQL 15 started by tests/store/with_postgres.sh in a
# temporary folder on a loopback port. Timed runs take /work/bench.lock when it
# exists (the shared machine's rule: no two timed runs at once).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
rows="${2:-1000000}"
reps="${3:-10}"
stores="${4:-sqlite postgres}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
ngosurvey="${NGOSURVEY:-$build/ngosurvey}"
fill="$build/bench/supervisor_fill"
for f in "$ngosurvey" "$fill"; do
  [ -x "$f" ] || { echo "FAIL: $f is missing (cmake --build --preset release)" >&2; exit 1; }
done

if [ "${NGOSURVEY_BENCH_INNER:-}" != 1 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The SYNTHETIC benchmark form of 16 questions of the usual types
  # (bench/server_form: the server's and the supervisor's benchmarks share it).
  mkdir "$tmp/src"
  cp bench/server_form/survey.csv bench/server_form/choices.csv "$tmp/src/"
  printf 'form_id,version,form_title\nbench_sup,1,Supervisor benchmark (synthetic)\n' \
    >"$tmp/src/settings.csv"
  tools/xlsform-from-csv "$tmp/src" "$tmp/bench_sup.xlsx"
  export NGOSURVEY_BENCH_FORM="$tmp/bench_sup.xlsx"
  lock=()
  if [ -e /work/bench.lock ]; then lock=(flock /work/bench.lock); fi
  for store in $stores; do
    if [ "$store" = postgres ]; then
      NGOSURVEY_BENCH_INNER=1 NGOSURVEY_PG_DURABLE=1 "${lock[@]}" \
        bash tests/store/with_postgres.sh bash "$0" "$build" "$rows" "$reps" postgres
    else
      NGOSURVEY_BENCH_INNER=1 "${lock[@]}" bash "$0" "$build" "$rows" "$reps" sqlite
    fi
  done
  exit 0
fi

# One store (inside the lock; for PostgreSQL, inside with_postgres.sh).
store="$stores"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$store" = postgres ]; then
  "$PGBIN/psql" -X -q -d "$NGOSURVEY_TEST_POSTGRES/postgres" -c "CREATE DATABASE supbench"
  db="$NGOSURVEY_TEST_POSTGRES/supbench"
else
  db="$work/supbench.db"
fi
"$ngosurvey" form publish --db "$db" "$NGOSURVEY_BENCH_FORM" >/dev/null
echo "sup-secret-12" | "$ngosurvey" users add --db "$db" sup --role supervisor \
  --password-stdin >/dev/null
start=$(date +%s.%N)
if [ "$store" = postgres ]; then
  # The same rows written by SQL: through the store's API a million durable submissions
  # with their audit entries take over an hour on PostgreSQL here (the fill, not the
  # table, is slow), and the table reads only the submissions' rows and reviews.
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, interviewer,
                        submitted_by, started_at_ms, ended_at_ms, updated_at_ms)
SELECT 'uuid:' || lpad(to_hex(i >> 16), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'),
       'bench_sup', '1', 'complete', 'main', 'org' || ((i * 104729) % 500),
       'int' || lpad(((i * 7919) % 20 + 1)::text, 2, '0'),
       'int' || lpad(((i * 7919) % 20 + 1)::text, 2, '0'),
       1767225600000 + (i * 2654435761) % 5184000000,
       1767225600000 + (i * 2654435761) % 5184000000 + 1800000, 0
FROM generate_series(0::bigint, $rows - 1) AS i;
UPDATE submissions SET review_status = (ARRAY['approved', 'needs_checking', 'rejected'])[(id % 3) + 1]
WHERE id % ($rows / 300) = 0;
INSERT INTO reviews(submission_id, status, comment, who, at_ms)
SELECT id, review_status, '', 'sup', 0 FROM submissions WHERE review_status <> '';
ANALYZE;
SQL
else
  "$fill" "$db" bench_sup 1 "$rows" 300 >/dev/null
fi
fill_s=$(awk "BEGIN{print $(date +%s.%N) - $start}")
"$ngosurvey" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 300); do grep -q '^serving' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|^serving https\?://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$work/serve.out")
[ -n "$port" ] || { echo "FAIL: serve did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
jar="$work/cookies"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
  -d '{"user":"sup","password":"sup-secret-12"}' "$base/api/v1/session")
[ "$code" = 200 ] || { echo "FAIL: login answered $code" >&2; exit 1; }

# time NAME QUERY: REPS requests; one JSON line (median and max wall ms, rows shown).
time_request() {
  local name="$1" query="$2" times=() body="$work/body.json"
  for _ in $(seq "$reps"); do
    local t
    t=$(curl -s -b "$jar" -o "$body" -w '%{http_code} %{time_total}' "$base/api/v1/submissions?$query")
    [ "${t%% *}" = 200 ] || { echo "FAIL: $name answered ${t%% *}: $(head -c 300 "$body")" >&2; exit 1; }
    times+=("${t#* }")
  done
  local shown next
  shown=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["submissions"]))' "$body")
  next=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next"] or "")' "$body")
  printf '%s\n' "${times[@]}" | python3 -c '
import json, statistics, sys
t = [float(x) * 1000 for x in sys.stdin]
print(json.dumps({"store": sys.argv[1], "rows": int(sys.argv[2]), "request": sys.argv[3],
                  "median_ms": round(statistics.median(t), 1), "max_ms": round(max(t), 1),
                  "shown": int(sys.argv[4])}))' "$store" "$rows" "$name" "$shown"
  LAST_NEXT="$next"
}

echo "{\"store\": \"$store\", \"rows\": $rows, \"fill_s\": $fill_s}"
time_request "first page" "form=bench_sup&limit=50"
first_next="$LAST_NEXT"
time_request "sort by interviewer, descending" "form=bench_sup&limit=50&sort=submitted_by&order=desc"
time_request "sort by organisation" "form=bench_sup&limit=50&sort=org"
time_request "sort by review status" "form=bench_sup&limit=50&sort=review&order=desc"
time_request "sort by status" "form=bench_sup&limit=50&sort=status"
time_request "filter: one interviewer" "form=bench_sup&limit=50&submitted_by=int07"
time_request "filter: one day" "form=bench_sup&limit=50&from=2026-02-10&to=2026-02-10"
time_request "filter: approved" "form=bench_sup&limit=50&review=approved"
time_request "filter: one interviewer, one day, by organisation" \
  "form=bench_sup&limit=50&submitted_by=int07&from=2026-02-10&to=2026-02-10&sort=org"
if [ -n "$first_next" ]; then
  time_request "next page" "${first_next#*\?}"
fi
kill -TERM "$server"
wait "$server" || true
server=""
