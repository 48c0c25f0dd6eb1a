#!/usr/bin/python3
"""Writes the hand-made .xlsx fixtures of tests/forms/ (the XML is written here
byte for byte, to cover what openpyxl never writes: inline strings, booleans,
dates, rich text, phonetic runs, sparse rows, formulas, the 1904 date system,
upper-case sheet names) and the malformed files.

Usage: tests/forms/make_fixtures.py [OUT_DIR]   (default: this folder)
Run it after changing it and commit the results; the tests only read them.
"""
import io
import os
import sys
import zipfile

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def workbook(sheets, date1904=False, shared=True, styles=True):
    """sheets: list of (name, sheet_xml). Returns {part: bytes}."""
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (name, _) in enumerate(sheets))
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS}>{pr}<sheets>{entries}</sheets></workbook>',
    }
    rels = [f'<Relationship Id="rId{i + 1}" Type="{REL}worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(sheets))]
    n = len(sheets)
    if shared is not None and shared is not False:
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL}sharedStrings" Target="sharedStrings.xml"/>')
        parts["xl/sharedStrings.xml"] = shared
    if styles:
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{REL}styles" Target="styles.xml"/>')
        parts["xl/styles.xml"] = STYLES
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>")
    for i, (_, xml) in enumerate(sheets):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = xml
    return parts


# cellXfs: 0 general, 1 date (numFmtId 14), 2 custom "yyyy-mm-dd hh:mm", 3 time (21),
# 4 custom "0.00" (not a date), 5 custom with a quoted "d" ('"day" 0', not a date).
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="0.00"/><numFmt numFmtId="166" formatCode="&quot;day&quot;\\ 0"/></numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="21" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"""


def sheet(rows_xml):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            f'<dimension ref="A1:F14"/><sheetData>{rows_xml}</sheetData></worksheet>')


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write(path, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))


def excel_style(out):
    """Shared strings with rich text and phonetic runs, numbers, booleans, dates,
    formulas with cached values, sparse rows (row 14, column F), in Excel's style."""
    strings = ["type", "name", "label", "relevant", "calculation", "integer", "age",
               "How old are you?", "text", "note_x", "calculate", "double_age", "default"]
    si = "".join(f"<si><t>{s}</t></si>" for s in strings)
    # 13: rich text "Your " + bold "name" ; 14: with a phonetic run that must be dropped;
    # 15: an escaped carriage return _x000D_
    si += '<si><r><t xml:space="preserve">Your </t></r><r><rPr><b/></rPr><t>name</t></r></si>'
    si += '<si><t>Name</t><rPh sb="0" eb="1"><t>ネーム</t></rPh></si>'
    si += '<si><t>line_x000D_break</t></si>'
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="16" '
              f'uniqueCount="16">{si}</sst>')
    survey = sheet(
        '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>12</v></c><c r="E1" t="s"><v>4</v></c>'
        '<c r="F1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="s"><v>7</v></c>'
        '<c r="D2"><v>30</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>8</v></c><c r="B3" t="str"><f>"first"&amp;"_name"</f><v>first_name</v></c>'
        '<c r="C3" t="s"><v>13</v></c><c r="D3" t="s"><v>14</v></c></row>'
        '<row r="5" spans="1:6"/>'
        '<row r="9"><c r="A9" t="s"><v>10</v></c><c r="B9" t="s"><v>11</v></c><c r="E9" t="s"><v>15</v></c></row>'
        '<row r="14"><c r="A14" t="s"><v>10</v></c><c r="B14" t="s"><v>9</v></c>'
        '<c r="E14"><f>1+1</f><v>2</v></c><c r="F14" t="b"><v>1</v></c></row>')
    values = sheet(
        '<row r="1"><c r="A1"><v>12</v></c><c r="B1"><v>0.1</v></c><c r="C1"><v>3.1415926535897931</v></c>'
        '<c r="D1"><v>-2.5E-3</v></c><c r="E1"><v>1E+20</v></c><c r="F1" t="b"><v>0</v></c></row>'
        '<row r="2"><c r="A2" s="1"><v>45352</v></c><c r="B2" s="2"><v>45352.5</v></c>'
        '<c r="C2" s="3"><v>0.75</v></c><c r="D2" s="4"><v>45352</v></c><c r="E2" s="5"><v>7</v></c>'
        '<c r="F2" t="d"><v>2024-03-01T10:00:00</v></c></row>'
        '<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="B3"><f>A1*2</f></c><c r="C3" s="1"><v>1</v></c></row>')
    write(os.path.join(out, "excel_style.xlsx"),
          workbook([("survey", survey), ("Values", values)], shared=shared))


def inline_strings(out):
    """Inline strings only (no sharedStrings part), upper-case sheet names, cells
    without r attributes, the 1904 date system, and a near-miss sheet name."""
    survey = sheet(
        '<row r="1">' + inline("A1", "type") + inline("B1", "name") + inline("C1", "label::English (en)")
        + inline("D1", "Label::Khmer(km)") + '</row>'
        '<row r="2"><c t="inlineStr"><is><t>select_one yn</t></is></c><c t="inlineStr"><is><t>ok</t></is></c>'
        '<c t="inlineStr"><is><r><t>Is it </t></r><r><t>OK?</t></r></is></c>'
        '<c t="inlineStr"><is><t>តើវាល្អទេ?</t></is></c></row>'
        '<row r="3">' + inline("A3", "date") + inline("B3", "when") + inline("C3", "When?")
        + inline("D3", "ពេលណា?") + '</row>')
    choices = sheet(
        '<row r="1">' + inline("A1", "list name") + inline("B1", "name") + inline("C1", "label::en")
        + inline("D1", "label::km") + '</row>'
        '<row r="2">' + inline("A2", "yn") + '<c r="B2"><v>1</v></c>' + inline("C2", "Yes")
        + inline("D2", "បាទ") + '</row>'
        '<row r="3">' + inline("A3", "yn") + '<c r="B3"><v>0</v></c>' + inline("C3", "No")
        + inline("D3", "ទេ") + '</row>')
    dates = sheet('<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>45352</v></c></row>')
    write(os.path.join(out, "inline_strings.xlsx"),
          workbook([("SURVEY", survey), ("Choices", choices), ("Dates", dates), ("setting", dates)],
                   shared=False, date1904=True))


def malformed(out):
    with open(os.path.join(out, "not_a_zip.xlsx"), "wb") as f:
        f.write(b"type,name,label\ntext,name,Your name\n")
    good = io.BytesIO()
    survey = sheet('<row r="1">' + inline("A1", "type") + inline("B1", "name") + '</row>'
                   + "".join(f'<row r="{r}">' + inline(f"A{r}", "text") + inline(f"B{r}", f"q{r}")
                             + '</row>' for r in range(2, 200)))
    write(good, workbook([("survey", survey)], shared=False))
    data = good.getvalue()
    with open(os.path.join(out, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    broken = sheet('<row r="1">' + inline("A1", "type") + inline("B1", "name") + '</row>\n'
                   '<row r="2">' + inline("A2", "text") + '<c r="B2" t="inlineStr"><is><t>oops</is></c></row>')
    write(os.path.join(out, "broken_xml.xlsx"), workbook([("survey", broken)], shared=False))
    big = "x" * (10 * 1024 * 1024)
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS}>'
              f'<si><t>type</t></si><si><t>name</t></si><si><t>text</t></si><si><t>{big}</t></si></sst>')
    survey = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                   '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c></row>')
    write(os.path.join(out, "big_cell.xlsx"), workbook([("survey", survey)], shared=shared))


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    excel_style(out)
    inline_strings(out)
    malformed(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
