#!/usr/bin/env bash
# End-to-end test of `ngosurvey form xform` in ODK's own engine: for every form
# given, writes its XForm and its `form show --format json`, then loads the XForm in
# @getodk/xforms-engine under Node (engine_check.mjs) and checks that it shows the
# same elements and labels. Installs the npm packages from package-lock.json when
# node_modules is missing (npm registry only).
# Usage: run.sh NGOSURVEY OUT_DIR FORM.xlsx...
# A missing node or npm is a failure, not a skip: the test must run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ngosurvey="$1"; out="$2"; shift 2
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is not installed (run tools/install-deps)" >&2
    exit 1
  fi
done
cd "$here"
if [ ! -d node_modules/@getodk/xforms-engine ] || [ ! -d node_modules/jsdom ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out"
status=0
for form in "$@"; do
  name="$(basename "$form" .xlsx)"
  "$ngosurvey" form xform "$form" -o "$out/$name.xml"
  "$ngosurvey" form show --format json "$form" > "$out/$name.json"
  node engine_check.mjs "$out/$name.xml" "$out/$name.json" || status=1
done
exit "$status"
