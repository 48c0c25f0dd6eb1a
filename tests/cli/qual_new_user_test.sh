#!/usr/bin/env bash
# Issue 18's "done when", as a new user does it (README, "Using it"), in one run: a small
# SYNTHETIC store (tests/data/exchange: KH07, VN12, KH21); two coders code the open answers of
# `remarks` in the terminal session (scripted on standard input, one command per line); their
# agreement; the disagreement reconciled; the theme table by country; the codings out to a
# REFI-QDA project and back into a fresh store unchanged; and the reference study's report with
# its qualitative section and coordination network.
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange
BOOK=tests/data/qual/codebook.toml
DB=$TMP/store.db
U3=uuid:33333333-3333-4333-8333-333333333333   # KH21 "line one\nline two"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv

# Two coders, each in a terminal session of their own (the theme by its number or id).
printf 'funding\nother\nstaffing\n' >"$TMP/lan.txt"
expect_status 0 "$NGOSURVEY" code --db "$DB" --codebook $BOOK --question remarks --coder lan <"$TMP/lan.txt"
expect_contains "$TMP/stdout" "every answer is coded (3)"
printf 'funding\nother\nfunding\n' >"$TMP/sokha.txt"
expect_status 0 "$NGOSURVEY" code --db "$DB" --codebook $BOOK --question remarks --coder sokha <"$TMP/sokha.txt"
expect_contains "$TMP/stdout" "every answer is coded (3)"

# Agreement: they agree on KH07 and VN12, not on KH21.
expect_status 0 "$NGOSURVEY" agreement --db "$DB" --question remarks --codebook $BOOK --format csv
grep -q '^(overall),n_units,3$' "$TMP/stdout" || { cat "$TMP/stdout"; fail "3 answers coded twice"; }
grep -q '^(overall),n_coders,2$' "$TMP/stdout" || fail "2 coders"

# The theme table needs the disagreement settled first, then counts the agreed codes.
expect_status 1 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --format csv
expect_contains "$TMP/stderr" "THM001"
expect_status 0 "$NGOSURVEY" code reconcile --db "$DB" --question remarks --codebook $BOOK --instance $U3 \
  --codes "staffing" --by dara --reason "agreed in review"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" $U3
expect_contains "$TMP/stdout" "agreed in review"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --format csv
grep -q '^themes(remarks),resources,KH,count,2$' "$TMP/stdout" || { cat "$TMP/stdout"; fail "resources in KH"; }
grep -q '^themes(remarks),other,VN,percent,100.0$' "$TMP/stdout" || fail "other in VN"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --format md
expect_contains "$TMP/stdout" "Resources: Staffing"

# To a QDA tool and back: the same codings in a fresh store with the same answers.
expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks --codebook $BOOK "$TMP/remarks.qdpx"
expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks "$TMP/before.csv"
DB2=$TMP/store2.db
expect_status 0 "$NGOSURVEY" import --db "$DB2" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_status 0 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/remarks.qdpx"
expect_status 0 "$NGOSURVEY" code export --db "$DB2" --question remarks "$TMP/after.csv"
diff "$TMP/before.csv" "$TMP/after.csv" || fail "the .qdpx round trip changed the codings"

# The reference study's report: its qualitative section and its coordination network.
expect_status 0 "$NGOSURVEY" report study -o "$TMP/out"
for f in "$TMP/out/report.html" "$TMP/out/report.md"; do
  expect_contains "$f" "Qualitative findings"
  expect_contains "$f" "Major difficulties in combating trafficking (open answers)"
  expect_contains "$f" "Krippendorff"
  expect_contains "$f" "Coordination network"
done
expect_contains "$TMP/out/report.html" '<blockquote class="quote">'
expect_contains "$TMP/out/report.html" "— org-"
echo ok
