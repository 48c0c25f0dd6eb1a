#!/usr/bin/env bash
# The browser app's speed in Chromium at 4x CPU throttling (bench/README.md, "Web
# app"): builds the web root (web/app/build), the SYNTHETIC 500-question form of the
# engine benchmark (bench/wasm_engine_form.py -> tools/xlsform-from-csv -> `ngosurvey
# form model`), serves the web root's files on loopback (python3's http.server: the
# files are static, and what is timed is the page), and runs bench/web_app.mjs.
#   bench/web_app.sh [NGOSURVEY] [RUNS]     (default build/release/ngosurvey, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
ngosurvey="${1:-build/release/ngosurvey}"
runs="${2:-10}"
web/app/build build/webroot build/wasm >/dev/null
tmp=$(mktemp -d)
python3 bench/wasm_engine_form.py "$tmp/csv"
tools/xlsform-from-csv "$tmp/csv" "$tmp/bench500.xlsx"
"$ngosurvey" form model "$tmp/bench500.xlsx" -o "$tmp/bench500.json"
mkdir -p "$tmp/root"
ln -s "$PWD/build/webroot" "$tmp/root/web"
port=$((20000 + RANDOM % 20000))
(cd "$tmp/root" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/web/index.html" >/dev/null && break; sleep 0.1; done
for f in build/webroot/engine/ngosurvey-engine.wasm build/webroot/engine/ngosurvey-engine.mjs; do
  echo "$f: $(wc -c <"$f") bytes, gzip -9 $(gzip -9c "$f" | wc -c) bytes"
done
node bench/web_app.mjs "http://127.0.0.1:$port" "$tmp/bench500.json" "$runs"
