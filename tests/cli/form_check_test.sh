# `ngosurvey form check`: exit statuses, --strict, several files, the golden
# outputs of broken forms (tests/forms/**/*.expected), huge and hostile files.
source "$(dirname "$0")/lib.sh"
cd "${SOURCE_DIR:-.}"

# Help on the group and every subcommand.
for args in "--help" "form --help" "form check --help" "form show --help" "form diagnostics --help"; do
  expect_status 0 "$NGOSURVEY" $args
  expect_contains "$TMP/stdout" "Usage"
done
expect_status 0 "$NGOSURVEY" --help
expect_contains "$TMP/stdout" "form"

# The example form is clean.
expect_status 0 "$NGOSURVEY" form check examples/ngo_profile.xlsx
expect_contains "$TMP/stdout" "examples/ngo_profile.xlsx: valid, 0 errors, 0 warnings (25 questions, 5 choice lists, 3 languages)"
[ "$(wc -l < "$TMP/stdout")" = 1 ] || fail "a clean form prints only its summary"

# Golden outputs: stdout and the exit status of every fixture with an .expected file.
count=0
while IFS= read -r expected; do
  form="${expected%.expected}.xlsx"
  set +e
  "$NGOSURVEY" form check "$form" >"$TMP/got" 2>"$TMP/stderr"
  echo "exit: $?" >>"$TMP/got"
  set -e
  diff -u "$expected" "$TMP/got" || fail "output of form check $form differs from $expected"
  count=$((count + 1))
done < <(find tests/forms -name '*.expected' | sort)
[ "$count" -ge 6 ] || fail "expected at least 6 golden files, found $count"

# pyxform parity (docs/pyxform-parity.md): form check accepts exactly the forms pyxform
# accepts and refuses the ones pyxform or ODK Validate refuses, as tests/forms/parity/cases.tsv
# records them; every case folder is listed there and has its golden output.
parity=0
while IFS=$'\t' read -r name verdict what; do
  case "$name" in '' | '#'*) continue ;; esac
  form="tests/forms/parity/$name.xlsx"
  [ -f "$form" ] && [ -f "tests/forms/parity/$name.expected" ] || fail "parity case $name: no $form or .expected"
  set +e
  "$NGOSURVEY" form check "$form" >/dev/null 2>&1
  status=$?
  set -e
  want=1
  [ "$verdict" = accepts ] && want=0
  [ "$status" = "$want" ] || fail "parity case $name ($what): pyxform $verdict it, form check exited $status"
  parity=$((parity + 1))
done < tests/forms/parity/cases.tsv
for dir in tests/forms/parity/*/; do
  name=$(basename "$dir")
  grep -q "^$name	" tests/forms/parity/cases.tsv || fail "parity case $name is not in cases.tsv"
done
[ "$parity" -ge 38 ] || fail "expected at least 38 parity cases, found $parity"

# Warnings pass unless --strict.
expect_status 0 "$NGOSURVEY" form check tests/forms/default_language.xlsx
expect_contains "$TMP/stdout" "warning: tests/forms/default_language.xlsx:survey!D1: W102:"
expect_status 1 "$NGOSURVEY" form check --strict tests/forms/default_language.xlsx
expect_contains "$TMP/stdout" "invalid, 0 errors, 1 warning"

# Several files: every file is checked, the worst status wins; errors come before warnings.
expect_status 1 "$NGOSURVEY" form check examples/ngo_profile.xlsx tests/forms/errors/many.xlsx
expect_contains "$TMP/stdout" "examples/ngo_profile.xlsx: valid"
expect_contains "$TMP/stdout" "tests/forms/errors/many.xlsx: invalid"
first_warning=$(grep -n '^warning:' "$TMP/stdout" | head -1 | cut -d: -f1)
last_error=$(grep -n '^error:' "$TMP/stdout" | tail -1 | cut -d: -f1)
[ "$first_warning" -gt "$last_error" ] || fail "warnings must follow errors"

# A missing file is a usage error (CLI11 checks it exists).
expect_status 2 "$NGOSURVEY" form check tests/forms/no_such_form.xlsx

# A sheet of a million empty rows loads fast and does not blow memory.
/usr/bin/python3 - "$TMP/empty_rows.xlsx" <<'PY'
import sys, zipfile
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>label</t></is></c></row>',
        '<row r="2"><c r="A2" t="inlineStr"><is><t>text</t></is></c><c r="B2" t="inlineStr"><is><t>q</t></is></c><c r="C2" t="inlineStr"><is><t>Q</t></is></c></row>']
rows += ['<row r="%d" spans="1:3"><c r="A%d" s="1"/></row>' % (r, r) for r in range(3, 1000001)]
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook %s><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>' % NS)
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, "".join(rows)))
PY
start=$(date +%s%N)
expect_status 0 "$NGOSURVEY" form check "$TMP/empty_rows.xlsx"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_contains "$TMP/stdout" "valid, 0 errors, 0 warnings (1 question, 0 choice lists, 1 language)"
# Generous bound: the debug build runs under the sanitizers on a shared machine.
[ "$elapsed_ms" -lt 20000 ] || fail "a million empty rows took ${elapsed_ms} ms"

echo "form_check_test: ok ($count golden files, $parity pyxform parity cases)"
