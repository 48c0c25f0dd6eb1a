#!/usr/bin/env bash
# ngosurvey import of an ODK Central submissions ZIP (issue 20): the layout Central's
# lib/data/briefcase.js writes (FORMID.csv with "-" group paths and Central's columns,
# FORMID-REPEAT.csv linked by PARENT_KEY, media/NAME), the photo stored with its
# submission and written again by export; the same ZIP twice adds nothing; a file
# the ZIP lacks is a warning; a ZIP without a main table, with a table for no
# repeat of the form, or cut short is refused with its name and stores nothing.
# The data are SYNTHETIC.
source "$(dirname "$0")/lib.sh"
FORM=tests/data/odk/form.xlsx
DB=$TMP/store.db
store_sum() { sha256sum "$DB" | cut -d' ' -f1; }

# make_zip OUT MAIN_NAME [WITH_MEDIA]: a Central-like ZIP of two submissions.
make_zip() {
  python3 - "$1" "$2" "${3:-yes}" <<'PY'
import sys, zipfile
out, main_name, with_media = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
main = (
  "SubmissionDate,start,end,org_id,staff_n,has_shelter,shelter_beds,services,founded,photo,"
  "contact-phone,meta-instanceID,meta-instanceName,KEY,SubmitterID,SubmitterName,"
  "AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n"
  "2026-12-05T02:30:00.000Z,2026-12-05T09:00:00.000+07:00,2026-12-05T09:20:00.000+07:00,"
  "KH07,4,no,,legal,,1733390000000.jpg,,uuid:55555555-5555-4555-8555-555555555555,KH07,"
  "uuid:55555555-5555-4555-8555-555555555555,12,Sokha,1,1,,approved,collect:abc,0,2026120501\n"
  "2026-12-05T03:30:00.000Z,2026-12-05T10:00:00.000+07:00,2026-12-05T10:30:00.000+07:00,"
  "VN02,12,yes,20,shelter health,2001-05-17,,+84 24 1234 5678,"
  "uuid:66666666-6666-4666-8666-666666666666,VN02,"
  "uuid:66666666-6666-4666-8666-666666666666,13,Lan,0,0,,,collect:def,0,2026120501\n")
programs = (
  "program_name,program_staff,PARENT_KEY,KEY\n"
  "Outreach,2,uuid:55555555-5555-4555-8555-555555555555,"
  "uuid:55555555-5555-4555-8555-555555555555/programs[1]\n"
  "Phòng khám,3,uuid:66666666-6666-4666-8666-666666666666,"
  "uuid:66666666-6666-4666-8666-666666666666/programs[1]\n"
  "Legal aid,,uuid:66666666-6666-4666-8666-666666666666,"
  "uuid:66666666-6666-4666-8666-666666666666/programs[2]\n")
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
  z.writestr(main_name + ".csv", main)
  z.writestr(main_name + "-programs.csv", programs)
  if with_media:
    z.writestr("media/1733390000000.jpg", b"\xff\xd8\xff\xe0 SYNTHETIC photo bytes")
PY
}

# The form id in the file names is Central's, not necessarily the form's.
make_zip "$TMP/central.zip" "odk_demo_copy"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $FORM "$TMP/central.zip"
expect_contains "$TMP/stdout" "imported 2 submissions (odk layout) into form 'odk_demo' version 2026120501; 0 already stored, 0 rejected; 1 attachments"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
assert len(subs) == 2, subs.keys()
a = subs["uuid:55555555-5555-4555-8555-555555555555"]["answers"]
assert a["photo"]["value"] == "1733390000000.jpg", a["photo"]
assert a["programs[1]/program_name"]["value"] == "Outreach"
b = subs["uuid:66666666-6666-4666-8666-666666666666"]["answers"]
assert b["contact/phone"]["value"] == "+84 24 1234 5678", b["contact/phone"]
assert b["services"]["value"] == "shelter health"
assert b["programs[1]/program_name"]["value"] == "Phòng khám"
assert b["programs[2]/program_name"]["value"] == "Legal aid"
PY
# The photo is stored with its submission: export writes it beside the CSV.
mkdir -p "$TMP/out"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form odk_demo --format csv -o "$TMP/out/demo.csv"
cmp "$TMP/out/demo-media/1733390000000.jpg" <(printf '\xff\xd8\xff\xe0 SYNTHETIC photo bytes') ||
  fail "the exported photo is not the ZIP's"

# The same ZIP again: nothing added, nothing changed.
before=$(store_sum)
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/central.zip"
expect_contains "$TMP/stdout" "imported 0 submissions (odk layout) into form 'odk_demo' version 2026120501; 2 already stored, 0 rejected; 0 attachments"

# A ZIP downloaded without its files: imported, with a warning naming the file.
make_zip "$TMP/nomedia.zip" "odk_demo" no
expect_status 0 "$NGOSURVEY" import --db "$TMP/other.db" --form $FORM "$TMP/nomedia.zip"
expect_contains "$TMP/stderr" "IMP032"
expect_contains "$TMP/stderr" "1733390000000.jpg"
expect_contains "$TMP/stdout" "imported 2 submissions (odk layout)"

# Refused, nothing stored: a table for no repeat of the form, no main table, a ZIP
# cut short, and --repeat beside a ZIP.
before=$(store_sum)
python3 - "$TMP/central.zip" "$TMP/extra.zip" "$TMP/nomain.zip" "$TMP/cut.zip" <<'PY'
import sys, zipfile
src, extra, nomain, cut = sys.argv[1:]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(extra, "w") as e, zipfile.ZipFile(nomain, "w") as n:
  for info in z.infolist():
    e.writestr(info, z.read(info))
    if not info.filename.endswith("-programs.csv"):
      n.writestr(info.filename.replace("odk_demo_copy.csv", "other.csv"), z.read(info))
  e.writestr("odk_demo_copy-members.csv", "name,PARENT_KEY,KEY\n")
  n.writestr("third.csv", "a\n1\n")
data = open(src, "rb").read()
open(cut, "wb").write(data[: len(data) // 2])
PY
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/extra.zip"
expect_contains "$TMP/stderr" "IMP041"
expect_contains "$TMP/stderr" "odk_demo_copy-members.csv names no repeat of form 'odk_demo' (its repeats: programs)"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/nomain.zip"
expect_contains "$TMP/stderr" "IMP040"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/cut.zip"
expect_contains "$TMP/stderr" "ZIP001"
expect_contains "$TMP/stderr" "cut.zip"
expect_status 2 "$NGOSURVEY" import --db "$DB" --form odk_demo --repeat programs=x.csv "$TMP/central.zip"
[ "$(store_sum)" = "$before" ] || fail "a refused import changed the store"
echo "import_central_zip_test: ok"
