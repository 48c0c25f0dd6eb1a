#!/usr/bin/env bash
# ngosurvey submissions list / audit show / audit verify on a store built by
# store_fixture. The JSON output is compared whole, as data.
source "$(dirname "$0")/../cli/lib.sh"
: "${STORE_FIXTURE:?set STORE_FIXTURE to the store_fixture binary}"
DB="$TMP/store.db"
"$STORE_FIXTURE" "$DB"

expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --form ngo_staff --format json
python3 - "$TMP/stdout" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
want = [
  {"instance_id": "uuid:22222222-2222-4222-8222-222222222222", "form_id": "ngo_staff",
   "version": "2025-11", "status": "draft", "wave": "pretest", "org": "org-03",
   "interviewer": "sokha", "account": "", "started_at": "2025-11-25T05:53:20.000Z",
   "ended_at": None, "language": "",
   "answers": {"role": {"value": "manager", "state": "answered"}}, "metadata": {}},
  {"instance_id": "uuid:11111111-1111-4111-8111-111111111111", "form_id": "ngo_staff",
   "version": "2025-11", "status": "complete", "wave": "main", "org": "org-03",
   "interviewer": "sokha", "account": "",
   "started_at": "2025-11-25T14:00:00.000+07:00", "ended_at": "2025-11-25T14:30:00.000+07:00",
   "language": "km", "answers": {
     "comments": {"value": None, "state": "missing"},
     "funding_other": {"value": None, "state": "not_asked"},
     "programs[1]/name": {"value": "hotline", "state": "answered"},
     "programs[2]/name": {"value": "safe house (Phnom Penh)", "state": "answered"},
     "role": {"value": "outreach", "state": "answered"},
     "salary": {"value": None, "state": "refused"},
     "services": {"value": "shelter legal", "state": "answered"},
     "victims_count": {"value": None, "state": "dont_know"}}, "metadata": {}},
]
if got != want:
    print("got:", json.dumps(got, indent=2))
    sys.exit("FAIL: submissions list --format json differs")
PY
if grep -q "kept aside" "$TMP/stdout"; then fail "a not_asked value was exported"; fi

expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --status complete --wave main --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [s["instance_id"][5:13] for s in d]==["11111111"], d' "$TMP/stdout"
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --wave pretest
expect_contains "$TMP/stdout" "uuid:22222222-2222-4222-8222-222222222222"
expect_contains "$TMP/stdout" "  interviewer sokha  account -  language -  started 2025-11-25T05:53:20.000Z"  # unknown
expect_contains "$TMP/stdout" "1 submission"
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --wave main
expect_contains "$TMP/stdout" "  interviewer sokha  account -  language km  started 2025-11-25T14:00:00.000+07:00"  # local
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --format csv
expect_contains "$TMP/stdout" "instance_id,form_id,version,status,wave,org,name,state,value"
expect_contains "$TMP/stdout" "uuid:33333333-3333-4333-8333-333333333333,org_profile,1,draft,main,org-09,founded,answered,2004-05-01"
expect_contains "$TMP/stdout" ",salary,refused,"
expect_status 2 "$NGOSURVEY" submissions list --db "$DB" --status finished

expect_status 0 "$NGOSURVEY" audit show --db "$DB" uuid:11111111-1111-4111-8111-111111111111
expect_contains "$TMP/stdout" 'programs[2]/name: answered "safe house" -> answered "safe house (Phnom Penh)"'
expect_contains "$TMP/stdout" "reason: respondent corrected on callback"
expect_contains "$TMP/stdout" "2 audit entries"
expect_contains "$TMP/stdout" "status: draft -> complete  reason: interview completed"
expect_status 0 "$NGOSURVEY" audit verify --db "$DB"
expect_contains "$TMP/stdout" "audit trail intact: 2 entries"

# Files that are not stores, or damaged: a clear error (exit 3), and untouched.
echo "not a database" > "$TMP/notes.txt"
before=$(sha256sum < "$TMP/notes.txt")
expect_status 3 "$NGOSURVEY" submissions list --db "$TMP/notes.txt"
expect_contains "$TMP/stderr" "IO102"
expect_contains "$TMP/stderr" "notes.txt"
[ "$(sha256sum < "$TMP/notes.txt")" = "$before" ] || fail "the refused file was changed"
expect_status 3 "$NGOSURVEY" submissions list --db "$TMP/absent.db"
[ ! -e "$TMP/absent.db" ] || fail "listing created a store"

# Tampering with the sqlite3 shell: verify exits 1 and names the entry.
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET new_value = 'elsewhere' WHERE seq = 2;"
expect_status 1 "$NGOSURVEY" audit verify --db "$DB"
expect_contains "$TMP/stdout" "BROKEN at entry #2 (uuid:11111111-1111-4111-8111-111111111111, field programs[2]/name)"
echo "store_cli_test: ok"
