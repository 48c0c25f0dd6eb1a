#!/usr/bin/env bash
# Repeat groups as units of analysis (issue 17, item 2): a roster's items tabulated over
# its instances, grouped by fields of the household (the implicit join), from ODK
# Central's and Kobo's CSV layouts, from ngosurvey's own export and from the store, all
# giving the same table; the household's design and weight applied to its members and
# checked against R's survey package; unknown names on the command line are usage
# errors naming them; a field of another repeat is an error naming both.
source "$(dirname "$0")/lib.sh"
D=tests/data/roster
/usr/bin/python3 tools/xlsform-from-csv $D/form "$TMP/roster.xlsx" >/dev/null
/usr/bin/python3 $D/generate.py "$TMP"   # SYNTHETIC households, members and plots
F="$TMP/roster.xlsx"
ODK=(--data "$TMP/odk/main.csv" --repeat "members=$TMP/odk/members.csv"
     --repeat "plots=$TMP/odk/plots.csv")
KOBO=(--data "$TMP/kobo/main.csv" --repeat "members=$TMP/kobo/members.csv,plots=$TMP/kobo/plots.csv")

# One row per member, by the household's province.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by province \
  --items m_sex,m_migrant,m_dest,m_age --total --format csv --no-cache
cp "$TMP/stdout" "$TMP/odk.csv"
members=$(( $(wc -l < "$TMP/odk/members.csv") - 1 ))
total=$(awk -F, '$1=="m_sex" && $3=="total" && $4=="n_total" {print $5}' "$TMP/odk.csv")
[ "$total" = "$members" ] || fail "m_sex counted $total rows, the roster has $members members"
# The count of northern women, from the files themselves (province joined by key).
want=$(awk -F, 'NR==FNR {if (FNR>1) p[$6]=$1; next}
                FNR>1 && $1=="female" && p[$5]=="north" {n++} END {print n}' \
         "$TMP/odk/main.csv" "$TMP/odk/members.csv")
got=$(awk -F, '$1=="m_sex" && $2=="female" && $3=="north" && $4=="count" {print $5}' "$TMP/odk.csv")
[ "$got" = "$want" ] || fail "northern women: $got, the files have $want"
# m_dest is asked of migrants only: the others are "not asked", not missing.
not_asked=$(awk -F, '$1=="m_dest" && $3=="total" && $4=="n_not_asked" {print $5}' "$TMP/odk.csv")
[ "$not_asked" -gt 0 ] || fail "m_dest: no member was 'not asked'"

# Kobo's layout, ngosurvey's own export and the store give the same table.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" "${KOBO[@]}" --by province \
  --items m_sex,m_migrant,m_dest,m_age --total --format csv --no-cache
cmp "$TMP/stdout" "$TMP/odk.csv" || fail "Kobo's layout gives another table"
DB="$TMP/roster.db"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form "$F" "$TMP/odk/main.csv" \
  --repeat "members=$TMP/odk/members.csv" --repeat "plots=$TMP/odk/plots.csv"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --by province \
  --items m_sex,m_migrant,m_dest,m_age --total --format csv
cmp "$TMP/stdout" "$TMP/odk.csv" || fail "tabulate --db gives another table"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form roster_demo --format csv -o "$TMP/exp.csv"
expect_status 0 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/exp.csv" \
  --repeat "members=$TMP/exp-members.csv" --by province \
  --items m_sex,m_migrant,m_dest,m_age --total --format csv --no-cache
cmp "$TMP/stdout" "$TMP/odk.csv" || fail "ngosurvey's own export gives another table"

# Items of two levels on the command line: a table per level, households first here.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by province \
  --items hh_size,m_sex --format md --no-cache
expect_contains "$TMP/stdout" "## All items by province"
expect_contains "$TMP/stdout" "## Items of members by province"
# A spec names repeat items as it names others; the by may be a member's own field.
cat > "$TMP/spec.toml" <<'TOML'
[[table]]
id = "T1"
title = "Migration by sex"
by = ["m_sex"]
[[table.row]]
item = "m_migrant"
[[table.row]]
item = "older"
derived = "${m_age} >= 60"
TOML
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/spec.toml" --form "$F" "${ODK[@]}" \
  --format csv --no-cache
grep -q '^m_migrant,yes,female,count,[0-9]*,T1$' "$TMP/stdout" || fail "spec: $(head "$TMP/stdout")"

# Counts per household over its members (derived items reading the roster): the same
# from the CSV files and from the store, and as the files say.
cat > "$TMP/per_household.toml" <<'TOML'
[[table]]
id = "H1"
title = "Members and migrants per household"
by = ["province"]
[[table.row]]
item = "n_members"
number = "count(${members})"
statistics = ["n", "mean", "max"]
[[table.row]]
item = "with_migrant"
derived = "count(${m_migrant}[. = 'yes']) > 0"
[[table]]
id = "H2"
title = "Members aged 60 and over"
unit = "members"
by = ["province"]
[[table.row]]
item = "older"
derived = "${m_age} >= 60"
TOML
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/per_household.toml" --form "$F" "${ODK[@]}" \
  --format csv --no-cache
cp "$TMP/stdout" "$TMP/per_household.csv"
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/per_household.toml" --db "$DB" --format csv
cmp "$TMP/stdout" "$TMP/per_household.csv" || fail "per-household items differ from the store"
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/per_household.toml" --form "$F" "${KOBO[@]}" \
  --format csv --no-cache
cmp "$TMP/stdout" "$TMP/per_household.csv" || fail "per-household items differ in Kobo's layout"
stat() {  # stat ITEM OPTION GROUP STATISTIC (the spec's layout: table last)
  awk -F, -v i="$1" -v o="$2" -v g="$3" -v s="$4" '$1==i && $2==o && $3==g && $4==s {print $5}' "$TMP/per_household.csv"
}
read -r want_n want_mean want_max want_with want_older < <(awk -F, '
  NR==FNR { if (FNR>1) { p[$6]=$1; if ($1=="north") h++ } next }
  FNR>1 && p[$5]=="north" { n[$5]++; if ($3=="yes") mig[$5]=1; if ($2>=60) old++ }
  END { for (k in n) { t+=n[k]; if (n[k]>m) m=n[k] } for (k in mig) w++;
        printf "%d %.6f %d %d %d\n", h, t/h, m, w, old }' "$TMP/odk/main.csv" "$TMP/odk/members.csv")
[ "$(stat n_members "" north n)" = "$want_n" ] || fail "n_members n: $(stat n_members "" north n), want $want_n"
[ "$(printf '%.6f' "$(stat n_members "" north mean)")" = "$want_mean" ] || fail "members per household"
[ "$(stat n_members "" north max)" = "$want_max" ] || fail "largest roster"
[ "$(stat with_migrant yes north count)" = "$want_with" ] || fail "households with a migrant: $(stat with_migrant yes north count), want $want_with"
[ "$(stat older yes north count)" = "$want_older" ] || fail "members aged 60+: $(stat older yes north count), want $want_older"

# Unknown names and another repeat's field.
expect_status 2 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by province \
  --items nonexistent --format csv --no-cache
expect_contains "$TMP/stderr" "--items: 'nonexistent' is not a question of"
expect_status 2 "$NGOSURVEY" tabulate --db "$DB" --by province --items nonexistent --format csv
expect_contains "$TMP/stderr" "--items: 'nonexistent' is not a question of"
expect_status 2 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by nowhere --items m_sex \
  --format csv --no-cache
expect_contains "$TMP/stderr" "--by: 'nowhere' is neither a question of"
expect_status 2 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by province --items m_sex \
  --repeat nothing=x.csv --format csv --no-cache
expect_contains "$TMP/stderr" "--repeat: 'nothing' is not a repeat of"
expect_status 2 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by plot_crop --items m_sex \
  --format csv --no-cache
expect_contains "$TMP/stderr" "T006: the grouping column 'plot_crop' (repeat 'plots') is not a field of the item 'm_sex' (repeat 'members')"
sed -i 's/by = \["m_sex"\]/by = ["plot_crop"]/' "$TMP/spec.toml"
expect_status 1 "$NGOSURVEY" tabulate --spec "$TMP/spec.toml" --form "$F" "${ODK[@]}" \
  --format csv --no-cache
expect_contains "$TMP/stderr" "spec.toml:1: T006: the grouping column 'plot_crop' (repeat 'plots')"
expect_status 1 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/odk/main.csv" --by province \
  --items m_sex --format csv --no-cache
expect_contains "$TMP/stderr" "D007: no data file for repeat 'members'"
{ head -1 "$TMP/odk/members.csv"; echo "female,30,no,,uuid:nobody,uuid:nobody/members[1]"; } \
  > "$TMP/orphan.csv"
expect_status 1 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/odk/main.csv" --by province \
  --repeat "members=$TMP/orphan.csv" --items m_sex --format csv --no-cache
expect_contains "$TMP/stderr" "orphan.csv:2"
expect_contains "$TMP/stderr" "D009: row of repeat 'members' whose parent 'uuid:nobody'"

# Weighted: each member takes its household's weight, stratum (province) and cluster
# (village). The share of women among the North's members, its se and logit interval,
# against R's survey package on the members merged with their households.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" "${ODK[@]}" --by province --items m_sex,m_age \
  --weight weight --strata province --cluster village --format csv --no-cache
cp "$TMP/stdout" "$TMP/weighted.csv"
Rscript --vanilla - "$TMP/odk/main.csv" "$TMP/odk/members.csv" > "$TMP/r.txt" 2> "$TMP/r.err" <<'RSCRIPT' || fail "R: $(cat "$TMP/r.err")"
suppressMessages(library(survey))
a <- commandArgs(TRUE)
h <- read.csv(a[1], check.names = FALSE)
m <- read.csv(a[2], check.names = FALSE)
d <- merge(m, h, by.x = "PARENT_KEY", by.y = "KEY")
d$female <- as.numeric(d[["members/m_sex"]] == "female")
d$age <- d[["members/m_age"]]
des <- svydesign(ids = ~village, strata = ~province, weights = ~weight, data = d, nest = TRUE)
dom <- subset(des, province == "north" & d[["members/m_sex"]] %in% c("female", "male"))
p <- svymean(~female, dom)
ci <- svyciprop(~female, dom, method = "logit")
mean_age <- svymean(~age, subset(des, province == "south"))
# Households with at least one migrant member, on the households' own design.
h$mig <- as.numeric(h$KEY %in% m$PARENT_KEY[m[["members/m_migrant"]] == "yes"])
hdes <- svydesign(ids = ~village, strata = ~province, weights = ~weight, data = h, nest = TRUE)
hm <- svymean(~mig, subset(hdes, province == "north"))
cat(sprintf("%.15g %.15g %.15g %.15g %.15g %.15g %.15g %.15g %.15g\n", coef(p), SE(p),
            attr(ci, "ci")[1], attr(ci, "ci")[2], sum(weights(dom)),
            coef(mean_age), SE(mean_age), coef(hm), SE(hm)))
RSCRIPT
read -r r_prop r_se r_lo r_hi r_nw r_mean r_mean_se r_hh r_hh_se < "$TMP/r.txt"
value() {  # value ITEM OPTION GROUP STATISTIC
  awk -F, -v i="$1" -v o="$2" -v g="$3" -v s="$4" '$1==i && $2==o && $3==g && $4==s {print $5}' "$TMP/weighted.csv"
}
close() {  # close WHAT OURS R: |ours - R| <= 1e-9 * max(1, |R|)
  awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
    exit !(a != "" && d <= 1e-9 * (m > 1 ? m : 1)) }' || fail "$1: ngosurvey '$2', R $3"
}
close "prop" "$(value m_sex female north prop)" "$r_prop"
close "se" "$(value m_sex female north se)" "$r_se"
close "ci_lo" "$(value m_sex female north ci_lo)" "$r_lo"
close "ci_hi" "$(value m_sex female north ci_hi)" "$r_hi"
close "n_weighted" "$(value m_sex female north n_weighted)" "$r_nw"
close "mean age" "$(value m_age "" south mean)" "$r_mean"
close "se of the mean age" "$(value m_age "" south se)" "$r_mean_se"
# The household-level derived item, weighted by the households' design.
expect_status 0 "$NGOSURVEY" tabulate --spec "$TMP/per_household.toml" --form "$F" "${ODK[@]}" \
  --weight weight --strata province --cluster village --format csv --no-cache
cp "$TMP/stdout" "$TMP/weighted.csv"
close "households with a migrant" "$(value with_migrant yes north prop)" "$r_hh"
close "their se" "$(value with_migrant yes north se)" "$r_hh_se"
echo "tabulate_repeat: ok"
