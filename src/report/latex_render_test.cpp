#include <gtest/gtest.h>

#include <sstream>

#include "report/render_internal.h"
#include "report/sample_tables_test.h"
#include "report/table_render.h"

namespace ngosurvey::report {
namespace {

using testing::SampleTable;
using testing::SecondTable;

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string Latex(const std::vector<analysis::TableResult>& tables, std::string banner = "") {
  RenderOptions options;
  options.banner = std::move(banner);
  auto tex = RenderTables(tables, TableFormat::kLatex, options);
  EXPECT_TRUE(tex) << tex.error().ToString();
  return tex ? *tex : std::string();
}

// The output without its comment lines.
std::string Body(const std::string& tex) {
  std::string body;
  std::istringstream lines(tex);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("%", 0) != 0) body += line + "\n";
  }
  return body;
}

// Characters that are special to TeX unless escaped by a backslash.
size_t CountUnescaped(const std::string& tex, char wanted) {
  size_t n = 0;
  for (size_t i = 0; i < tex.size(); ++i) {
    if (tex[i] == '\\') {
      ++i;  // skip the escaped character (or the first letter of a command)
      continue;
    }
    if (tex[i] == '%') {  // a comment runs to the end of the line
      while (i < tex.size() && tex[i] != '\n') ++i;
      continue;
    }
    if (tex[i] == wanted) ++n;
  }
  return n;
}

TEST(LatexRenderTest, PreambleCommentNamesPackagesAndEngine) {
  std::string tex = Latex({SampleTable()});
  ASSERT_EQ(tex.rfind("% ngosurvey tables", 0), 0u);
  EXPECT_NE(tex.find("\\usepackage{booktabs}"), std::string::npos);
  EXPECT_NE(tex.find("XeLaTeX"), std::string::npos);
  EXPECT_NE(tex.find("\\usepackage{fontspec}"), std::string::npos);
  EXPECT_NE(tex.find("Noto Sans Khmer"), std::string::npos);
  // A fragment, not a document.
  EXPECT_EQ(tex.find("\\documentclass"), std::string::npos);
  EXPECT_EQ(tex.find("\\begin{document}"), std::string::npos);
}

TEST(LatexRenderTest, OneBooktabsTablePerResult) {
  std::string tex = Body(Latex({SampleTable(), SecondTable()}));
  EXPECT_EQ(Count(tex, "\\begin{table}[htbp]"), 2u);
  EXPECT_EQ(Count(tex, "\\end{table}"), 2u);
  EXPECT_EQ(Count(tex, "\\toprule"), 2u);
  EXPECT_EQ(Count(tex, "\\midrule"), 2u);
  EXPECT_EQ(Count(tex, "\\bottomrule"), 2u);
  EXPECT_NE(tex.find("\\begin{tabular}{@{}lrrrr@{}}"), std::string::npos);  // 3 columns + p
  EXPECT_NE(tex.find("\\begin{tabular}{@{}lr@{}}"), std::string::npos);     // one column
  EXPECT_NE(tex.find("\\label{tab:table2}"), std::string::npos);
  EXPECT_NE(tex.find("\\label{tab:Q3-Q4:--services---}"), std::string::npos);
  EXPECT_EQ(CountUnescaped(tex, '{'), CountUnescaped(tex, '}'));
}

TEST(LatexRenderTest, EscapesSpecialCharacters) {
  std::string tex = Latex({SampleTable(), SecondTable()});
  EXPECT_NE(tex.find("Staff trained \\textless{}on\\textgreater{} trafficking \\& \"victims\" "
                     "(50\\% \\_of\\_ \\$1 \\#2 \\{a\\} \\textasciitilde{} \\textasciicircum{})"),
            std::string::npos);
  EXPECT_NE(tex.find("One column \\textless{}only\\textgreater{}"), std::string::npos);
  // Outside comments, no special character is left unescaped.
  for (char special : {'&', '$', '#', '_', '~', '^'}) {
    std::string body = Body(tex);
    size_t allowed = 0;
    if (special == '&') allowed = Count(body, " & ");  // column separators
    if (special == '~') allowed = Count(body, "}~");   // after footnote markers
    if (special == '$')
      allowed = 2 * (Count(body, "$N = ") + Count(body, "Fisher $p$") + Count(body, "$<$"));
    EXPECT_EQ(CountUnescaped(body, special), allowed) << special;
  }
  EXPECT_NE(tex.find(testing::kLegalLabel), std::string::npos);
  EXPECT_NE(tex.find("Nơi tạm trú an toàn"), std::string::npos);
}

TEST(LatexRenderTest, RowsHaveOneCellPerColumn) {
  analysis::TableResult table = SampleTable();
  std::string tex = Body(Latex({table}));
  size_t begin = tex.find("\\toprule");
  size_t end = tex.find("\\bottomrule");
  ASSERT_LT(begin, end);
  std::istringstream lines(tex.substr(begin, end - begin));
  size_t rows = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.size() < 3 || line.substr(line.size() - 3) != " \\\\") continue;
    ++rows;
    if (line.rfind("\\multicolumn{4}", 0) == 0) {
      EXPECT_EQ(CountUnescaped(line, '&'), 1u) << line;  // heading spans 4, then p
    } else {
      EXPECT_EQ(CountUnescaped(line, '&'), table.columns.size() + 1) << line;  // label, 3, p
    }
  }
  // 2 header rows; training: heading, 2 x (option + intervals), nonresponse = 6;
  // services: heading, shelter + intervals, legal + intervals (KH only), nonresponse = 6;
  // staff: heading, 6 statistics, nonresponse = 8.
  EXPECT_EQ(rows, 2u + 6u + 6u + 8u);
}

TEST(LatexRenderTest, CellsMarkersTestsAndBanner) {
  analysis::TableResult table = SampleTable();
  std::string tex = Latex({table}, testing::kBanner);
  EXPECT_NE(tex.find("42.9\\% (6/14)"), std::string::npos);
  EXPECT_NE(tex.find("16.7\\% (2/12)\\textsuperscript{\\dag}"), std::string::npos);
  const analysis::Cell& kh_yes = table.items[0].options[0].cells[0];
  EXPECT_NE(tex.find("{\\footnotesize " + internal::PercentText(kh_yes.wilson->lower, 1) + "--" +
                     internal::PercentText(kh_yes.wilson->upper, 1) + "}"),
            std::string::npos);
  EXPECT_EQ(tex.find("(1/13)"), std::string::npos);             // suppressed
  EXPECT_NE(tex.find(" & s & s & s \\\\"), std::string::npos);  // VN, Total and the test hidden
  const analysis::GroupTest& test = table.items[0].options[0].tests[0];
  EXPECT_NE(tex.find(internal::PValueText(test.p) + " (" + internal::PValueText(test.p_holm) + ")"),
            std::string::npos);
  EXPECT_NE(tex.find("all: " + internal::PValueText(table.items[0].item_test->p)),
            std::string::npos);
  EXPECT_NE(tex.find("\\caption[Services of NGOs by country"), std::string::npos);
  EXPECT_NE(tex.find("\\textbf{(SYNTHETIC DATA)}}"), std::string::npos);
  EXPECT_NE(tex.find("\\textsuperscript{\\dag}~Count of 1 to 2"), std::string::npos);
  EXPECT_NE(tex.find("\\textsuperscript{\\ddag}~Base below 5"), std::string::npos);
  EXPECT_NE(tex.find("12 of 13 answered; refused 1"), std::string::npos);
  EXPECT_NE(tex.find("\\quad mean & s & 10.25 & 9.56 &"), std::string::npos);
  EXPECT_NE(tex.find("{\\footnotesize $N = 27$}"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::report
