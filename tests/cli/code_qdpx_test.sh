#!/usr/bin/env bash
# ngosurvey code export FILE.qdpx (issue 18, item 5): the codings of an open question as a
# REFI-QDA project for NVivo, ATLAS.ti and MAXQDA. project.qde validates with xmllint
# against the standard's schema (the parts ngosurvey writes: docs/formats/
# refi-qda-project-subset.xsd); users are the coders, codes the codebook's themes nested as
# its hierarchy, sources the answers with their text kept byte for byte (line ends
# included), selections in code points with one Coding per coder; the same export twice
# gives the same bytes. code import FILE.qdpx brings the codings back (from ngosurvey's
# export or another tool's project), checked as a CSV import, all or nothing, a refusal
# naming its line in project.qde. The data are SYNTHETIC test data.
source "$(dirname "$0")/lib.sh"
command -v xmllint >/dev/null 2>&1 || fail "xmllint is not installed (run tools/install-deps)"
D=tests/data/exchange
BOOK=tests/data/qual/codebook.toml
DB=$TMP/store.db
U1=uuid:11111111-1111-4111-8111-111111111111   # "Needs funding, urgently"
U2=uuid:22222222-2222-4222-8222-222222222222   # "Tổ chức phi chính phủ"
U3=uuid:33333333-3333-4333-8333-333333333333   # "line one\nline two"
expect_status 0 "$NGOSURVEY" import --db "$DB" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
cat >"$TMP/codings.csv" <<CSV
instance_id,question,coder,code,start,end
$U1,remarks,lan,funding,6,13
$U1,remarks,sokha,funding,6,13
$U2,remarks,lan,other,,
$U2,remarks,sokha,staffing,4,8
$U3,remarks,lan,,,
$U3,remarks,sokha,funding,,
CSV
expect_status 0 "$NGOSURVEY" code import --db "$DB" --question remarks --codebook $BOOK "$TMP/codings.csv"

expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks --codebook $BOOK "$TMP/remarks.qdpx"
expect_contains "$TMP/stderr" "REFI-QDA project of 'remarks' written to $TMP/remarks.qdpx"
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.namelist()==['project.qde'], z.namelist(); open(sys.argv[2],'wb').write(z.read('project.qde'))" \
  "$TMP/remarks.qdpx" "$TMP/project.qde"
xmllint --noout --schema docs/formats/refi-qda-project-subset.xsd "$TMP/project.qde" 2>"$TMP/xmllint.out" ||
  { cat "$TMP/xmllint.out"; fail "project.qde does not validate"; }

python3 - "$TMP/project.qde" "$U1" "$U2" "$U3" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"q": "urn:QDA-XML:project:1.0"}
root = ET.parse(sys.argv[1]).getroot()
u1, u2, u3 = sys.argv[2:5]
users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", ns)}
assert sorted(users.values()) == ["lan", "sokha"], users
codes = {}
def walk(parent, depth, path):
    for c in parent.findall("q:Code", ns):
        codes[c.get("guid")] = (c.get("name"), depth, path)
        walk(c, depth + 1, path + [c.get("name")])
walk(root.find("q:CodeBook/q:Codes", ns), 0, [])
by_name = {name: (depth, path) for name, depth, path in codes.values()}
assert by_name["Funding"] == (1, ["Resources"]), by_name
assert by_name["Staffing"] == (1, ["Resources"]) and by_name["Other"] == (0, []), by_name
funding = [c for c in root.iter("{urn:QDA-XML:project:1.0}Code") if c.get("name") == "Funding"][0]
assert "ngosurvey theme: funding" in funding.find("q:Description", ns).text
assert "Exclude: Pay of staff: use staffing." in funding.find("q:Description", ns).text
sources = {s.get("name"): s for s in root.findall("q:Sources/q:TextSource", ns)}
assert set(sources) == {u1, u2, u3}, sources.keys()
assert sources[u2].find("q:PlainTextContent", ns).text == "Tổ chức phi chính phủ"
assert sources[u3].find("q:PlainTextContent", ns).text == "line one\nline two"
def selections(u):
    out = []
    for sel in sources[u].findall("q:PlainTextSelection", ns):
        for coding in sel.findall("q:Coding", ns):
            code = codes[coding.find("q:CodeRef", ns).get("targetGUID")][0]
            out.append((int(sel.get("startPosition")), int(sel.get("endPosition")), code,
                        users[coding.get("creatingUser")]))
    return sorted(out)
assert selections(u1) == [(6, 13, "Funding", "lan"), (6, 13, "Funding", "sokha")], selections(u1)
# The whole answer is 0..its length in code points (21 for the Vietnamese one).
assert selections(u2) == [(0, 21, "Other", "lan"), (4, 8, "Staffing", "sokha")], selections(u2)
# lan read U3 and found no code: no REFI-QDA form, nothing written for it.
assert selections(u3) == [(0, 17, "Funding", "sokha")], selections(u3)
text = sources[u1].find("q:PlainTextContent", ns).text
assert text[6:13] == "funding", text[6:13]
PY

# The same export again: the same bytes (GUIDs made from what they stand for, fixed dates).
expect_status 0 "$NGOSURVEY" code export --db "$DB" --question remarks --codebook $BOOK "$TMP/again.qdpx"
cmp "$TMP/remarks.qdpx" "$TMP/again.qdpx" || fail "two exports of the same codings differ"
# Back in (code import FILE.qdpx) into a second store with the same answers: the same codings
# as the CSV export gives, but lan's "read, no code" on U3, which REFI-QDA cannot hold.
DB2=$TMP/store2.db
expect_status 0 "$NGOSURVEY" import --db "$DB2" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_status 0 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/remarks.qdpx"
expect_contains "$TMP/stdout" "imported 5 rows: 5 coded answers of 'remarks' by lan, sokha"
expect_status 0 "$NGOSURVEY" code export --db "$DB2" --question remarks "$TMP/back.csv"
grep -v "^$U3,remarks,lan,,," "$TMP/codings.csv" >"$TMP/want.csv"
diff "$TMP/want.csv" "$TMP/back.csv" || fail "codings differ after the .qdpx round trip"

# A project from another tool: codes named by their labels (no ngosurvey line in the
# description), a whole-source coding; it comes in the same way.
python3 - "$TMP/remarks.qdpx" "$TMP/foreign.qdpx" "$TMP/edited.qdpx" "$TMP/doctype.qdpx" "$TMP/unknown.qdpx" <<'PY'
import re, sys, zipfile
src, foreign, edited, doctype, unknown = sys.argv[1:]
qde = zipfile.ZipFile(src).read("project.qde").decode()
def write(path, text):
    with zipfile.ZipFile(path, "w") as z: z.writestr("project.qde", text)
write(foreign, re.sub(r"<Description>ngosurvey theme: [a-z]+(&#10;)?", "<Description>", qde))
write(edited, qde.replace("Needs funding, urgently", "Needs money, urgently"))
write(doctype, qde.replace('<?xml version="1.0" encoding="utf-8"?>',
                           '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "b">]>'))
write(unknown, qde.replace('name="Staffing"', 'name="Salaries"')
                  .replace("ngosurvey theme: staffing", "ngosurvey theme: salaries"))
PY
DB3=$TMP/store3.db
expect_status 0 "$NGOSURVEY" import --db "$DB3" --form $D/form.xlsx $D/odk/main.csv --repeat programs=$D/odk/programs.csv
expect_status 0 "$NGOSURVEY" code import --db "$DB3" --question remarks --codebook $BOOK "$TMP/foreign.qdpx"
expect_status 0 "$NGOSURVEY" code export --db "$DB3" --question remarks "$TMP/foreign.csv"
diff "$TMP/want.csv" "$TMP/foreign.csv" || fail "codes matched by label differ"
# Refused, nothing stored: an edited text, a DOCTYPE, a code not in the codebook (named
# at its Coding element's line), a cut archive.
before=$(sha256sum "$DB2" | cut -d' ' -f1)
expect_status 1 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/edited.qdpx"
expect_contains "$TMP/stderr" "QDP003"
expect_contains "$TMP/stderr" "edited.qdpx!project.qde:"
expect_status 1 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/doctype.qdpx"
expect_contains "$TMP/stderr" "QDP001"
expect_status 1 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/unknown.qdpx"
expect_contains "$TMP/stderr" "COD004"
line=$(grep -o 'unknown.qdpx!project.qde:[0-9]*' "$TMP/stderr" | cut -d: -f2)
python3 -c "import zipfile,sys; l=zipfile.ZipFile(sys.argv[1]).read('project.qde').decode().splitlines()[int(sys.argv[2])-1]; assert '<Coding ' in l, l"   "$TMP/unknown.qdpx" "$line" || fail "COD004 does not point at a Coding element"
head -c 200 "$TMP/remarks.qdpx" >"$TMP/cut.qdpx"
expect_status 1 "$NGOSURVEY" code import --db "$DB2" --question remarks --codebook $BOOK "$TMP/cut.qdpx"
expect_contains "$TMP/stderr" "ZIP001"
[ "$(sha256sum "$DB2" | cut -d' ' -f1)" = "$before" ] || fail "a refused .qdpx import changed the store"

# Usage errors: no codebook, one coder only.
expect_status 2 "$NGOSURVEY" code export --db "$DB" --question remarks "$TMP/x.qdpx"
expect_contains "$TMP/stderr" "needs --codebook"
expect_status 2 "$NGOSURVEY" code export --db "$DB" --question remarks --coder lan --codebook $BOOK "$TMP/x.qdpx"
[ ! -e "$TMP/x.qdpx" ] || fail "a refused export wrote a file"
echo "code_qdpx_test: ok"
