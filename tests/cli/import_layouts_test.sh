#!/usr/bin/env bash
# Exports as KoboToolbox writes them (tests/data/exchange/layouts/, SYNTHETIC; the public
# sources of each layout are named in its README): a form without form_id and version,
# "other, specify" texts in a group and in a repeat, Kobo's metadata, geopoint parts and
# media URLs import; the texts come out of every export, and ngosurvey's own CSV
# re-imports into a fresh store with identical answers. `export --headers bare`.
# Times and people as the data say (issue 17 item 7): the interviewer is the username,
# the shared account (_submitted_by, SubmitterName) is the account; times keep their
# offset and are shown in local time. ODK Central's ReviewState is the review and goes
# back out (issue 14).
source "$(dirname "$0")/lib.sh"
D=tests/data/exchange/layouts
tools/xlsform-from-csv $D/form "$TMP/household.xlsx" >/dev/null

same_columns() {  # same_columns THEIRS OURS [PREFIX]: every column of THEIRS is in OURS with
  # its values (THEIRS's question columns named PREFIX + name in OURS: Kobo's repeat sheet
  # has bare names, a path-style export the repeat's path)
  python3 - "$1" "$2" "${3:-}" <<'PY' || fail "$2 differs from $1"
import csv, sys
theirs = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
ours = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8-sig")))
theirs[0] = [n if n.startswith("_") else sys.argv[3] + n for n in theirs[0]]
assert len(theirs) == len(ours), (len(theirs), len(ours))
at = {name: i for i, name in enumerate(ours[0])}
order = [at.get(name) for name in theirs[0]]
missing = [name for name, i in zip(theirs[0], order) if i is None]
assert not missing, "missing columns: %s" % missing
# The platform's own columns ("_..." also in groups) keep their order (where questions
# go is the form's business).
meta = [i for name, i in zip(theirs[0], order) if name.split("/")[-1].startswith("_")]
assert meta == sorted(meta), "metadata out of the platform's order: %s" % ours[0]
for row_t, row_o in zip(theirs[1:], ours[1:]):
    for name, j, value in zip(theirs[0], order, row_t):
        assert row_o[j] == value, (name, row_o[j], value)
PY
}

# No form_id, no version: the id is the file name, the version comes from the bytes.
expect_status 0 "$NGOSURVEY" import --db "$TMP/a.db" --form "$TMP/household.xlsx" $D/kobo.csv \
  --repeat members=$D/kobo-members.csv
expect_contains "$TMP/stdout" "imported 2 submissions (kobo layout) into form 'household' version sha256-"
store_answers "$TMP/a.db" >"$TMP/a.json"
python3 - "$TMP/a.json" <<'PY'
import json, sys
subs = dict((i, a) for i, a, _ in json.load(open(sys.argv[1])))
a = subs["uuid:11111111-1111-4111-8111-111111111111"]
assert a["hh/main_source_other"]["value"] == "Village chief ", a["hh/main_source_other"]
assert a["hh/info_source"]["value"] == "radio other"
assert a["hh/info_source_other"]["value"] == "Church\nand school"
assert a["hh/location"]["value"] == "11.55 104.92 12 5"
assert a["members[1]/works_other"]["value"] == "seasonal, fishing"
assert a["members[2]/name"]["value"] == "Srey ", "not trimmed"
m = dict((i, m) for i, _, m in json.load(open(sys.argv[1])))["uuid:11111111-1111-4111-8111-111111111111"]
assert m["_id"] == "101" and m["_submission_time"] == "2024-03-01T02:21:00", m
assert m["audit_URL"].startswith("https://kc.example.org/") and m["_tags"] == "[]", m
assert m["members[2]/_parent_table_name"] == "household", m
assert "_validation_status" not in m, "the review, not metadata"
PY

# Kobo's metadata columns come back where Kobo writes them, with their values: every
# column of Kobo's files is in ngosurvey's export, Kobo's own in Kobo's order.
expect_status 0 "$NGOSURVEY" export --db "$TMP/a.db" --form household --format csv -o "$TMP/meta.csv"
same_columns $D/kobo.csv "$TMP/meta.csv"
same_columns $D/kobo-members.csv "$TMP/meta-members.csv" members/

# Every export carries the specify texts.
expect_status 0 "$NGOSURVEY" export --db "$TMP/a.db" --form household --format csv -o "$TMP/out.csv"
head -1 "$TMP/out.csv" | grep -qF "hh/main_source,hh/main_source_other,hh/info_source,hh/info_source/radio,hh/info_source/tv,hh/info_source/friends,hh/info_source/other,hh/info_source_other,hh/location" \
  || fail "CSV header: $(head -1 "$TMP/out.csv")"
expect_contains "$TMP/out-members.csv" '"seasonal, fishing"'
expect_contains "$TMP/out-codebook.md" "hh/info_source_other"
for format in xlsx dta sav; do
  expect_status 0 "$NGOSURVEY" export --db "$TMP/a.db" --form household --format $format -o "$TMP/out.$format"
done
python3 - "$TMP" <<'PY'
import sys, zipfile
book = zipfile.ZipFile(sys.argv[1] + "/out.xlsx")
sheet = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
for text in ("hh/info_source_other", "Church\nand school", "seasonal, fishing"):
    assert text in sheet, text
dta = open(sys.argv[1] + "/out.dta", "rb").read()
assert b"Church\nand school" in dta and b"main_source_other" in dta
# .sav is bytecode-compressed (texts cut into 8-byte blocks): its long names are whole.
assert b"main_source_other" in open(sys.argv[1] + "/out.sav", "rb").read()
PY

# ngosurvey's own CSV re-imports into a fresh store with identical answers.
expect_status 0 "$NGOSURVEY" import --db "$TMP/b.db" --form "$TMP/household.xlsx" "$TMP/out.csv" \
  --repeat members="$TMP/out-members.csv"
expect_contains "$TMP/stdout" "imported 2 submissions (ngosurvey layout)"
store_answers "$TMP/b.db" >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" || { diff "$TMP/a.json" "$TMP/b.json" | head; fail "round trip changed answers"; }

# Kobo's default headers: question names only.
expect_status 0 "$NGOSURVEY" export --db "$TMP/a.db" --form household --format csv --headers bare -o "$TMP/bare.csv"
head -1 "$TMP/bare.csv" | grep -qF "main_source,main_source_other,info_source,info_source/radio" \
  || fail "bare header: $(head -1 "$TMP/bare.csv")"
expect_status 2 "$NGOSURVEY" export --db "$TMP/a.db" --form household --format csv --headers groups -o "$TMP/x.csv"
expect_contains "$TMP/stderr" "unknown header style 'groups' (path or bare)"
# An interview of the same form (no form_id, no version) is stored under the same id and
# version as the import's.
printf ':quit\n' | "$NGOSURVEY" interview --form "$TMP/household.xlsx" --db "$TMP/a.db" >"$TMP/iv.out" 2>&1 \
  || { cat "$TMP/iv.out"; fail "interview of a form without form_id and version"; }
"$NGOSURVEY" submissions list --db "$TMP/a.db" --format json | python3 -c '
import json, sys
versions = {(s["form_id"], s["version"]) for s in json.load(sys.stdin)}
assert len(versions) == 1 and next(iter(versions))[1].startswith("sha256-"), versions'

# Kobo: the interviewer is the username, _submitted_by (one account the team shares) the
# account; times in the local time they were written in.
"$NGOSURVEY" submissions list --db "$TMP/b.db" --format json >"$TMP/kobo.json"
python3 - "$TMP/kobo.json" <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
a = subs["uuid:11111111-1111-4111-8111-111111111111"]
assert (a["interviewer"], a["account"]) == ("sokha", "ngo_team"), a
assert a["started_at"] == "2024-03-01T09:00:00.000+07:00", a["started_at"]
assert a["ended_at"] == "2024-03-01T09:20:00.000+07:00", a["ended_at"]
assert a["answers"]["start"]["value"] == "2024-03-01T09:00:00.000+07:00", "the text as written"
assert subs["uuid:22222222-2222-4222-8222-222222222222"]["interviewer"] == "dara"
PY
expect_status 0 "$NGOSURVEY" submissions list --db "$TMP/a.db"
expect_contains "$TMP/stdout" "  interviewer sokha  account ngo_team  language -  started 2024-03-01T09:00:00.000+07:00"

# ODK Central's export of the same form.
expect_status 0 "$NGOSURVEY" import --db "$TMP/c.db" --form "$TMP/household.xlsx" $D/central.csv \
  --repeat members=$D/central-members.csv
expect_contains "$TMP/stdout" "imported 3 submissions (odk layout)"
"$NGOSURVEY" submissions list --db "$TMP/c.db" --format json >"$TMP/central.json"
python3 - "$TMP/central.json" <<'PY'
import json, sys
subs = {s["instance_id"][5:13]: s for s in json.load(open(sys.argv[1]))}
b = subs["44444444"]
assert (b["interviewer"], b["account"]) == ("dara", "ngo_team"), b
# Begun at 06:40 on 5 March in Phnom Penh (23:40 on the 4th in UTC).
assert b["started_at"] == "2024-03-05T06:40:00.000+07:00", b["started_at"]
assert b["answers"]["hh/info_source_other"]["value"] == "Temple board"
assert b["answers"]["members[1]/works_other"]["value"] == "street vendor"
assert b["metadata"]["ReviewState"] == "received" and b["metadata"]["SubmitterName"] == "ngo_team"
PY
expect_status 0 "$NGOSURVEY" submissions list --db "$TMP/c.db"
expect_contains "$TMP/stdout" "  interviewer dara  account ngo_team  language -  started 2024-03-05T06:40:00.000+07:00"

# ReviewState is the review: approved came in approved, received and edited are none; the
# export writes it back where Central has it, with the review beside it as Kobo's.
review_columns() {  # review_columns CSV: "id ReviewState _validation_status" per row, sorted
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
for r in sorted(rows, key=lambda r: r["KEY"]):
    print(r["KEY"][5:13], r["ReviewState"] or "-", r["_validation_status"] or "-")
PY
}
expect_status 0 "$NGOSURVEY" export --db "$TMP/c.db" --form household --format csv -o "$TMP/central-out.csv"
review_columns "$TMP/central-out.csv" >"$TMP/central-reviews.txt"
printf '%s\n' "33333333 approved validation_status_approved" "44444444 received -" \
  "55555555 edited -" >"$TMP/want-reviews.txt"
cmp -s "$TMP/want-reviews.txt" "$TMP/central-reviews.txt" ||
  { cat "$TMP/central-reviews.txt"; fail "ReviewState and _validation_status of the export"; }
# Every column of Central's files comes back with its values (group paths with '/').
python3 - $D/central.csv "$TMP/central-out.csv" <<'PY' || fail "Central's columns are not all back"
import csv, sys
theirs = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
ours = {r["KEY"]: r for r in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8-sig"))}
for t in theirs:
    o = ours[t["KEY"]]
    for name in ("SubmissionDate", "start", "end", "username", "SubmitterID", "SubmitterName",
                 "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
                 "Edits", "meta-instanceID"):
        assert o[name] == t[name], (name, o[name], t[name])
    assert o["hh/main_source_other"] == t["hh-main_source_other"]
PY
# Round trip: the export re-imported into a fresh store has the same answers, metadata
# and reviews, and exports the same file.
expect_status 0 "$NGOSURVEY" import --db "$TMP/d.db" --form "$TMP/household.xlsx" "$TMP/central-out.csv" \
  --repeat members="$TMP/central-out-members.csv"
store_answers "$TMP/c.db" >"$TMP/c.json"
store_answers "$TMP/d.db" >"$TMP/d.json"
cmp -s "$TMP/c.json" "$TMP/d.json" || { diff "$TMP/c.json" "$TMP/d.json" | head; fail "Central round trip changed answers"; }
expect_status 0 "$NGOSURVEY" export --db "$TMP/d.db" --form household --format csv -o "$TMP/central-again.csv"
cmp -s "$TMP/central-out.csv" "$TMP/central-again.csv" ||
  { diff "$TMP/central-out.csv" "$TMP/central-again.csv" | head; fail "Central round trip changed the export"; }
echo "import_layouts_test: OK"
