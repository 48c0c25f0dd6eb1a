#!/usr/bin/env bash
# ngosurvey tabulate with a sampling design (--weight/--strata/--cluster/--fpc, or the
# spec's keys): the long CSV layout's design-based statistics (a public interface: se,
# deff, ci_lo, ci_hi, n_weighted, rao_scott_p), one figure against R's survey package, the
# unweighted layout left as it was, and bad designs. Every figure of a weighted table is
# checked against R in src/analysis/tabulate_design_test.cpp; this is the command's path.
source "$(dirname "$0")/lib.sh"
D=tests/data/tabulate
# The fixture without the respondent whose staff count (the weight here) is unknown.
awk -F, 'NR == 1 || $8 != "dont_know"' $D/data.csv > "$TMP/data.csv"
[ "$(wc -l < "$TMP/data.csv")" -eq 27 ] || fail "expected 26 respondents with a staff count"

expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --weight staff --total --format csv --no-cache
cp "$TMP/stdout" "$TMP/weighted.csv"
value() {  # value ITEM OPTION GROUP STATISTIC
  awk -F, -v i="$1" -v o="$2" -v g="$3" -v s="$4" '$1==i && $2==o && $3==g && $4==s {print $5}' "$TMP/weighted.csv"
}
# The statistics of a weighted proportion, in this order, and no binomial intervals.
stats=$(awk -F, '$1=="training" && $2=="yes" && $3=="VN" {printf "%s ", $4}' "$TMP/weighted.csv")
[ "$stats" = "n count percent prop se deff ci_lo ci_hi n_weighted " ] || fail "statistics: $stats"
[ "$(value training yes VN n)" = 12 ] || fail "n is the unweighted base"
[ "$(value training yes VN count)" = 5 ] || fail "count is the unweighted count"
grep -q ',wilson_lo,' "$TMP/weighted.csv" && fail "a weighted table printed Wilson intervals"
[ -n "$(value training yes KH-VN rao_scott_p)" ] || fail "no rao_scott_p for the pair"
[ -n "$(value training "" KH-VN rao_scott_p)" ] || fail "no rao_scott_p for the item"
grep -q ',fisher_p' "$TMP/weighted.csv" && fail "a weighted table printed Fisher tests"

# One figure against R: the weighted share of "yes" among VN's answers and its se.
Rscript --vanilla - "$TMP/data.csv" > "$TMP/r.txt" 2> "$TMP/r.err" <<'RSCRIPT' || fail "R: $(cat "$TMP/r.err")"
suppressMessages(library(survey))
d <- read.csv(commandArgs(TRUE)[1], check.names = FALSE)
d$y <- as.numeric(d[["prog/training"]] == "yes")
des <- svydesign(ids = ~1, weights = ~`prog/staff`, data = d)
# The domain (VN's answers) within the whole design, not VN as if it were the sample.
m <- svymean(~y, des[d$country == "VN" & d[["prog/training"]] %in% c("yes", "no"), ])
cat(sprintf("%.12f %.12f\n", coef(m), SE(m)))
RSCRIPT
read -r r_prop r_se < "$TMP/r.txt"
ours=$(printf '%.12f %.12f' "$(value training yes VN prop)" "$(value training yes VN se)")
[ "$ours" = "$r_prop $r_se" ] || fail "prop and se: ngosurvey $ours, R $r_prop $r_se"

# Without a design the layout is the unweighted one, byte for byte as before.
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --total --format csv --no-cache
grep -q ',fisher_p,' "$TMP/stdout" || fail "the unweighted table lost its Fisher tests"
grep -q ',se,' "$TMP/stdout" && fail "the unweighted table printed design statistics"

# A numeric cluster (or stratum) that no table shows or weighs with is read as codes of its
# values (all the design reads of it); shown too, it is read as numbers: the same rows either
# way (the second table has the item's own rows besides).
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --items training --cluster staff --total --format csv --no-cache
cp "$TMP/stdout" "$TMP/codes.csv"
grep -q ',se,' "$TMP/codes.csv" || fail "clusters as codes: no design statistics"
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --items training,staff --cluster staff --total --format csv --no-cache
grep -q '^staff,' "$TMP/stdout" || fail "the shown cluster has no rows"
grep -v '^staff,' "$TMP/stdout" | cmp -s "$TMP/codes.csv" - ||
  fail "clusters as codes and as numbers differ"

# The Markdown table names the design and its test.
expect_status 0 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --weight staff --strata country --format md --no-cache
grep -q 'Rao-Scott p' "$TMP/stdout" || fail "markdown: no Rao-Scott column"
grep -q 'Weighted (weight staff, strata country' "$TMP/stdout" || fail "markdown: no design note"

# Bad designs: a missing weight names the row; an unknown column; a bad lonely-PSU rule.
expect_status 1 "$NGOSURVEY" tabulate --form $D/form.xlsx --data $D/data.csv --by country \
  --weight staff --format csv --no-cache
grep -q 'SVY001: in the data, row 27: the weight is missing' "$TMP/stderr" || fail "$(cat "$TMP/stderr")"
expect_status 1 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --weight nonexistent --format csv --no-cache
grep -q "unknown weight column 'nonexistent'" "$TMP/stderr" || fail "$(cat "$TMP/stderr")"
expect_status 2 "$NGOSURVEY" tabulate --form $D/form.xlsx --data "$TMP/data.csv" --by country \
  --weight staff --lonely-psu drop --format csv --no-cache
echo "tabulate_weighted: ok"
