# `ngosurvey form check` and `form xform` on a legacy .xls XLSForm (Excel 97-2003), made
# at test time by tests/xls/make_xls.py (python3-xlwt): it is read as the .xlsx of the
# same content is, and a damaged or misnamed file gets a clear error.
source "$(dirname "$0")/lib.sh"
cd "${SOURCE_DIR:-.}"

cat > "$TMP/form.json" <<'JSON'
{"sheets": [
 {"name": "survey", "rows": [
  ["type", "name", "label::English (en)", "label::Vietnamese (vi)", "relevant", "required"],
  ["select_one yn", "consent", "Do you agree?", "Bạn có đồng ý không?", null, true],
  ["integer", "age", "Age", "Tuổi", "${consent} = 'yes'", true],
  ["date", "visit", "Visit date", "Ngày thăm"]]},
 {"name": "choices", "rows": [
  ["list_name", "name", "label::English (en)", "label::Vietnamese (vi)"],
  ["yn", "yes", "Yes", "Có"], ["yn", "no", "No", "Không"]]},
 {"name": "settings", "rows": [["form_id", "version"], ["xls_form", 2026120601]]}]}
JSON
/usr/bin/python3 tests/xls/make_xls.py "$TMP/form.json" "$TMP/form.xls" ||
  fail "make_xls.py (python3-xlwt, tools/install-deps)"
/usr/bin/python3 tests/xls/make_xls.py --xlsx "$TMP/form.json" "$TMP/form.xlsx" ||
  fail "make_xls.py --xlsx (python3-openpyxl)"

expect_status 0 "$NGOSURVEY" form check "$TMP/form.xls"
expect_status 0 "$NGOSURVEY" form xform "$TMP/form.xls" -o "$TMP/from_xls.xml"
expect_contains "$TMP/from_xls.xml" '<data id="xls_form" version="2026120601"'
expect_contains "$TMP/from_xls.xml" 'Bạn có đồng ý không?'
expect_contains "$TMP/from_xls.xml" 'required="true()"'
expect_status 0 "$NGOSURVEY" form xform "$TMP/form.xlsx" -o "$TMP/from_xlsx.xml"
cmp "$TMP/from_xls.xml" "$TMP/from_xlsx.xml" || fail "the .xls and the .xlsx give other XForms"

# Renamed: the bytes decide, not the name.
cp "$TMP/form.xls" "$TMP/renamed.xlsx"
expect_status 0 "$NGOSURVEY" form xform "$TMP/renamed.xlsx" -o "$TMP/renamed.xml"
cmp "$TMP/renamed.xml" "$TMP/from_xls.xml" || fail "a .xls named .xlsx is read otherwise"

# A truncated .xls, and a text file named .xls: exit 1, the file and the code named.
head -c 3000 "$TMP/form.xls" > "$TMP/cut.xls"
expect_status 1 "$NGOSURVEY" form check "$TMP/cut.xls"
grep -qF "cut.xls: X007: not a readable .xls workbook" "$TMP/stdout" "$TMP/stderr" ||
  { cat "$TMP/stdout" "$TMP/stderr"; fail "truncated .xls: no X007"; }
printf 'type,name,label\ntext,q,Q\n' > "$TMP/text.xls"
expect_status 1 "$NGOSURVEY" form xform "$TMP/text.xls" -o "$TMP/text.xml"
grep -qF "text.xls: X007: not a readable .xls workbook: it does not start with the OLE2" \
  "$TMP/stdout" "$TMP/stderr" || { cat "$TMP/stdout" "$TMP/stderr"; fail "text .xls: no X007"; }
[ ! -e "$TMP/text.xml" ] || fail "a refused form wrote its output"
echo "form_xls_test: ok"
