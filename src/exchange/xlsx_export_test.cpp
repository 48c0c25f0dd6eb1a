// XLSX exports of KoboToolbox and Ona read as tables (the end-to-end import is
// tests/cli/import_xlsx_export_test.sh). Workbooks are written here with libxlsxwriter;
// their data are SYNTHETIC.
#include "exchange/xlsx_export.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>

#include "base/file.h"
#include "base/zip_archive.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::exchange {
namespace {

using form::testing::MakeForm;

form::Form Household() {
  Diagnostics diags;
  auto made = MakeForm({{"type", "name", "label"},
                        {"text", "village", "Village"},
                        {"begin_repeat", "members_of_the_household_listed_by_age", "Members"},
                        {"text", "name", "Name"},
                        {"integer", "age", "Age"},
                        {"end_repeat", "", ""},
                        {"begin_repeat", "visits", "Visits"},
                        {"date", "day", "Day"},
                        {"end_repeat", "", ""}},
                       {{"list_name", "name", "label"}},
                       {{"form_id", "version"}, {"household", "1"}}, &diags);
  EXPECT_TRUE(made) << made.error().ToString();
  return *made;
}

// A workbook of `sheets` (name, rows of cells; a cell that is a number is written as one).
std::string Workbook(
    const std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>>& sheets) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("ngo_xlsx_export_" + std::to_string(::getpid()) + ".xlsx"))
                         .string();
  lxw_workbook* book = workbook_new(path.c_str());
  for (const auto& [name, rows] : sheets) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        const std::string& v = rows[r][c];
        if (v.empty()) continue;
        char* end = nullptr;
        double number = std::strtod(v.c_str(), &end);
        auto row = static_cast<lxw_row_t>(r);
        auto col = static_cast<lxw_col_t>(c);
        if (r > 0 && end == v.c_str() + v.size()) {
          worksheet_write_number(sheet, row, col, number, nullptr);
        } else {
          worksheet_write_string(sheet, row, col, v.c_str(), nullptr);
        }
      }
    }
  }
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  auto bytes = ReadFile(path);
  std::filesystem::remove(path);
  return bytes ? *bytes : std::string();
}

TEST(XlsxExportTest, SheetNamesAsFormpackMakesThem) {
  EXPECT_EQ(KoboSheetName("members"), "members");
  EXPECT_EQ(KoboSheetName("This string has more than 31 characters!"),
            "This string has more than 31...");
  EXPECT_EQ(KoboSheetName("a/b:c[d]*?\\"), "a_b_c_d____");
  EXPECT_EQ(KoboSheetName("members_of_the_household_listed_by_age"),
            "members_of_the_household_lis...");
  EXPECT_EQ(KoboSheetName("'quoted'"), "_quoted_");
  // Characters, not bytes: 40 Khmer letters are cut after 28 of them.
  std::string khmer;
  for (int i = 0; i < 40; ++i) khmer += "ក";
  std::string cut = KoboSheetName(khmer);
  EXPECT_EQ(cut.size(), 28 * std::string("ក").size() + 3);
}

TEST(XlsxExportTest, TellsAWorkbookFromCentralsZip) {
  std::string xlsx = Workbook({{"household", {{"village"}, {"Kampot"}}}});
  EXPECT_TRUE(IsXlsxWorkbook(xlsx, "e.xlsx"));
  auto zip = WriteZip({{"household.csv", "village\nKampot\n"}});
  ASSERT_TRUE(zip);
  EXPECT_FALSE(IsXlsxWorkbook(*zip, "central.zip"));
  EXPECT_FALSE(IsXlsxWorkbook("village\nKampot\n", "e.csv"));
}

TEST(XlsxExportTest, SheetsBecomeTheMainTableAndTheRepeats) {
  form::Form form = Household();
  std::string xlsx = Workbook({
      {"Household survey", {{"village", "_uuid", "_index"}, {"Kampot ", "u1", "1"}}},
      // A second row of HXL hashtags is not data.
      {"members_of_the_household_lis...",
       {{"name", "age", "_parent_index"}, {"#name", "", "#index"}, {"Srey", "34", "1"}}},
      {"visits", {{"day", "_parent_index"}, {"2024-03-01", "1"}}},
  });
  auto read = ReadXlsxExport(xlsx, "e.xlsx", form);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->main.file, "e.xlsx!Household survey");
  EXPECT_EQ(read->main.header, (std::vector<std::string>{"village", "_uuid", "_index"}));
  EXPECT_TRUE(read->main.rows.empty()) << "the rows stay packed";
  ASSERT_EQ(read->main_rows.size(), 1u);
  EXPECT_EQ(read->main_rows.line(0), 2);
  EXPECT_EQ(read->main_rows.Unpack(0, 3), (std::vector<std::string>{"Kampot ", "u1", "1"}))
      << "kept as written; a number cell as the CSV has it";
  ASSERT_EQ(read->repeats.size(), 2u);
  EXPECT_EQ(read->repeats[0].repeat, "members_of_the_household_listed_by_age");
  ASSERT_EQ(read->repeats[0].table.rows.size(), 1u);
  EXPECT_EQ(read->repeats[0].table.rows[0], (std::vector<std::string>{"Srey", "34", "1"}));
  EXPECT_EQ(read->repeats[0].table.row_lines[0], 3);
  EXPECT_EQ(read->repeats[1].repeat, "visits");
}

TEST(XlsxExportTest, SheetsThatAreNoTableOfTheFormAreRefused) {
  form::Form form = Household();
  auto error = [&](const std::string& xlsx) {
    auto read = ReadXlsxExport(xlsx, "e.xlsx", form);
    return read ? std::string("(read)") : read.error().ToString();
  };
  EXPECT_EQ(error(Workbook({{"main", {{"village"}}}, {"notes", {{"x"}}}})),
            "e.xlsx:notes: IMP042: the sheet 'notes' names no repeat of form 'household' (its "
            "repeats: members_of_the_household_listed_by_age, visits)");
  EXPECT_EQ(error(Workbook({{"main", {{"village", "", "x"}}}})),
            "e.xlsx:main!B1: IMP043: the header row has an empty cell");
  EXPECT_EQ(error(Workbook({{"main", {{"village"}, {"Kampot", "extra"}}}})),
            "e.xlsx:main!B2: IMP043: a cell right of the header's last column (1)");
  EXPECT_NE(error("PK\x03\x04 not a zip").find("X001"), std::string::npos);
}

// The sheets are read as a stream of rows, which must come in order as OOXML requires.
TEST(XlsxExportTest, RowsOutOfOrderAreRefused) {
  auto book =
      WriteZip({{"xl/workbook.xml",
                 "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"main\" r:id=\"rId1\"/></sheets>"
                 "</workbook>"},
                {"xl/_rels/workbook.xml.rels",
                 "<Relationships><Relationship Id=\"rId1\" Type=\"urn:x/worksheet\" "
                 "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
                {"xl/worksheets/sheet1.xml",
                 "<worksheet><sheetData>"
                 "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>village</t></is></c></row>"
                 "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>Kep</t></is></c></row>"
                 "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Kampot</t></is></c></row>"
                 "</sheetData></worksheet>"}});
  ASSERT_TRUE(book);
  auto read = ReadXlsxExport(*book, "e.xlsx", Household());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().ToString(),
            "e.xlsx:main!2: IMP043: row 2 is listed after row 3: a sheet lists its rows in order");
}

// The main sheet's rows, packed, come out as the table had them: through MainRows a
// chunk at a time and through TakeMainTable whole.
TEST(XlsxExportTest, MainRowsUnpackAsTheTable) {
  std::vector<std::vector<std::string>> rows = {{"village", "_uuid", "_index"}};
  for (int i = 1; i <= 2500; ++i) {
    // Sparse rows, a long text (rows across the packing's 1 MiB blocks) and Khmer.
    rows.push_back({i % 3 == 0 ? "" : "ភូមិ " + std::to_string(i), std::string(i % 7 * 200, 'x'),
                    std::to_string(i)});
  }
  auto read = ReadXlsxExport(Workbook({{"main", rows}}), "e.xlsx", Household());
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->main_rows.size(), 2500u);
  csv::Table chunk;
  RowSource source = MainRows(*read, 1000);
  std::vector<std::vector<std::string>> chunked;
  std::vector<int> lines;
  size_t chunks = 0;
  while (true) {
    auto more = source(SIZE_MAX, &chunk);
    ASSERT_TRUE(more);
    if (!*more) break;
    ++chunks;
    EXPECT_LE(chunk.rows.size(), 1000u);
    chunked.insert(chunked.end(), chunk.rows.begin(), chunk.rows.end());
    lines.insert(lines.end(), chunk.row_lines.begin(), chunk.row_lines.end());
  }
  EXPECT_EQ(chunks, 3u);
  csv::Table whole = TakeMainTable(&*read);
  EXPECT_EQ(read->main_rows.size(), 0u) << "freed";
  EXPECT_EQ(whole.rows, chunked);
  EXPECT_EQ(whole.row_lines, lines);
  ASSERT_EQ(whole.rows.size(), 2500u);
  for (size_t i = 0; i < whole.rows.size(); ++i) {
    EXPECT_EQ(whole.rows[i], rows[i + 1]) << i;
    EXPECT_EQ(whole.row_lines[i], static_cast<int>(i) + 2);
  }
}

}  // namespace
}  // namespace ngosurvey::exchange
