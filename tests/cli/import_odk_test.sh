#!/usr/bin/env bash
# ngosurvey import of ODK submissions (issue 20): instances made by ODK's own engine
# (@getodk/xforms-engine, tests/xform/fill_instance.mjs) from the XForm that `form xform`
# writes, and hand-written ones in ODK Collect's instances/ layout and a Briefcase export,
# with a photo beside them; re-imports add nothing; a deprecatedID edit is an audited
# amendment; export writes the photo to OUT-media/; a folder with one bad submission
# among good ones stores none, each problem named with its file, line and element.
# The data are SYNTHETIC.
source "$(dirname "$0")/lib.sh"
D=tests/data/odk
DB=$TMP/store.db
XF=tests/xform
need_odk_engine
store_sum() { sha256sum "$DB" | cut -d' ' -f1; }
expect_not_contains() {  # expect_not_contains FILE TEXT
  if grep -qF -- "$2" "$1"; then cat "$1"; fail "unexpected: $2"; fi
}

# Two instances filled in ODK's engine, in ODK Collect's layout (NAME/NAME.xml).
"$NGOSURVEY" form xform $D/form.xlsx -o "$TMP/form.xml" 2>/dev/null
C=$TMP/instances
mkdir -p "$C/odk_demo_1" "$C/odk_demo_2"
cat >"$TMP/a1.json" <<'JSON'
{"repeats": {"/data/programs": 2},
 "values": {"/data/org_id": "KH05", "/data/staff_n": "12", "/data/has_shelter": "yes",
            "/data/shelter_beds": "20", "/data/services": ["shelter", "legal"],
            "/data/founded": "2001-05-17", "/data/contact/phone": "+855 12 345 678",
            "/data/programs[1]/program_name": "Hotline ១២៣៤", "/data/programs[1]/program_staff": "3",
            "/data/programs[2]/program_name": "Legal aid"}}
JSON
cat >"$TMP/a2.json" <<'JSON'
{"values": {"/data/org_id": "VN02", "/data/has_shelter": "no", "/data/services": ["health"],
            "/data/programs[1]/program_name": "Clinic"}}
JSON
node $XF/fill_instance.mjs "$TMP/form.xml" "$TMP/a1.json" "$C/odk_demo_1/odk_demo_1.xml"
node $XF/fill_instance.mjs "$TMP/form.xml" "$TMP/a2.json" "$C/odk_demo_2/odk_demo_2.xml"
ID1=$(grep -o 'uuid:[0-9a-f-]*' "$C/odk_demo_1/odk_demo_1.xml")
# A hand-written one with a photo, as ODK Collect leaves it (media beside the XML).
mkdir -p "$C/odk_demo_3"
printf '\xff\xd8\xff\xe0 SYNTHETIC photo bytes' >"$C/odk_demo_3/1733390000000.jpg"
cat >"$C/odk_demo_3/odk_demo_3.xml" <<'XML'
<?xml version='1.0' ?><data id="odk_demo" version="2026120501" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"><start>2026-12-05T09:00:00.000+07:00</start><end>2026-12-05T09:20:00.000+07:00</end><org_id>KH07</org_id><staff_n>4</staff_n><has_shelter>no</has_shelter><shelter_beds/><services>legal</services><founded/><photo>1733390000000.jpg</photo><contact><phone/></contact><programs><program_name>Outreach</program_name><program_staff>2</program_staff></programs><meta><instanceID>uuid:33333333-3333-4333-8333-333333333333</instanceID><instanceName>KH07</instanceName></meta></data>
XML

expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx "$C"
expect_contains "$TMP/stdout" "imported 3 submissions (odk xml) into form 'odk_demo' version 2026120501; 0 edits, 1 attachments, 0 already stored"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" "$ID1" <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
assert len(subs) == 3, subs.keys()
a = subs[sys.argv[2]]["answers"]
assert a["services"] == {"value": "shelter legal", "state": "answered"}, a["services"]
assert a["contact/phone"]["value"] == "+855 12 345 678"
assert a["programs[1]/program_name"]["value"] == "Hotline ១២៣៤"
assert a["programs[2]/program_name"]["value"] == "Legal aid"
assert a["programs[2]/program_staff"]["state"] == "missing", a["programs[2]/program_staff"]
h = subs["uuid:33333333-3333-4333-8333-333333333333"]
assert h["answers"]["photo"]["value"] == "1733390000000.jpg"
# An irrelevant question's empty element is not asked (has_shelter = no), as the CSV
# import decides; an empty relevant one is missing.
assert h["answers"]["shelter_beds"]["state"] == "not_asked", h["answers"]["shelter_beds"]
assert h["answers"]["founded"]["state"] == "missing", h["answers"]["founded"]
assert a["shelter_beds"] == {"value": "20", "state": "answered"}, a["shelter_beds"]
PY

# The same folder again: nothing added, nothing changed.
before=$(store_sum)
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$C"
expect_contains "$TMP/stdout" "imported 0 submissions (odk xml) into form 'odk_demo' version 2026120501; 0 edits, 0 attachments, 3 already stored"

# A Briefcase export (uuid.../submission.xml): an edit of the hand-written submission
# (meta/deprecatedID) with a new photo, stored as an audited amendment of it.
B=$TMP/briefcase/instances/uuid44444444-4444-4444-8444-444444444444
mkdir -p "$B"
printf 'SYNTHETIC second photo' >"$B/1733390999000.jpg"
sed -e 's|<staff_n>4</staff_n>|<staff_n>5</staff_n>|' \
    -e 's|<photo>1733390000000.jpg</photo>|<photo>1733390999000.jpg</photo>|' \
    -e 's|<instanceID>uuid:33333333-3333-4333-8333-333333333333</instanceID>|<instanceID>uuid:44444444-4444-4444-8444-444444444444</instanceID><deprecatedID>uuid:33333333-3333-4333-8333-333333333333</deprecatedID>|' \
    "$C/odk_demo_3/odk_demo_3.xml" >"$B/submission.xml"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/briefcase"
expect_contains "$TMP/stdout" "imported 0 submissions (odk xml) into form 'odk_demo' version 2026120501; 1 edits, 1 attachments, 0 already stored"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" uuid:33333333-3333-4333-8333-333333333333
expect_contains "$TMP/stdout" 'odk import  staff_n: answered "4" -> answered "5"  reason: ODK edit: submission uuid:44444444-4444-4444-8444-444444444444 replaces uuid:33333333-3333-4333-8333-333333333333 (meta/deprecatedID)'
expect_contains "$TMP/stdout" 'photo: answered "1733390000000.jpg" -> answered "1733390999000.jpg"'
expect_status 0 "$NGOSURVEY" audit verify --db "$DB"

# Export: the photos beside the CSV, in OUT-media/.
mkdir -p "$TMP/out"
expect_status 0 "$NGOSURVEY" export --db "$DB" --form odk_demo --format csv -o "$TMP/out/demo.csv"
cmp "$TMP/out/demo-media/1733390000000.jpg" "$C/odk_demo_3/1733390000000.jpg" || fail "photo 1 differs"
cmp "$TMP/out/demo-media/1733390999000.jpg" "$B/1733390999000.jpg" || fail "photo 2 differs"
expect_contains "$TMP/stdout" "demo-media/ (2 files)"

# Refusals: every one leaves the store byte for byte as it was.
before=$(store_sum)
BAD=$TMP/bad
mkdir -p "$BAD/good" "$BAD/typo"
python3 - "$C/odk_demo_3/odk_demo_3.xml" "$BAD" <<'PY'
import sys
src = open(sys.argv[1]).read()
good = src.replace("33333333-3333-4333-8333-333333333333", "55555555-5555-4555-8555-555555555555").replace("<photo>1733390000000.jpg</photo>", "<photo/>")
open(sys.argv[2] + "/good/good.xml", "w").write(good)
typo = good.replace("55555555-5555-4555-8555-555555555555", "66666666-6666-4666-8666-666666666666").replace("<staff_n>4</staff_n>", "\n<staff_n>four</staff_n>")
open(sys.argv[2] + "/typo/typo.xml", "w").write(typo)
PY
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$BAD"
expect_contains "$TMP/stderr" "typo/typo.xml:2:1: OI007: /data/staff_n: \"four\" is not an integer"
expect_contains "$TMP/stderr" "import refused: 1 problems; nothing was stored"
[ "$(store_sum)" = "$before" ] || fail "a refused import changed the store"

# A photo the submission names but that is not beside it.
mkdir -p "$TMP/nophoto/x"
sed 's|33333333-3333-4333-8333-333333333333|77777777-7777-4777-8777-777777777777|' "$C/odk_demo_3/odk_demo_3.xml" >"$TMP/nophoto/x/x.xml"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/nophoto"
expect_contains "$TMP/stderr" "x.xml: ODI002: attachment \"1733390000000.jpg\" is not beside the submission"

# Hostile XML: an entity bomb and an external entity are refused before any expansion.
printf '<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<data id="odk_demo" version="2026120501"><org_id>&b;</org_id></data>\n' >"$TMP/bomb.xml"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/bomb.xml"
expect_contains "$TMP/stderr" "bomb.xml:2:16: OI002: a DOCTYPE is not allowed in a submission"
printf '<!DOCTYPE data SYSTEM "file:///etc/passwd"><data id="odk_demo" version="2026120501"/>' >"$TMP/xxe.xml"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/xxe.xml"
expect_contains "$TMP/stderr" "OI002"
# Another form's submission.
sed 's|id="odk_demo"|id="other_form"|' "$C/odk_demo_3/odk_demo_3.xml" >"$TMP/other.xml"
expect_status 1 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/other.xml"
expect_contains "$TMP/stderr" "other.xml: ODI004: the submission is for form \"other_form\""
[ "$(store_sum)" = "$before" ] || fail "a refused import changed the store"

# An edit of an edit (ODK Collect: A -> B with deprecatedID A -> C with deprecatedID B) is
# an edit of the same submission, whether B and C come in later imports (the store keeps
# every instanceID a submission has had) or all three in one folder.
edit_of() {  # edit_of SRC NEW_ID OLD_ID STAFF DEST
  sed -e "s|<staff_n>[0-9]*</staff_n>|<staff_n>$4</staff_n>|" \
      -e "s|<instanceID>[^<]*</instanceID>\(<deprecatedID>[^<]*</deprecatedID>\)\?|<instanceID>$2</instanceID><deprecatedID>$3</deprecatedID>|" \
      "$1" >"$5"
}
U33=uuid:33333333-3333-4333-8333-333333333333
U44=uuid:44444444-4444-4444-8444-444444444444
U88=uuid:88888888-8888-4888-8888-888888888888
mkdir -p "$TMP/third/c"
edit_of "$B/submission.xml" $U88 $U44 6 "$TMP/third/c/c.xml"
sed -i 's|<photo>[^<]*</photo>|<photo/>|' "$TMP/third/c/c.xml"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/third"
expect_contains "$TMP/stdout" "imported 0 submissions (odk xml) into form 'odk_demo' version 2026120501; 1 edits, 0 attachments, 0 already stored"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" $U33
expect_contains "$TMP/stdout" "reason: ODK edit: submission $U88 replaces $U44 (meta/deprecatedID)"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" $U33 <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
assert len(subs) == 3, sorted(subs)
assert subs[sys.argv[2]]["answers"]["staff_n"]["value"] == "6", subs[sys.argv[2]]["answers"]["staff_n"]
PY
# C again: already the submission's, nothing changes; B again likewise.
before=$(store_sum)
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/third"
expect_contains "$TMP/stdout" "0 edits, 0 attachments, 1 already stored"
[ "$(store_sum)" = "$before" ] || fail "importing an edit again changed the store"
# All three in one folder (Collect's instance folders sort by time), into a new store.
ONE=$TMP/one
mkdir -p "$ONE/a" "$ONE/b" "$ONE/c"
sed "s|<photo>[^<]*</photo>|<photo/>|" "$C/odk_demo_3/odk_demo_3.xml" >"$ONE/a/a.xml"
edit_of "$ONE/a/a.xml" $U44 $U33 5 "$ONE/b/b.xml"
edit_of "$ONE/b/b.xml" $U88 $U44 7 "$ONE/c/c.xml"
DB=$TMP/one.db
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx "$ONE"
expect_contains "$TMP/stdout" "imported 1 submissions (odk xml) into form 'odk_demo' version 2026120501; 2 edits, 0 attachments, 0 already stored"
expect_not_contains "$TMP/stderr" "ODI010"
expect_status 0 "$NGOSURVEY" audit show --db "$DB" $U33
expect_contains "$TMP/stdout" 'staff_n: answered "5" -> answered "7"'
# And once more in three successive imports, into a third store.
DB=$TMP/three.db
for f in a b c; do
  expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx "$ONE/$f"
  expect_not_contains "$TMP/stderr" "ODI010"
done
expect_contains "$TMP/stdout" "1 edits"
"$NGOSURVEY" submissions list --db "$DB" --format json >"$TMP/list.json"
python3 - "$TMP/list.json" $U33 <<'PY'
import json, sys
subs = {s["instance_id"]: s for s in json.load(open(sys.argv[1]))}
assert list(subs) == [sys.argv[2]], sorted(subs)
assert subs[sys.argv[2]]["answers"]["staff_n"]["value"] == "7"
PY
# A deprecatedID never seen stays a warning (ODI010) and a new submission.
mkdir -p "$TMP/orphan/d"
edit_of "$ONE/a/a.xml" uuid:99999999-9999-4999-8999-999999999999 uuid:00000000-0000-4000-8000-000000000000 8 "$TMP/orphan/d/d.xml"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form odk_demo "$TMP/orphan"
expect_contains "$TMP/stderr" "ODI010"
echo "ok"
