#!/usr/bin/env bash
# The WebAssembly engine against the native one: builds the wasm engine
# (web/engine/build, incremental, through ccache), writes the JSON model of each form
# with the native CLI and a native transcript of a whole interview per language, then
# replays every transcript on the wasm engine under Node (engine.test.mjs).
# Environment: NGOSURVEY (the CLI), TRANSCRIPT (ngosurvey_transcript), WASM_DIR (the
# wasm build folder). Fails (never skips) when emscripten or node is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${NGOSURVEY:?}" "${TRANSCRIPT:?}" "${WASM_DIR:?}"
command -v node >/dev/null || { echo "node is not installed (run tools/install-deps)" >&2; exit 1; }

start=$(date +%s%N)
web/engine/build "$WASM_DIR"
echo "wasm engine build: $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2

cases=$(mktemp -d)
trap 'rm -rf "$cases"' EXIT
# Each form in its languages, each run switching to another language and back.
run_case() {  # NAME FORM LANG OTHER
  "$TRANSCRIPT" "$2" "$3" "$4" >"$cases/$1.$3.jsonl"
}
"$NGOSURVEY" form model examples/ngo_profile.xlsx -o "$cases/ngo_profile.json"
"$NGOSURVEY" form model study/instrument.xlsx -o "$cases/instrument.json"
run_case ngo_profile examples/ngo_profile.xlsx en vi
run_case ngo_profile examples/ngo_profile.xlsx km en
run_case ngo_profile examples/ngo_profile.xlsx vi km
run_case instrument study/instrument.xlsx en km
run_case instrument study/instrument.xlsx km vi
run_case instrument study/instrument.xlsx vi en

ENGINE_MODULE="$WASM_DIR/ngosurvey-engine.mjs" CASES_DIR="$cases" \
  node --test --test-reporter=spec tests/wasm/engine.test.mjs
