#include "report/network_render.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/escape.h"
#include "base/text.h"
#include "base/words.h"

namespace ngosurvey::report {
namespace {

analysis::Network SampleNetwork(const std::vector<std::string>& kinds) {
  analysis::Network network;
  network.nodes.push_back({"ngo01", "NGO one", "ngo", "KH", true, true});
  for (size_t i = 0; i < kinds.size(); ++i) {
    network.nodes.push_back({"n" + std::to_string(i), kinds[i], kinds[i], "KH", false, false});
    network.ties.push_back({0, static_cast<int>(i) + 1, kinds[i]});
  }
  return network;
}

struct LegendText {
  double x = 0, y = 0;
  std::string text;
};

// The number in `svg` after `key` up to the next quote.
double NumberAfter(const std::string& svg, size_t from, const std::string& key) {
  size_t at = svg.find(key, from);
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return -1;
  at += key.size();
  return std::stod(svg.substr(at, svg.find('"', at) - at));
}

// The <text x y> elements of the SVG's last group (the legend), in order.
std::vector<LegendText> LegendTexts(const std::string& svg) {
  std::vector<LegendText> out;
  for (size_t at = svg.find("<text x=\"", svg.rfind("<g>")); at != std::string::npos;
       at = svg.find("<text x=\"", at + 1)) {
    const size_t open_end = svg.find('>', at) + 1;
    out.push_back({NumberAfter(svg, at, "x=\""), NumberAfter(svg, at, "y=\""),
                   svg.substr(open_end, svg.find("</text>", open_end) - open_end)});
  }
  return out;
}

// The SVG's height (viewBox "0 0 W H").
double ViewBoxHeight(const std::string& svg) {
  const size_t at = svg.find("viewBox=\"0 0 ");
  EXPECT_NE(at, std::string::npos);
  const size_t height = svg.find(' ', at + 14) + 1;
  return std::stod(svg.substr(height, svg.find('"', height) - height));
}

// A legend entry's text never runs into the next entry's mark (issue 17: the
// Vietnamese "Tổ chức phi chính phủ (đã trả lời)" overlapped the government square when
// every entry took a fixed 170 px), and no entry runs past the picture's right edge.
TEST(NetworkRenderTest, LegendEntriesDoNotOverlapInAnyLanguage) {
  analysis::Network network = SampleNetwork(
      {"government", "international_organisation", "police", "UN agency", "donor", "media"});
  for (const char* language : {"en", "km", "vi"}) {
    SCOPED_TRACE(language);
    NetworkReport report;
    report.network = &network;
    report.language = language;
    const std::string svg = RenderNetwork(report, NetworkFormat::kSvg);
    std::vector<LegendText> texts = LegendTexts(svg);
    ASSERT_EQ(texts.size(), 8u);  // 7 kinds and the non-respondent's line
    const double height = ViewBoxHeight(svg);
    for (size_t i = 0; i < texts.size(); ++i) {
      // 7 px a column is the layout's own estimate; 6 px is the least a glyph of
      // font-size 11 takes in Noto Sans, so the check is stricter than the layout.
      const double right =
          texts[i].x + 6.0 * static_cast<double>(text::DisplayWidth(texts[i].text));
      EXPECT_LE(right, 760.0) << texts[i].text;
      EXPECT_LT(texts[i].y, height) << texts[i].text;
      if (i + 1 < texts.size() && texts[i + 1].y == texts[i].y) {
        // The next entry's mark starts 18 px before its text.
        EXPECT_LT(right, texts[i + 1].x - 18) << texts[i].text << " / " << texts[i + 1].text;
      }
    }
    // The non-respondent's entry has a line of its own, below every kind.
    EXPECT_GT(texts.back().y, texts[texts.size() - 2].y);
  }
}

// A legend that fits on one line keeps the picture's height of one line.
TEST(NetworkRenderTest, OneLineLegendKeepsTheHeight) {
  analysis::Network network = SampleNetwork({"government"});
  NetworkReport report;
  report.network = &network;
  const std::string svg = RenderNetwork(report, NetworkFormat::kSvg);
  std::vector<LegendText> texts = LegendTexts(svg);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0].y, texts[1].y);
  EXPECT_EQ(ViewBoxHeight(svg), 670.0);
}

// For a page that shows the legend as text: the SVG has none (only the plot's height),
// and NetworkLegend lists every kind in the picture's colours, then the non-respondent.
TEST(NetworkRenderTest, LegendAsTextForAPage) {
  analysis::Network network = SampleNetwork({"government", "police"});
  NetworkReport report;
  report.network = &network;
  report.language = "vi";
  report.svg_legend = false;
  const std::string svg = RenderNetwork(report, NetworkFormat::kSvg);
  EXPECT_EQ(ViewBoxHeight(svg), 600.0);
  const std::string responded = words::Text(words::Word::kNetworkLegendResponded, "vi");
  EXPECT_EQ(svg.find(text::EscapeHtml(responded)), std::string::npos);
  std::vector<NetworkLegendEntry> legend = NetworkLegend(network, "vi");
  ASSERT_EQ(legend.size(), 4u);
  EXPECT_EQ(legend[0].text, responded);
  EXPECT_EQ(legend[0].mark, NetworkLegendEntry::Mark::kDisc);
  EXPECT_EQ(legend[1].text, "government");
  EXPECT_EQ(legend[1].mark, NetworkLegendEntry::Mark::kSquare);
  EXPECT_EQ(legend[2].text, "police");
  EXPECT_EQ(legend[3].mark, NetworkLegendEntry::Mark::kHollowDisc);
  EXPECT_EQ(legend[3].colour, legend[0].colour);
  // Each kind's colour is the one its nodes are drawn in.
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_NE(svg.find("fill=\"" + legend[i].colour + "\" stroke=\"" + legend[i].colour + "\""),
              std::string::npos)
        << legend[i].text;
    EXPECT_NE(legend[i].colour, legend[0].colour);
  }
  EXPECT_NE(NetworkLegendMarkSvg(legend[3]).find("stroke-dasharray"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::report
