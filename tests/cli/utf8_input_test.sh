#!/usr/bin/env bash
# Text typed by people reaches the store only as valid UTF-8. A stray byte typed in
# an interview (a terminal in another encoding, a pasted fragment) used to be stored
# as typed, and every later `submissions list --format json` then aborted on it
# (nlohmann::json refuses invalid UTF-8). Now the interview refuses the answer with
# IV013 and asks again, `edit` refuses it (exit 1), and the store refuses any answer,
# reason or name that is not UTF-8 (ST001/ST005), so what is stored can be listed.
source "$(dirname "$0")/lib.sh"
DB="$TMP/survey.db"
FORM=examples/ngo_profile.xlsx

# An interview: the first answer has a stray byte 0xFF, the second try is clean.
printf 'Hope\xff Foundation\nHope Foundation\n:quit\n' >"$TMP/in"
expect_status 0 "$NGOSURVEY" interview --form "$FORM" --db "$DB" <"$TMP/in"
cp "$TMP/stdout" "$TMP/screen"
expect_contains "$TMP/screen" "not valid UTF-8"
expect_contains "$TMP/screen" "Saved: Organisation > Name of the organisation = Hope Foundation"
ID=$(grep -o 'uuid:[0-9a-f-]*' "$TMP/screen" | head -1)

# What was stored lists as JSON (this aborted before).
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --format json
python3 - "$TMP/stdout" "$ID" <<'PY'
import json, sys
subs = json.load(open(sys.argv[1]))
s = [x for x in subs if x["instance_id"] == sys.argv[2]]
assert len(s) == 1, subs
assert s[0]["answers"]["organisation/org_name"] == {"value": "Hope Foundation", "state": "answered"}, s
PY


# `edit` of a completed (imported) submission: a stray byte in the value, the reason
# or the author's name is refused, nothing is changed, and the store still lists.
X=tests/data/exchange
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $X/form.xlsx $X/odk/main.csv \
  --repeat programs=$X/odk/programs.csv
DONE=uuid:11111111-1111-4111-8111-111111111111
expect_status 1 "$NGOSURVEY" edit --db "$DB" "$DONE" --set $'remarks=Needs\xff' --reason typo --by lan
expect_contains "$TMP/stderr" "IV013"
expect_contains "$TMP/stderr" "not valid UTF-8"
expect_status 1 "$NGOSURVEY" edit --db "$DB" "$DONE" --set remarks=Fine --reason $'typo\xfe' --by lan
expect_contains "$TMP/stderr" "ST005"
expect_contains "$TMP/stderr" "must be valid UTF-8 text"
expect_status 1 "$NGOSURVEY" edit --db "$DB" "$DONE" --set remarks=Fine --reason typo --by $'l\xc3an'
expect_contains "$TMP/stderr" "ST005"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" "$DONE"
if grep -q 'remarks' "$TMP/stdout"; then fail "a refused edit reached the audit trail"; fi
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --format json
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/stdout"
echo "ok"
