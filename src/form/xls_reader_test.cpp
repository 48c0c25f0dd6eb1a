// The .xls reader against workbooks that tests/xls/make_xls.py writes at test time with
// Debian's python3-xlwt (no binary fixture is committed), checked against what xlrd
// (python3-xlrd, the reader pyxform uses) reads from the same file, and against the
// .xlsx reader on the same content.
#include "form/xls_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/diagnostic.h"
#include "base/file.h"
#include "base/testing/source_dir.h"
#include "form/form.h"
#include "form/xform_writer.h"

namespace ngosurvey::form {
namespace {

namespace fs = std::filesystem;

class XlsReader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ngosurvey_xls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs /usr/bin/python3 with `args`; fails the test with its output otherwise.
  void Python(const std::string& args) {
    fs::path log = dir_ / "python.log";
    std::string command = "/usr/bin/python3 " + args + " > '" + log.string() + "' 2>&1";
    int rc = std::system(command.c_str());
    std::stringstream out;
    out << std::ifstream(log).rdbuf();
    ASSERT_EQ(rc, 0) << command << "\n" << out.str();
  }

  // The bytes of the workbook make_xls.py writes from `description` (JSON), as .xls or,
  // with `xlsx`, as .xlsx.
  std::string Make(const std::string& description, const std::string& name, bool xlsx = false) {
    return MakeAs(xlsx ? "--xlsx " : "", description, name);
  }
  // The same as an Excel 5.0/95 workbook (BIFF5).
  std::string MakeBiff5(const std::string& description, const std::string& name) {
    return MakeAs("--biff5 ", description, name);
  }
  std::string MakeAs(const std::string& flag, const std::string& description,
                     const std::string& name) {
    fs::path json = dir_ / (name + ".json");
    std::ofstream(json) << description;
    fs::path out = dir_ / name;
    Python(std::string(::ngosurvey::testing::SourceDir()) + "/tests/xls/make_xls.py " + flag + "'" +
           json.string() + "' '" + out.string() + "'");
    Result<std::string> data = ReadFile(out.string());
    EXPECT_TRUE(data) << (data ? "" : data.error().ToString());
    return data ? *data : std::string();
  }

  // What xlrd reads in `xls`, each cell as pyxform's xls_to_dict turns it into text
  // (text as is, integral numbers without ".0", booleans TRUE/FALSE, errors their code),
  // one line "SHEET!ROW,COLUMN=VALUE" per non-empty cell, dates left out.
  std::string Xlrd(const std::string& xls) {
    fs::path path = dir_ / "xlrd_in.xls";
    std::ofstream(path, std::ios::binary) << xls;
    fs::path script = dir_ / "xlrd_cells.py";
    std::ofstream(script) << "import sys, xlrd\n"
                             "b = xlrd.open_workbook(sys.argv[1])\n"
                             "out = open(sys.argv[2], 'w', encoding='utf-8')\n"
                             "for s in b.sheets():\n"
                             "  for r in range(s.nrows):\n"
                             "    for c in range(s.ncols):\n"
                             "      x = s.cell(r, c)\n"
                             "      t, v = x.ctype, x.value\n"
                             "      if t in (0, 6) or t == 3 or (t == 1 and v == ''): continue\n"
                             "      if t == 4: v = 'TRUE' if v else 'FALSE'\n"
                             "      elif t == 2: v = str(int(v)) if int(v) == v else str(v)\n"
                             "      else: v = str(v)\n"
                             "      out.write('%s!%d,%d=%s\\n' % (s.name, r + 1, c + 1, v))\n";
    fs::path out = dir_ / "xlrd.txt";
    Python("'" + script.string() + "' '" + path.string() + "' '" + out.string() + "'");
    std::stringstream text;
    text << std::ifstream(out).rdbuf();
    return text.str();
  }

  fs::path dir_;
};

// The same cells, from the reader, in Xlrd's format (dates left out).
std::string Cells(const Workbook& book) {
  std::string out;
  for (const Sheet& sheet : book.sheets) {
    for (const Row& row : sheet.rows) {
      for (const Cell& cell : row.cells) {
        if (cell.kind == CellKind::kDate) continue;
        out += sheet.name + "!" + std::to_string(cell.row) + "," + std::to_string(cell.column) +
               "=" + cell.value + "\n";
      }
    }
  }
  return out;
}

const Cell* At(const Workbook& book, const std::string& sheet, int row, int column) {
  const Sheet* s = book.FindSheet(sheet);
  return s == nullptr ? nullptr : s->Find(row, column);
}

std::string ValueAt(const Workbook& book, const std::string& sheet, int row, int column) {
  const Cell* cell = At(book, sheet, row, column);
  return cell == nullptr ? "<none>" : cell->value;
}

std::string AllOf(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.items()) out += d.ToString() + "\n";
  return out;
}

std::string ErrorOf(const std::string& data, const std::string& name = "t.xls") {
  Result<Workbook> book = ReadWorkbook(data, name);
  return book ? "(no error)" : book.error().ToString();
}

constexpr const char kValues[] = R"j({"sheets": [{"name": "survey", "rows": [
  ["type", "name", "label"],
  [3, 2.5, -3, 0.1, 1e-7, 123456789],
  [true, false, {"error": "#N/A"}, {"error": "#DIV/0!"}, {"number": 4, "format": "0.00"}],
  [{"date": "2024-03-01"}, {"datetime": "2024-03-01T08:30:00"}, {"time": "08:30:00"},
   {"datetime": "2024-03-01T00:00:00"}, {"date": "1900-01-15"}],
  ["ភាសាខ្មែរ", "Tiếng Việt", "  spaced  ", "", null, "last"],
  null,
  [null, null, null, null, null, null, null, "far"]]},
 {"name": "Second", "rows": [["x"]]}]})j";

TEST_F(XlsReader, CellValuesAsPyxformReadsThemThroughXlrd) {
  std::string xls = Make(kValues, "values.xls");
  Result<Workbook> book = ReadXls(xls, "values.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  ASSERT_EQ(book->sheets.size(), 2u);
  EXPECT_EQ(book->sheets[0].name, "survey");
  EXPECT_EQ(book->sheets[1].name, "Second");
  EXPECT_EQ(book->sheets[0].part, "");
  // Numbers: integers without ".0", others in the shortest text.
  EXPECT_EQ(ValueAt(*book, "survey", 2, 1), "3");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 2), "2.5");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 3), "-3");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 4), "0.1");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 5), "1e-07");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 6), "123456789");
  EXPECT_EQ(At(*book, "survey", 2, 2)->kind, CellKind::kNumber);
  EXPECT_EQ(At(*book, "survey", 2, 2)->number, 2.5);
  // Booleans and errors as pyxform writes xlrd's values.
  EXPECT_EQ(ValueAt(*book, "survey", 3, 1), "TRUE");
  EXPECT_EQ(At(*book, "survey", 3, 1)->kind, CellKind::kBoolean);
  EXPECT_EQ(ValueAt(*book, "survey", 3, 2), "FALSE");
  EXPECT_EQ(At(*book, "survey", 3, 2)->number, 0);
  EXPECT_EQ(ValueAt(*book, "survey", 3, 3), "42");  // #N/A
  EXPECT_EQ(At(*book, "survey", 3, 3)->kind, CellKind::kError);
  EXPECT_EQ(ValueAt(*book, "survey", 3, 4), "7");  // #DIV/0!
  EXPECT_EQ(ValueAt(*book, "survey", 3, 5), "4");  // a number format does not matter
  // Dates as the .xlsx reader writes them, the serial kept.
  EXPECT_EQ(ValueAt(*book, "survey", 4, 1), "2024-03-01");
  EXPECT_EQ(At(*book, "survey", 4, 1)->kind, CellKind::kDate);
  EXPECT_EQ(At(*book, "survey", 4, 1)->number, 45352);
  EXPECT_EQ(ValueAt(*book, "survey", 4, 2), "2024-03-01T08:30:00");
  EXPECT_NEAR(At(*book, "survey", 4, 2)->number, 45352.354166666, 1e-6);
  EXPECT_EQ(ValueAt(*book, "survey", 4, 3), "08:30:00");
  EXPECT_EQ(ValueAt(*book, "survey", 4, 4), "2024-03-01");
  EXPECT_EQ(ValueAt(*book, "survey", 4, 5), "1900-01-15");
  EXPECT_EQ(At(*book, "survey", 4, 5)->number, 15);
  // Text as is (trimming is the XLSForm layer's), Khmer and Vietnamese; empty text is
  // no cell; an empty row is no row.
  EXPECT_EQ(ValueAt(*book, "survey", 5, 1), "ភាសាខ្មែរ");
  EXPECT_EQ(ValueAt(*book, "survey", 5, 2), "Tiếng Việt");
  EXPECT_EQ(ValueAt(*book, "survey", 5, 3), "  spaced  ");
  EXPECT_EQ(At(*book, "survey", 5, 4), nullptr);
  EXPECT_EQ(ValueAt(*book, "survey", 5, 6), "last");
  EXPECT_EQ(book->FindSheet("survey")->rows.size(), 6u);
  EXPECT_EQ(ValueAt(*book, "survey", 7, 8), "far");
  EXPECT_EQ(ValueAt(*book, "Second", 1, 1), "x");
  // Every cell but the dates as xlrd reads it and pyxform turns it into text.
  EXPECT_EQ(Cells(*book), Xlrd(xls));
}

TEST_F(XlsReader, WantSheetAndLoneSheet) {
  std::string xls = Make(kValues, "values.xls");
  XlsxOptions options;
  options.want_sheet = [](std::string_view name) { return name == "Second"; };
  Result<Workbook> book = ReadXls(xls, "values.xls", options);
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_FALSE(book->sheets[0].loaded);
  EXPECT_TRUE(book->sheets[0].rows.empty());
  EXPECT_TRUE(book->sheets[1].loaded);

  std::string lone = Make(R"j({"sheets": [{"name": "Sheet1", "rows": [
    ["type", "name", "label"], ["text", "q", "Q?"]]}]})j",
                          "lone.xls");
  Diagnostics diags;
  Result<Form> form = LoadForm(lone, "lone.xls", &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_FALSE(diags.has_errors()) << AllOf(diags);
  ASSERT_EQ(form->questions.size(), 1u);
  EXPECT_EQ(form->questions[0].name, "q");
}

// survey, choices and settings in English and Khmer, with Vietnamese text; written as
// .xls and as .xlsx.
constexpr const char kTwoLanguages[] = R"j({"sheets": [
 {"name": "survey", "rows": [
  ["type", "name", "label::English (en)", "label::Khmer (km)", "required", "constraint",
   "default"],
  ["begin_group", "hh", "Household", "គ្រួសារ"],
  ["integer", "age", "Age in years", "អាយុ", true, ". >= 0 and . < 120"],
  ["select_one yn", "consent", "Consent? (Tiếng Việt: Đồng ý?)", "យល់ព្រម?", "yes"],
  ["decimal", "weight", "Weight", "ទម្ងន់", false, null, 2.5],
  ["date", "visit", "Visit", "ថ្ងៃ"],
  ["end_group"],
  ["note", "bye", "Thank you", "អរគុណ"]]},
 {"name": "choices", "rows": [
  ["list_name", "name", "label::English (en)", "label::Khmer (km)"],
  ["yn", 1, "Yes", "បាទ/ចាស"],
  ["yn", 0, "No", "ទេ"]]},
 {"name": "settings", "rows": [
  ["form_title", "form_id", "version", "default_language"],
  ["Two languages", "two_lang", 2024030101, "English (en)"]]}]})j";

TEST_F(XlsReader, TwoLanguageFormLoads) {
  std::string xls = Make(kTwoLanguages, "two.xls");
  Diagnostics diags;
  Result<Form> form = LoadForm(xls, "two.xls", &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_FALSE(diags.has_errors()) << AllOf(diags);
  EXPECT_EQ(form->settings.form_id, "two_lang");
  EXPECT_EQ(form->settings.version, "2024030101");  // a number cell, without ".0"
  ASSERT_EQ(form->languages.size(), 2u);
  EXPECT_EQ(form->languages[0].code, "en");
  EXPECT_EQ(form->languages[1].code, "km");
  const Question* age = form->FindQuestion("age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->type, QuestionType::kInteger);
  EXPECT_EQ(form->Text(age->label, "km"), "អាយុ");
  const Question* consent = form->FindQuestion("consent");
  ASSERT_NE(consent, nullptr);
  EXPECT_EQ(form->Text(consent->label, "en"), "Consent? (Tiếng Việt: Đồng ý?)");
}

TEST_F(XlsReader, SameXFormAsTheXlsxOfTheSameContent) {
  std::string xls = Make(kTwoLanguages, "same.xls");
  std::string xlsx = Make(kTwoLanguages, "same.xlsx", /*xlsx=*/true);
  ASSERT_FALSE(IsCompoundFile(xlsx));
  Diagnostics xls_diags, xlsx_diags;
  Result<Form> from_xls = LoadForm(xls, "same.xls", &xls_diags);
  Result<Form> from_xlsx = LoadForm(xlsx, "same.xlsx", &xlsx_diags);
  ASSERT_TRUE(from_xls) << from_xls.error().ToString();
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().ToString();
  EXPECT_EQ(AllOf(xls_diags), AllOf(xlsx_diags));
  Result<std::string> a = WriteXForm(*from_xls, {.fallback_id = "same"});
  Result<std::string> b = WriteXForm(*from_xlsx, {.fallback_id = "same"});
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_NE(a->find("<h:title>Two languages</h:title>"), std::string::npos);
  EXPECT_EQ(*a, *b);
}

TEST_F(XlsReader, DateCellsInTheSettingsAreTextAsPyxformMakesThem) {
  // pyxform reads a settings date cell as Python's str() of the datetime that xlrd
  // (.xls: whole seconds) or openpyxl (.xlsx: milliseconds) makes of it; ODK Central
  // compares a form's version as that text. (HOT's forms set version by NOW().)
  const std::string description = R"j({"sheets": [
    {"name": "survey", "rows": [["type", "name", "label"], ["text", "q", "Q?"]]},
    {"name": "settings", "rows": [["version", "form_title", "form_id"],
      [{"datetime": "2022-04-11T16:26:28.971"}, {"date": "2024-03-01"}, "dated"]]}]})j";
  Diagnostics diags;
  Result<Form> from_xls = LoadForm(Make(description, "dated.xls"), "dated.xls", &diags);
  Result<Form> from_xlsx =
      LoadForm(Make(description, "dated.xlsx", /*xlsx=*/true), "dated.xlsx", &diags);
  ASSERT_TRUE(from_xls) << from_xls.error().ToString();
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().ToString();
  // xlwt keeps whole seconds of the datetime (pyxform 4.5.0 gives the same texts for
  // these two files).
  EXPECT_EQ(from_xls->settings.version, "2022-04-11 16:26:28");
  EXPECT_EQ(from_xlsx->settings.version, "2022-04-11 16:26:28.971000");
  EXPECT_EQ(from_xls->settings.form_title, "2024-03-01 00:00:00");
  EXPECT_EQ(from_xlsx->settings.form_title, "2024-03-01 00:00:00");
  Result<std::string> xml = WriteXForm(*from_xlsx);
  ASSERT_TRUE(xml) << xml.error().ToString();
  EXPECT_NE(xml->find(R"x(<data id="dated" version="2022-04-11 16:26:28.971000">)x"),
            std::string::npos)
      << *xml;
}

TEST_F(XlsReader, PickedByItsBytesWhateverItsName) {
  std::string xls = Make(kTwoLanguages, "two.xls");
  std::string xlsx = Make(kTwoLanguages, "two.xlsx", /*xlsx=*/true);
  Diagnostics diags;
  // A .xls renamed .xlsx, and a .xlsx renamed .xls, are read by what they are.
  EXPECT_TRUE(LoadForm(xls, "renamed.xlsx", &diags));
  EXPECT_TRUE(LoadForm(xlsx, "renamed.xls", &diags));
  EXPECT_FALSE(diags.has_errors()) << AllOf(diags);
  // Another file named .xls, and one named otherwise.
  EXPECT_EQ(ErrorOf("type,name,label\ntext,q,Q\n", "form.xls"),
            "form.xls: X007: not a readable .xls workbook: it does not start with the OLE2 "
            "signature of Excel 97-2003 files (a file of another kind renamed .xls?)");
  EXPECT_EQ(ErrorOf("type,name\n", "form.txt").substr(0, 15), "form.txt: X001:");
}

TEST_F(XlsReader, TruncatedAndCorruptFilesGiveX007) {
  std::string xls = Make(kTwoLanguages, "two.xls");
  ASSERT_GT(xls.size(), 2048u);
  EXPECT_EQ(ErrorOf(xls.substr(0, 100)),
            "t.xls: X007: not a readable .xls workbook: the file is shorter than its header");
  // Cut in the middle: the stream's sectors lie past the end.
  EXPECT_EQ(ErrorOf(xls.substr(0, xls.size() / 2)),
            "t.xls: X007: not a readable .xls workbook: a FAT sector lies past the end of the "
            "file");
  std::string bad_shift = xls;
  bad_shift[0x1E] = 7;
  EXPECT_EQ(ErrorOf(bad_shift),
            "t.xls: X007: not a readable .xls workbook: sector size 2^7 is not 512 or 4096");
  // A FAT whose chain loops.
  std::string loop = xls;
  uint32_t first_fat = static_cast<uint8_t>(xls[0x4C]);
  size_t fat_at = (first_fat + 1) * 512;
  uint32_t dir = static_cast<uint8_t>(xls[0x30]);
  loop[fat_at + 4 * dir] = static_cast<char>(dir);  // the directory's sector points at itself
  loop[fat_at + 4 * dir + 1] = loop[fat_at + 4 * dir + 2] = loop[fat_at + 4 * dir + 3] = 0;
  EXPECT_EQ(ErrorOf(loop), "t.xls: X007: not a readable .xls workbook: a sector chain loops");
}

// The offset of the BIFF record `id` whose body starts with `prefix`, in the file.
size_t FindRecord(const std::string& xls, uint16_t id, const std::string& prefix = "") {
  std::string head{static_cast<char>(id & 0xFF), static_cast<char>(id >> 8)};
  for (size_t at = xls.find(head); at != std::string::npos; at = xls.find(head, at + 1)) {
    if (xls.compare(at + 4, prefix.size(), prefix) == 0) return at;
  }
  return std::string::npos;
}

TEST_F(XlsReader, EncryptedOldAndOversizedWorkbooksAreRefused) {
  std::string xls = Make(kTwoLanguages, "two.xls");
  // The workbook's BOF: version 0x0600, globals 0x0005.
  size_t bof = FindRecord(xls, 0x0809, std::string("\x00\x06\x05\x00", 4));
  ASSERT_NE(bof, std::string::npos);
  std::string biff4 = xls;
  biff4[bof + 5] = 0x04;
  EXPECT_EQ(ErrorOf(biff4),
            "t.xls: X009: the workbook is in the file format of Excel before 5.0 (BIFF2-4), "
            "which is not read: save it as .xlsx (or as Excel 97-2003 .xls)");
  // The record after the BOF becomes a FILEPASS.
  std::string encrypted = xls;
  size_t next = bof + 4 + static_cast<uint8_t>(xls[bof + 2]);
  encrypted[next] = 0x2F;
  encrypted[next + 1] = 0x00;
  EXPECT_EQ(ErrorOf(encrypted),
            "t.xls: X008: the .xls workbook is encrypted (password-protected); open it with its "
            "password and save it without one");
  // What a sheet's DIMENSIONS record declares does not matter (LibreOffice declares
  // 1,048,576 rows): the extent of its cells does, which FreeXL is told instead.
  std::string declared = xls;
  int dimensions = 0;
  for (size_t at = 0; (at = xls.find(std::string("\x00\x02\x0E\x00", 4), at)) != std::string::npos;
       at += 4) {
    declared.replace(at + 8, 4, std::string("\x00\x00\x10\x00", 4));  // 1,048,576 rows
    declared.replace(at + 14, 2, std::string("\x00\x01", 2));         // of 256 columns
    ++dimensions;
  }
  ASSERT_EQ(dimensions, 3);
  Result<Workbook> book = ReadWorkbook(declared, "t.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(ValueAt(*book, "survey", 3, 2), "age");
  EXPECT_EQ(ValueAt(*book, "settings", 2, 4), "English (en)");
  // A cell far away: its sheet spans 65,536 x 256 cells, more than the limit.
  size_t first = FindRecord(xls, 0x00FD, std::string("\x00\x00\x00\x00", 4));  // LABELSST A1
  ASSERT_NE(first, std::string::npos);
  std::string far = xls;
  far.replace(first + 4, 4, std::string("\xFF\xFF\xFF\x00", 4));  // IV65536
  EXPECT_EQ(ErrorOf(far),
            "t.xls:survey: X010: the sheets' cells span 16777216 cells in all (rows times "
            "columns, from A1 to the last cell of each sheet), more than the limit of 8388608");
  Result<Workbook> small = ReadXls(xls, "t.xls", {}, /*max_cells=*/40);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, "X010");
  EXPECT_TRUE(ReadXls(xls, "t.xls", {}, /*max_cells=*/100));
}

// Excel 5.0/95 workbooks (BIFF5), which xlrd and so pyxform read: Kobo's own test forms
// include one. Text is 8-bit in the workbook's code page.
TEST_F(XlsReader, Excel95WorkbooksReadAsXlrdReadsThem) {
  constexpr const char kWestern[] = R"j({"codepage": 1252, "sheets": [
    {"name": "survey", "rows": [["type", "name", "label"],
      ["text", "q", "Café – “Q”?"], ["integer", "n", 3], null,
      ["date", "d", {"date": "2024-03-01"}], ["note", "b", true],
      ["calculate", "c", {"string_formula": "naïve"}]]},
    {"name": "choices", "rows": [["list_name", "name", "label"], ["yn", 1, 2.5]]}]})j";
  std::string xls = MakeBiff5(kWestern, "western.xls");
  Result<Workbook> book = ReadWorkbook(xls, "western.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(Cells(*book), Xlrd(xls));
  EXPECT_EQ(ValueAt(*book, "survey", 2, 3), "Café – “Q”?");
  EXPECT_EQ(ValueAt(*book, "survey", 5, 3), "2024-03-01");
  EXPECT_EQ(ValueAt(*book, "survey", 7, 3), "naïve");  // a formula's cached text

  // Another code page: Cyrillic (Windows-1251), sheet names included.
  constexpr const char kCyrillic[] = R"j({"codepage": 1251, "sheets": [
    {"name": "survey", "rows": [["type", "name", "label"], ["text", "q", "Вопрос"]]},
    {"name": "Лист", "rows": [["x"]]}]})j";
  std::string cyrillic = MakeBiff5(kCyrillic, "cyrillic.xls");
  book = ReadWorkbook(cyrillic, "cyrillic.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(Cells(*book), Xlrd(cyrillic));
  EXPECT_EQ(ValueAt(*book, "survey", 2, 3), "Вопрос");

  // The form loads.
  Diagnostics diags;
  Result<Form> form = LoadForm(xls, "western.xls", &diags);
  ASSERT_TRUE(form) << AllOf(diags);
  EXPECT_EQ(form->questions.front().name, "q");

  // A text cell whose length runs past its record.
  size_t label = FindRecord(xls, 0x0204, std::string("\x01\x00\x02\x00", 4));
  ASSERT_NE(label, std::string::npos);
  std::string cut = xls;
  cut[label + 10] = static_cast<char>(0xF0);
  EXPECT_NE(ErrorOf(cut).find("X007: not a readable .xls workbook: a text cell's record at "
                              "byte "),
            std::string::npos)
      << ErrorOf(cut);
}

TEST_F(XlsReader, FormulasGiveTheirCachedValues) {
  // xlwt writes formulas without a cached value (FreeXL drops formula cells whatever
  // they hold); the test writes a number, a boolean and an error into the FORMULA
  // records' result fields, as Excel leaves them.
  std::string xls = Make(R"j({"sheets": [{"name": "survey", "rows": [
    ["type", "name", "label", "hint"],
    [{"formula": "1+2"}, {"formula": "1=1"}, {"formula": "NA()"}, {"formula": "1+0"}]]}]})j",
                         "formula.xls");
  int patched = 0;
  for (size_t at = 0; (at = xls.find(std::string("\x06\x00", 2), at)) != std::string::npos; ++at) {
    // FORMULA: row 1 (0-based), column 0-3, xf, then the 8-byte result.
    if (xls.compare(at + 4, 2, std::string("\x01\x00", 2)) != 0) continue;
    auto column = static_cast<uint8_t>(xls[at + 6]);
    if (xls[at + 7] != 0 || column > 3) continue;
    std::string result;
    if (column == 0) {
      double three = 3.0;
      result.assign(reinterpret_cast<const char*>(&three), 8);  // little-endian hosts only
    } else if (column == 1) {
      result = std::string("\x01\x00\x01\x00\x00\x00\xFF\xFF", 8);  // TRUE
    } else if (column == 2) {
      result = std::string("\x02\x00\x2A\x00\x00\x00\xFF\xFF", 8);  // #N/A
    } else {
      result = std::string("\x03\x00\x00\x00\x00\x00\xFF\xFF", 8);  // empty text
    }
    xls.replace(at + 10, 8, result);
    ++patched;
  }
  ASSERT_EQ(patched, 4);
  Result<Workbook> book = ReadXls(xls, "formula.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(ValueAt(*book, "survey", 2, 1), "3");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 2), "TRUE");
  EXPECT_EQ(ValueAt(*book, "survey", 2, 3), "42");
  EXPECT_EQ(At(*book, "survey", 2, 4), nullptr);
  EXPECT_EQ(Cells(*book), Xlrd(xls));
}

TEST_F(XlsReader, FormulaDatesAreDates) {
  // HOT's forms set the settings' version with a formula (NOW()) in a date-time format:
  // xlrd reads its cached number as a date, so must this reader.
  std::string xls = Make(R"j({"sheets": [{"name": "settings", "rows": [
    ["version", "form_id"], [{"formula": "NOW()", "format": "yyyy-mm-dd hh:mm:ss"}, "f"]]}]})j",
                         "now.xls");
  int patched = 0;
  for (size_t at = 0; (at = xls.find(std::string("\x06\x00", 2), at)) != std::string::npos; ++at) {
    if (xls.compare(at + 4, 4, std::string("\x01\x00\x00\x00", 4)) != 0) continue;  // A2
    double when = 45417.395379609;  // 2024-05-05 09:29:21
    xls.replace(at + 10, 8, std::string(reinterpret_cast<const char*>(&when), 8));
    ++patched;
  }
  ASSERT_EQ(patched, 1);
  Result<Workbook> book = ReadXls(xls, "now.xls");
  ASSERT_TRUE(book) << book.error().ToString();
  const Cell* version = At(*book, "settings", 2, 1);
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->kind, CellKind::kDate);
  EXPECT_EQ(version->value, "2024-05-05T09:29:21");
}

}  // namespace
}  // namespace ngosurvey::form
