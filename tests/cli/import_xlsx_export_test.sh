#!/usr/bin/env bash
# ngosurvey import of an XLSX export, as KoboToolbox's "XLS" export (formpack's to_xlsx:
# the main table on the first sheet, a sheet per repeat named after it) and Ona's write it
# (issue 14): the same rows as Kobo's CSV export (tests/data/exchange/layouts/, SYNTHETIC)
# give the same store, whether Kobo stored numbers as text (its default) or as numbers,
# with or without its row of HXL hashtags; a sheet cut to Excel's 31 characters still
# finds its repeat; ngosurvey's own XLSX export re-imports to the same answers; a sheet
# that names no repeat, or a sheet that is no table, is refused and stores nothing.
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange/layouts
tools/xlsform-from-csv $D/form "$TMP/household.xlsx" >/dev/null


# The CSV export: the reference store.
expect_status 0 "$NGOSURVEY" import --db "$TMP/csv.db" --form "$TMP/household.xlsx" $D/kobo.csv \
  --repeat members=$D/kobo-members.csv
store_answers "$TMP/csv.db" >"$TMP/csv.json"

for mode in text numbers hxl; do
  csv_to_xlsx "$TMP/kobo-$mode.xlsx" $mode "household=$D/kobo.csv" "members=$D/kobo-members.csv"
  expect_status 0 "$NGOSURVEY" import --db "$TMP/$mode.db" --form "$TMP/household.xlsx" \
    "$TMP/kobo-$mode.xlsx"
  expect_contains "$TMP/stdout" "imported 2 submissions (kobo layout) into form 'household'"
  store_answers "$TMP/$mode.db" >"$TMP/$mode.json"
  cmp -s "$TMP/csv.json" "$TMP/$mode.json" ||
    fail "the XLSX export ($mode) did not give the CSV export's store: $(diff "$TMP/csv.json" "$TMP/$mode.json" | head -5)"
done

# The same workbook again: nothing added.
expect_status 0 "$NGOSURVEY" import --db "$TMP/text.db" --form household "$TMP/kobo-text.xlsx"
expect_contains "$TMP/stdout" "imported 0 submissions (kobo layout) into form 'household' version sha256-"
expect_contains "$TMP/stdout" "2 already stored, 0 rejected"

# A repeat whose name is longer than a sheet name may be: formpack cuts it with "...".
long=members_of_the_household_listed_by_age
sed "s/\bmembers\b/$long/" $D/form/survey.csv >"$TMP/survey.csv"
mkdir -p "$TMP/longform"
cp $D/form/choices.csv $D/form/settings.csv "$TMP/longform/"
cp "$TMP/survey.csv" "$TMP/longform/survey.csv"
tools/xlsform-from-csv "$TMP/longform" "$TMP/long.xlsx" >/dev/null
csv_to_xlsx "$TMP/kobo-long.xlsx" text "long=$D/kobo.csv" "members_of_the_household_lis...=$D/kobo-members.csv"
expect_status 0 "$NGOSURVEY" import --db "$TMP/long.db" --form "$TMP/long.xlsx" "$TMP/kobo-long.xlsx"
expect_contains "$TMP/stdout" "imported 2 submissions (kobo layout)"
"$NGOSURVEY" submissions list --db "$TMP/long.db" --format json | python3 -c "
import json, sys
subs = {s['instance_id']: s['answers'] for s in json.load(sys.stdin)}
a = subs['uuid:11111111-1111-4111-8111-111111111111']
assert a['$long[2]/name']['value'] == 'Srey ', a" || fail "the cut sheet's rows are not the repeat's"

# ngosurvey's own XLSX export (a sheet per level, then the codebook) re-imports.
expect_status 0 "$NGOSURVEY" export --db "$TMP/csv.db" --form household --format xlsx -o "$TMP/ours.xlsx"
expect_status 0 "$NGOSURVEY" import --db "$TMP/ours.db" --form "$TMP/household.xlsx" "$TMP/ours.xlsx"
expect_contains "$TMP/stdout" "imported 2 submissions (ngosurvey layout)"
"$NGOSURVEY" submissions list --db "$TMP/ours.db" --format json | python3 -c '
import json, sys
print(json.dumps(sorted((s["instance_id"], s["answers"]) for s in json.load(sys.stdin)), sort_keys=True))' >"$TMP/ours.json"
python3 -c '
import json, sys
print(json.dumps(sorted((i, a) for i, a, _ in json.load(open(sys.argv[1]))), sort_keys=True))' "$TMP/csv.json" >"$TMP/csv-answers.json"
cmp -s "$TMP/csv-answers.json" "$TMP/ours.json" ||
  fail "ngosurvey's XLSX export re-imported to other answers: $(diff "$TMP/csv-answers.json" "$TMP/ours.json" | head -5)"

# A sheet that names no repeat of the form: refused, naming it; no store left behind.
csv_to_xlsx "$TMP/extra.xlsx" text "household=$D/kobo.csv" "members=$D/kobo-members.csv" \
  "notes=$D/kobo-members.csv"
expect_status 1 "$NGOSURVEY" import --db "$TMP/extra.db" --form "$TMP/household.xlsx" "$TMP/extra.xlsx"
expect_contains "$TMP/stderr" "IMP042"
expect_contains "$TMP/stderr" "the sheet 'notes' names no repeat of form 'household' (its repeats: members)"
[ ! -e "$TMP/extra.db" ] || fail "a refused import left a store behind"

# A sheet that is no table (a column name twice): refused with its sheet and cell.
"${PYTHON:-/usr/bin/python3}" - "$TMP/dup.xlsx" <<'PY'
import sys, openpyxl
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "household"
sheet.append(["hh/main_source", "_uuid", "hh/main_source"])
sheet.append(["radio", "11111111-1111-4111-8111-111111111111", "tv"])
book.save(sys.argv[1])
PY
expect_status 1 "$NGOSURVEY" import --db "$TMP/dup.db" --form "$TMP/household.xlsx" "$TMP/dup.xlsx"
expect_contains "$TMP/stderr" "dup.xlsx:household!C1: IMP043: duplicate column name 'hh/main_source' (also column 1)"

# --repeat goes with CSV files.
expect_status 2 "$NGOSURVEY" import --db "$TMP/r.db" --form "$TMP/household.xlsx" \
  "$TMP/kobo-text.xlsx" --repeat members=$D/kobo-members.csv
expect_contains "$TMP/stderr" "--repeat goes with CSV files: the XLSX export's repeat sheets are read from it"
echo "PASS"
