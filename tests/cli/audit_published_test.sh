#!/usr/bin/env bash
# ngosurvey audit-published: the CSV columns and a few rows on the real study files,
# the Markdown and HTML renderings, writing with -o, and bad input (error with file,
# line and column, non-zero exit, no output file).
source "$(dirname "$0")/lib.sh"
D=tests/data/audit_published

# --- the study, as CSV -----------------------------------------------------------
expect_status 0 "$NGOSURVEY" audit-published --tables study/published_tables.csv \
  --bases study/bases.toml --format csv
head -1 "$TMP/stdout" >"$TMP/header"
[ "$(cat "$TMP/header")" = "table,item_id,option_id,country,published_value,base,consistent,nearest_count,nearest_percent,consistent_bases" ] ||
  fail "CSV header is $(cat "$TMP/header")"
[ "$(wc -l <"$TMP/stdout")" -eq 193 ] || fail "expected 192 cells + header, got $(wc -l <"$TMP/stdout") lines"
# 43.8 is not k/14 (6/14 = 42.9); it is 7/16.
expect_contains "$TMP/stdout" "1,t1_years_working,years_1_4,KH,43.8,14,no,6,42.9,16"
# 56 = 14/25 exactly; also 9/16, 10/18, 15/27 at no decimals.
expect_contains "$TMP/stdout" "1,t1_presence_of_programs,value,KH,56,25,yes,14,56,16;18;27"
# Printed as 28.6 = 4/14 in the VN column (N = 13): nearest 4/13 = 30.8.
expect_contains "$TMP/stdout" "10,t10_partnership_engaged,value,VN,28.6,13,no,4,30.8,14;21;28"
# "No response" is reported as such, not as a number.
expect_contains "$TMP/stdout" "10,t10_supporting_agency,value,KH,,14,no_response,,,"
[ "$(grep -c ',no,' "$TMP/stdout")" -eq 15 ] || fail "expected 15 inconsistent cells"

# --- Markdown and HTML -----------------------------------------------------------
expect_status 0 "$NGOSURVEY" audit-published --tables study/published_tables.csv \
  --bases study/bases.toml --format md
expect_contains "$TMP/stdout" "| **inconsistent with their base** | 15 |"
expect_contains "$TMP/stdout" "### Transposed cells (1)"
expect_contains "$TMP/stdout" "### Column computed on another base (1)"

expect_status 0 "$NGOSURVEY" audit-published --tables study/published_tables.csv \
  --bases study/bases.toml --format html -o "$TMP/audit.html"
[ -s "$TMP/audit.html" ] || fail "no HTML written"
expect_contains "$TMP/audit.html" "<!DOCTYPE html>"
expect_contains "$TMP/audit.html" "<style>"
if grep -qE 'https?://|<script|<link' "$TMP/audit.html"; then fail "HTML is not self-contained"; fi
expect_contains "$TMP/stderr" "192 cells audited: 15 inconsistent"

# --fail-on-findings turns findings into exit status 1.
expect_status 1 "$NGOSURVEY" audit-published --tables study/published_tables.csv \
  --bases study/bases.toml --format csv --fail-on-findings -o "$TMP/with_findings.csv"
[ -s "$TMP/with_findings.csv" ] || fail "report not written with --fail-on-findings"

# A small valid pair: the no-response cell of a country with its own item base.
expect_status 0 "$NGOSURVEY" audit-published --tables $D/good.csv --bases $D/bases.toml --format csv
expect_contains "$TMP/stdout" "1,partner,value,LA,,10,no_response,,,"
expect_contains "$TMP/stdout" "1,partner,value,KH,61.5,14,no,9,64.3,13;26"

# --- bad input: error with location, exit 1, no output file ----------------------
bad() {  # bad TABLES BASES EXPECTED-TEXT...
  local tables=$1 bases=$2; shift 2
  rm -f "$TMP/out.csv"
  expect_status 1 "$NGOSURVEY" audit-published --tables "$tables" --bases "$bases" \
    --format csv -o "$TMP/out.csv"
  for text in "$@"; do expect_contains "$TMP/stderr" "$text"; done
  [ ! -e "$TMP/out.csv" ] || fail "output written despite the error ($tables, $bases)"
  if ls "$TMP" | grep -q '^out\.csv\.'; then fail "temporary file left behind"; fi
}
bad $D/not_a_number.csv $D/bases.toml "$D/not_a_number.csv:3:8: AUD002" "'4x.8' is not a number"
bad $D/unknown_item.csv $D/bases.toml "$D/unknown_item.csv:3:3: AUD003" "unknown item 'yeers'" \
  "did you mean 'years'"
bad $D/missing_base.csv $D/bases.toml "$D/missing_base.csv:3:7: AUD004" "no base for country 'TH'"
bad $D/empty_value.csv $D/bases.toml "$D/empty_value.csv:2:8: AUD007"
bad $D/good.csv $D/malformed.toml "$D/malformed.toml:" "AUD005: malformed TOML"
bad $D/good.csv $D/unknown_key.toml "$D/unknown_key.toml:4:1: AUD006" "unknown key 'bases'"

# Missing files are I/O errors (exit 3); a bad --format is a usage error (exit 2).
expect_status 3 "$NGOSURVEY" audit-published --tables $D/no_such.csv --bases $D/bases.toml
expect_status 2 "$NGOSURVEY" audit-published --tables $D/good.csv --bases $D/bases.toml --format pdf
echo "audit_published_test: ok"
