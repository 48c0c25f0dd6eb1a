#!/usr/bin/env bash
# Two interviewer processes on the same store file at once: both complete, and both
# keep every answer (writers queue on SQLite's write lock).
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
python3 "$(dirname "$0")/interview_driver.py" concurrent --db "$TMP/shared.db" --pairs 2 \
  | tee "$TMP/report"
expect_contains "$TMP/report" "every answer kept"
expect_status 0 "$NGOSURVEY" submissions list --db "$TMP/shared.db" --status complete
expect_contains "$TMP/stdout" "4 submissions"
