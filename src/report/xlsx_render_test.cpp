#include <gtest/gtest.h>
#include <zip.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
// GCC 12 reports -Wmaybe-uninitialized false positives inside std::function as
// std::regex uses it once ASan instruments it; the debug build's -Werror would stop.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>

#include "base/file.h"
#include "report/render_internal.h"
#include "report/sample_tables_test.h"
#include "report/table_render.h"

namespace ngosurvey::report {
namespace {

using internal::XlsxSheetName;
using testing::SampleTable;
using testing::SecondTable;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ngo_xlsx_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The text of one member of a zip archive ("" with a test failure when missing).
std::string ZipMember(const std::string& archive, const std::string& member) {
  int error = 0;
  zip_t* zip = zip_open(archive.c_str(), ZIP_RDONLY, &error);
  if (zip == nullptr) {
    ADD_FAILURE() << "cannot open " << archive << " as zip (error " << error << ")";
    return "";
  }
  std::string out;
  zip_stat_t stat;
  zip_file_t* file = nullptr;
  if (zip_stat(zip, member.c_str(), 0, &stat) == 0 && (file = zip_fopen(zip, member.c_str(), 0))) {
    out.resize(stat.size);
    zip_int64_t n = zip_fread(file, out.data(), stat.size);
    EXPECT_EQ(n, static_cast<zip_int64_t>(stat.size));
    zip_fclose(file);
  } else {
    ADD_FAILURE() << member << " missing from " << archive;
  }
  zip_close(zip);
  return out;
}

std::vector<double> NumericValues(const std::string& sheet_xml) {
  std::vector<double> values;
  std::regex value_re("<c r=\"[A-Z]+[0-9]+\"(?: s=\"[0-9]+\")?><v>([^<]+)</v></c>");
  for (auto it = std::sregex_iterator(sheet_xml.begin(), sheet_xml.end(), value_re);
       it != std::sregex_iterator(); ++it) {
    values.push_back(std::strtod((*it)[1].str().c_str(), nullptr));
  }
  return values;
}

bool HasValue(const std::vector<double>& values, double wanted) {
  for (double v : values) {
    if (std::fabs(v - wanted) < 1e-12) return true;
  }
  return false;
}

TEST(XlsxSheetNameTest, ValidNames) {
  EXPECT_EQ(XlsxSheetName("table2", {}), "table2");
  EXPECT_EQ(XlsxSheetName("Q3/Q4: [services]*?", {}), "Q3_Q4_ _services___");
  EXPECT_EQ(XlsxSheetName("'quoted'", {}), "quoted");
  EXPECT_EQ(XlsxSheetName("", {}), "Table");
  EXPECT_EQ(XlsxSheetName("History", {}), "History_");
  EXPECT_EQ(XlsxSheetName(std::string(40, 'a'), {}), std::string(31, 'a'));
}

TEST(XlsxSheetNameTest, CutsAtCharacterBoundariesAndCountsUtf16Units) {
  // 20 Khmer code points (3 bytes each) + 15 letters = 35 units: cut to 31, whole.
  std::string khmer;
  for (int i = 0; i < 20; ++i) khmer += "ក";
  std::string name = XlsxSheetName(khmer + std::string(15, 'b'), {});
  EXPECT_EQ(name, khmer + std::string(11, 'b'));
  // An emoji takes two UTF-16 units: 30 letters + one emoji do not fit.
  std::string emoji_name = std::string(30, 'c') + "\xF0\x9F\x98\x80";
  EXPECT_EQ(XlsxSheetName(emoji_name, {}), std::string(30, 'c'));
}

TEST(XlsxSheetNameTest, UniqueCaseInsensitively) {
  EXPECT_EQ(XlsxSheetName("Table", {"table"}), "Table (2)");
  EXPECT_EQ(XlsxSheetName("Table", {"table", "Table (2)"}), "Table (3)");
  std::string long_name(31, 'z');
  std::string second = XlsxSheetName(long_name, {long_name});
  EXPECT_EQ(second, std::string(27, 'z') + " (2)");
}

TEST(XlsxRenderTest, WritesSheetsLabelsNumbersAndFormats) {
  TempDir dir;
  std::string path = dir.File("tables.xlsx");
  analysis::TableResult first = SampleTable();
  analysis::TableResult duplicate = SampleTable();  // same id: needs a second name
  RenderOptions options;
  options.banner = testing::kBanner;
  auto written = WriteTables({first, SecondTable(), duplicate}, TableFormat::kXlsx, path, options);
  ASSERT_TRUE(written) << written.error().ToString();
  // Nothing but the workbook is left in the folder (no temporary file).
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1u);

  std::string workbook = ZipMember(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("<sheet name=\"table2\" sheetId=\"1\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("<sheet name=\"Q3_Q4_ _services___\" sheetId=\"2\""), std::string::npos);
  EXPECT_NE(workbook.find("<sheet name=\"table2 (2)\" sheetId=\"3\""), std::string::npos);

  std::string strings = ZipMember(path, "xl/sharedStrings.xml");
  for (const char* label :
       {testing::kYesLabel, testing::kShelterLabel, testing::kLegalLabel, testing::kStaffLabel,
        testing::kBanner, "Cambodia (កម្ពុជា) (N = 14)", "Wilson lo", "† small count", "s suppressed",
        "Item nonresponse", "Numeric items", "don't know"}) {
    EXPECT_NE(strings.find(label), std::string::npos) << label;
  }
  EXPECT_NE(strings.find("Staff trained &lt;on&gt; trafficking &amp; \"victims\""),
            std::string::npos);
  EXPECT_EQ(strings.find("<on>"), std::string::npos);

  std::string styles = ZipMember(path, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos) << styles;
  EXPECT_NE(styles.find("0.000"), std::string::npos);

  std::string sheet = ZipMember(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet.find("<mergeCell ref="), std::string::npos);
  std::vector<double> values = NumericValues(sheet);
  const analysis::Cell& kh_yes = first.items[0].options[0].cells[0];
  EXPECT_TRUE(HasValue(values, *kh_yes.prop));
  EXPECT_TRUE(HasValue(values, kh_yes.wilson->lower));
  EXPECT_TRUE(HasValue(values, kh_yes.wilson->upper));
  EXPECT_TRUE(HasValue(values, *first.items[0].options[0].tests[0].p));
  EXPECT_TRUE(HasValue(values, *first.items[0].options[0].tests[0].p_holm));
  EXPECT_TRUE(HasValue(values, *first.items[0].item_test->p));
  EXPECT_TRUE(HasValue(values, 10.25));  // VN mean staff
  // The suppressed VN legal cell (1 of 13) leaves no proportion behind.
  EXPECT_FALSE(HasValue(values, 1.0 / 13));
  const analysis::Cell& vn_legal = first.items[1].options[1].cells[1];
  EXPECT_FALSE(HasValue(values, vn_legal.wilson->upper));
  EXPECT_FALSE(HasValue(values, *first.items[1].options[1].tests[0].p));  // its test too
}

TEST(TestMethodRenderTest, EveryFormatSaysWhenAnItemTestIsNotExact) {
  analysis::TableResult table = SampleTable();
  ASSERT_TRUE(table.items[0].item_test && table.items[0].item_test->p);
  const std::string exact_note = "Monte Carlo estimate";
  // Exact: no method note anywhere; the CSV says "exact".
  {
    auto md = RenderTables({table}, TableFormat::kMarkdown, {});
    ASSERT_TRUE(md);
    EXPECT_EQ(md->find(exact_note), std::string::npos);
    auto csv = RenderTables({table}, TableFormat::kCsv, {});
    ASSERT_TRUE(csv);
    EXPECT_NE(csv->find("training,,KH-VN,fisher_method,exact\n"), std::string::npos) << *csv;
    EXPECT_EQ(csv->find("fisher_replicates"), std::string::npos);
  }
  table.items[0].item_test->method = analysis::FisherMethod::kMonteCarlo;
  table.items[0].item_test->replicates = 10000;
  for (TableFormat format : {TableFormat::kMarkdown, TableFormat::kHtml, TableFormat::kLatex}) {
    auto text = RenderTables({table}, format, {});
    ASSERT_TRUE(text);
    EXPECT_NE(text->find(exact_note), std::string::npos) << TableFormatName(format);
    EXPECT_NE(text->find("10000 random tables"), std::string::npos) << TableFormatName(format);
  }
  auto csv = RenderTables({table}, TableFormat::kCsv, {});
  ASSERT_TRUE(csv);
  // The public columns are unchanged; the method follows the item's fisher_p.
  size_t p_line = csv->find("training,,KH-VN,fisher_p,");
  size_t method_line = csv->find("training,,KH-VN,fisher_method,monte_carlo\n");
  ASSERT_NE(p_line, std::string::npos);
  ASSERT_NE(method_line, std::string::npos) << *csv;
  EXPECT_LT(p_line, method_line);
  EXPECT_NE(csv->find("training,,KH-VN,fisher_replicates,10000\n"), std::string::npos);

  table.items[0].item_test->method = analysis::FisherMethod::kAsymptotic;
  TempDir dir;
  std::string path = dir.File("tables.xlsx");
  ASSERT_TRUE(WriteTables({table}, TableFormat::kXlsx, path, {}));
  std::string strings = ZipMember(path, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Pearson's chi-square test (asymptotic)"), std::string::npos);
  auto md = RenderTables({table}, TableFormat::kMarkdown, {});
  EXPECT_NE(md->find("Pearson's chi-square test (asymptotic)"), std::string::npos);
  csv = RenderTables({table}, TableFormat::kCsv, {});
  EXPECT_NE(csv->find("training,,KH-VN,fisher_method,asymptotic\n"), std::string::npos);
}

// The shared strings of a workbook, in index order (plain <si><t> entries).
std::vector<std::string> SharedStrings(const std::string& strings_xml) {
  std::vector<std::string> out;
  std::regex si_re("<si><t[^>]*>([^<]*)</t></si>");
  for (auto it = std::sregex_iterator(strings_xml.begin(), strings_xml.end(), si_re);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

bool SheetHasString(const std::string& sheet_xml, const std::vector<std::string>& strings,
                    const std::string& wanted) {
  auto at = std::find(strings.begin(), strings.end(), wanted);
  if (at == strings.end()) return false;
  std::string ref = "t=\"s\"><v>" + std::to_string(at - strings.begin()) + "</v>";
  return sheet_xml.find(ref) != std::string::npos;
}

TEST(XlsxRenderTest, NumericBlockShowsOnlyTheAskedStatisticsAndPagesPrintOneTableWide) {
  analysis::TableResult table = SampleTable();
  for (analysis::ItemResult& item : table.items) {
    if (item.kind == analysis::ItemKind::kNumeric) item.statistics = {"n", "mean", "median"};
  }
  // An option test that could not be made: a dash in the cell, the reason in a comment.
  analysis::GroupTest& test = table.items[0].options[0].tests[0];
  test.p.reset();
  test.p_holm.reset();
  test.note = "no test: every respondent gave the same answer";
  TempDir dir;
  std::string path = dir.File("tables.xlsx");
  ASSERT_TRUE(WriteTables({table}, TableFormat::kXlsx, path, {}));
  std::string sheet = ZipMember(path, "xl/worksheets/sheet1.xml");
  std::vector<std::string> strings = SharedStrings(ZipMember(path, "xl/sharedStrings.xml"));
  EXPECT_TRUE(SheetHasString(sheet, strings, "median"));
  EXPECT_TRUE(SheetHasString(sheet, strings, "mean"));
  // "sd", "min" and "max" were not asked for: no empty columns under their names.
  for (const char* absent : {"sd", "min", "max"}) {
    EXPECT_FALSE(SheetHasString(sheet, strings, absent)) << absent;
  }
  EXPECT_TRUE(SheetHasString(sheet, strings, "–"));
  EXPECT_FALSE(SheetHasString(sheet, strings, test.note));
  std::string comments = ZipMember(path, "xl/comments1.xml");
  EXPECT_NE(comments.find(test.note), std::string::npos) << comments;
  EXPECT_NE(sheet.find("orientation=\"landscape\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("fitToHeight=\"0\""), std::string::npos);
  std::string workbook = ZipMember(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("_xlnm.Print_Titles"), std::string::npos) << workbook;
}

TEST(XlsxRenderTest, ErrorsAreR003AndLeaveNothingBehind) {
  TempDir dir;
  std::string path = dir.File("missing-folder/tables.xlsx");
  auto written = WriteTables({SampleTable()}, TableFormat::kXlsx, path, {});
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, "R003");
  EXPECT_NE(written.error().message.find("cannot write xlsx"), std::string::npos);
  EXPECT_EQ(written.error().where.file, path);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(XlsxRenderTest, XlsxIsNotAStringFormat) {
  auto text = RenderTables({SampleTable()}, TableFormat::kXlsx, {});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, "R002");
}

}  // namespace
}  // namespace ngosurvey::report
