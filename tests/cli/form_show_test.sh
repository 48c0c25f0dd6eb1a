# `ngosurvey form show`: the JSON layout is a public interface (docs/cli.md) and
# is pinned here, key by key and in order; the text outline honours --lang.
source "$(dirname "$0")/lib.sh"
cd "${SOURCE_DIR:-.}"

# The whole JSON of a small form, byte for byte.
expect_status 0 "$NGOSURVEY" form show --format json tests/forms/cascading.xlsx
diff -u tests/forms/cascading.json "$TMP/stdout" || fail "form show --format json changed"

# The layout of the example form: keys, their order and their types.
expect_status 0 "$NGOSURVEY" form show --format json examples/ngo_profile.xlsx
/usr/bin/python3 - "$TMP/stdout" <<'PY' || fail "JSON layout"
import json, sys
doc = json.load(open(sys.argv[1]), object_pairs_hook=lambda pairs: pairs)
keys = [k for k, _ in doc]
assert keys == ["form_id", "title", "version", "default_language", "languages", "questions",
                "choice_lists"], keys
d = dict(doc)
assert d["form_id"] == "ngo_profile" and d["title"] == "NGO profile", d
assert d["default_language"] == "en" and d["languages"] == ["en", "km", "vi"], d["languages"]
questions = [dict(q) for q in d["questions"]]
for q in d["questions"]:
    assert [k for k, _ in q] == ["name", "type", "list", "path", "label", "relevant",
                                 "constraint", "calculation", "required"], q
names = [q["name"] for q in questions]
assert names[:5] == ["start", "end", "today", "organisation", "org_name"], names
by = {q["name"]: q for q in questions}
assert by["organisation"]["type"] == "begin_group" and by["programme"]["type"] == "begin_repeat"
assert by["org_type"]["type"] == "select_one" and by["org_type"]["list"] == "org_type"
assert by["org_name"]["list"] is None and by["org_name"]["required"] == "yes"
assert by["district"]["path"] == "/data/location/district"
assert dict(by["org_name"]["label"]) == {"en": "Name of the organisation", "km": "ឈ្មោះអង្គការ",
                                         "vi": "Tên tổ chức"}
assert by["staff_total"]["calculation"] == "${staff_paid} + ${staff_volunteer}"
assert by["website"]["relevant"] == "${has_website} = 'yes'" and by["website"]["required"] is None
lists = dict(d["choice_lists"])
assert [k for k, _ in d["choice_lists"]] == ["yes_no", "org_type", "province", "district", "sector"]
assert [dict(c)["name"] for c in lists["yes_no"]] == ["yes", "no"]
assert [k for k, _ in lists["yes_no"][0]] == ["name", "label"]
PY

# Text outline: groups indented, labels in the language asked for.
expect_status 0 "$NGOSURVEY" form show --lang km examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "+ organisation (begin_group): អង្គការ"
expect_contains "$TMP/stdout" "  - org_name (text): ឈ្មោះអង្គការ [required]"
expect_contains "$TMP/stdout" "* programme (begin_repeat): កម្មវិធី"
expect_contains "$TMP/stdout" "    choices where province = \${province}"
expect_status 0 "$NGOSURVEY" form show --lang Vietnamese examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "  - org_name (text): Tên tổ chức [required]"
expect_status 0 "$NGOSURVEY" form show examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "NGO profile (form_id ngo_profile, version 2026112501)"
expect_contains "$TMP/stdout" "Languages: en (English), km (Khmer), vi (Vietnamese); default en"

# A loop is shown as the groups it becomes at load (form/loops.h), a group per choice,
# and runs as they do: no W103.
expect_status 0 "$NGOSURVEY" form show tests/forms/parity/begin_loop.xlsx
expect_contains "$TMP/stdout" "begin_loop (form_id begin_loop, version -)"
expect_contains "$TMP/stdout" "+ fruit_loop (begin_loop fruits): Fruit
  + apple (begin_group): Apple
    - eaten (integer): How many eaten?
  + mango (begin_group): Mango
    - eaten (integer): How many eaten?"
if grep -q W103 "$TMP/stderr"; then fail "a loop is no longer W103: $(cat "$TMP/stderr")"; fi
# Types the interview does not run are shown, under their canonical names (pyxform parity).
expect_status 0 "$NGOSURVEY" form show tests/forms/parity/select_one_external.xlsx
expect_contains "$TMP/stdout" "- city (select_one_external city): City?"
expect_status 0 "$NGOSURVEY" form show --format json tests/forms/parity/osm.xlsx
expect_contains "$TMP/stdout" '"type": "osm"'
expect_contains "$TMP/stdout" '"list": "building"'

# Wrong language, wrong format, invalid form, unreadable file.
expect_status 2 "$NGOSURVEY" form show --lang fr examples/ngo_profile.xlsx
expect_contains "$TMP/stderr" "the form has no such language (it has: en, km, vi)"
expect_status 2 "$NGOSURVEY" form show --format xml examples/ngo_profile.xlsx
expect_status 1 "$NGOSURVEY" form show tests/forms/errors/unknown_ref.xlsx
expect_contains "$TMP/stderr" "E012: unknown reference \${agee}; did you mean \${age}?"
expect_status 1 "$NGOSURVEY" form show tests/forms/not_a_zip.xlsx
expect_contains "$TMP/stderr" "error: tests/forms/not_a_zip.xlsx: X001: not an .xlsx workbook"

# The diagnostics page is generated from the catalogue and kept in sync.
expect_status 0 "$NGOSURVEY" form diagnostics
diff -u docs/diagnostics.md "$TMP/stdout" || fail "docs/diagnostics.md is stale: run ngosurvey form diagnostics > docs/diagnostics.md"

# form model: the lossless model as JSON (docs/formats/form-json.md), for the web engine.
expect_status 0 "$NGOSURVEY" form model examples/ngo_profile.xlsx
python3 - "$TMP/stdout" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["ngosurvey_form"] == 1 and m["settings"]["form_id"] == "ngo_profile", m["settings"]
q = {x["name"]: x for x in m["questions"]}
assert q["year_founded"]["label"]["km"] == "ឆ្នាំបង្កើតអង្គការ", q["year_founded"]
assert q["programme_name"]["parent"] == [x["name"] for x in m["questions"]].index("programme")
assert [l["code"] for l in m["languages"]] == ["en", "km", "vi"], m["languages"]
PY
expect_status 0 "$NGOSURVEY" form model study/instrument.xlsx -o "$TMP/instrument.json"
[ -s "$TMP/instrument.json" ] && [ ! -s "$TMP/stdout" ] || fail "form model -o wrote to the wrong place"
# A form with errors: refused, nothing written; a file that cannot be written: exit 3.
expect_status 1 "$NGOSURVEY" form model tests/forms/errors/unknown_ref.xlsx -o "$TMP/bad.json"
expect_contains "$TMP/stderr" "E012"
[ ! -e "$TMP/bad.json" ] || fail "form model wrote the model of an invalid form"
expect_status 3 "$NGOSURVEY" form model examples/ngo_profile.xlsx -o "$TMP/no/such/dir/x.json"

# ODK entities: the lists, their mode, where meta/entity goes and what is saved, in the
# outline and as a last "entities" key of the JSON (only for a form that has them).
expect_status 0 "$NGOSURVEY" form show tests/forms/parity/entities_two_lists.xlsx
expect_contains "$TMP/stdout" "Entities:"
expect_contains "$TMP/stdout" "  households (creates, meta/entity in /data/household)"
expect_contains "$TMP/stdout" "  people (creates, meta/entity in /data/member)"
expect_contains "$TMP/stdout" "    saves person -> full_name, age -> age"
expect_status 0 "$NGOSURVEY" form show tests/forms/parity/entities_upsert.xlsx
expect_contains "$TMP/stdout" "  trees (creates or updates, meta/entity in /data)"
expect_contains "$TMP/stdout" "    update if \${new} = 'no'"
expect_status 0 "$NGOSURVEY" form show --format json tests/forms/parity/entities_two_lists.xlsx
/usr/bin/python3 - "$TMP/stdout" <<'PY' || fail "JSON entities"
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc)[-1] == "entities", list(doc)
people = doc["entities"][1]
assert list(people) == ["list_name", "creates", "updates", "label", "entity_id", "create_if",
                        "update_if", "container", "save_to"], list(people)
assert people["list_name"] == "people" and people["creates"] and not people["updates"], people
assert people["container"] == "/data/member" and people["entity_id"] is None, people
assert people["save_to"] == {"full_name": "person", "age": "age"}, people["save_to"]
PY

echo "form_show_test: ok"
