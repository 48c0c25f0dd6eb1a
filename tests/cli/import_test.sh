#!/usr/bin/env bash
# ngosurvey import: hand-made ODK Central and KoboToolbox exports (tests/data/exchange/, with a
# repeat and a select_multiple) import cleanly; re-imports add nothing; conflicts and bad
# files are refused with their line and column and leave the store untouched.
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange
DB=$TMP/store.db

count() {  # the number of submissions in the store
  "$NGOSURVEY" submissions list --db "$DB" --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
store_sum() { sha256sum "$DB" | cut -d' ' -f1; }

# ODK Central, with a repeat file.
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_contains "$TMP/stdout" "imported 3 submissions (odk layout) into form 'exchange_demo' version 2026112501; 0 already stored, 0 rejected"
[ "$(count)" = 3 ] || fail "3 submissions after the ODK import, found $(count)"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
s1 = subs["uuid:11111111-1111-4111-8111-111111111111"]["answers"]
assert s1["services"] == {"value": "shelter legal", "state": "answered"}, s1["services"]
assert s1["programs[1]/program_name"]["value"] == "Hotline ១២៣៤"
assert s1["programs[2]/program_staff"]["state"] == "refused"
s2 = subs["uuid:22222222-2222-4222-8222-222222222222"]["answers"]
assert s2["profile/shelter_beds"]["state"] == "not_asked", s2["profile/shelter_beds"]
assert s2["profile/budget_usd"]["state"] == "dont_know"
assert s2["remarks"]["value"] == "Tổ chức phi chính phủ"
s3 = subs["uuid:33333333-3333-4333-8333-333333333333"]["answers"]
assert s3["remarks"]["value"] == "line one\nline two"   # a quoted line break
assert s3["founded"]["state"] == "missing"
PY

# The same files again: nothing added, nothing changed.
before=$(store_sum)
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_contains "$TMP/stdout" "imported 0 submissions (odk layout) into form 'exchange_demo' version 2026112501; 3 already stored, 0 rejected"
[ "$(count)" = 3 ] || fail "re-import added rows"

# KoboToolbox (UTF-8 BOM, \r\n, _uuid without prefix, repeat linked by _parent_index), by form id.
expect_status 0 "$NGOSURVEY" import --db "$DB" --form exchange_demo $D/kobo/main.csv --repeat programs=$D/kobo/programs.csv
expect_contains "$TMP/stdout" "imported 2 submissions (kobo layout)"
[ "$(count)" = 5 ] || fail "5 submissions after the Kobo import, found $(count)"

# UTF-16 with a BOM is read.
expect_status 0 "$NGOSURVEY" import --db "$DB" --form exchange_demo $D/bad/utf16.csv --wave pretest
expect_contains "$TMP/stdout" "imported 1 submissions"

# Refusals: every one leaves the store byte for byte as it was.
before=$(store_sum)
refused() {  # refused STATUS TEXT ARGS...: the import fails with TEXT on stderr, store untouched
  local status=$1 text=$2; shift 2
  expect_status "$status" "$NGOSURVEY" import --db "$DB" --form exchange_demo "$@"
  expect_contains "$TMP/stderr" "$text"
  [ "$(store_sum)" = "$before" ] || fail "the store changed after a refused import: $*"
}
refused 1 "conflict.csv:2: IMP019: instance id uuid:11111111-1111-4111-8111-111111111111 is already stored with other answers (profile/staff_n: stored '25', file '26'); it is not overwritten" $D/bad/conflict.csv
refused 1 "cp1252.csv:2:" $D/bad/cp1252.csv
expect_contains "$TMP/stderr" "CSV007"
refused 1 "ragged.csv:3:" $D/bad/ragged.csv
expect_contains "$TMP/stderr" "CSV005"
refused 1 "dup_header.csv:1:3: CSV006" $D/bad/dup_header.csv
refused 1 "unterminated.csv:2:" $D/bad/unterminated.csv
expect_contains "$TMP/stderr" "CSV002"
refused 1 "CSV001" $D/bad/empty.csv
refused 1 "header_only.csv:1: IMP005: no data rows" $D/bad/header_only.csv
refused 1 "other_form.csv:1:2: IMP001: column 'hh_id' is not a question of form 'exchange_demo' (nor are 2 other columns: 'hh_size' 'respondent/age'); no column matches the form: is this an export of another form?" $D/bad/other_form.csv
refused 1 "orphan_programs.csv:2:4: IMP018: no row of the main file has key 'uuid:99999999-9999-4999-8999-999999999999'" $D/odk/main.csv --repeat programs=$D/bad/orphan_programs.csv
refused 1 "IMP003: 'staff' is not a repeat of form 'exchange_demo'" $D/odk/main.csv --repeat staff=$D/odk/programs.csv

# A refused import into a store that did not exist leaves no file behind (nor -wal/-shm).
expect_status 1 "$NGOSURVEY" import --db "$TMP/new.db" --form $D/form.xlsx $D/bad/ragged.csv
expect_contains "$TMP/stderr" "CSV005"
for f in "$TMP/new.db" "$TMP/new.db-wal" "$TMP/new.db-shm"; do
  [ ! -e "$f" ] || fail "a refused import left $f behind"
done
expect_status 0 "$NGOSURVEY" import --db "$TMP/new.db" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
[ -s "$TMP/new.db" ] || fail "a successful import into a new store must keep it"
refused 2 "--repeat takes NAME=FILE.csv" $D/odk/main.csv --repeat programs

# A 10 MB cell is refused with its place, not loaded.
python3 - "$TMP/huge.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("meta/instanceID,org_id,remarks\n")
    f.write("uuid:88888888-8888-4888-8888-888888888888,KH09,\"" + "x" * (10 << 20) + "\"\n")
PY
refused 1 "huge.csv:2:3: CSV003" "$TMP/huge.csv"

# Every bad cell of bad_values.csv, with its line and column, in one run.
refused 1 "import refused: 5 of 5 rows have errors; nothing was stored" $D/bad/bad_values.csv
for where in "2:5: IMP013: 'TH' is not a choice of list 'country' (question 'country')" \
             "2:6: IMP012: 'twelve' is not an integer (question 'staff_n')" \
             "2:15: IMP014: '2026-02-30' is not a date YYYY-MM-DD (question 'founded')" \
             "3:4: IMP015: 'XX1' breaks the constraint of 'org_id' (regex(., '^(KH|VN)[0-9]{2}\$')): A code like KH07" \
             "3:9: IMP015: '0' breaks the constraint of 'shelter_beds' (. > 0): At least one bed" \
             "3:10: IMP015: 'none legal' breaks the constraint of 'services'" \
             "4:10: IMP016: 'shelter' but the option columns say 'legal'" \
             "5:21: IMP011: instance id uuid:66666666-6666-4666-8666-666666666662 is also on line 4" \
             "6:21: IMP010: instance id 'not-a-uuid' is not \"uuid:\" + a UUID" \
             "4:9: IMP030: 'shelter_beds' has a value but is not relevant for this row"; do
  expect_contains "$TMP/stderr" "bad_values.csv:$where"
done

# --skip-invalid stores the valid rows and writes the rejects with reasons.
python3 - $D/bad/bad_values.csv "$TMP/mixed.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
good = list(rows[3]); good[-1] = "uuid:66666666-6666-4666-8666-666666666669"
good[rows[0].index("services/shelter")] = "1"; good[rows[0].index("services/legal")] = "0"
good[rows[0].index("profile/shelter_beds")] = ""
csv.writer(open(sys.argv[2], "w", newline="")).writerows([rows[0], rows[1], good])
PY
expect_status 0 "$NGOSURVEY" import --db "$DB" --form exchange_demo "$TMP/mixed.csv" --skip-invalid "$TMP/rejects.csv"
expect_contains "$TMP/stdout" "imported 1 submissions (odk layout) into form 'exchange_demo' version 2026112501; 0 already stored, 1 rejected (reasons in $TMP/rejects.csv)"
[ "$(head -1 "$TMP/rejects.csv")" = "file,line,column,instance_id,code,reason" ] || fail "rejects header"
expect_contains "$TMP/rejects.csv" "mixed.csv,2,6,uuid:66666666-6666-4666-8666-666666666660,IMP012,'twelve' is not an integer (question 'staff_n')"
[ "$(tail -n +2 "$TMP/rejects.csv" | wc -l)" = 3 ] || fail "3 reasons for the one rejected row"
[ "$(count)" = 7 ] || fail "7 submissions after --skip-invalid, found $(count)"
echo "import_test: ok"
