#!/usr/bin/env bash
# Rebuilds every CSV-sourced fixture (a folder with survey.csv) into FOLDER.xlsx
# beside it, and the hand-written ones (make_fixtures.py). Commit the results.
set -euo pipefail
cd "$(dirname "$0")"
for dir in $(find . -name survey.csv -printf '%h\n' | sort); do
  ../../tools/xlsform-from-csv "$dir" "$dir.xlsx"
  chmod 644 "$dir.xlsx"
done
/usr/bin/python3 make_fixtures.py
