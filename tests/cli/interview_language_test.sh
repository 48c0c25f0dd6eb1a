#!/usr/bin/env bash
# The store keeps the language of an interview (examples/ngo_profile.xlsx: en, km, vi):
# a draft begun in Khmer resumes in Khmer without --lang; a :lang switch is stored with
# the next save (an answer, :quit or the end of input), never by itself; --lang still
# wins; a stored language the form does not have falls back to the default with a note.
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
DB="$TMP/survey.db"
FORM=examples/ngo_profile.xlsx

stored_language() {  # stored_language ID: the submission's "language" in submissions list
  "$NGOSURVEY" submissions list --db "$DB" --format json | python3 -c '
import json, sys
print(*[s["language"] for s in json.load(sys.stdin) if s["instance_id"] == sys.argv[1]])' "$1"
}
expect_language() {  # expect_language ID CODE WHY
  local got
  got=$(stored_language "$1")
  [ "$got" = "$2" ] || fail "$3: stored language \"$got\", wanted \"$2\""
}
resume() {  # resume INPUT [FLAGS...]: resumes $ID with INPUT as standard input
  local input=$1; shift
  printf '%b' "$input" >"$TMP/in"
  expect_status 0 "$NGOSURVEY" interview --db "$DB" --resume "$ID" "$@" <"$TMP/in"
  expect_contains "$TMP/stdout" "$ID"
}

# Begun in Khmer: one answer, then :quit.
printf 'Hope Foundation\n:quit\n' >"$TMP/in"
expect_status 0 "$NGOSURVEY" interview --form "$FORM" --db "$DB" --lang km --org org-7 <"$TMP/in"
ID=$(grep -o 'uuid:[0-9a-f-]*' "$TMP/stdout" | head -1)
[ -n "$ID" ] || fail "no instance id printed"
expect_language "$ID" km "an interview begun with --lang km"
expect_status 0 "$NGOSURVEY" submissions list --db "$DB" --status draft
expect_contains "$TMP/stdout" "language km"

# Resumed without --lang: in Khmer, the screen's own words too.
resume ':quit\n'
expect_contains "$TMP/stdout" "ភាសា៖ Khmer (km) | :lang en :lang vi | :help"
expect_contains "$TMP/stdout" "ឆ្នាំបង្កើតអង្គការ (ត្រូវតែឆ្លើយ)"
expect_contains "$TMP/stdout" "បានឈប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។"  # :quit's words in Khmer
if grep -qF "Year the organisation was founded" "$TMP/stdout"; then fail "resumed in English"; fi

# :lang vi then :quit (no answer in between): :quit saves the switch.
resume ':lang vi\n:quit\n'
expect_contains "$TMP/stdout" "Ngôn ngữ: Vietnamese (vi)"
expect_language "$ID" vi ":lang vi then :quit"
resume ':quit\n'
expect_contains "$TMP/stdout" "Ngôn ngữ: Vietnamese (vi) | :lang en :lang km | :help"
expect_contains "$TMP/stdout" "Năm thành lập tổ chức (bắt buộc)"

# :lang km then the end of input: kept too.
resume ':lang km\n'
expect_contains "$TMP/stdout" "ការបញ្ចូលបានបញ្ចប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។"  # in Khmer, after :lang km
expect_language "$ID" km ":lang km then the end of input"

# The switch rides on the next answer's save: nothing is written by :lang itself,
# and after the answer's "saved" line a SIGKILL keeps both.
OUT="$TMP/live"
mkfifo "$TMP/fifo"
"$NGOSURVEY" interview --db "$DB" --resume "$ID" <"$TMP/fifo" >"$OUT" 2>"$TMP/live_err" &
pid=$!
exec 3>"$TMP/fifo"
wait_for() { wait_for_output "$OUT" "$pid" "$TMP/live_err" "$1"; }  # until the interviewer printed $1
wait_for "ឆ្នាំបង្កើតអង្គការ (ត្រូវតែឆ្លើយ)"
echo ":lang vi" >&3; wait_for "Ngôn ngữ: Vietnamese (vi)"
wait_for "Năm thành lập tổ chức"
expect_language "$ID" km ":lang alone writes nothing"
echo "2005" >&3; wait_for "Đã lưu: Tổ chức > Năm thành lập tổ chức = 2005"
expect_language "$ID" vi "the answer's save carries the switch"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
exec 3>&-
resume ':quit\n'
expect_contains "$TMP/stdout" "Ngôn ngữ: Vietnamese (vi)"
expect_contains "$TMP/stdout" "Loại hình tổ chức (bắt buộc)"

# An explicit --lang wins, and is what the interview was last shown in.
resume ':quit\n' --lang km
expect_contains "$TMP/stdout" "ភាសា៖ Khmer (km)"
expect_contains "$TMP/stdout" "ប្រភេទអង្គការ"
expect_language "$ID" km "resumed with --lang km"

# A stored language the form does not have: the form's default, with a one-line note.
sqlite3 "$DB" "UPDATE submissions SET language = 'fr' WHERE instance_id = '$ID'"
resume ':quit\n'
expect_contains "$TMP/stderr" "note: $ID was shown in language \"fr\", which its form does not have"
[ "$(wc -l <"$TMP/stderr")" = 1 ] || { cat "$TMP/stderr"; fail "more than one line on stderr"; }
expect_contains "$TMP/stdout" "Language: English (en) | :lang km :lang vi | :help"
expect_contains "$TMP/stdout" "Type of organisation"
expect_language "$ID" en "resumed in the default after an unknown language"
echo "interview_language_test: ok"
