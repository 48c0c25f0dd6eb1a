#!/usr/bin/env bash
# ngosurvey expr: eval with answers and a fixed clock, errors with a caret and exit
# status 1, usage errors, and `expr functions --format md` being docs/expressions.md.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$NGOSURVEY" expr eval "1 + 2 * 3"
[ "$(cat "$TMP/stdout")" = "7" ] || fail "1 + 2 * 3 gave $(cat "$TMP/stdout")"

expect_status 0 "$NGOSURVEY" expr eval "selected(\${a}, 'x') and \${b} > 3" --set "a=x y" --set b=5
[ "$(cat "$TMP/stdout")" = "true" ] || fail "selected gave $(cat "$TMP/stdout")"

expect_status 0 "$NGOSURVEY" expr eval "string-length(\${name})" --set "name=ភាសាខ្មែរ"
[ "$(cat "$TMP/stdout")" = "9" ] || fail "string-length gave $(cat "$TMP/stdout")"

expect_status 0 "$NGOSURVEY" expr eval "today() - \${dob}" --set dob:date=2024-03-01 \
  --now 2024-03-15T10:30:00+07:00
[ "$(cat "$TMP/stdout")" = "14" ] || fail "date difference gave $(cat "$TMP/stdout")"

expect_status 0 "$NGOSURVEY" expr eval "now()" --now 2024-03-15T23:30:00-05:00
[ "$(cat "$TMP/stdout")" = "2024-03-15T23:30:00.000-05:00" ] || fail "now() gave $(cat "$TMP/stdout")"

# Errors: code, message, the expression and a caret under the offending token.
expect_status 1 "$NGOSURVEY" expr eval "\${age} > > 3" --set age=3
expect_contains "$TMP/stderr" "error: E042: expected a value but found '>'"
expect_contains "$TMP/stderr" "    \${age} > > 3"
expect_contains "$TMP/stderr" "             ^"

expect_status 1 "$NGOSURVEY" expr eval "\${nope} + 1"
expect_contains "$TMP/stderr" "E052: unknown name 'nope'"

expect_status 1 "$NGOSURVEY" expr eval "count-selectd(\${a})" --set a=x
expect_contains "$TMP/stderr" "did you mean 'count-selected'?"

expect_status 2 "$NGOSURVEY" expr eval "1" --set novalue
expect_status 2 "$NGOSURVEY" expr eval "1" --set a:colour=red
expect_status 2 "$NGOSURVEY" expr eval "1" --now yesterday

# The docs page is the function table's Markdown.
expect_status 0 "$NGOSURVEY" expr functions --format md
cmp -s "$TMP/stdout" docs/expressions.md ||
  fail "docs/expressions.md is out of date: ngosurvey expr functions --format md > docs/expressions.md"
expect_status 0 "$NGOSURVEY" expr functions
expect_contains "$TMP/stdout" "count-selected(answer: string) -> number"
echo "expr: ok"
