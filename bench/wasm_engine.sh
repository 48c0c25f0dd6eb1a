#!/usr/bin/env bash
# The WebAssembly engine's size and speed under Node (bench/README.md, "Web engine"):
# builds the engine (web/engine/build), a SYNTHETIC 500-question form
# (bench/wasm_engine_form.py -> tools/xlsform-from-csv -> `ngosurvey form model`), prints
# the engine's size, raw and gzip -9, then bench/wasm_engine.mjs's medians.
#   bench/wasm_engine.sh [NGOSURVEY] [RUNS]     (default build/release/ngosurvey, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
ngosurvey="${1:-build/release/ngosurvey}"
runs="${2:-10}"
web/engine/build build/wasm >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/wasm_engine_form.py "$tmp/csv"
tools/xlsform-from-csv "$tmp/csv" "$tmp/bench500.xlsx"
"$ngosurvey" form model "$tmp/bench500.xlsx" -o "$tmp/bench500.json"
for f in build/wasm/ngosurvey-engine.wasm build/wasm/ngosurvey-engine.mjs; do
  echo "$f: $(wc -c <"$f") bytes, gzip -9 $(gzip -9c "$f" | wc -c) bytes"
done
node bench/wasm_engine.mjs build/wasm/ngosurvey-engine.mjs "$tmp/bench500.json" "$runs"
