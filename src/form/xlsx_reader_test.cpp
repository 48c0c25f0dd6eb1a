#include "form/xlsx_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file.h"
#include "base/testing/source_dir.h"
#include "base/zip_archive.h"
#include "form/xlsx_reader_paths.h"

namespace ngosurvey::form {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(::ngosurvey::testing::SourceDir()) + "/tests/forms/" + name;
}

std::string CellText(const Sheet& sheet, int row, int column) {
  const Cell* cell = sheet.Find(row, column);
  return cell == nullptr ? "<none>" : cell->value;
}

// A workbook of one sheet "survey" whose sheet part is `sheet` (and whose shared
// strings part is `shared`, when not empty), made in memory.
std::string Book(const std::string& sheet, const std::string& shared = "") {
  std::vector<std::pair<std::string, std::string>> parts = {
      {"xl/workbook.xml",
       "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"survey\" r:id=\"rId1\"/></sheets>"
       "</workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId1\" Type=\"urn:x/worksheet\" "
       "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", sheet}};
  if (!shared.empty()) parts.emplace_back("xl/sharedStrings.xml", shared);
  Result<std::string> zip = WriteZip(parts);
  EXPECT_TRUE(zip);
  return zip ? *zip : std::string();
}

std::string SheetXml(const std::string& rows) {
  return "<?xml version=\"1.0\"?>\n<worksheet><sheetData>" + rows + "</sheetData></worksheet>";
}

std::string ErrorOf(const std::string& data) {
  Result<Workbook> book = ReadXlsx(data, "t.xlsx");
  return book ? "(no error)" : book.error().ToString();
}

TEST(XlsxReader, ExcelStyleSharedStringsRichTextFormulasAndSparseRows) {
  Result<Workbook> book = ReadXlsxFile(Fixture("excel_style.xlsx"));
  ASSERT_TRUE(book) << book.error().ToString();
  ASSERT_EQ(book->sheets.size(), 2u);
  const Sheet* survey = book->FindSheet("SURVEY");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(survey->part, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(CellText(*survey, 1, 1), "type");
  EXPECT_EQ(CellText(*survey, 2, 4), "30");           // a number without ".0"
  EXPECT_EQ(CellText(*survey, 3, 2), "first_name");   // formula string: cached value
  EXPECT_EQ(CellText(*survey, 3, 3), "Your name");    // rich text runs concatenated
  EXPECT_EQ(CellText(*survey, 3, 4), "Name");         // phonetic run dropped
  EXPECT_EQ(CellText(*survey, 9, 5), "line\rbreak");  // _x000D_ decoded
  EXPECT_EQ(CellText(*survey, 14, 5), "2");           // formula number: cached value
  EXPECT_EQ(CellText(*survey, 14, 6), "TRUE");        // boolean
  const Cell* f14 = survey->Find(14, 6);
  ASSERT_NE(f14, nullptr);
  EXPECT_EQ(f14->row, 14);
  EXPECT_EQ(f14->column, 6);
  EXPECT_EQ(f14->kind, CellKind::kBoolean);
  // Row 5 is empty and rows 4, 6-8 are absent: none stored.
  for (const Row& row : survey->rows) EXPECT_FALSE(row.cells.empty());
  EXPECT_EQ(survey->Find(5, 1), nullptr);
  std::vector<int> numbers;
  for (const Row& row : survey->rows) numbers.push_back(row.number);
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3, 9, 14}));
}

TEST(XlsxReader, NumbersBooleansDatesErrors) {
  Result<Workbook> book = ReadXlsxFile(Fixture("excel_style.xlsx"));
  ASSERT_TRUE(book) << book.error().ToString();
  const Sheet* values = book->FindSheet("values");
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(CellText(*values, 1, 1), "12");
  EXPECT_EQ(CellText(*values, 1, 2), "0.1");
  EXPECT_EQ(CellText(*values, 1, 3), "3.141592653589793");
  EXPECT_EQ(CellText(*values, 1, 4), "-0.0025");
  EXPECT_EQ(CellText(*values, 1, 5), "1e+20");  // shortest exact text
  EXPECT_EQ(CellText(*values, 1, 6), "FALSE");
  EXPECT_EQ(CellText(*values, 2, 1), "2024-03-01");           // numFmtId 14
  EXPECT_EQ(CellText(*values, 2, 2), "2024-03-01T12:00:00");  // custom date-time
  EXPECT_EQ(CellText(*values, 2, 3), "18:00:00");             // time format 21
  EXPECT_EQ(CellText(*values, 2, 4), "45352");                // "0.00" is not a date
  EXPECT_EQ(CellText(*values, 2, 5), "7");                    // "day" quoted: not a date
  EXPECT_EQ(CellText(*values, 2, 6), "2024-03-01T10:00:00");  // t="d"
  EXPECT_EQ(CellText(*values, 3, 1), "#N/A");
  EXPECT_EQ(values->Find(3, 2), nullptr);            // formula without a value
  EXPECT_EQ(CellText(*values, 3, 3), "1900-01-01");  // serial 1
  const Cell* date = values->Find(2, 1);
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(date->kind, CellKind::kDate);
  EXPECT_DOUBLE_EQ(date->number, 45352);
}

TEST(XlsxReader, InlineStringsCellsWithoutRefsAnd1904Dates) {
  Result<Workbook> book = ReadXlsxFile(Fixture("inline_strings.xlsx"));
  ASSERT_TRUE(book) << book.error().ToString();
  const Sheet* survey = book->FindSheet("survey");
  ASSERT_NE(survey, nullptr);
  EXPECT_EQ(survey->name, "SURVEY");
  EXPECT_EQ(CellText(*survey, 2, 1), "select_one yn");
  EXPECT_EQ(CellText(*survey, 2, 3), "Is it OK?");
  EXPECT_EQ(CellText(*survey, 2, 4), "តើវាល្អទេ?");
  const Sheet* dates = book->FindSheet("dates");
  ASSERT_NE(dates, nullptr);
  EXPECT_EQ(CellText(*dates, 1, 1), "1904-01-01");
  EXPECT_EQ(CellText(*dates, 1, 2), "2028-03-02");
}

TEST(XlsxReader, WantSheetSkipsOtherSheets) {
  XlsxOptions options;
  options.want_sheet = [](std::string_view name) { return name == "survey"; };
  Result<Workbook> book = ReadXlsxFile(Fixture("excel_style.xlsx"), options);
  ASSERT_TRUE(book);
  EXPECT_TRUE(book->FindSheet("survey")->loaded);
  EXPECT_FALSE(book->FindSheet("values")->loaded);
  EXPECT_TRUE(book->FindSheet("values")->rows.empty());
}

TEST(XlsxReader, MalformedFilesGiveClearErrors) {
  struct Case {
    const char* file;
    const char* message;
  };
  const Case cases[] = {
      {"not_a_zip.xlsx", "not_a_zip.xlsx: X001: not an .xlsx workbook (not a zip archive)"},
      {"broken_xml.xlsx",
       "broken_xml.xlsx: X003: xl/worksheets/sheet1.xml line 3, column 118: mismatched tag"},
      {"big_cell.xlsx",
       "big_cell.xlsx:survey!C2: X005: cell value is longer than 1048576 bytes (a spreadsheet "
       "cell holds at most 32,767 characters)"},
  };
  for (const Case& c : cases) {
    Result<std::string> data = ReadFile(Fixture(c.file));
    ASSERT_TRUE(data);
    Result<Workbook> book = ReadXlsx(*data, c.file);
    ASSERT_FALSE(book) << c.file;
    EXPECT_EQ(book.error().ToString(), c.message);
  }
  Result<std::string> truncated = ReadFile(Fixture("truncated.xlsx"));
  ASSERT_TRUE(truncated);
  Result<Workbook> book = ReadXlsx(*truncated, "truncated.xlsx");
  ASSERT_FALSE(book);
  EXPECT_EQ(book.error().code, "X001");
  EXPECT_EQ(book.error().where.file, "truncated.xlsx");
}

TEST(XlsxReader, PartSizeLimitStopsZipBombs) {
  Result<std::string> data = ReadFile(Fixture("big_cell.xlsx"));
  ASSERT_TRUE(data);
  XlsxOptions options;
  options.max_part_bytes = 1 << 20;
  Result<Workbook> book = ReadXlsx(*data, "bomb.xlsx", options);
  ASSERT_FALSE(book);
  EXPECT_EQ(book.error().code, "X004");
  EXPECT_NE(book.error().message.find("xl/sharedStrings.xml"), std::string::npos);
}

TEST(XlsxReader, GarbageNeverCrashes) {
  EXPECT_FALSE(ReadXlsx("", "empty.xlsx"));
  EXPECT_FALSE(ReadXlsx("PK\x03\x04", "short.xlsx"));
}

TEST(XlsxReader, TextAsXmlDefinesIt) {
  // Entities and character references decoded, CDATA read, whitespace-only text kept,
  // CR LF read as LF, prefixed names (as .NET's OpenXML SDK writes them), inline
  // strings with runs and a phonetic run dropped, shared strings likewise.
  std::string shared =
      "<x:sst xmlns:x=\"urn:s\"><x:si><x:t>a &amp; b &#x41;&#66;</x:t></x:si>"
      "<x:si><x:r><x:t>one </x:t></x:r><x:r><x:t>two</x:t></x:r><x:rPh><x:t>X</x:t></x:rPh>"
      "</x:si><x:si><x:t>tab_x0009_here</x:t></x:si></x:sst>";
  std::string sheet = SheetXml(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c>"
      "<c r=\"B2\" t=\"inlineStr\"><is><t><![CDATA[<b>]]></t></is></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><r><t>x</t></r><r><t>y</t></r><rPh><t>Z</t></rPh></is>"
      "</c><c r=\"D2\" t=\"str\"><f>A1</f><v>line\r\nend</v></c></row>");
  Result<Workbook> book = ReadXlsx(Book(sheet, shared), "t.xlsx");
  ASSERT_TRUE(book) << book.error().ToString();
  const Sheet& s = book->sheets.at(0);
  EXPECT_EQ(CellText(s, 1, 1), "a & b AB");
  EXPECT_EQ(CellText(s, 1, 2), "one two");
  EXPECT_EQ(CellText(s, 1, 3), "tab\there");
  EXPECT_EQ(CellText(s, 2, 1), " ");
  EXPECT_EQ(CellText(s, 2, 2), "<b>");
  EXPECT_EQ(CellText(s, 2, 3), "xy");
  EXPECT_EQ(CellText(s, 2, 4), "line\nend");
}

TEST(XlsxReader, DtdRefusedWithItsPlace) {
  // At the '[' of the internal subset or the closing '>', where expat reported it.
  std::string sheet =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [<!ENTITY e \"boom\">]>\n"
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c>"
      "</row></sheetData></worksheet>";
  EXPECT_EQ(ErrorOf(Book(sheet)),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 2, column 21: a DTD is not allowed in a "
            "workbook part");
  // Also when the part is malformed after it.
  EXPECT_EQ(ErrorOf(Book("<?xml version=\"1.0\"?><!DOCTYPE w><w><a></w>")),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 1, column 33: a DTD is not allowed in a "
            "workbook part");
}

TEST(XlsxReader, MalformedXmlNamesPartLineAndColumn) {
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"1\">\n<c r=\"A1\"><v>1</x></c></row>"))),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 3, column 17: mismatched tag");
  // Bytes that are not UTF-8, and a control character, as expat refused them.
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"1\">\n<c t=\"str\"><v>caf\xE9</v></c></row>"))),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 3, column 18: not well-formed (invalid "
            "token)");
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"1\"><c t=\"str\"><v>a\x01</v></c></row>"))),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 2, column 49: not well-formed (invalid "
            "token)");
  EXPECT_EQ(ErrorOf(Book("")),
            "t.xlsx: X003: xl/worksheets/sheet1.xml line 1, column 1: no element found");
}

TEST(XlsxReader, BadReferencesNameTheirLine) {
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"1\"/>\n<row r=\"0\"/>"))),
            "t.xlsx:survey: X006: bad row number \"0\" in xl/worksheets/sheet1.xml line 3");
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"1\">\n\n<c r=\"A1B\"><v>1</v></c></row>"))),
            "t.xlsx:survey: X006: bad cell reference \"A1B\" in xl/worksheets/sheet1.xml line 4");
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>"))),
            "t.xlsx:survey: X006: bad cell reference \"XFE2\" in xl/worksheets/sheet1.xml line 2");
  EXPECT_EQ(ErrorOf(Book(SheetXml("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>3</v></c></row>"),
                         "<sst><si><t>a</t></si></sst>")),
            "t.xlsx:survey!B2: X006: shared string index \"3\" does not exist");
}

// Reads `data` by the scan (where it applies) and through pugixml's document only,
// and expects the same workbook or the same error both ways.
void ExpectScanAgrees(const std::string& data, const std::string& what,
                      size_t max_cell_bytes = 40) {
  XlsxOptions options;
  options.max_cell_bytes = max_cell_bytes;
  Result<Workbook> by_document = ReadXlsxDocumentOnly(data, "t.xlsx", options);
  Result<Workbook> by_scan = ReadXlsx(data, "t.xlsx", options);
  ASSERT_EQ(by_document.has_value(), by_scan.has_value())
      << what << ": " << (by_document ? by_scan.error() : by_document.error()).ToString();
  if (by_document) {
    EXPECT_TRUE(SameWorkbook(*by_document, *by_scan)) << what;
  } else {
    EXPECT_EQ(by_document.error().ToString(), by_scan.error().ToString()) << what;
  }
}

TEST(XlsxReader, ScanReadsWhatTheDocumentReads) {
  const std::string shared =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
      "<sst xmlns=\"urn:s\" count=\"4\"><si><t>plain</t></si><si><t>a &amp; b &#x41;&#66; "
      "&lt;&gt;&apos;&quot;</t></si><si><r><rPr><b/></rPr><t>one </t></r><r><t>two</t></r>"
      "<rPh><t>X</t></rPh></si><si><t>tab_x0009_here</t></si><si><t/></si>"
      "<si><t>0123456789012345678901234567890123456789+</t></si></sst>";
  // Each sheet body is read in a workbook with the shared strings above; those the
  // scan reads, those it leaves to the document, and those refused.
  const std::vector<std::string> rows = {
      // Read by the scan.
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\" s=\"0\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
      "<c r=\"E1\" t=\"s\"><v>4</v></c></row>",
      "<row r=\"2\" spans=\"1:3\"><c r=\"A2\"><v>12</v></c><c r=\"B2\"><v>0.1</v></c>"
      "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c><c r=\"E2\"/>"
      "<c r=\"F2\" t=\"str\"><f>A1</f><v>x &lt; 3</v></c><c r=\"G2\"><v> 7 </v></c></row>",
      "<row><c t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c><c t=\"inlineStr\">"
      "<is><r><t>x</t></r><r><t>y</t></r><rPh><t>Z</t></rPh></is></c><c><v>1<x>2</x>3</v></c>"
      "</row><row/><row r=\"9\"><c r=\"C9\" t='inlineStr'><is><t>late</t></is></c></row>",
      "<x:row x:r=\"4\"\n\t><x:c x:r=\"B4\" x:t=\"inlineStr\"><x:is><x:t>pre&#x1F600;fixed</x:t>"
      "</x:is></x:c></x:row>",
      "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>9</v></c></row>",  // an index that does not exist
      "<row r=\"0\"/>",                                       // a bad row number
      "<row r=\"6\"><c r=\"6A\"><v>1</v></c></row>",          // a bad reference
      "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>5</v></c></row>",  // a string over the limit
      "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>0123456789012345678901234567890123456789"
      "+</t></is></c></row>",
      "<row r=\"8\"><c r=\"A8\"><v>1</v></c></row><row r=\"7\"><c r=\"B7\"><v>2</v></c>"
      "<c r=\"A7\"><v>3</v></c></row><row r=\"8\"><c r=\"B8\"><v>4</v></c></row>",
      // References: in text the reader skips (the scan checks them as TextFault does),
      // in cells (decoded in place), bad ones refused the same way both ways.
      "<row r=\"1\"><c r=\"A1\"><f>&amp;&#x41;&lt;</f><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\"><f>&bogus;</f><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\"><f>&#0;</f><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\"><f>a &amp b</f><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#X41;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#x;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#99999999999999999999;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#xD800;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#65 ;</v></c></row>",
      // The decimal references the reader decodes inline: empty, cut short, past
      // Unicode, not XML's, and good ones next to each other and to text.
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a&#;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a&#6016</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a&#</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#1114112;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#1114111;&#65534;&#55296;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#6016;&#6070;&#32;x&#7893;&#39;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#000000000000065;&#x10FFFF;&#65536;&#2048;&#128;"
      "&#x1f600;&#9;&lt;</v></c></row>",
      // Attribute values holding the other quote; references the scan reads in ASCII.
      "<row r=\"1\"><c r=\"A1\" t=\"str\" x=\"it's\"><v>1</v></c>"
      "<c r='B1' t='str' y='say \"hi\"'><v>2</v></c></row>",
      "<row r=\"1\"><c r=\"b1\"><v>1</v></c><c r=\"xfd1\"><v>2</v></c></row>",
      "<row r=\"1\"><c r=\"B+1\"><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"B-1\"><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"B99999999999\"><v>1</v></c></row>",
      // Left to the document.
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t><![CDATA[<b>]]></t></is></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>line\r\nend</v></c><!-- note --></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a<?pi x?>b</v></c></row>",
      "<row r=\"&#49;\"><c r = \"A1\"><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\"\tt=\"str\"><v>1</v></c ></row>",
      "<row r=\"1\" r=\"2\"><c><v>1</v></c></row>",  // a duplicate attribute: refused
      "<row r=\"1\"><c r=\"A1\" s=\"1\" s=\"2\"><v>1</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>1</v></c></row><foo a=\"1\" a=\"2\"/>",  // not read
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>1</v></c></row><row r=\"<2\"/>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>1</x></c></row>",  // malformed
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&nbsp;</v></c></row>",
      "<row r=\"1\"><c r=\"A1\" "
      "t=\"str\"><v>1</v></c></row></sheetData></worksheet><w/><sheetData>",
      "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>\xC3\x28</v></c></row>",
  };
  for (const std::string& body : rows) {
    ExpectScanAgrees(Book(SheetXml(body), shared), body);
    ExpectScanAgrees(Book("\xEF\xBB\xBF" + SheetXml(body)), "BOM " + body);
  }
  // Parts around the rows.
  const std::vector<std::string> sheets = {
      "<worksheet/>",
      "<worksheet><sheetData/><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>",
      "<?xml version='1.0'?><worksheet><sheetData><row><c><v>1</v></c></row></sheetData>"
      "</worksheet>",
      " <?xml version=\"1.0\"?><worksheet/>",
      "<?xml version=\"1.0\"?><!DOCTYPE w><worksheet/>",
      "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet> x",
      "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet><w/>",
      "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData>",
      "<worksheet><other><sheetData><row><c><v>1</v></c></row></sheetData></other></worksheet>",
      "<worksheet><sheetPr>&bogus;</sheetPr><sheetData><row><c><v>1</v></c></row></sheetData>"
      "</worksheet>",
      "<worksheet><sheetPr>&amp;&#66;</sheetPr><sheetData><row><c><v>1</v></c></row></sheetData>"
      "</worksheet>",
      "",
  };
  for (const std::string& sheet : sheets) ExpectScanAgrees(Book(sheet, shared), sheet);
  // Shared strings the scan leaves to the document, or refused.
  const std::vector<std::string> strings = {
      "<sst><si><t>a</t><!-- c --></si></sst>",
      "<sst><si><t>a\r\nb</t></si></sst>",
      "<sst><si a=\"1\" a=\"2\"><t>a</t></si></sst>",
      "<sst><si><t>a</t></si></sst><sst/>",
      "<sst><si><t>a</t><t>b</t></si><other><si><t>c</t></si></other></sst>",
  };
  for (const std::string& sst : strings) {
    ExpectScanAgrees(Book(SheetXml("<row><c t=\"s\"><v>0</v></c></row>"), sst), sst);
  }
}

TEST(XlsxReader, ScanReadsTheRepositorysWorkbooksAsTheDocumentDoes) {
  // Every .xlsx of the repository (forms, fixtures, fuzz seeds, the study's), read
  // both ways: the same workbook or the same error.
  int read = 0;
  for (const char* folder : {"tests", "examples", "study", "fuzz"}) {
    std::filesystem::path root = std::filesystem::path(::ngosurvey::testing::SourceDir()) / folder;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".xlsx") continue;
      Result<std::string> data = ReadFile(entry.path().string());
      ASSERT_TRUE(data) << entry.path();
      ExpectScanAgrees(*data, entry.path().string(), XlsxOptions().max_cell_bytes);
      ++read;
    }
  }
  EXPECT_GT(read, 50);
}

// XlsxOptions::on_row: the rows a whole read keeps, handed over one at a time, each with
// its cells in column order; a part the scan leaves to the document path (a comment
// here) is handed over again from its start, after a second on_sheet.
TEST(XlsxReader, RowsHandedOverAsRead) {
  for (const std::string comment : {"", "<!-- a comment -->"}) {
    std::string data =
        Book(SheetXml("<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c>"
                      "<c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>" +
                      comment + "<row r=\"3\"><c r=\"C3\"><v>7</v></c></row>"));
    Result<Workbook> whole = ReadXlsx(data, "t.xlsx");
    ASSERT_TRUE(whole) << whole.error().ToString();
    int starts = 0;
    std::vector<Row> rows;
    XlsxOptions options;
    options.on_sheet = [&](const Sheet& sheet) -> Status {
      ++starts;
      rows.clear();
      EXPECT_EQ(sheet.name, "survey");
      return Ok();
    };
    options.on_row = [&](const Sheet&, Row&& row) -> Status {
      rows.push_back(std::move(row));
      return Ok();
    };
    Result<Workbook> streamed = ReadXlsx(data, "t.xlsx", options);
    ASSERT_TRUE(streamed) << streamed.error().ToString();
    EXPECT_EQ(starts, comment.empty() ? 1 : 2) << comment;
    ASSERT_EQ(streamed->sheets.size(), 1u);
    EXPECT_TRUE(streamed->sheets[0].rows.empty()) << "not kept";
    EXPECT_TRUE(streamed->sheets[0].loaded);
    ASSERT_EQ(rows.size(), 2u);
    streamed->sheets[0].rows = rows;
    EXPECT_TRUE(SameWorkbook(*streamed, *whole)) << comment;
  }
}

TEST(XlsxReader, RowsHandedOverAsListedAndTheReceiversErrorEndsTheRead) {
  std::string data =
      Book(SheetXml("<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>"
                    "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                    "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"));
  std::vector<int> numbers;
  XlsxOptions options;
  options.on_row = [&](const Sheet& sheet, Row&& row) -> Status {
    numbers.push_back(row.number);
    if (row.number == 2) {
      Location where{"t.xlsx"};
      where.sheet = sheet.name;
      where.row = row.number;
      return MakeError("T001", "the receiver refuses row 2", where);
    }
    return Ok();
  };
  Result<Workbook> book = ReadXlsx(data, "t.xlsx", options);
  ASSERT_FALSE(book);
  EXPECT_EQ(book.error().ToString(), "t.xlsx:survey!2: T001: the receiver refuses row 2");
  // The scan met the error and left the part to the document path, which met it again.
  EXPECT_EQ(numbers, (std::vector<int>{3, 1, 2, 3, 1, 2}));
}

TEST(XlsxReader, SerialToIso) {
  EXPECT_EQ(SerialToIso(45352, false, false), "2024-03-01");
  EXPECT_EQ(SerialToIso(60, false, false), "1900-02-28");  // Lotus phantom 02-29: none
  EXPECT_EQ(SerialToIso(61, false, false), "1900-03-01");
  EXPECT_EQ(SerialToIso(59, false, false), "1900-02-28");
  EXPECT_EQ(SerialToIso(0.5, false, true), "12:00:00");
  EXPECT_EQ(SerialToIso(45352.999999999, false, false), "2024-03-02");
  EXPECT_EQ(SerialToIso(0, true, false), "1904-01-01");
}

TEST(XlsxReader, FormatNumber) {
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(-3), "-3");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(1e-7), "1e-07");
}

}  // namespace
}  // namespace ngosurvey::form
