#!/usr/bin/env bash
# `ngosurvey interview` and `ngosurvey edit` end to end on examples/ngo_profile.xlsx:
# an interview in Khmer that switches to Vietnamese halfway, refuses two questions,
# is SIGKILLed once and resumed, completed, corrected with a reason, listed and
# audited; plus a pretest interview. The screen shows what a respondent and an
# interviewer need, in the interview's language: labels, choices by label, "saved"
# said in words, a counter that stays put in repeats; never names, types, choice
# codes or metadata.
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

wait_for "ការសម្ភាសន៍ uuid:"                              # "Interview uuid:..." in Khmer
ID=$(grep -o 'uuid:[0-9a-f-]*' "$OUT" | head -1)
wait_for "NGO profile"                                     # the form's title
wait_for "ភាសា៖ Khmer (km) | :lang en :lang vi | :help"
wait_for "ឈ្មោះអង្គការ (ត្រូវតែឆ្លើយ)"               # org_name's label, "required" in Khmer
expect_contains "$OUT" "[1/14] អង្គការ"                   # place 1 of 14, in its group
say "Hope Foundation"; wait_for "បានរក្សាទុក៖ អង្គការ > ឈ្មោះអង្គការ = Hope Foundation"
wait_for "ជំនួយ: "                                        # "hint:" in Khmer
say "1800"; wait_for "ឆ្នាំត្រូវនៅចន្លោះ ១៩៥០ និង ២០២៦"     # the constraint message, in Khmer
say "២០០៥"; wait_for "បានរក្សាទុក៖ អង្គការ > ឆ្នាំបង្កើតអង្គការ = 2005"  # Khmer digits
wait_for "  1. អង្គការមិនមែនរដ្ឋាភិបាលក្នុងស្រុក"          # numbered choices, by label
say "1"; wait_for "ប្រភេទអង្គការ = អង្គការមិនមែនរដ្ឋាភិបាលក្នុងស្រុក"  # saved: the choice's label
say "2"; wait_for "បានរក្សាទុក៖ ទីតាំងការិយាល័យកណ្តាល > ខេត្ត = សៀមរាប"
say ":lang vi"; wait_for "Ngôn ngữ: Vietnamese (vi)"      # halfway: Vietnamese
wait_for "Quận/Huyện (bắt buộc)"                          # "required" in Vietnamese
wait_for "  1. Thành phố Xiêm Riệp"                       # choice_filter: Siem Reap only
say "9"; wait_for "«9» không phải là một lựa chọn."
say "2"; wait_for "Đã lưu: Địa điểm trụ sở chính > Quận/Huyện = Puok"
say ":refuse"; wait_for "Số nhân viên được trả lương = từ chối trả lời"  # first refusal, in words
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
expect_contains "$TMP/stdout" "Cuộc phỏng vấn $ID"          # resumed, in Vietnamese
expect_contains "$TMP/stdout" "Số tình nguyện viên (bắt buộc)"
expect_contains "$TMP/stdout" "Đã lưu: Nhân sự > Số tình nguyện viên = 3"
# The counter stays at the repeat's place (11 of 14) through the instance, which has
# its own (1/3 .. 3/3); the total never grows.
expect_contains "$TMP/stdout" "[11/14] Chương trình 1 (1/3)"
expect_contains "$TMP/stdout" "[11/14] Chương trình 1 (3/3)"
expect_contains "$TMP/stdout" "[12/14]"
if grep -E '^\[[0-9]+/' "$TMP/stdout" | grep -vqF '/14]'; then fail "the counter's total changed"; fi
expect_contains "$TMP/stdout" "Đã lưu: Chương trình 1 > Các lĩnh vực của chương trình này = Y tế, Quyền con người"
expect_contains "$TMP/stdout" "Ngân sách hằng năm (USD) = từ chối trả lời"  # second refusal
expect_contains "$TMP/stdout" "Cảm ơn. Tổng ngân sách hằng năm:"
expect_contains "$TMP/stdout" "Cuộc phỏng vấn đã hoàn thành và được lưu: $ID"
if grep -qF "Tên tổ chức (" "$TMP/stdout"; then fail "resume asked org_name again"; fi
# :review by label, each group and repeat instance under its heading, values in words.
expect_contains "$TMP/stdout" "Các câu trả lời đến nay:"
expect_contains "$TMP/stdout" "    Năm thành lập tổ chức: 2005"
expect_contains "$TMP/stdout" "    Loại hình tổ chức: Tổ chức phi chính phủ trong nước"
expect_contains "$TMP/stdout" "    Số nhân viên được trả lương: từ chối trả lời"
expect_contains "$TMP/stdout" "    Loại hình khác, vui lòng ghi rõ: không hỏi"
expect_contains "$TMP/stdout" "  Chương trình 1"
expect_contains "$TMP/stdout" "    Tên chương trình: Shelter"
if grep -qF "NaN" "$OUT" "$TMP/stdout"; then fail "a calculation was saved as NaN"; fi
# No developer details anywhere on either screen: names, types, codes, paths,
# metadata.
for internal in "saved " "org_name" "staff_volunteer" "(integer" "(select_one" "[local_ngo]" \
                "krong_siem_reap" "organisation/" "programme[1]" "deviceid" "(refused)" "(not_asked)"; do
  if grep -qF -- "$internal" "$OUT" "$TMP/stdout"; then fail "the screen shows \"$internal\""; fi
done

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
expect_contains "$TMP/stdout" "Stopped; the draft is saved. Resume with: ngosurvey interview"
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
