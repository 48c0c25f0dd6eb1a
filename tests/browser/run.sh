#!/usr/bin/env bash
# Runs the browser test files given (default: the report tests) with node's
# built-in test runner, after installing playwright-core, axe-core and, for
# web_forms.test.mjs, ODK Web Forms with Vue and esbuild from package-lock.json when
# node_modules lacks them (never a browser: the tests drive Debian's /usr/bin/chromium).
# Environment: RENDER_FIXTURE (the fixture binary), OUT_DIR (HTML and screenshots),
# NGOSURVEY (the CLI); for app_offline.test.mjs WEB_ROOT (web/app/build's output).
# Fails (exit 1) when node or chromium is not installed: tools/install-deps installs
# them, so a missing one is a broken set-up, not a reason to skip.
set -euo pipefail
cd "$(dirname "$0")"

for tool in node npm /usr/bin/chromium; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser tests cannot run: $tool is not installed (run tools/install-deps)" >&2
    exit 1
  fi
done

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
for package in playwright-core axe-core @getodk/web-forms vue esbuild; do
  if [ ! -d "node_modules/$package" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    break
  fi
done
if [ $# -gt 0 ]; then
  exec node --test --test-reporter=spec "$@"
fi
exec node --test --test-reporter=spec report_tables.test.mjs study_report.test.mjs
