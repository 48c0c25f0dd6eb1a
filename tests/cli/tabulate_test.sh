#!/usr/bin/env bash
# ngosurvey tabulate: the quick form's long CSV layout (a public interface), the
# figures of the fixture (tests/data/tabulate/README.md says how they arise), the
# spec form in every format, and bad input.
source "$(dirname "$0")/lib.sh"
D=tests/data/tabulate
# The data in a folder of the test's own, made read-only as shared data may be: the
# binary cache goes to the user's cache folder ($XDG_CACHE_HOME/ngosurvey, the test's
# own: lib.sh), never beside the data.
mkdir "$TMP/shared"
cp $D/data.csv "$TMP/shared/data.csv"
chmod a-w "$TMP/shared"
CACHES="$XDG_CACHE_HOME/ngosurvey"

expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/shared/data.csv" --by country --format csv
cp "$TMP/stdout" "$TMP/quick.csv"
# The second run maps the binary cache the first one wrote, with the same output;
# --no-cache parses the CSV again, with the same output too.
ls "$CACHES"/data.csv-*.ngocache >/dev/null 2>&1 || fail "no cache written in $CACHES"
[ "$(ls "$TMP/shared")" = "data.csv" ] || fail "something was written beside the data: $(ls "$TMP/shared")"
cache_file=$(ls "$CACHES"/data.csv-*.ngocache)
stamp=$(stat -c %i.%Y "$cache_file")  # a rewrite is a new file (renamed into place)
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/shared/data.csv" --by country --format csv
cmp -s "$TMP/stdout" "$TMP/quick.csv" || fail "output from the cache differs"
[ "$(stat -c %i.%Y "$cache_file")" = "$stamp" ] || fail "the second run rewrote the cache instead of mapping it"
rm "$cache_file"
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/shared/data.csv" --by country --format csv --no-cache
cmp -s "$TMP/stdout" "$TMP/quick.csv" || fail "output with --no-cache differs"
[ ! -e "$cache_file" ] || fail "--no-cache wrote a cache"
chmod u+w "$TMP/shared"
cp $D/data.csv "$TMP/data.csv"
[ "$(head -1 "$TMP/quick.csv")" = "item,option,group,statistic,value" ] || fail "header: $(head -1 "$TMP/quick.csv")"
value() {  # value ITEM OPTION GROUP STATISTIC
  awk -F, -v i="$1" -v o="$2" -v g="$3" -v s="$4" '$1==i && $2==o && $3==g && $4==s {print $5}' "$TMP/quick.csv"
}
check() {  # check ITEM OPTION GROUP STATISTIC WANT
  local got; got=$(value "$1" "$2" "$3" "$4")
  [ "$got" = "$5" ] || fail "$1,$2,$3,$4 = '$got', wanted '$5'"
}
check training yes KH count 14
check training yes KH n 14
check training yes KH percent 100.0
check training yes VN count 5
check training yes VN n 12          # the refusal is not in the base of "answered"
check training yes VN percent 41.7
check training "" VN n_refused 1
check training "" VN n_total 13
check media yes VN n 5
check media "" VN n_not_asked 8     # relevance: asked only after training = yes
check media "" VN n_missing 0
check funding un KH count 14
check funding own KH count 10
check funding "" KH mentions_total 24
check staff "" KH mean 7.5
check staff "" KH median 7.5
check staff "" VN n 12
check staff "" VN n_dont_know 1
# Every statistic the layout names is present for a select option and group.
for s in n count percent prop wilson_lo wilson_hi cp_lo cp_hi jeffreys_lo jeffreys_hi ac_lo ac_hi; do
  [ -n "$(value training yes VN $s)" ] || fail "missing statistic $s"
done
for s in fisher_p fisher_p_holm fisher_p_bh; do
  [ -n "$(value training yes KH-VN $s)" ] || fail "missing $s for the KH-VN pair"
done
[ -n "$(value training "" KH-VN fisher_p)" ] || fail "missing the item's r x c fisher_p"
[ -n "$(value funding un KH prop_of_mentions)" ] || fail "missing prop_of_mentions"
# The 2x2 Fisher p of 14/14 vs 5/12: R fisher.test(matrix(c(14,5,0,7),2))$p.value = 0.0012040133779264211.
p=$(value training yes KH-VN fisher_p)
awk -v p="$p" 'BEGIN { exit !(p > 0.0012040133 && p < 0.0012040134) }' || fail "fisher_p $p"

# --items and --denominator all.
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --items training --denominator all --format csv
grep -q '^training,yes,VN,n,13$' "$TMP/stdout" || fail "denominator all: base 13"
! grep -q '^funding,' "$TMP/stdout" || fail "--items training still shows funding"

# A spec, in every format.
cat > "$TMP/spec.toml" <<'TOML'
[[table]]
id = "t1"
title = "Training and funding"
by = "country"
total = true

[[table.row]]
item = "training"

[[table.row]]
item = "funding"
mentions = true

[[table.row]]
item = "big"
derived = "${staff} > 10"
label = "More than 10 staff"
TOML
for format in md csv html tex; do
  expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/spec.toml" --form $D/form.xlsx --data "$TMP/data.csv" --format $format
  [ -s "$TMP/stdout" ] || fail "empty $format output"
done
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/spec.toml" --form $D/form.xlsx --data "$TMP/data.csv" --format csv
[ "$(head -1 "$TMP/stdout")" = "item,option,group,statistic,value,table" ] || fail "spec csv header"
grep -q '^big,yes,KH,count,4,t1$' "$TMP/stdout" || fail "derived variable count"
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/spec.toml" --form $D/form.xlsx --data "$TMP/data.csv" --format xlsx -o "$TMP/t.xlsx"
# (unzip's listing goes to a file first: with pipefail, grep -q closing the pipe early
# would fail the pipeline with SIGPIPE whenever unzip writes after the match.)
unzip -l "$TMP/t.xlsx" > "$TMP/listing" || fail "xlsx is not a zip"
grep -q 'xl/workbook.xml' "$TMP/listing" || fail "xlsx is not a workbook"

# Bad input: a misspelt key names its line; nothing is written to -o.
printf '[[table]]\nid = "a"\n[[table.row]]\nitme = "training"\n' > "$TMP/bad.toml"
expect_status 1 "$NGOSURVEY" tabulate --spec "$TMP/bad.toml" --form $D/form.xlsx --data "$TMP/data.csv" --format md -o "$TMP/out.md"
expect_contains "$TMP/stderr" "bad.toml:4: TS002: unknown key 'itme'"
[ ! -e "$TMP/out.md" ] || fail "a failed run wrote its output"
# A value that is not an option names its line and column.
sed 's/^\(2011-04-0[0-9]\),KH,yes,un,/\1,KH,maybe,un,/' $D/data.csv > "$TMP/bad.csv"
expect_status 1 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/bad.csv" --by country --format csv
expect_contains "$TMP/stderr" "bad.csv:2:3: D003: 'maybe' is not an option of yes_no (question 'training')"
echo "tabulate: ok"
