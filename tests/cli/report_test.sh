#!/usr/bin/env bash
# `ngosurvey synth` and `ngosurvey report` on the reference study, as the README runs them.
source "$(dirname "$0")/lib.sh"

# synth writes the same bytes as the shipped data (deterministic, seed in study.toml).
expect_status 0 "$NGOSURVEY" synth study/ -o "$TMP/synthetic"
cmp "$TMP/synthetic/ngo_trafficking_roles_SYNTHETIC.csv" study/synthetic/ngo_trafficking_roles_SYNTHETIC.csv ||
  fail "synth output differs from study/synthetic/: run ngosurvey synth study/"
cmp "$TMP/synthetic/targets_SYNTHETIC.csv" study/synthetic/targets_SYNTHETIC.csv || fail "targets differ"
expect_contains "$TMP/stderr" "SYNTHETIC data: 38 respondents, seed 20090601"
# Every row says SYNTHETIC.
[ "$(tail -n +2 "$TMP/synthetic/ngo_trafficking_roles_SYNTHETIC.csv" | grep -vc '^SYNTHETIC,')" = 0 ] ||
  fail "a row without data_status SYNTHETIC"

# The report.
expect_status 0 "$NGOSURVEY" report study/ -o "$TMP/out"
expect_contains "$TMP/stderr" "report written: $TMP/out/report.html"
expect_contains "$TMP/out/report.html" 'class="synthetic-banner"'
expect_contains "$TMP/out/report.html" "Table 10. Coordination Efforts"
expect_contains "$TMP/out/report.html" "Read as 2.11 Refusal instead of 4.10"
expect_contains "$TMP/out/report.md" "> **SYNTHETIC DATA"
expect_contains "$TMP/out/report.md" "## Cells not reproduced"
# Published 56 (14 of 25 Cambodian NGOs run programs) is reproduced with its count.
grep -q "| Presence of anti-trafficking programs | (single value) | 56 | 56 | 14/25 |" "$TMP/out/report.md" ||
  fail "Table 1's presence row is not reproduced as 56 = 14/25"

# A broken study: the error names the file and row, and nothing is written.
cp -r study "$TMP/broken"
sed -i '2s/,KH,56,pct,/,KH,fifty-six,pct,/' "$TMP/broken/published_tables.csv"
expect_status 1 "$NGOSURVEY" report "$TMP/broken" -o "$TMP/out2"
expect_contains "$TMP/stderr" "published_tables.csv:2"
[ ! -e "$TMP/out2/report.html" ] || fail "a half report was written"

# A study folder without study.toml.
mkdir -p "$TMP/empty"
expect_status 3 "$NGOSURVEY" report "$TMP/empty" -o "$TMP/out3"
expect_contains "$TMP/stderr" "study.toml"
echo "report_test: ok"
