#include <fmt/format.h>
#include <gtest/gtest.h>

// GCC 12 reports -Wmaybe-uninitialized false positives inside std::function as
// std::regex uses it once ASan instruments it; the debug build's -Werror would stop.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <set>

#include "report/html.h"
#include "report/render_internal.h"
#include "report/sample_tables_test.h"

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

struct CellTally {
  size_t visible = 0, intervals = 0, suppressed = 0;
};

CellTally Tally(const analysis::TableResult& table) {
  CellTally t;
  for (const auto& item : table.items) {
    for (const auto& option : item.options) {
      for (const auto& cell : option.cells) {
        if (cell.suppressed)
          ++t.suppressed;
        else if (cell.base > 0)
          ++t.visible;
        if (!cell.suppressed && cell.wilson) ++t.intervals;
      }
    }
  }
  return t;
}

std::string Page(const std::vector<analysis::TableResult>& tables, std::string banner = "") {
  RenderOptions options;
  options.banner = std::move(banner);
  auto html = RenderTables(tables, TableFormat::kHtml, options);
  EXPECT_TRUE(html) << html.error().ToString();
  return html ? *html : std::string();
}

TEST(HtmlIdTest, KeepsSafeCharactersOnly) {
  EXPECT_EQ(HtmlId("table2"), "table2");
  EXPECT_EQ(HtmlId("Q3/Q4: x"), "Q3-Q4--x");
  EXPECT_EQ(HtmlId("2x"), "t-2x");
  EXPECT_EQ(HtmlId(""), "t-");
  EXPECT_EQ(HtmlId("កម្ពុជា").find_first_not_of("t-"), std::string::npos);
}

TEST(HtmlRenderTest, SelfContainedPageWithoutNetworkReferences) {
  std::string html = Page({SampleTable(), SecondTable()}, testing::kBanner);
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("\"Noto Sans Khmer\""), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(HtmlRenderTest, EscapesLabelsEverywhere) {
  std::string html = Page({SampleTable(), SecondTable()});
  EXPECT_EQ(html.find("<on>"), std::string::npos);
  EXPECT_EQ(html.find("<only>"), std::string::npos);
  EXPECT_NE(html.find("Staff trained &lt;on&gt; trafficking &amp; &quot;victims&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("One column &lt;only&gt;"), std::string::npos);
  // Every '<' opens a tag or a comment: no text '<' leaked unescaped.
  std::regex stray("<[^a-zA-Z/!]");
  EXPECT_FALSE(std::regex_search(html, stray));
  // Every '&' starts an entity.
  std::regex bare_amp("&(?!(amp|lt|gt|quot|#39);)");
  EXPECT_FALSE(std::regex_search(html, bare_amp));
}

// The page without the data-label attributes of the narrow-screen layout (tested in
// CellsAreNamedByTheirColumnForNarrowScreens), so that markup can be matched whole.
std::string Unlabelled(std::string html) {
  for (size_t at = html.find(" data-label=\""); at != std::string::npos;
       at = html.find(" data-label=\"", at)) {
    size_t end = html.find('"', at + 13);
    html.erase(at, end + 1 - at);
  }
  return html;
}

TEST(HtmlRenderTest, CellsAreNamedByTheirColumnForNarrowScreens) {
  std::string html = Page({SampleTable()}, testing::kBanner);
  EXPECT_NE(html.find("<div class=\"table-wrap stack\">"), std::string::npos);
  // Every cell of an option row is named by its column, the test column too.
  EXPECT_NE(html.find("<td data-label=\"Cambodia (កម្ពុជា)\" class=\"cell\">"), std::string::npos);
  EXPECT_NE(html.find("<td data-label=\"Total\" class=\"cell"), std::string::npos);
  EXPECT_NE(html.find("<td data-label=\"Fisher p\" class=\"p\">"), std::string::npos);
  EXPECT_EQ(Count(Unlabelled(html), " data-label=\""), 0u);
  // Labels are escaped, and labelling twice changes nothing.
  std::string row = "<tr><td>1</td><td>2</td></tr>";
  std::string once = LabelCells(row, {"a<b", "c"});
  EXPECT_EQ(once, "<tr><td data-label=\"a&lt;b\">1</td><td data-label=\"c\">2</td></tr>");
  EXPECT_EQ(LabelCells(once, {"a<b", "c"}), once);
  // A row with another number of cells is left alone; one cell takes the last label.
  EXPECT_EQ(LabelCells("<tr><td>1</td><td>2</td><td>3</td></tr>", {"a", "c"}),
            "<tr><td>1</td><td>2</td><td>3</td></tr>");
  EXPECT_EQ(LabelCells("<tr><th>x</th><td>p</td></tr>", {"a", "c"}),
            "<tr><th>x</th><td data-label=\"c\">p</td></tr>");
}

TEST(HtmlRenderTest, TableShowsCountsBasesIntervalsFlagsAndTests) {
  analysis::TableResult table = SampleTable();
  std::string html = Unlabelled(Page({table}, testing::kBanner));
  EXPECT_EQ(Count(html, "<table>"), 1u);
  EXPECT_NE(html.find("<caption id=\"table-table2-0-caption\">Services of NGOs by country"),
            std::string::npos);
  EXPECT_NE(html.find("Cambodia (កម្ពុជា)<span class=\"n\">N = 14</span>"), std::string::npos);
  EXPECT_NE(html.find("Việt Nam<span class=\"n\">N = 13</span>"), std::string::npos);
  EXPECT_NE(html.find("Total<span class=\"n\">N = 27</span>"), std::string::npos);
  EXPECT_NE(html.find(testing::kYesLabel), std::string::npos);
  EXPECT_NE(html.find(testing::kLegalLabel), std::string::npos);
  // KH yes: 6/14 with its Wilson interval, computed here from the cell.
  const analysis::Cell& kh_yes = table.items[0].options[0].cells[0];
  std::string interval = internal::PercentText(kh_yes.wilson->lower, 1) + "–" +
                         internal::PercentText(kh_yes.wilson->upper, 1);
  EXPECT_NE(html.find("<span class=\"pct\">42.9%</span><span class=\"cnt\">6/14</span>"
                      "<span class=\"ci\" title=\"95% Wilson interval\">" +
                      interval + "</span>"),
            std::string::npos);
  // VN yes: 2/12 is a small count.
  EXPECT_NE(html.find("<span class=\"pct\">16.7%</span><sup class=\"mark\" title=\"small count\">"
                      "†</sup><span class=\"cnt\">2/12</span>"),
            std::string::npos);
  // Suppressed cells: two in the percentage rows, one numeric cell (6 statistics).
  EXPECT_EQ(Count(html, "<td class=\"cell suppressed\">"), 2u + 6u);
  EXPECT_EQ(html.find("1/13"), std::string::npos);  // the hidden count never appears
  // Fisher p with Holm per option, the r x c p on the heading row.
  const analysis::GroupTest& test = table.items[0].options[0].tests[0];
  EXPECT_NE(
      html.find("<td class=\"p\">" + internal::PValueText(test.p) + " <span class=\"holm\">(" +
                internal::PValueText(test.p_holm) + ")</span></td>"),
      std::string::npos);
  EXPECT_NE(html.find("all options</span> " + internal::PValueText(table.items[0].item_test->p)),
            std::string::npos);
  // Nonresponse by kind; numeric statistics; the base rule of "services".
  EXPECT_NE(html.find("12 of 13 answered; refused 1"), std::string::npos);
  EXPECT_NE(html.find("12 of 13 answered; don&#39;t know 1"), std::string::npos);
  EXPECT_EQ(Count(html, "<tr class=\"nonresponse\">"), table.items.size());
  EXPECT_NE(
      html.find("<tr class=\"numeric\"><th scope=\"row\">mean</th>"
                "<td class=\"cell suppressed\"><span class=\"pct\" title=\"suppressed\">s</span>"
                "</td><td>10.25</td><td>9.56</td>"),
      std::string::npos);
  EXPECT_NE(html.find("(base: all)"), std::string::npos);
  // The tests of the row and item with a suppressed cell are hidden too.
  const std::string hidden = "title=\"hidden: a cell of this item is suppressed\">s</span>";
  EXPECT_EQ(Count(html, hidden), 1u);
  analysis::TableResult with_item_test = table;
  with_item_test.items[1].item_test = table.items[0].item_test;
  EXPECT_EQ(Count(Page({with_item_test}), hidden), 2u);
  const analysis::GroupTest& legal = table.items[1].options[1].tests[0];
  EXPECT_EQ(html.find(internal::PValueText(legal.p) + " <span class=\"holm\">"), std::string::npos);
}

TEST(HtmlRenderTest, BannerOnEveryTableAndFootnotes) {
  std::string html = Page({SampleTable(), SecondTable()}, testing::kBanner);
  EXPECT_EQ(Count(html, "<p class=\"banner\" role=\"note\">SYNTHETIC DATA</p>"), 2u);
  EXPECT_EQ(Count(html, "<section class=\"ngo-table\""), 2u);
  // The banner is also drawn in each chart (3 charts: 2 + 1).
  EXPECT_EQ(Count(html, "class=\"banner\">SYNTHETIC DATA</text>"), 3u);
  EXPECT_NE(html.find("<span class=\"mark\">†</span>Count of 1 to 2"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"mark\">‡</span>Base below 5"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"mark\">s</span>Suppressed"), std::string::npos);
  EXPECT_NE(html.find("95% Wilson score interval"), std::string::npos);
  EXPECT_NE(html.find("Fisher exact test"), std::string::npos);
  EXPECT_NE(html.find("Source: synthetic data"), std::string::npos);
  // Ids stay unique although both sections derive them from table ids.
  std::regex id_re("id=\"([^\"]+)\"");
  std::set<std::string> ids;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re);
       it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  }
  EXPECT_GT(ids.size(), 6u);
}

TEST(HtmlRenderTest, NoTestColumnWithOneGroup) {
  std::string html = Page({SecondTable()});
  EXPECT_EQ(html.find("Fisher p<span"), std::string::npos);
  EXPECT_EQ(html.find("Fisher exact test"), std::string::npos);
}

TEST(HtmlRenderTest, SharesOfMentionsForMultipleChoice) {
  analysis::TableResult table = SampleTable();
  analysis::OptionRow& shelter = table.items[1].options[0];
  shelter.mention_cells = {testing::MakeCell(9, 13), testing::MakeCell(7, 8),
                           testing::MakeCell(16, 21)};
  std::string html = Page({table});
  EXPECT_NE(html.find("<span class=\"mentions\">69.2% of mentions</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"mentions\">87.5% of mentions</span>"), std::string::npos);
  EXPECT_EQ(Count(html, "of mentions</span>"), 3u);
}

TEST(HtmlRenderTest, PairwiseTestsWithThreeGroups) {
  analysis::TableResult table = SampleTable();
  table.columns.insert(table.columns.begin() + 2, {"TH", "Thailand", false});
  for (analysis::ItemResult& item : table.items) {
    item.nonresponse.insert(item.nonresponse.begin() + 2, testing::MakeNonresponse(5, 0, 0));
    if (!item.numeric.empty()) item.numeric.insert(item.numeric.begin() + 2, item.numeric[1]);
    for (analysis::OptionRow& option : item.options) {
      option.cells.insert(option.cells.begin() + 2, testing::MakeCell(1, 5));
      analysis::GroupTest kh_th = option.tests[0];
      kh_th.groups = {"KH", "TH"};
      kh_th.p = std::nullopt;
      kh_th.p_holm = std::nullopt;
      kh_th.note = "no test: too few";
      option.tests.push_back(kh_th);
    }
  }
  std::string html = Page({table});
  const analysis::GroupTest& test = table.items[0].options[0].tests[0];
  EXPECT_NE(html.find("Cambodia (កម្ពុជា) vs Việt Nam: " + internal::PValueText(test.p)),
            std::string::npos);
  EXPECT_NE(
      html.find("<br>Cambodia (កម្ពុជា) vs Thailand: <span title=\"no test: too few\">–</span>"),
      std::string::npos);
  EXPECT_NE(html.find("Fisher exact tests between pairs of group columns"), std::string::npos);
  // Three groups and the Total in every chart: a fourth legend entry.
  EXPECT_EQ(Count(html, "<g class=\"legend\">"), 2u * 4u);
}

TEST(SvgBarChartTest, OneBarPerVisibleCellAndOneWhiskerPerInterval) {
  analysis::TableResult table = SampleTable();
  std::string html = Page({table});
  CellTally tally = Tally(table);
  ASSERT_EQ(tally.visible, 10u);  // 12 cells, 2 suppressed
  ASSERT_EQ(tally.suppressed, 2u);
  EXPECT_EQ(Count(html, "<svg"), 2u);  // training and services; staff is numeric
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), tally.visible);
  EXPECT_EQ(Count(html, "<path class=\"whisker\""), tally.intervals);
  EXPECT_EQ(Count(html, "class=\"suppressed\">"), tally.suppressed);
}

TEST(SvgBarChartTest, GeometryFollowsProportionsAndIntervals) {
  analysis::TableResult table = SampleTable();
  SvgChartOptions options;
  options.id = "c";
  options.width = 566;  // a plot of 566 - 66 - 8 = 492 pixels
  std::string svg = SvgBarChart(table.columns, table.items[0], options);
  const analysis::Cell& kh_yes = table.items[0].options[0].cells[0];
  std::string width = fmt::format("width=\"{:.1f}\"", *kh_yes.prop * 492);
  EXPECT_NE(svg.find("<rect class=\"bar\" x=\"8.0\" y=\""), std::string::npos);
  EXPECT_NE(svg.find(width), std::string::npos) << svg;
  std::string whisker = fmt::format("d=\"M{:.1f} ", 8 + kh_yes.wilson->lower * 492);
  EXPECT_NE(svg.find(whisker), std::string::npos);
  EXPECT_NE(svg.find("role=\"img\" aria-labelledby=\"c-title c-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"c-title\">"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"c-desc\">"), std::string::npos);
  EXPECT_NE(svg.find("Việt Nam 16.7% (2 of 12)"), std::string::npos);
  EXPECT_NE(svg.find(">16.7%<tspan fill=\"#b00020\" font-weight=\"700\" class=\"mark\">†</tspan>"),
            std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"mark\">"), 1u);  // only VN yes is flagged in this item
  // Colours: two Okabe-Ito group colours and the Total's grey, one legend entry each.
  EXPECT_EQ(Count(svg, "<g class=\"legend\">"), 3u);
  EXPECT_NE(svg.find("fill=\"#0072B2\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#E69F00\""), std::string::npos);
  EXPECT_EQ(svg.find("xmlns"), std::string::npos);
}

TEST(SvgBarChartTest, TotalCanBeLeftOutAndNumericItemsHaveNoChart) {
  analysis::TableResult table = SampleTable();
  SvgChartOptions options;
  options.include_total = false;
  std::string svg = SvgBarChart(table.columns, table.items[1], options);
  // services without Total: KH shelter, VN shelter, KH legal visible; VN legal suppressed.
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 3u);
  EXPECT_EQ(Count(svg, "class=\"suppressed\""), 1u);
  EXPECT_EQ(Count(svg, "<g class=\"legend\">"), 2u);
  EXPECT_EQ(SvgBarChart(table.columns, table.items[2], options), "");
}

TEST(SvgBarChartTest, LongLabelsAreCutWithTheFullLabelInATitle) {
  analysis::TableResult table = SampleTable();
  std::string long_label(200, 'x');
  table.items[0].options[1].label = long_label;
  std::string svg = SvgBarChart(table.columns, table.items[0]);
  EXPECT_NE(svg.find("…<title>" + long_label + "</title>"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::report
