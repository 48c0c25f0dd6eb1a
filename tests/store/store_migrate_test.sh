#!/usr/bin/env bash
# ngosurvey store migrate --from FILE.db --to postgresql://... and --db postgresql://
# in the reading and writing commands. Runs under with_postgres.sh (CTest test
# cli_store_migrate), which starts the server and names it in NGOSURVEY_TEST_POSTGRES.
# The SQLite store: store_fixture's submissions and audit trail (SYNTHETIC), plus a
# sample frame and contacts added through the CLI. After the copy, every listing of
# the PostgreSQL store must print exactly what the SQLite one prints.
source "$(dirname "$0")/../cli/lib.sh"
: "${STORE_FIXTURE:?set STORE_FIXTURE to the store_fixture binary}"
: "${NGOSURVEY_TEST_POSTGRES:?run under tests/store/with_postgres.sh}"
DB="$TMP/store.db"
"$STORE_FIXTURE" "$DB"
expect_status 0 "$NGOSURVEY" frame import --db "$DB" tests/data/fieldwork/frame_week.csv
expect_status 0 "$NGOSURVEY" contact add --db "$DB" KH01 --date 2026-03-02 --mode letter --outcome no-reply
expect_status 0 "$NGOSURVEY" contact add --db "$DB" KH01 --date 2026-03-03 --mode phone --outcome appointment --appointment 2026-03-05
# The collection server's data: a published form, two accounts, and one read of
# submissions in the access log (a supervisor's listing through serve, with curl's
# HTTP Digest), so that a server moved to PostgreSQL keeps its users and forms.
expect_status 0 "$NGOSURVEY" form publish --db "$DB" examples/ngo_profile.xlsx
printf 'sokha-secret-1\n' >"$TMP/pw"
expect_status 0 "$NGOSURVEY" users add --db "$DB" sokha --role interviewer --forms ngo_profile --password-stdin <"$TMP/pw"
expect_status 0 "$NGOSURVEY" users add --db "$DB" lan --role supervisor --password-stdin <"$TMP/pw"
"$NGOSURVEY" serve --db "$DB" --listen 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVE_PID=$!
for _ in $(seq 100); do grep -q '^serving ' "$TMP/serve.out" && break; sleep 0.1; done
BASE=$(sed -n 's/^serving \(http:[^ ]*\) .*/\1/p' "$TMP/serve.out")
[ -n "$BASE" ] || fail "serve did not start: $(cat "$TMP/serve.err")"
curl -sS --digest -u lan:sokha-secret-1 -o "$TMP/listing.json" -w '%{http_code}' \
  "$BASE/api/v1/forms/ngo_profile/submissions" >"$TMP/status" || fail "curl failed"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"
[ "$(cat "$TMP/status")" = 200 ] || fail "the listing answered $(cat "$TMP/status")"

"$PGBIN/psql" -X -q -d "$NGOSURVEY_TEST_POSTGRES/postgres" -c "CREATE DATABASE migrate_target"
# A password in the URL (the test server trusts its user, so it is not checked) must
# never be printed.
PG="${NGOSURVEY_TEST_POSTGRES/ngosurvey@/ngosurvey:s3cret@}/migrate_target"

expect_status 0 "$NGOSURVEY" store migrate --from "$DB" --to "$PG"
expect_contains "$TMP/stdout" "copied $DB to postgresql://ngosurvey:***@127.0.0.1:"
expect_contains "$TMP/stdout" ": 3 form versions, 3 submissions, 2 audit entries, 12 frame entries, 2 contacts, 0 codings, 0 attachments, 2 users, 1 published form version, 1 access log entry, 0 reviews"
expect_contains "$TMP/stdout" "its audit trail verifies"
if grep -q s3cret "$TMP/stdout" "$TMP/stderr"; then fail "the password was printed"; fi

# Every reading command prints the same from both stores.
same() {  # same ARGS...: the command with --db "$DB" and with --db "$PG" print the same
  expect_status 0 "$NGOSURVEY" "$@" --db "$DB"
  cp "$TMP/stdout" "$TMP/sqlite.out"
  expect_status 0 "$NGOSURVEY" "$@" --db "$PG"
  if ! diff "$TMP/sqlite.out" "$TMP/stdout"; then fail "$* differs between SQLite and PostgreSQL"; fi
}
same submissions list --format json
same submissions list --format csv
same audit show
same audit verify
same frame list --format csv
same fieldwork due --date 2026-03-09 --format csv
expect_contains "$TMP/stdout" "KH01"
same users list
expect_contains "$TMP/stdout" "sokha"

# A second copy into the now non-empty database is refused and changes nothing.
expect_status 1 "$NGOSURVEY" store migrate --from "$DB" --to "$PG"
expect_contains "$TMP/stderr" "ST003"
expect_contains "$TMP/stderr" "the target store is not empty (it holds 3 form versions, 3 submissions"
if grep -q s3cret "$TMP/stdout" "$TMP/stderr"; then fail "the password was printed"; fi
same submissions list --format json

# Writing commands work on the PostgreSQL store: a contact, then the audit chain still
# verifies and the listing shows the new contact.
expect_status 0 "$NGOSURVEY" contact add --db "$PG" KH02 --date 2026-03-04 --mode visit --outcome refusal
expect_contains "$TMP/stdout" "contact #3 with KH02 on 2026-03-04 (visit): refusal"
expect_status 0 "$NGOSURVEY" fieldwork status --db "$PG" --date 2026-03-09
expect_contains "$TMP/stdout" "Fieldwork status of postgresql://ngosurvey:***@127.0.0.1:"
if grep -q s3cret "$TMP/stdout" "$TMP/stderr"; then fail "the password was printed"; fi
expect_status 0 "$NGOSURVEY" audit verify --db "$PG"
expect_contains "$TMP/stdout" "audit trail intact: 2 entries"

# The moved server: the same accounts log in (their Digest HA1 and Argon2id hashes
# were copied), the published form is listed with the same hash, and the read lands
# in the access log after the copied entry.
"$NGOSURVEY" serve --db "$PG" --listen 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVE_PID=$!
for _ in $(seq 100); do grep -q '^serving ' "$TMP/serve.out" && break; sleep 0.1; done
BASE=$(sed -n 's/^serving \(http:[^ ]*\) .*/\1/p' "$TMP/serve.out")
[ -n "$BASE" ] || fail "serve did not start on PostgreSQL: $(cat "$TMP/serve.err")"
curl -sS --digest -u sokha:sokha-secret-1 -H 'X-OpenRosa-Version: 1.0' -o "$TMP/formlist.xml" \
  -w '%{http_code}' "$BASE/formList" >"$TMP/status" || fail "curl failed"
[ "$(cat "$TMP/status")" = 200 ] || fail "formList answered $(cat "$TMP/status")"
grep -q '<formID>ngo_profile</formID>' "$TMP/formlist.xml" || fail "formList: $(cat "$TMP/formlist.xml")"
curl -sS --digest -u lan:sokha-secret-1 -o /dev/null -w '%{http_code}' \
  "$BASE/api/v1/forms/ngo_profile/submissions" >"$TMP/status" || fail "curl failed"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"
[ "$(cat "$TMP/status")" = 200 ] || fail "the listing answered $(cat "$TMP/status")"
"$PGBIN/psql" -X -q -A -t -d "$PG" -c "SELECT string_agg(seq || ':' || who, ',' ORDER BY seq) FROM access_log" >"$TMP/log"
[ "$(cat "$TMP/log")" = "1:lan,2:lan" ] || fail "access log after the move: $(cat "$TMP/log")"

# A server that does not answer: exit status 3 (IO101), the password hidden.
expect_status 3 "$NGOSURVEY" submissions list --db "postgresql://ana:s3cret@127.0.0.1:1/none?connect_timeout=2"
expect_contains "$TMP/stderr" "IO101"
if grep -q s3cret "$TMP/stdout" "$TMP/stderr"; then fail "the password was printed"; fi
echo "PASS"
