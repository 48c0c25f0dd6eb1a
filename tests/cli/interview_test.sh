#!/usr/bin/env bash
# `ngosurvey interview` and `ngosurvey edit` end to end on examples/ngo_profile.xlsx:
# an interview in Khmer that switches to Vietnamese halfway, refuses two questions,
# is SIGKILLed once and resumed, completed, corrected with a reason, listed and
# audited; plus a pretest interview.
source "$(dirname "$0")/lib.sh"
DB="$TMP/survey.db"
FORM=examples/ngo_profile.xlsx
OUT="$TMP/part1"

# Part 1: answers through a FIFO, one at a time, each awaited, then SIGKILL.
mkfifo "$TMP/in"
"$NGOSURVEY" interview --form "$FORM" --db "$DB" --lang km --org org-7 --interviewer sokha \
  <"$TMP/in" >"$OUT" 2>"$TMP/err1" &
pid=$!
exec 3>"$TMP/in"
wait_for() { wait_for_output "$OUT" "$pid" "$TMP/err1" "$1"; }  # until the interviewer printed $1
say() { echo "$1" >&3; }

wait_for "instance uuid:"
ID=$(sed -n 's/^instance \(uuid:.*\)$/\1/p' "$OUT")
wait_for "language km (also en, vi: :lang CODE switches)"
wait_for "ឈ្មោះអង្គការ"                        # org_name, in Khmer, with its group
expect_contains "$OUT" "[1/"
expect_contains "$OUT" "អង្គការ"
expect_contains "$OUT" "org_name (text, ត្រូវតែឆ្លើយ)"         # the screen's own words in Khmer too
say "Hope Foundation"; wait_for "saved organisation/org_name=Hope Foundation"
wait_for "ជំនួយ: "                                        # "hint:" in Khmer
say "1800"; wait_for "ឆ្នាំត្រូវនៅចន្លោះ ១៩៥០ និង ២០២៦"     # the constraint message, in Khmer
say "២០០៥"; wait_for "saved organisation/year_founded=2005"  # Khmer digits, as the hint writes
wait_for "1. អង្គការមិនមែនរដ្ឋាភិបាលក្នុងស្រុក [local_ngo]"  # numbered choices
say "1"; wait_for "saved organisation/org_type=local_ngo"
say "2"; wait_for "saved location/province=siem_reap"
say ":lang vi"; wait_for "language: vi"                   # halfway: Vietnamese
wait_for "Quận/Huyện"
wait_for "(select_one, bắt buộc)"                          # "required" in Vietnamese
wait_for "1. Thành phố Xiêm Riệp [krong_siem_reap]"      # choice_filter: Siem Reap only
say "9"; wait_for "«9» không phải là một lựa chọn."
say "2"; wait_for "saved location/district=puok"
say ":refuse"; wait_for "saved staff/staff_paid=(refused)"  # first refusal
wait_for "Số tình nguyện viên"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
exec 3>&-

# Everything printed as saved survived the kill.
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --format json
python3 - "$TMP/stdout" "$ID" <<'PY'
import json, sys
subs = json.load(open(sys.argv[1]))
s = [x for x in subs if x["instance_id"] == sys.argv[2]]
assert len(s) == 1 and s[0]["status"] == "draft", s
a = s[0]["answers"]
assert a["organisation/org_name"] == {"value": "Hope Foundation", "state": "answered"}, a
assert a["location/district"]["value"] == "puok", a
assert a["staff/staff_paid"] == {"value": None, "state": "refused"}, a
assert "staff/staff_volunteer" not in a, a
PY

# Part 2: resume where it stopped (staff_volunteer), in Vietnamese, and finish.
cat >"$TMP/rest" <<'EOF'
3

1
Shelter
1 5
:refuse
1
www.hope.example

:review
y
EOF
expect_status 0 "$NGOSURVEY" interview --db "$DB" --resume "$ID" --lang vi <"$TMP/rest"
expect_contains "$TMP/stdout" "resuming $ID"
expect_contains "$TMP/stdout" "[12/16] Chương trình 1"  # 13 questions at most + programme 1's three
expect_contains "$TMP/stdout" "staff_volunteer (integer, bắt buộc)"
expect_contains "$TMP/stdout" "Số tình nguyện viên"
expect_contains "$TMP/stdout" "saved staff/staff_volunteer=3"
expect_contains "$TMP/stdout" "saved programme[1]/sector=health rights"
expect_contains "$TMP/stdout" "saved programme[1]/programme_budget=(refused)"  # second refusal
expect_contains "$TMP/stdout" "Cảm ơn. Tổng ngân sách hằng năm:"
expect_contains "$TMP/stdout" "complete $ID"
if grep -qF "org_name (" "$TMP/stdout"; then fail "resume asked org_name again"; fi
expect_contains "$TMP/stdout" "  organisation/year_founded: 2005"       # :review
expect_contains "$TMP/stdout" "  staff/staff_paid: (refused)"
expect_contains "$TMP/stdout" "  organisation/org_type_other: (not_asked)"
if grep -qF "NaN" "$OUT" "$TMP/stdout"; then fail "a calculation was saved as NaN"; fi

# A completed submission is not resumed; it is edited, with a reason, validated.
expect_status 1 "$NGOSURVEY" interview --db "$DB" --resume "$ID"
expect_status 1 "$NGOSURVEY" edit --db "$DB" "$ID" --set year_founded=1800 --reason "typo" --by lan
expect_contains "$TMP/stderr" "IV003"
expect_contains "$TMP/stderr" "The year must be between 1950 and 2026"
expect_status 0 "$NGOSURVEY" edit --db "$DB" "$ID" --set year_founded=2006 \
  --set staff/staff_paid=12 --reason "typo in the founding year; paid staff from the annual report" \
  --by supervisor
expect_contains "$TMP/stdout" "amended organisation/year_founded = 2006"
expect_contains "$TMP/stdout" "amended staff/staff_total = 15"   # recalculated, audited too

# Listed with states, and audited.
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --format json
python3 - "$TMP/stdout" "$ID" <<'PY'
import json, sys
s = [x for x in json.load(open(sys.argv[1])) if x["instance_id"] == sys.argv[2]][0]
a = s["answers"]
assert s["status"] == "complete" and s["wave"] == "main" and s["org"] == "org-7", s
assert a["organisation/year_founded"]["value"] == "2006", a
assert a["staff/staff_paid"] == {"value": "12", "state": "answered"}, a
assert a["programme[1]/programme_budget"] == {"value": None, "state": "refused"}, a
assert a["programme[1]/sector"]["value"] == "health rights", a
assert a["website"]["value"] == "www.hope.example", a
assert a["organisation/org_type_other"] == {"value": None, "state": "not_asked"}, a
assert a["start"]["state"] == "answered" and a["end"]["state"] == "answered", a
PY
expect_status 0 "$NGOSURVEY" audit verify --db "$DB" "$ID"
expect_contains "$TMP/stdout" "audit trail intact"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" "$ID"
expect_contains "$TMP/stdout" "organisation/year_founded: answered \"2005\" -> answered \"2006\""
expect_contains "$TMP/stdout" "reason: typo in the founding year"

# A pretest interview: stored and listed, apart from the main wave.
printf 'Pretest org\n:quit\n' >"$TMP/pre"
expect_status 0 "$NGOSURVEY" interview --form "$FORM" --db "$DB" --wave pretest <"$TMP/pre"
expect_contains "$TMP/stdout" "stopped; the draft is saved"
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --wave pretest
expect_contains "$TMP/stdout" "1 submission"
expect_contains "$TMP/stdout" "pretest"
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --wave main
expect_contains "$TMP/stdout" "1 submission"

# Usage errors.
expect_status 2 "$NGOSURVEY" interview --db "$DB"
expect_status 2 "$NGOSURVEY" interview --form "$FORM" --db "$DB" --lang fr </dev/null
expect_contains "$TMP/stderr" "IV008"
echo "interview_test: ok"
