#!/usr/bin/env bash
# `tabulate --db`: the store's completed interviews give the same tables as their CSV
# export; pretest interviews are stored but not counted unless --include-pretest.
source "$(dirname "$0")/lib.sh"
FORM=tests/data/tabulate/form.xlsx
DATA=tests/data/tabulate/data.csv
DB="$TMP/survey.db"

expect_status 0 "$NGOSURVEY" import --db "$DB" --form "$FORM" "$DATA"
expect_status 0 "$NGOSURVEY" tabulate --form "$FORM" --data "$DATA" --by country --total --format csv --no-cache
cp "$TMP/stdout" "$TMP/from_csv.csv"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --by country --total --format csv
cmp "$TMP/stdout" "$TMP/from_csv.csv" || fail "tabulate --db differs from the same data as CSV"

# Three pretest interviews (new instance ids), all from Viet Nam.
{
  head -1 "$DATA"
  grep ',VN,' "$DATA" | head -3 | sed -E 's/uuid:0000/uuid:9999/g'
} > "$TMP/pretest.csv"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form "$FORM" --wave pretest "$TMP/pretest.csv"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --by country --total --format csv
cmp "$TMP/stdout" "$TMP/from_csv.csv" || fail "pretest interviews were counted"
expect_contains "$TMP/stderr" "3 pretest interview(s) not counted"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --by country --total --format csv --include-pretest
grep -q "^training,,total,n_total,$(( $(tail -n +2 "$DATA" | wc -l) + 3 ))$" "$TMP/stdout" ||
  fail "--include-pretest did not count the 3 pretest interviews"

# A spec over the store, and usage errors.
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --spec tests/data/tabulate/spec.toml --format md
expect_status 2 "$NGOSURVEY" tabulate --db "$DB" --data "$DATA" --form "$FORM" --by country --format csv
expect_contains "$TMP/stderr" "either --db DB, or --data"
expect_status 3 "$NGOSURVEY" tabulate --db "$TMP/missing-dir/none.db" --by country --format csv
echo "tabulate_db_test: ok"
