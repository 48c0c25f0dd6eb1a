#include "form/xlsx_reader.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/testing/source_dir.h"

namespace ngosurvey::form {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(::ngosurvey::testing::SourceDir()) + "/tests/forms/" + name;
}

std::string CellText(const Sheet& sheet, int row, int column) {
  const Cell* cell = sheet.Find(row, column);
  return cell == nullptr ? "<none>" : cell->value;
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
