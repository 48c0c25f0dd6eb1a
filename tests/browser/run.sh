#!/usr/bin/env bash
# Runs the browser tests of this folder: installs playwright-core from
# package-lock.json when node_modules is missing (never a browser: the tests drive
# Debian's /usr/bin/chromium), then node's built-in test runner.
# Environment: RENDER_FIXTURE (the fixture binary), OUT_DIR (HTML and screenshot).
# Exit 77 (CTest "skipped") when node or chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")"

for tool in node npm /usr/bin/chromium; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser tests skipped: $tool is not installed (run tools/install-deps)" >&2
    exit 77
  fi
done

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-reporter=spec report_tables.test.mjs
