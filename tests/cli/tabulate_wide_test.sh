#!/usr/bin/env bash
# Lists of any length (issue 17 item 4): select_one and select_multiple items of 300,
# 1,491 (a real Kobo tool's cadastral units) and 70,000 options (past the 65,532 of
# 16-bit codes: 32-bit codes) are tabulated from the CSV, from its binary cache and from
# the store, each option's count by country equal to an independent count made here by
# awk; Fisher tests by country and, with a design, Rao-Scott tests and weighted
# percentages over the 1,491-option item. SYNTHETIC form and data, written here.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/form"
/usr/bin/python3 - "$TMP" <<'PY'
import csv, random, sys
d = sys.argv[1]
rng = random.Random(17)
def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
sizes = [300, 1491, 70000]
survey = [["type", "name", "label"], ["select_one country", "country", "Country"],
          ["select_one yesno", "owner", "Owns the land"], ["integer", "w", "Weight"],
          ["integer", "psu", "Cluster"]]
choices = [["list_name", "name", "label"], ["country", "KH", "Cambodia"],
           ["country", "VN", "Viet Nam"], ["yesno", "yes", "Yes"], ["yesno", "no", "No"]]
for n in sizes:
    survey += [["select_one l%d" % n, "one%d" % n, "One of %d" % n],
               ["select_multiple l%d" % n, "many%d" % n, "Some of %d" % n]]
    choices += [["l%d" % n, "o%d" % i, "Option %d" % i] for i in range(1, n + 1)]
write(d + "/form/survey.csv", survey)
write(d + "/form/choices.csv", choices)
write(d + "/form/settings.csv", [["form_id", "version"], ["wide_demo", "1"]])
header = ["country", "owner", "w", "psu"]
for n in sizes:
    header += ["one%d" % n, "many%d" % n]
rows = [header + ["meta/instanceID"]]
for i in range(300):
    row = ["KH" if rng.random() < 0.6 else "VN", rng.choice(["yes", "no"]),
           str(rng.randint(1, 9)), str(i % 20)]
    for n in sizes:
        # Options at both ends of the list (the widest codes) and in between; a few
        # refusals, don't knows and empty cells.
        def option():
            return "o%d" % rng.choice([1, n, rng.randint(1, n), rng.randint(n - 5, n)])
        roll = rng.random()
        one = "refused" if roll < 0.03 else "dont_know" if roll < 0.06 else "" if roll < 0.1 else option()
        picks = sorted({option() for _ in range(rng.randint(1, 4))})
        many = "refused" if roll > 0.97 else " ".join(picks)
        row += [one, many]
    rows.append(row + ["uuid:00000000-0000-4000-8000-%012d" % i])
write(d + "/data.csv", rows)
PY
/usr/bin/python3 tools/xlsform-from-csv "$TMP/form" "$TMP/wide.xlsx" >/dev/null
F="$TMP/wide.xlsx"
ITEMS=one300,many300,one1491,many1491,one70000,many70000

# The independent count: per item, option and country, the respondents who chose it.
awk -F, 'NR == 1 { for (c = 1; c <= NF; ++c) name[c] = $c; next }
  { for (c = 5; c <= 10; ++c) {
      if ($c == "" || $c == "refused" || $c == "dont_know") continue
      k = split($c, picked, " ")
      for (j = 1; j <= k; ++j) print name[c] "," picked[j] "," $1 ",count"
    } }' "$TMP/data.csv" | sort | uniq -c | awk '{ print $2 "," $1 }' | sort > "$TMP/expected.csv"
[ "$(wc -l < "$TMP/expected.csv")" -gt 500 ] || fail "the generated data are too small"
# The command's nonzero counts of every option by country, the same way.
counts() {
  awk -F, '$4 == "count" && $3 != "total" && $5 != "0" && $2 != "" { print $1 "," $2 "," $3 "," $4 "," $5 }' \
    "$1" | sort
}

# From the CSV, in the test's own cache folder (lib.sh), the quick form without --items:
# every item is loaded, wide ones too (warning D011, a list left out, is retired). The
# first run writes the cache.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/data.csv" --by country --format csv
grep -q 'D011\|D002' "$TMP/stderr" && fail "a wide item was refused or left out: $(cat "$TMP/stderr")"
cp "$TMP/stdout" "$TMP/from_csv.csv"
counts "$TMP/from_csv.csv" | grep -v '^owner,' > "$TMP/got.csv"
diff "$TMP/expected.csv" "$TMP/got.csv" > "$TMP/diff" || fail "counts from the CSV differ: $(head "$TMP/diff")"
# Every option is a row, chosen or not (70,000 of them with one count per country).
[ "$(awk -F, '$1 == "one70000" && $3 == "VN" && $4 == "count"' "$TMP/from_csv.csv" | wc -l)" -eq 70000 ] \
  || fail "one70000 does not show its 70,000 options"
grep -q '^one1491,,KH-VN,fisher_p,' "$TMP/from_csv.csv" || fail "no Fisher test of one1491 by country"
grep -q '^one1491,o1491,KH-VN,fisher_p,' "$TMP/from_csv.csv" || fail "no Fisher test of option o1491"
grep -q '^one1491,o1491,KH,percent,' "$TMP/from_csv.csv" || fail "no percentage of option o1491"
# From the binary cache: the same output, and the cache was mapped, not rewritten.
ls "$XDG_CACHE_HOME"/ngosurvey/data.csv-*.ngocache >/dev/null 2>&1 || fail "no cache written"
stamp=$(stat -c %i.%Y "$XDG_CACHE_HOME"/ngosurvey/data.csv-*.ngocache)
expect_status 0 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/data.csv" --by country --format csv
cmp -s "$TMP/stdout" "$TMP/from_csv.csv" || fail "the cache's table differs from the CSV's"
[ "$(stat -c %i.%Y "$XDG_CACHE_HOME"/ngosurvey/data.csv-*.ngocache)" = "$stamp" ] \
  || fail "the second run parsed the CSV again"

# From the store: the same table.
DB="$TMP/wide.db"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form "$F" "$TMP/data.csv"
expect_status 0 "$NGOSURVEY" tabulate --db "$DB" --by country --items "$ITEMS" --format csv
counts "$TMP/stdout" > "$TMP/got_db.csv"
diff "$TMP/expected.csv" "$TMP/got_db.csv" > "$TMP/diff" || fail "counts from the store differ: $(head "$TMP/diff")"

# Weighted, stratified by country, clustered: Rao-Scott tests and weighted percentages
# of every option of the 1,491-option item, its counts still the unweighted ones.
expect_status 0 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/data.csv" --by country \
  --items one1491 --weight w --cluster psu --format csv --no-cache
counts "$TMP/stdout" > "$TMP/got_w.csv"
grep '^one1491,' "$TMP/expected.csv" | diff - "$TMP/got_w.csv" > "$TMP/diff" \
  || fail "weighted counts differ: $(head "$TMP/diff")"
grep -q '^one1491,o1491,KH-VN,rao_scott_p,0\.' "$TMP/stdout" || fail "no Rao-Scott test of o1491"
grep -q '^one1491,o1491,KH,se,' "$TMP/stdout" || fail "no design-based se of o1491"
grep -q '^one1491,o1491,KH,percent,' "$TMP/stdout" || fail "no weighted percentage of o1491"

# A wide item cannot be a grouping (at most 250 groups), from the CSV or the store.
expect_status 1 "$NGOSURVEY" tabulate --form "$F" --data "$TMP/data.csv" --by one300 \
  --items owner --format csv --no-cache
expect_contains "$TMP/stderr" "T004"
echo "tabulate_wide: ok"
