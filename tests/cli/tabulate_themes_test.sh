#!/usr/bin/env bash
# Themes as items (issue 18, item 4): the codes two coders gave the open question `remarks`
# of a small SYNTHETIC store (tests/data/exchange: KH07, VN12, KH21) tabulated as
# themes(remarks), "% of NGOs mentioning theme X" by country: a disagreement nobody
# reconciled is refused naming the answer and both coders, --coder picks one, a reconciled
# answer counts its agreed codes; the same table from the store and from the CSV export with a
# codings file; a spec's row with a coder key; the names the command line refuses.
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange
BOOK=tests/data/qual/codebook.toml
DB=$TMP/store.db
U1=uuid:11111111-1111-4111-8111-111111111111   # KH07 "Needs funding, urgently"
U2=uuid:22222222-2222-4222-8222-222222222222   # VN12 "Tổ chức phi chính phủ"
U3=uuid:33333333-3333-4333-8333-333333333333   # KH21 "line one\nline two"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
cat >"$TMP/coders.csv" <<CSV
instance_id,question,coder,code,start,end
$U1,remarks,lan,funding,6,13
$U1,remarks,sokha,funding,,
$U2,remarks,lan,other,,
$U2,remarks,sokha,other,,
$U3,remarks,lan,,,
$U3,remarks,sokha,staffing,,
CSV
expect_status 0 "$NGOSURVEY" code import --db "$DB" --question remarks --codebook $BOOK "$TMP/coders.csv"

# lan and sokha disagree on KH21 and nobody reconciled it.
expect_status 1 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --format csv
expect_contains "$TMP/stderr" "THM001"
expect_contains "$TMP/stderr" "coders disagree on the answer of $U3 to 'remarks' (lan: no theme; sokha: staffing)"

# lan's codes: KH07 funding (a segment counts for the answer), KH21 no theme, VN12 other.
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --total --format csv --coder lan
cp "$TMP/stdout" "$TMP/lan.csv"
value() {  # value FILE OPTION GROUP STATISTIC
  awk -F, -v o="$2" -v g="$3" -v s="$4" '$1 == "themes(remarks)" && $2 == o && $3 == g && $4 == s { print $5 }' "$1"
}
check() {  # check FILE OPTION GROUP STATISTIC WANT
  local got
  got=$(value "$1" "$2" "$3" "$4")
  [ "$got" = "$5" ] || fail "$1: $2 $3 $4 is '$got', wanted '$5'"
}
check "$TMP/lan.csv" funding KH count 1
check "$TMP/lan.csv" funding KH n 2
check "$TMP/lan.csv" funding KH percent 50.0
check "$TMP/lan.csv" resources KH count 1      # the parent of funding
check "$TMP/lan.csv" staffing KH count 0
check "$TMP/lan.csv" "(no theme)" KH count 1
check "$TMP/lan.csv" other VN count 1
check "$TMP/lan.csv" other VN n 1
check "$TMP/lan.csv" funding total count 1
check "$TMP/lan.csv" funding total n 3

# Reconciled: KH21 is staffing; no coder needed any more.
expect_status 0 "$NGOSURVEY" code reconcile --db "$DB" --question remarks --codebook $BOOK --instance $U3 \
  --codes "staffing" --by dara --reason "agreed in review"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --total --format csv
cp "$TMP/stdout" "$TMP/db.csv"
check "$TMP/db.csv" staffing KH count 1
check "$TMP/db.csv" resources KH count 2       # funding (KH07) and staffing (KH21)
check "$TMP/db.csv" resources KH percent 100.0
check "$TMP/db.csv" "(no theme)" KH count 0
# The reconciled code wins over a named coder's.
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(remarks)' --by country --total --format csv --coder lan
check "$TMP/stdout" staffing KH count 1

# The same table from the CSV export and a codings file (the coders' rows and the agreed ones).
{ cat "$TMP/coders.csv"; echo "$U3,remarks,(reconciled),staffing,,"; } >"$TMP/study-codings.csv"
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data $D/odk/main.csv --no-cache \
  --codebook $BOOK --codings "$TMP/study-codings.csv" --items 'themes(remarks)' --by country --total --format csv
diff "$TMP/db.csv" "$TMP/stdout" || fail "the store and the CSV export give different theme tables"

# A spec: the row's coder key (the reconciled KH21 still counts its agreed code), labels with
# the hierarchy.
cat >"$TMP/spec.toml" <<'TOML'
[[table]]
id = "Q1"
title = "Remarks by theme"
by = "country"
[[table.row]]
item = "themes(remarks)"
coder = "sokha"
TOML
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --spec "$TMP/spec.toml" --format md
expect_contains "$TMP/stdout" "Resources: Funding"
expect_contains "$TMP/stdout" "No theme"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --spec "$TMP/spec.toml" --format csv
grep -q '^themes(remarks),funding,KH,count,1,Q1$' "$TMP/stdout" || { cat "$TMP/stdout"; fail "spec table"; }
grep -q '^themes(remarks),staffing,KH,count,1,Q1$' "$TMP/stdout" || { cat "$TMP/stdout"; fail "spec table"; }

# What the command line refuses (exit 2, naming it) and bad codings (exit 1, located).
expect_status 2 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items 'themes(staff_n)' --by country --format csv
expect_contains "$TMP/stderr" "'staff_n' is not an open (text) question"
expect_status 2 "$NGOSURVEY" tabulate --db "$DB" --codebook $BOOK --items services --by 'themes(remarks)' --format csv
expect_contains "$TMP/stderr" "is a theme item"
expect_status 2 "$NGOSURVEY" tabulate --db "$DB" --items 'themes(remarks)' --by country --format csv
expect_contains "$TMP/stderr" "--codebook FILE"
expect_status 2 "$NGOSURVEY" tabulate --form $D/form.xlsx --data $D/odk/main.csv --no-cache --codebook $BOOK \
  --items 'themes(remarks)' --by country --format csv
expect_contains "$TMP/stderr" "--codings FILE.csv"
printf 'instance_id,question,coder,code,start,end\nuuid:nobody,remarks,lan,funding,,\n' >"$TMP/bad.csv"
expect_status 1 "$NGOSURVEY" tabulate --form $D/form.xlsx --data $D/odk/main.csv --no-cache --codebook $BOOK \
  --codings "$TMP/bad.csv" --items 'themes(remarks)' --by country --format csv
expect_contains "$TMP/stderr" "bad.csv:2:1"
expect_contains "$TMP/stderr" "COD003"
echo ok
