# The store-backed fieldwork log end to end: `frame import|list`, `contact add`,
# `fieldwork due|status|rates --db`. Completed interviews are put in the store by
# tests/fieldwork/fieldwork_fixture (through the public store.h; it is built beside
# the ngosurvey binary).
#
# Part 1: study/frame.csv (45 organisations, every one with a final code from the
# frame file) imported; `rates --db` must print exactly what `rates --frame` prints.
#
# Part 2: a week of fieldwork on tests/data/fieldwork/frame_week.csv (12
# organisations, no dispositions), 2026-03-02 to 03-06, status on 03-09:
#   KH01 letter 03-02, appointment 03-03 (for 03-05), interview 03-05 by sokha 9/9 -> 1.1
#   KH02 letter 03-02, appointment 03-03 (for 03-06), interview 03-06 by sokha 6/9 -> 1.2
#   KH03 letter 03-02, refusal 03-04                                      -> 2.11 R
#   KH04 letter 03-02, 2.112 (known-respondent refusal, as a code) 03-04 -> 2.112 R
#   KH05 letter 03-02, non-contact 03-05                        -> 2.20 NC (open)
#   KH06 letter 03-02 (a pretest interview does not count)       -> 3.11 UH (open)
#   VN01 letter 03-02, appointment 03-03, interview 03-04 by lan 8/9 -> 1.1
#   VN02 letter 03-02, not-eligible 03-04                        -> 4.10 NE
#   VN03 letter 03-02, unknown-eligibility 03-05                 -> 3.20 UO (open)
#   VN04 letter 03-02, language 03-05                            -> 2.33 O
#   VN05 letter 03-02, appointment 03-06 for 03-12               -> 2.25 NC (open)
#   VN06 letter 03-02, unable-to-locate 03-06                    -> 3.18 UH (open)
#   and an interview of XX01, an organisation outside the frame (not counted).
# Counts: KH I=1 P=1 R=2 NC=1 UH=1; VN I=1 NC=1 O=1 UH=1 UO=1 NE=1;
#   overall I=2 P=1 R=2 NC=2 O=1 UH=2 UO=1 NE=1.
# Rates by hand (proportional e):
#   KH: e = 5/5 = 1; RR1 = 1/6, RR2 = 2/6, RR5 = 1/5, COOP1 = 1/4, REF1 = 2/6,
#       CON1 = 4/6, CON3 = 4/5
#   VN: e = 3/4; RR1 = 1/5, RR3 = 1/(3 + 0.75*2) = 1/4.5, RR5 = 1/3, COOP1 = 1/2,
#       COOP3 = 1/1, REF1 = 0, CON2 = 2/4.5
#   overall: e = 8/9; RR1 = 2/11, RR3 = 2/(8 + 3*8/9) = 0.1875, COOP1 = 2/6,
#       REF1 = 2/11, CON1 = 6/11, CON3 = 6/8
# Due (default Dillman schedule: steps at +0, +7, +7, +14, +21 days, overdue after 3):
#   KH06 step 2 first-visit due 03-02+7 = 03-09; KH05, VN03 step 3 reminder due
#   03-05+7 = 03-12; VN05 its appointment on 03-12; VN06 reminder 03-06+7 = 03-13.
source "$(dirname "$0")/lib.sh"
FIXTURE=${FIELDWORK_FIXTURE:-$(dirname "$NGOSURVEY")/fieldwork_fixture}
[ -x "$FIXTURE" ] || fail "no fixture program at $FIXTURE"
FORM=examples/ngo_profile.xlsx

# --- Part 1: the study frame --------------------------------------------------
DB=$TMP/study.db
expect_status 0 "$NGOSURVEY" frame import --db "$DB" study/frame.csv
expect_contains "$TMP/stdout" "study/frame.csv: 45 organisations imported into $DB: 45 added, 0 unchanged, 0 updated, 0 kept"
expect_status 0 "$NGOSURVEY" frame import --db "$DB" study/frame.csv
grep -qF "45 added" "$TMP/stdout" && fail "re-import added rows" || true
expect_contains "$TMP/stdout" ": 0 added, 45 unchanged, 0 updated, 0 kept"

# The stored frame lists back as the same frame: re-importing the listing changes nothing.
expect_status 0 "$NGOSURVEY" frame list --db "$DB" --format csv
cp "$TMP/stdout" "$TMP/listed.csv"
head -1 "$TMP/listed.csv" | grep -qx 'org_id,name,country,disposition,status,disposition_alt,runs_program,source,note' ||
  fail "frame list header: $(head -1 "$TMP/listed.csv")"
[ "$(wc -l <"$TMP/listed.csv")" = 46 ] || fail "frame list: $(wc -l <"$TMP/listed.csv") lines"
expect_status 0 "$NGOSURVEY" frame import --db "$DB" "$TMP/listed.csv"
expect_contains "$TMP/stdout" ": 0 added, 45 unchanged, 0 updated, 0 kept"

# rates --db equals rates --frame when every case's code comes from the frame.
for format in csv json text; do
  expect_status 0 "$NGOSURVEY" fieldwork rates --frame study/frame.csv --by country --format $format
  sed "s|study/frame.csv|SOURCE|" "$TMP/stdout" >"$TMP/from_frame"
  expect_status 0 "$NGOSURVEY" fieldwork rates --db "$DB" --by country --format $format
  sed "s|$DB|SOURCE|" "$TMP/stdout" >"$TMP/from_db"
  if [ $format = json ]; then
    # Only the source keys differ: "frame": path vs "frame": null, "db": path.
    grep -v '"frame"\|"db"' "$TMP/from_frame" >"$TMP/a"; grep -v '"frame"\|"db"' "$TMP/from_db" >"$TMP/b"
    diff "$TMP/a" "$TMP/b" || fail "rates --db json differs from --frame"
    expect_contains "$TMP/from_db" '"db": "SOURCE"'
  else
    diff "$TMP/from_frame" "$TMP/from_db" || fail "rates --db $format differs from --frame"
  fi
done
expect_status 0 "$NGOSURVEY" fieldwork rates --db "$DB" --by country --format csv
expect_contains "$TMP/stdout" "VN,RR1,0.722222"

# A changed row is updated and named; a frame with errors stores nothing.
sed 's/^KH03,Cambodian League/KH03,The Cambodian League/' study/frame.csv >"$TMP/changed.csv"
expect_status 0 "$NGOSURVEY" frame import --db "$DB" "$TMP/changed.csv"
expect_contains "$TMP/stdout" ": 0 added, 44 unchanged, 1 updated, 0 kept"
expect_contains "$TMP/stdout" "  updated KH03: name"
printf 'org_id,name,country\nA1,x,KH\nA1,y,KH\nB1,z,KH\n' >"$TMP/dup.csv"
expect_status 1 "$NGOSURVEY" frame import --db "$DB" "$TMP/dup.csv"
expect_contains "$TMP/stderr" "dup.csv:3:1: FW002: duplicate org_id 'A1' (first on line 2)"
printf 'org_id,title,country\nA1,x,KH\n' >"$TMP/nocol.csv"
expect_status 1 "$NGOSURVEY" frame import --db "$TMP/new.db" "$TMP/nocol.csv"
expect_contains "$TMP/stderr" "nocol.csv:1: FW001: missing required column 'name'"
[ ! -e "$TMP/new.db" ] || fail "a rejected frame created a store"
expect_status 0 "$NGOSURVEY" frame list --db "$DB" --format csv
[ "$(wc -l <"$TMP/stdout")" = 46 ] || fail "a rejected import changed the frame"
grep -q '^B1,' "$TMP/stdout" && fail "B1 was stored" || true
printf 'org_id,name,stratum\nS1,x,urban\n' >"$TMP/stratum.csv"
expect_status 1 "$NGOSURVEY" frame import --db "$DB" "$TMP/stratum.csv"
expect_contains "$TMP/stderr" "ST003: the stored frame groups by 'country', the import by 'stratum'"

# --- Part 2: a week of fieldwork -------------------------------------------------
DB=$TMP/week.db
expect_status 0 "$NGOSURVEY" frame import --db "$DB" tests/data/fieldwork/frame_week.csv
expect_contains "$TMP/stdout" "12 added"
add() { expect_status 0 "$NGOSURVEY" contact add --db "$DB" "$@"; }
for org in KH01 KH02 KH03 KH04 KH05 KH06 VN01 VN02 VN03 VN04 VN05 VN06; do
  add $org --date 2026-03-02 --mode letter --outcome no-reply --by office
done
expect_contains "$TMP/stdout" "contact #12 with VN06 on 2026-03-02 (letter): no-reply -> 3.11 Not attempted or worked"
add KH01 --date 2026-03-03 --mode visit --outcome appointment --appointment 2026-03-05 --by sokha
expect_contains "$TMP/stdout" "appointment on 2026-03-05"
add KH02 --date 2026-03-03 --mode visit --outcome appointment --appointment 2026-03-06 --by sokha
add KH03 --date 2026-03-04 --mode visit --outcome refusal --by sokha --note "director declined"
expect_contains "$TMP/stdout" "refusal -> 2.11 Refusal (closes the case)"
add KH04 --date 2026-03-04 --mode visit --outcome 2.112 --by sokha
expect_contains "$TMP/stdout" "2.112 -> 2.112 Known-respondent refusal (closes the case)"
add KH05 --date 2026-03-05 --mode visit --outcome non-contact --by sokha
add VN01 --date 2026-03-03 --mode phone --outcome appointment --appointment 2026-03-04 --by lan
add VN02 --date 2026-03-04 --mode visit --outcome not-eligible --by lan
add VN03 --date 2026-03-05 --mode visit --outcome unknown-eligibility --by lan
add VN04 --date 2026-03-05 --mode visit --outcome language --by lan
add VN05 --date 2026-03-06 --mode visit --outcome appointment --appointment 2026-03-12 --by lan
add VN06 --date 2026-03-06 --mode visit --outcome unable-to-locate --by lan

# Refused contacts: clear errors, nothing stored.
expect_status 1 "$NGOSURVEY" contact add --db "$DB" KH05 --date 2099-01-01 --mode visit --outcome refusal
expect_contains "$TMP/stderr" "FW043: contact date 2099-01-01 is in the future"
expect_status 1 "$NGOSURVEY" contact add --db "$DB" KH05 --date 2026-03-04 --mode visit --outcome refusal
expect_contains "$TMP/stderr" "FW044: contact date 2026-03-04 is before the latest contact with 'KH05' (2026-03-05)"
expect_status 1 "$NGOSURVEY" contact add --db "$DB" XX01 --date 2026-03-04 --mode visit --outcome refusal
expect_contains "$TMP/stderr" "FW042: organisation 'XX01' is not in the sample frame of the store"
expect_status 1 "$NGOSURVEY" contact add --db "$DB" KH05 --date 2026-03-06 --mode visit --outcome 2.2
expect_contains "$TMP/stderr" "FW041: unknown contact outcome '2.2' (did you mean '2.20'?"
expect_status 2 "$NGOSURVEY" contact add --db "$DB" KH05 --date 2026-03-32 --mode visit --outcome refusal
expect_status 2 "$NGOSURVEY" contact add --db "$DB" KH05 --date 2026-03-06 --mode fax --outcome refusal

# Interviews (the pretest one and the one outside the frame do not count).
"$FIXTURE" "$DB" "$FORM" KH01,sokha,2026-03-05,9 KH02,sokha,2026-03-06,6 VN01,lan,2026-03-04,8 \
  KH06,sokha,2026-03-01,9,pretest XX01,lan,2026-03-06,9 || fail "fixture"

expect_status 0 "$NGOSURVEY" fieldwork rates --db "$DB" --by country --format csv
cat >"$TMP/want.csv" <<'CSV'
group,measure,value
KH,I,1
KH,P,1
KH,R,2
KH,NC,1
KH,O,0
KH,UH,1
KH,UO,0
KH,NE,0
KH,e_method,proportional
KH,e,1.000000
KH,RR1,0.166667
KH,RR2,0.333333
KH,RR3,0.166667
KH,RR4,0.333333
KH,RR5,0.200000
KH,RR6,0.400000
KH,COOP1,0.250000
KH,COOP2,0.500000
KH,COOP3,0.250000
KH,COOP4,0.500000
KH,REF1,0.333333
KH,REF2,0.333333
KH,REF3,0.400000
KH,CON1,0.666667
KH,CON2,0.666667
KH,CON3,0.800000
VN,I,1
VN,P,0
VN,R,0
VN,NC,1
VN,O,1
VN,UH,1
VN,UO,1
VN,NE,1
VN,e_method,proportional
VN,e,0.750000
VN,RR1,0.200000
VN,RR2,0.200000
VN,RR3,0.222222
VN,RR4,0.222222
VN,RR5,0.333333
VN,RR6,0.333333
VN,COOP1,0.500000
VN,COOP2,0.500000
VN,COOP3,1.000000
VN,COOP4,1.000000
VN,REF1,0.000000
VN,REF2,0.000000
VN,REF3,0.000000
VN,CON1,0.400000
VN,CON2,0.444444
VN,CON3,0.666667
overall,I,2
overall,P,1
overall,R,2
overall,NC,2
overall,O,1
overall,UH,2
overall,UO,1
overall,NE,1
overall,e_method,proportional
overall,e,0.888889
overall,RR1,0.181818
overall,RR2,0.272727
overall,RR3,0.187500
overall,RR4,0.281250
overall,RR5,0.250000
overall,RR6,0.375000
overall,COOP1,0.333333
overall,COOP2,0.500000
overall,COOP3,0.400000
overall,COOP4,0.600000
overall,REF1,0.181818
overall,REF2,0.187500
overall,REF3,0.250000
overall,CON1,0.545455
overall,CON2,0.562500
overall,CON3,0.750000
CSV
diff "$TMP/want.csv" "$TMP/stdout" || fail "rates --db csv"
expect_status 0 "$NGOSURVEY" fieldwork rates --db "$DB" --e 0.5 --format json
expect_contains "$TMP/stdout" '"e_fixed": 0.5'
expect_contains "$TMP/stdout" '"RR3": 0.210526315789473'   # 2 / (8 + 0.5*3) = 0.2105263...

expect_status 0 "$NGOSURVEY" fieldwork due --db "$DB" --date 2026-03-09 --format csv
cat >"$TMP/want_due.csv" <<'CSV'
org_id,action,step,mode,due,status,days_late
KH06,first-visit,2,visit,2026-03-09,due,0
KH05,reminder,3,phone,2026-03-12,upcoming,0
VN03,reminder,3,phone,2026-03-12,upcoming,0
VN05,appointment,0,visit,2026-03-12,upcoming,0
VN06,reminder,3,phone,2026-03-13,upcoming,0
CSV
diff "$TMP/want_due.csv" "$TMP/stdout" || fail "due csv"
expect_status 0 "$NGOSURVEY" fieldwork due --db "$DB" --date 2026-03-09
expect_contains "$TMP/stdout" "0 overdue, 1 due, 4 upcoming; 7 closed, 0 with every step made"
# On 03-14 only KH06 (5 days late) is past the 3 grace days; with grace_days = 1 so
# are KH05, VN03 and VN05 (2 days late), not VN06 (1 day).
expect_status 0 "$NGOSURVEY" fieldwork due --db "$DB" --date 2026-03-14
expect_contains "$TMP/stdout" "1 overdue, 4 due, 0 upcoming"
sed 's/^grace_days = 3 /grace_days = 1 /' tests/data/fieldwork/schedule_default.toml >"$TMP/s.toml"
expect_status 0 "$NGOSURVEY" fieldwork due --db "$DB" --date 2026-03-14 --schedule "$TMP/s.toml"
expect_contains "$TMP/stdout" "4 overdue, 1 due, 0 upcoming"
printf '[[steps]]\nname = "x"\nmode = "fax"\ndays_after_previous = 1\n' >"$TMP/bad.toml"
expect_status 1 "$NGOSURVEY" fieldwork due --db "$DB" --schedule "$TMP/bad.toml"
expect_contains "$TMP/stderr" "bad.toml:3:8: FW033: unknown mode 'fax'"

expect_status 0 "$NGOSURVEY" fieldwork status --db "$DB" --by country --date 2026-03-14
cp "$TMP/stdout" "$TMP/status.txt"
expect_contains "$TMP/status.txt" "Fieldwork status of $DB on 2026-03-14: 12 organisations, 3 interviews"
expect_contains "$TMP/status.txt" "code            KH      VN overall  label"
expect_contains "$TMP/status.txt" "1.1    I         1       1       2  Complete interview"
expect_contains "$TMP/status.txt" "1.2    P         1       0       1  Partial interview"
expect_contains "$TMP/status.txt" "2.112  R         1       0       1  Known-respondent refusal"
expect_contains "$TMP/status.txt" "3.11   UH        1       0       1  Not attempted or worked"
expect_contains "$TMP/status.txt" "open             2       3       5  (still in the field)"
expect_contains "$TMP/status.txt" "  sokha              2  (1 x 1.1, 1 x 1.2)"
expect_contains "$TMP/status.txt" "  lan                1  (1 x 1.1)"
expect_contains "$TMP/status.txt" "  2026-03-04    1"
expect_contains "$TMP/status.txt" "  2026-03-06    1"
expect_contains "$TMP/status.txt" "(1 completed interviews name an organisation outside the frame)"
expect_contains "$TMP/status.txt" "Overdue follow-ups (default schedule): 1"
expect_contains "$TMP/status.txt" "  KH06      first-visit     due 2026-03-09  5 days late"
expect_status 0 "$NGOSURVEY" fieldwork status --db "$DB" --date 2026-03-14 --format json
expect_contains "$TMP/stdout" '"open_cases": {'
expect_contains "$TMP/stdout" '"overall": 5'
expect_status 2 "$NGOSURVEY" fieldwork status --db "$DB" --by region

# Neither or both sources is a usage error; a store without a frame is an input error.
expect_status 2 "$NGOSURVEY" fieldwork rates
expect_status 2 "$NGOSURVEY" fieldwork rates --db "$DB" --frame study/frame.csv
"$FIXTURE" "$TMP/empty.db" "$FORM" || fail "fixture"
expect_status 1 "$NGOSURVEY" fieldwork rates --db "$TMP/empty.db"
expect_contains "$TMP/stderr" "FW040: the store has no sample frame"
echo "fieldwork_store_test: ok"
