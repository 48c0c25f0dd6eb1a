#!/usr/bin/env bash
# ngosurvey export: the round trips of tests/exchange/cases.tsv (datasets x formats x languages,
# read back by pandas and R's haven and compared with tests/exchange/expected.tsv), then the
# command's own behaviour: pretest left out unless asked, XLSX layout, pseudonymisation, bad
# options, and outputs that are never half-written.
source "$(dirname "$0")/lib.sh"
PY=${PYTHON:-/usr/bin/python3}   # the system Python has pandas and openpyxl (tools/install-deps)
D=tests/data/exchange
DB=$TMP/store.db

"$PY" tests/exchange/roundtrip.py "$NGOSURVEY" "$TMP/roundtrip" >"$TMP/roundtrip.out" 2>&1 ||
  { cat "$TMP/roundtrip.out"; fail "round trips"; }
expect_contains "$TMP/roundtrip.out" "roundtrip: 9 cases"
expect_contains "$TMP/roundtrip.out" " 0 failures"

expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_status 0 "$NGOSURVEY" import --db "$DB" --form exchange_demo $D/kobo/main.csv --repeat programs=$D/kobo/programs.csv --wave pretest

rows() { "$PY" -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8")))) - 1)' "$1"; }
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv -o "$TMP/main.csv"
expect_contains "$TMP/stdout" "exported 3 submissions"
[ "$(rows "$TMP/main.csv")" = 3 ] || fail "pretest rows exported without --include-pretest"
[ "$(rows "$TMP/main-programs.csv")" = 3 ] || fail "programs of the main wave: $(rows "$TMP/main-programs.csv")"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --include-pretest -o "$TMP/all.csv"
[ "$(rows "$TMP/all.csv")" = 5 ] || fail "--include-pretest: $(rows "$TMP/all.csv") rows"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --wave pretest -o "$TMP/pre.csv"
[ "$(rows "$TMP/pre.csv")" = 2 ] || fail "--wave pretest: $(rows "$TMP/pre.csv") rows"
head -1 "$TMP/main.csv" | grep -q '^KEY,FormVersion,wave,org,interviewer,_validation_status,start,end,username,org_id,country,profile/staff_n,' ||
  fail "ODK layout header: $(head -1 "$TMP/main.csv")"
# The questions, then the platform's metadata columns kept by the import of the
# exported submissions: Central's SubmissionDate... in the main file; the repeat's
# file has none (the Kobo import's _index, _parent_index... are pretest's).
[ "$(head -1 "$TMP/main-programs.csv")" = "KEY,PARENT_KEY,programs/program_name,programs/program_active,programs/program_staff" ] ||
  fail "repeat header: $(head -1 "$TMP/main-programs.csv")"
head -1 "$TMP/main.csv" | grep -q ',SubmissionDate,meta/instanceID,SubmitterID,SubmitterName,ReviewState$' ||
  fail "Central's metadata after the answers: $(head -1 "$TMP/main.csv")"
head -1 "$TMP/all-programs.csv" | grep -q ',programs/program_staff,_index,_parent_index,' ||
  fail "Kobo's repeat metadata with --include-pretest: $(head -1 "$TMP/all-programs.csv")"
expect_contains "$TMP/main-codebook.md" "| number_of_partner_organisations_working_with_us_in_2026 | number_of_partner_organisation_2 | number_of_partner_organisations_working_with_us_in_2026 |"
expect_contains "$TMP/main-codebook.html" "<td>1 = KH (Cambodia); 2 = VN (Viet Nam)</td>"
expect_contains "$TMP/main-codebook.md" "| Asked if has_shelter is 'yes' (\"Yes\") |"   # relevance in words

# XLSX: one sheet per level and a codebook, header frozen.
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format xlsx --lang vi -o "$TMP/out.xlsx"
"$PY" - "$TMP/out.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["main", "programs", "codebook"], wb.sheetnames
for name in wb.sheetnames:
    assert wb[name].freeze_panes == "A2", (name, wb[name].freeze_panes)
assert wb["main"]["A1"].value == "KEY" and wb["main"]["A1"].font.b
labels = [row[4].value for row in wb["codebook"].iter_rows(min_row=2)]
assert "Quốc gia" in labels, labels
PY

# Pseudonymised: ids replaced by the keyed pseudonyms, sensitive and derived columns gone.
printf '0123456789abcdef-test-key\n' >"$TMP/key"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --pseudonymise --key-file "$TMP/key" -o "$TMP/p.csv"
expect_contains "$TMP/stdout" "(pseudonymised)"
expect_contains "$TMP/p.csv" "org-0925ed5b8b7c9b83"   # HMAC-SHA256 from Python's hmac (unit test)
if grep -q "KH07\|sokha\|Needs funding\|remarks\|org_label" "$TMP/p.csv"; then fail "identifying text left in $TMP/p.csv"; fi
expect_status 0 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format dta --pseudonymise --key-file "$TMP/key" -o "$TMP/p.dta"
if grep -aq "KH07" "$TMP/p.dta"; then fail "org id left in the pseudonymised .dta"; fi
printf 'short\n' >"$TMP/short"
expect_status 1 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --pseudonymise --key-file "$TMP/short" -o "$TMP/x.csv"
expect_contains "$TMP/stderr" "EXP010: the pseudonymisation key has 5 bytes"
expect_status 2 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --pseudonymise -o "$TMP/x.csv"

# Bad options.
expect_status 2 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format xls -o "$TMP/x.xls"
expect_contains "$TMP/stderr" "unknown export format 'xls' (csv, xlsx, dta or sav)"
expect_status 1 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format csv --lang fr -o "$TMP/x.csv"
expect_contains "$TMP/stderr" "EXP002: form 'exchange_demo' has no language 'fr' (it has: en, km, vi)"
expect_status 1 "$NGOSURVEY" export --db "$DB" --form nosuchform --format csv -o "$TMP/x.csv"
expect_contains "$TMP/stderr" "form 'nosuchform' is not in the store"
[ ! -e "$TMP/x.csv" ] || fail "a refused export wrote a file"

# Never half-written: a folder that cannot be written leaves nothing behind, and an existing
# output survives a failed export whole.
mkdir "$TMP/ro" && echo "old contents" >"$TMP/ro/out.sav" && chmod 500 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
  expect_status 3 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format sav -o "$TMP/ro/out.sav"
  [ "$(cat "$TMP/ro/out.sav")" = "old contents" ] || fail "the old file was damaged"
  [ "$(ls "$TMP/ro" | wc -l)" = 1 ] || fail "temporary files left: $(ls "$TMP/ro")"
fi
chmod 700 "$TMP/ro"
expect_status 3 "$NGOSURVEY" export --db "$DB" --form exchange_demo --format sav -o "$TMP/missing-folder/out.sav"
[ ! -e "$TMP/missing-folder" ] || fail "a folder was created"
echo "export_test: ok"
