# Helpers for the end-to-end scripts in this folder (sourced, not a test itself).
set -euo pipefail
: "${NGOSURVEY:?set NGOSURVEY to the ngosurvey binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The binary caches of `tabulate --data` go to the user's cache folder: the test's own,
# never the real home's.
export XDG_CACHE_HOME="$TMP/xdg-cache"
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_status WANT CMD...: runs CMD, checks its exit status, keeps stdout/stderr in $TMP.
expect_status() {
  local want=$1; shift
  set +e
  "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; cat "$TMP/stdout"; echo "--- stderr"; cat "$TMP/stderr"
    fail "exit status $got, wanted $want: $*"
  fi
}
# store_answers DB: the stored answers and metadata of every submission, as sorted JSON
# (two stores hold the same data when their store_answers are equal).
store_answers() {
  "$NGOSURVEY" submissions list --db "$1" --format json | python3 -c '
import json, sys
subs = json.load(sys.stdin)
print(json.dumps(sorted((s["instance_id"], s["answers"], s["metadata"]) for s in subs), sort_keys=True))'
}
expect_contains() {  # expect_contains FILE TEXT
  grep -qF -- "$2" "$1" || { echo "--- $1"; cat "$1"; fail "missing: $2"; }
}
# wait_for_output FILE PID ERRFILE TEXT: until process PID has written TEXT to FILE (an
# interviewer driven through a FIFO); fails, showing FILE and ERRFILE, if PID ends
# first or after 60 s.
wait_for_output() {
  local file=$1 pid=$2 err=$3 text=$4
  for _ in $(seq 1 1200); do
    grep -qF -- "$text" "$file" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$file" "$err"; fail "interviewer ended early"; }
    sleep 0.05
  done
  cat "$file" "$err"
  fail "timeout waiting for: $text"
}
# csv_to_xlsx OUT MODE [SHEET=CSV...]: a workbook of the CSV files, one sheet each, as
# formpack (KoboToolbox's XLSX export) writes it. MODE text: every cell a string (Kobo's
# "store date and number responses as text", its default); numbers: cells that are
# numbers written as numbers; hxl: numbers and a second header row of hashtags. Needs the
# system Python's openpyxl (tools/install-deps).
csv_to_xlsx() {
  "${PYTHON:-/usr/bin/python3}" - "$@" <<'PY'
import csv, re, sys
import openpyxl
out, mode, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
book = openpyxl.Workbook()
book.remove(book.active)
number = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")
for spec in specs:
    name, path = spec.split("=", 1)
    sheet = book.create_sheet(name)
    rows = list(csv.reader(open(path, newline="", encoding="utf-8-sig")))
    if mode == "hxl":
        rows.insert(1, ["#" + h.replace("/", "+") if i % 2 == 0 else None
                        for i, h in enumerate(rows[0])])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if mode != "text" and r > 0 and number.match(value):
                value = float(value) if "." in value else int(value)
            sheet.cell(row=r + 1, column=c + 1, value=value)
book.save(out)
PY
}

# need_odk_engine: node and npm, and ODK's own JavaScript engine (@getodk/xforms-engine with
# jsdom) in tests/xform/node_modules, installed from its lockfile when missing; fails, not
# skips, when node or npm is absent.
need_odk_engine() {
  local tool
  for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (run tools/install-deps)"
  done
  if [ ! -d tests/xform/node_modules/@getodk/xforms-engine ] ||
    [ ! -d tests/xform/node_modules/jsdom ]; then
    (cd tests/xform && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
