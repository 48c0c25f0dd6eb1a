#!/usr/bin/env bash
# ngosurvey code / code export|import|reconcile / agreement (issue 18): two coders code the
# open answers of a small store in the terminal session (scripted through standard input,
# one command per line), neither sees the other's codes, a stopped session resumes; the CSV
# moves codings both ways with exactly instance_id,question,coder,code,start,end, and a bad
# file stores nothing; agreement's CSV is code,statistic,value; reconcile is audited.
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange
BOOK=tests/data/qual/codebook.toml
DB=$TMP/store.db
U1=uuid:11111111-1111-4111-8111-111111111111   # "Needs funding, urgently"
U2=uuid:22222222-2222-4222-8222-222222222222   # "Tổ chức phi chính phủ" (21 code points)
U3=uuid:33333333-3333-4333-8333-333333333333   # "line one\nline two"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv

# Coder lan: a typo and a segment past the answer's end are refused and re-asked; a
# segment by code points; stops after two answers (end of input).
printf 'nonsense\nfunding@6-13\nother@0-22\n4\n' >"$TMP/lan1.txt"
expect_status 0 "$NGOSURVEY" code --db "$DB" --codebook $BOOK --question remarks --coder lan <"$TMP/lan1.txt"
expect_contains "$TMP/stdout" "coding 'remarks' as lan with codebook version 2026-12-05: 3 answers, 0 coded by you"
expect_contains "$TMP/stdout" "  2.   Funding [funding]"
expect_contains "$TMP/stdout" "[1/3] $U1 (KH07)"
expect_contains "$TMP/stdout" "! 'nonsense' is not a theme of the codebook"
expect_contains "$TMP/stdout" "saved $U1: funding@6-13"
expect_contains "$TMP/stdout" "! other@0-22: the answer has 21 characters"
expect_contains "$TMP/stdout" "saved $U2: other"
expect_contains "$TMP/stdout" "input ended; your codes are saved"
# Resumed: starts at the answer lan has not coded.
printf ':theme 2\n-\n' >"$TMP/lan2.txt"
expect_status 0 "$NGOSURVEY" code --db "$DB" --codebook $BOOK --question remarks --coder lan <"$TMP/lan2.txt"
expect_contains "$TMP/stdout" "3 answers, 2 coded by you"
expect_contains "$TMP/stdout" "[3/3] $U3 (KH21)"
expect_contains "$TMP/stdout" "  exclusion: Pay of staff: use staffing."
expect_contains "$TMP/stdout" "saved $U3: - (no code)"
expect_contains "$TMP/stdout" "every answer is coded (3)"
grep -q "\[1/3\]" "$TMP/stdout" && fail "the resumed session showed an answer already coded"

# Coder sokha never sees lan's codes.
printf 'funding\nother\nfunding\n' >"$TMP/sokha.txt"
expect_status 0 "$NGOSURVEY" code --db "$DB" --codebook $BOOK --question remarks --coder sokha <"$TMP/sokha.txt"
expect_contains "$TMP/stdout" "0 coded by you"
grep -q "funding@6-13\|your codes" "$TMP/stdout" && fail "sokha saw codes before coding"
expect_contains "$TMP/stdout" "every answer is coded (3)"

# Export: exactly the columns, one row per segment, ordered by answer then coder.
expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks "$TMP/codings.csv"
cat >"$TMP/want.csv" <<CSV
instance_id,question,coder,code,start,end
$U1,remarks,lan,funding,6,13
$U1,remarks,sokha,funding,,
$U2,remarks,lan,other,,
$U2,remarks,sokha,other,,
$U3,remarks,lan,,,
$U3,remarks,sokha,funding,,
CSV
diff "$TMP/want.csv" "$TMP/codings.csv" || fail "export differs"
expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks --coder lan -
[ "$(grep -c ',lan,' "$TMP/stdout")" = 3 ] && ! grep -q sokha "$TMP/stdout" || fail "--coder lan exported others"

# Agreement, CSV layout.
expect_status 0 "$NGOSURVEY" agreement --db "$DB" --question remarks --codebook $BOOK --format csv
cp "$TMP/stdout" "$TMP/agreement.csv"
head -1 "$TMP/agreement.csv" | grep -qx 'code,statistic,value' || fail "agreement header"
[ "$(wc -l <"$TMP/agreement.csv")" = $((1 + 8 * 5)) ] || fail "4 themes + (overall), 8 statistics each"
python3 - "$TMP/agreement.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
codes = []
for r in rows:
    if r["code"] not in codes: codes.append(r["code"])
assert codes == ["resources", "funding", "staffing", "other", "(overall)"], codes
stats = [r["statistic"] for r in rows[:8]]
assert stats == ["n_units", "n_coders", "percent_agreement", "cohen_kappa", "fleiss_kappa",
                 "krippendorff_alpha", "alpha_lo", "alpha_hi"], stats
v = {(r["code"], r["statistic"]): r["value"] for r in rows}
# funding: lan 1,0,0 and sokha 1,0,1 over the three answers.
assert v[("funding", "n_units")] == "3" and v[("funding", "n_coders")] == "2"
assert v[("funding", "cohen_kappa")] == "0.40000000000000002", v[("funding", "cohen_kappa")]
assert abs(float(v[("funding", "percent_agreement")]) - 2 / 3) < 1e-15
assert abs(float(v[("funding", "fleiss_kappa")]) - 1 / 3) < 1e-15
assert abs(float(v[("funding", "krippendorff_alpha")]) - 4 / 9) < 1e-15
# Never used: agreement 1, coefficients empty.
assert v[("staffing", "percent_agreement")] == "1"
for s in ["cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "alpha_lo", "alpha_hi"]:
    assert v[("staffing", s)] == "", (s, v[("staffing", s)])
assert v[("other", "krippendorff_alpha")] == "1"
assert v[("(overall)", "n_units")] == "3"
PY
expect_status 0 "$NGOSURVEY" agreement --db "$DB" --question remarks --codebook $BOOK
expect_contains "$TMP/stdout" "| funding | Funding | 3 | 2 | 0.667 | 0.400 | 0.333 | 0.444 |"
expect_status 0 "$NGOSURVEY" agreement --db "$DB" --question remarks --format html -o "$TMP/agreement.html"
expect_contains "$TMP/agreement.html" "<th scope=\"row\">funding</th>"

# Import: the export round-trips (replacing each coder's codes of each answer).
before=$("$NGOSURVEY" code export --db "$DB" --question remarks - | sha256sum)
expect_status 0 "$NGOSURVEY" code import --db "$DB" --question remarks --codebook $BOOK "$TMP/codings.csv"
expect_contains "$TMP/stdout" "imported 6 rows: 6 coded answers of 'remarks' by lan, sokha"
after=$("$NGOSURVEY" code export --db "$DB" --question remarks - | sha256sum)
[ "$before" = "$after" ] || fail "round trip changed the codings"

# Bad files: the place named, nothing stored.
bad() {  # bad WANT_TEXT CSV_BODY [extra flags]
  local want=$1 body=$2; shift 2
  printf '%s' "$body" >"$TMP/bad.csv"
  expect_status 1 "$NGOSURVEY" code import --db "$DB" --question remarks --codebook $BOOK "$@" "$TMP/bad.csv"
  expect_contains "$TMP/stderr" "$want"
  expect_contains "$TMP/stderr" "nothing was imported"
  now=$("$NGOSURVEY" code export --db "$DB" --question remarks - | sha256sum)
  [ "$now" = "$before" ] || fail "a refused import changed the store ($want)"
}
H=instance_id,question,coder,code,start,end
bad "bad.csv:1: COD001: the header must be exactly 'instance_id,question,coder,code,start,end'" \
  "instance_id,question,coder,code"$'\n'
bad "bad.csv:3:4: COD004: code 'fundng' is not in the codebook (version 2026-12-05)" \
  "$H"$'\n'"$U1,remarks,kim,staffing,,"$'\n'"$U2,remarks,kim,fundng,,"$'\n'
bad "bad.csv:2:1: COD003: no submission 'uuid:99999999-9999-4999-8999-999999999999' in the store" \
  "$H"$'\n'"uuid:99999999-9999-4999-8999-999999999999,remarks,kim,other,,"$'\n'
bad "bad.csv:2:6: COD005: end 22 is beyond the answer, which has 21 characters (code points)" \
  "$H"$'\n'"$U2,remarks,kim,other,0,22"$'\n'
bad "bad.csv:2:2: COD002: question 'founded': this import codes 'remarks'" \
  "$H"$'\n'"$U1,founded,kim,other,,"$'\n'
bad "bad.csv:3:3: COD006: coder 'kim': this import is for 'lan'" \
  "$H"$'\n'"$U1,remarks,lan,other,,"$'\n'"$U1,remarks,kim,other,,"$'\n' --coder lan
bad "bad.csv:3:4: COD007: an empty code (read, no code) beside codes for the same answer and coder (see line 2)" \
  "$H"$'\n'"$U1,remarks,kim,other,,"$'\n'"$U1,remarks,kim,,,"$'\n'
printf '%s\n%s\n' "$H" "$U1,services,kim,other,," >"$TMP/services.csv"
expect_status 1 "$NGOSURVEY" code import --db "$DB" --question services --codebook $BOOK "$TMP/services.csv"
expect_contains "$TMP/stderr" "COD002: question 'services' of form 'exchange_demo' version 2026112501 is a select_multiple, not an open (text) question"

# Reconcile: stored apart from the coders, audited with who decided.
expect_status 0 "$NGOSURVEY" code reconcile --db "$DB" --question remarks --codebook $BOOK --instance $U3 \
  --codes funding --by dara --reason "line two asks for money"
expect_contains "$TMP/stdout" "$U3 / remarks: reconciled as funding by dara (audited)"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" $U3
expect_contains "$TMP/stdout" "codes:remarks"
expect_contains "$TMP/stdout" "dara"
expect_status 0 "$NGOSURVEY" audit verify --db "$DB"
expect_status 1 "$NGOSURVEY" code reconcile --db "$DB" --question remarks --codebook $BOOK --instance $U3 \
  --codes funding --by dara --reason "again"
expect_contains "$TMP/stderr" "ST007"
expect_status 0 "$NGOSURVEY" agreement --db "$DB" --question remarks --format csv --replicates 0
expect_contains "$TMP/stdout" "(overall),n_coders,2"
expect_contains "$TMP/stdout" "funding,alpha_lo,"
echo "code_test: ok"
