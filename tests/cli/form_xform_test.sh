# `ngosurvey form xform`: the XForm to standard output or, with -o, to a file written
# atomically; an invalid form is refused with exit 1 and the diagnostics of
# `form check`, and nothing is written.
source "$(dirname "$0")/lib.sh"
cd "${SOURCE_DIR:-.}"

# To standard output: a whole XForm, id from the settings.
expect_status 0 "$NGOSURVEY" form xform examples/ngo_profile.xlsx
/usr/bin/python3 - "$TMP/stdout" <<'PY' || fail "XForm on standard output"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
xf = "{http://www.w3.org/2002/xforms}"
assert root.tag == "{http://www.w3.org/1999/xhtml}html", root.tag
data = root.find(f".//{xf}instance/{xf}data")
assert data.get("id") == "ngo_profile" and data.get("version") == "2026112501", data.attrib
assert data.find(f"{xf}meta/{xf}instanceID") is not None
langs = [t.get("lang") for t in root.iter(f"{xf}translation")]
assert langs == ["English (en)", "Khmer (km)", "Vietnamese (vi)"], langs
PY

# With -o: the same bytes in the file, nothing on standard output.
cp "$TMP/stdout" "$TMP/expected.xml"
expect_status 0 "$NGOSURVEY" form xform examples/ngo_profile.xlsx -o "$TMP/form.xml"
[ ! -s "$TMP/stdout" ] || fail "-o also wrote to standard output"
cmp "$TMP/form.xml" "$TMP/expected.xml" || fail "-o wrote other bytes than standard output"
[ -z "$(ls "$TMP" | grep -v -e '^form.xml$' -e '^expected.xml$' -e '^stdout$' -e '^stderr$')" ] ||
  fail "a temporary file was left behind: $(ls "$TMP")"

# No form_id in the settings: pyxform's fallback, the file name.
expect_status 0 "$NGOSURVEY" form xform tests/forms/deep_groups.xlsx
expect_contains "$TMP/stdout" '<data id="deep_groups"'

# An invalid form: exit 1, the diagnostics of `form check` (same lines), nothing written;
# an existing output file is left as it was.
echo "previous" > "$TMP/keep.xml"
set +e
"$NGOSURVEY" form check tests/forms/errors/unknown_ref.xlsx > "$TMP/check.out" 2>&1
set -e
expect_status 1 "$NGOSURVEY" form xform tests/forms/errors/unknown_ref.xlsx -o "$TMP/keep.xml"
grep -E '^(error|warning): ' "$TMP/check.out" > "$TMP/check.diags"
grep -E '^(error|warning): ' "$TMP/stderr" > "$TMP/xform.diags"
[ -s "$TMP/check.diags" ] || fail "form check printed no diagnostics"
diff -u "$TMP/check.diags" "$TMP/xform.diags" || fail "form xform's diagnostics differ from form check's"
expect_contains "$TMP/stderr" "tests/forms/errors/unknown_ref.xlsx: invalid, "
[ "$(cat "$TMP/keep.xml")" = "previous" ] || fail "the output file was touched"

# An output folder that does not exist: I/O error (3).
expect_status 3 "$NGOSURVEY" form xform examples/ngo_profile.xlsx -o "$TMP/no/such/dir/form.xml"
echo "form xform: ok"
