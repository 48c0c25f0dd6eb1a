#!/usr/bin/env bash
# The reference study's instrument in the terminal interviewer: a Cambodian NGO with
# programs in Khmer, one without in English, a Vietnamese NGO in Vietnamese, each
# answered from its SYNTHETIC row; then the study's tables from the store.
source "$(dirname "$0")/lib.sh"
DB="$TMP/study.db"
python3 tests/cli/study_interview.py "$DB" KH03:km KH01:en VN05:vi
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --spec study/tables.toml --format csv
# Table 1's presence row: 1 of the 2 Cambodian NGOs runs programs, the Vietnamese one does.
grep -q '^t1_presence_of_programs,yes,KH,count,1,1$' "$TMP/stdout" || fail "KH presence count"
grep -q '^t1_presence_of_programs,yes,VN,count,1,1$' "$TMP/stdout" || fail "VN presence count"
echo "study_interview_test: ok"
