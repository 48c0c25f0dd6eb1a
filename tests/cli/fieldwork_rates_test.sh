# `ngosurvey fieldwork rates` and `fieldwork dispositions` end to end, on the frame
# fixture tests/data/fieldwork/frame.csv. The expected values are computed by hand:
#   KH: I=4 R=1 UO=1 (6 cases); e = 5/5 = 1
#   LA: NE=1 only; e = 0/1 = 0; every rate has a zero denominator
#   VN: I=1 P=1 NC=1 O=1 UH=1 NE=1; e = 4/5
#       RR3 = 1/(2+2+0.8*1) = 1/4.8, CON2 = 3/(2+0+1+1+0.8) = 3/4.8
#   overall: I=5 P=1 R=1 NC=1 O=1 UH=1 UO=1 NE=2; e = 9/11
#       RR1 = 5/11, RR3 = 5/(9+2*9/11) = 55/117, COOP3 = 5/(6+1) = 5/7, CON1 = 8/11
source "$(dirname "$0")/lib.sh"
FRAME=tests/data/fieldwork/frame.csv

# The CSV layout, pinned whole: group,measure,value; counts, e, then every rate;
# a rate that cannot be computed has an empty value.
expect_status 0 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --by country --format csv
cat >"$TMP/want.csv" <<'EOF'
group,measure,value
KH,I,4
KH,P,0
KH,R,1
KH,NC,0
KH,O,0
KH,UH,0
KH,UO,1
KH,NE,0
KH,e_method,proportional
KH,e,1.000000
KH,RR1,0.666667
KH,RR2,0.666667
KH,RR3,0.666667
KH,RR4,0.666667
KH,RR5,0.800000
KH,RR6,0.800000
KH,COOP1,0.800000
KH,COOP2,0.800000
KH,COOP3,0.800000
KH,COOP4,0.800000
KH,REF1,0.166667
KH,REF2,0.166667
KH,REF3,0.200000
KH,CON1,0.833333
KH,CON2,0.833333
KH,CON3,1.000000
LA,I,0
LA,P,0
LA,R,0
LA,NC,0
LA,O,0
LA,UH,0
LA,UO,0
LA,NE,1
LA,e_method,proportional
LA,e,0.000000
LA,RR1,
LA,RR2,
LA,RR3,
LA,RR4,
LA,RR5,
LA,RR6,
LA,COOP1,
LA,COOP2,
LA,COOP3,
LA,COOP4,
LA,REF1,
LA,REF2,
LA,REF3,
LA,CON1,
LA,CON2,
LA,CON3,
VN,I,1
VN,P,1
VN,R,0
VN,NC,1
VN,O,1
VN,UH,1
VN,UO,0
VN,NE,1
VN,e_method,proportional
VN,e,0.800000
VN,RR1,0.200000
VN,RR2,0.400000
VN,RR3,0.208333
VN,RR4,0.416667
VN,RR5,0.250000
VN,RR6,0.500000
VN,COOP1,0.333333
VN,COOP2,0.666667
VN,COOP3,0.500000
VN,COOP4,1.000000
VN,REF1,0.000000
VN,REF2,0.000000
VN,REF3,0.000000
VN,CON1,0.600000
VN,CON2,0.625000
VN,CON3,0.750000
overall,I,5
overall,P,1
overall,R,1
overall,NC,1
overall,O,1
overall,UH,1
overall,UO,1
overall,NE,2
overall,e_method,proportional
overall,e,0.818182
overall,RR1,0.454545
overall,RR2,0.545455
overall,RR3,0.470085
overall,RR4,0.564103
overall,RR5,0.555556
overall,RR6,0.666667
overall,COOP1,0.625000
overall,COOP2,0.750000
overall,COOP3,0.714286
overall,COOP4,0.857143
overall,REF1,0.090909
overall,REF2,0.094017
overall,REF3,0.111111
overall,CON1,0.727273
overall,CON2,0.752137
overall,CON3,0.888889
EOF
diff -u "$TMP/want.csv" "$TMP/stdout" || fail "CSV output differs"

# A fixed e: overall RR3 = 5/(9 + 0.5*2) = 0.5; without --by only the overall group.
expect_status 0 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --e 0.5 --format csv
expect_contains "$TMP/stdout" "overall,e_method,fixed"
expect_contains "$TMP/stdout" "overall,e,0.500000"
expect_contains "$TMP/stdout" "overall,RR3,0.500000"
[ "$(grep -c '^overall,' "$TMP/stdout")" = 26 ] || fail "want 26 overall rows"
[ "$(wc -l <"$TMP/stdout")" = 27 ] || fail "want only the overall group without --by"

# Text: the counts beside the rates, the e used, and why a rate is n/a.
expect_status 0 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --by country
expect_contains "$TMP/stdout" "e = (I+P+R+NC+O) / (I+P+R+NC+O+NE), estimated in each group (proportional)"
expect_contains "$TMP/stdout" "RR3      66.7%      n/a    20.8%    47.0%"
expect_contains "$TMP/stdout" "LA: RR1, RR2, RR3, RR4, RR5, RR6, COOP1, COOP2, COOP3, COOP4, REF1, REF2, REF3, CON1, CON2, CON3: denominator is zero"

# JSON: null with a reason for what cannot be computed.
expect_status 0 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --by country --format json
python3 - "$TMP/stdout" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["by"] == "country" and doc["e_method"] == "proportional", doc
groups = {g["group"]: g for g in doc["groups"]}
assert list(groups) == ["KH", "LA", "VN", "overall"], list(groups)
assert groups["LA"]["rates"]["RR1"] is None
assert groups["LA"]["cannot_compute"]["RR1"] == "denominator is zero"
assert abs(groups["VN"]["rates"]["RR3"] - 1 / 4.8) < 1e-12
assert groups["overall"]["counts"]["total"] == 13
EOF

# Errors: a bad --e and an unknown --by column are usage errors (2); a broken
# frame is an input error (1) with every problem located.
expect_status 2 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --e 1.5
expect_contains "$TMP/stderr" "FW020: --e must be 'proportional' or a number from 0 to 1, not '1.5'"
expect_status 2 "$NGOSURVEY" fieldwork rates --frame "$FRAME" --by region
expect_contains "$TMP/stderr" "FW012: no column 'region' in the sample frame"
printf 'org_id,name,country,disposition\nA,a,KH,1.1\nA,b,KH,2.2\n' >"$TMP/bad.csv"
expect_status 1 "$NGOSURVEY" fieldwork rates --frame "$TMP/bad.csv"
expect_contains "$TMP/stderr" "bad.csv:3:1: FW002: duplicate org_id 'A' (first on line 2)"
expect_contains "$TMP/stderr" "bad.csv:3:4: FW003: unknown disposition code '2.2' (did you mean '2.20'?"
expect_status 3 "$NGOSURVEY" fieldwork rates --frame "$TMP/missing.csv"

# The reference study's reconstructed frame uses only codes of the table.
if [ -f study/frame.csv ]; then
  expect_status 0 "$NGOSURVEY" fieldwork rates --frame study/frame.csv --by country --format csv
  expect_contains "$TMP/stdout" "overall,e_method,proportional"
fi

# The code table.
expect_status 0 "$NGOSURVEY" fieldwork dispositions --format csv
expect_contains "$TMP/stdout" "code,category,label"
for row in "1.1,I," "2.11,R," "2.20,NC," "3.20,UO," "4.10,NE," "3.10,UH,"; do
  expect_contains "$TMP/stdout" "$row"
done
echo "ok"
