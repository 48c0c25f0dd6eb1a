#!/usr/bin/env bash
# `tabulate --data` over an export as the platforms hand it out (issue 14): KoboToolbox's
# XLSX export (the main table on its first sheet, a sheet per repeat; numbers as text or as
# numbers, with HXL hashtags) and ODK Central's submissions ZIP (FORMID.csv and
# FORMID-REPEAT.csv) give the same tables, household and roster items, unweighted and with
# the design, as the same rows in CSV files with --repeat; --repeat beside an archive is a
# usage error; a workbook whose sheet names no repeat is refused naming the sheet.
# The data are SYNTHETIC (tests/data/roster/generate.py).
source "$(dirname "$0")/lib.sh"
D=tests/data/roster
/usr/bin/python3 tools/xlsform-from-csv $D/form "$TMP/roster.xlsx" >/dev/null
/usr/bin/python3 $D/generate.py "$TMP"
F="$TMP/roster.xlsx"
KOBO=(--data "$TMP/kobo/main.csv" --repeat "members=$TMP/kobo/members.csv"
      --repeat "plots=$TMP/kobo/plots.csv")
ODK=(--data "$TMP/odk/main.csv" --repeat "members=$TMP/odk/members.csv"
     --repeat "plots=$TMP/odk/plots.csv")
DESIGN=(--weight weight --strata province --cluster village)

# tables NAME DATA...: the tables of every level, unweighted and weighted, as CSV, into
# $TMP/NAME-plain.csv and $TMP/NAME-design.csv.
tables() {
  local name=$1
  shift
  expect_status 0 "$NGOSURVEY" tabulate --form "$F" "$@" --by province \
    --items hh_size,m_sex,m_migrant,m_dest,m_age,plot_crop --total --format csv --no-cache
  cp "$TMP/stdout" "$TMP/$name-plain.csv"
  expect_status 0 "$NGOSURVEY" tabulate --form "$F" "$@" --by province "${DESIGN[@]}" \
    --items hh_size,m_sex,m_migrant --total --format csv --no-cache
  cp "$TMP/stdout" "$TMP/$name-design.csv"
}
same() {  # same NAME REFERENCE
  for kind in plain design; do
    cmp -s "$TMP/$2-$kind.csv" "$TMP/$1-$kind.csv" ||
      fail "$1 ($kind) gives other tables than $2: $(diff "$TMP/$2-$kind.csv" "$TMP/$1-$kind.csv" | head -6)"
  done
}

tables kobo-csv "${KOBO[@]}"
grep -q '^m_sex,female,north,count,' "$TMP/kobo-csv-plain.csv" || fail "no roster table"
grep -q '^plot_crop,' "$TMP/kobo-csv-plain.csv" || fail "no plots table"
tables odk-csv "${ODK[@]}"
same odk-csv kobo-csv

# Kobo's XLSX export, three ways: the same tables as its CSV files.
for mode in text numbers hxl; do
  csv_to_xlsx "$TMP/kobo-$mode.xlsx" $mode "roster_demo=$TMP/kobo/main.csv" \
    "members=$TMP/kobo/members.csv" "plots=$TMP/kobo/plots.csv"
  tables "kobo-$mode" --data "$TMP/kobo-$mode.xlsx"
  same "kobo-$mode" kobo-csv
done
# A spec over the workbook: a table of the plots (a repeat of its own) by village.
cat >"$TMP/plots.toml" <<'TOML'
[[table]]
id = "P1"
title = "Main crop of each plot, by village"
by = ["village"]
[[table.row]]
item = "plot_crop"
TOML
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/plots.toml" --form "$F" "${KOBO[@]}" \
  --format csv --no-cache
cp "$TMP/stdout" "$TMP/plots-csv.csv"
grep -q '^plot_crop,rice,n1,count,[0-9]*,P1$' "$TMP/plots-csv.csv" || fail "spec: $(head "$TMP/plots-csv.csv")"
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/plots.toml" --form "$F" \
  --data "$TMP/kobo-numbers.xlsx" --format csv --no-cache
cmp -s "$TMP/stdout" "$TMP/plots-csv.csv" || fail "the spec's table differs on the workbook"

# ODK Central's ZIP of the same rows (the form id in the names need not be the form's).
/usr/bin/python3 - "$TMP" <<'PY'
import sys, zipfile
tmp = sys.argv[1]
with zipfile.ZipFile(tmp + "/central.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for table, name in (("main", "roster.csv"), ("members", "roster-members.csv"),
                        ("plots", "roster-plots.csv")):
        z.write(f"{tmp}/odk/{table}.csv", name)
PY
tables central --data "$TMP/central.zip"
same central kobo-csv

# --repeat beside an archive: its repeats come from it.
expect_status 2 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/kobo-text.xlsx" \
  --repeat "members=$TMP/kobo/members.csv" --by province --format csv
expect_contains "$TMP/stderr" "--repeat goes with CSV files"

# A sheet that is no repeat of the form: refused, naming it.
csv_to_xlsx "$TMP/stray.xlsx" text "roster_demo=$TMP/kobo/main.csv" \
  "households=$TMP/kobo/members.csv"
expect_status 1 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/stray.xlsx" --by province \
  --format csv --no-cache
expect_contains "$TMP/stderr" "IMP042"
expect_contains "$TMP/stderr" "the sheet 'households' names no repeat of form 'roster_demo'"
echo "ok"
