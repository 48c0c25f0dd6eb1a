#!/usr/bin/env bash
# The browser app's tests: builds its web root (web/app/build: the pages, the
# WebAssembly engine, the fonts) into WEB_ROOT and runs the test file given
# (app_offline.test.mjs). Environment: NGOSURVEY (the CLI), WEB_ROOT and WASM_DIR
# (where to build), OUT_DIR (screenshots). Fails, never skips, when a tool
# is missing (tools/install-deps installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${NGOSURVEY:?}" "${WEB_ROOT:?}" "${WASM_DIR:?}"
web/app/build "$WEB_ROOT" "$WASM_DIR" >/dev/null
exec bash tests/browser/run.sh "$1"
