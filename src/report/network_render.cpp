#include "report/network_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "base/escape.h"
#include "base/text.h"
#include "base/words.h"
#include "report/html.h"
#include "report/table_render.h"

namespace ngosurvey::report {
namespace {

using analysis::Network;
using analysis::NetworkNode;
using analysis::ScopeMeasures;
using words::Word;

// Shortest text that reads back to the same double; empty for NaN.
std::string Real(double value) {
  if (std::isnan(value)) return "";
  if (value == 0) return "0";
  return fmt::format("{}", value);
}

std::string Fixed(double value, int digits) {
  if (std::isnan(value)) return "–";
  return fmt::format("{:.{}f}", value, digits);
}

// Whole-network measures of a scope, (name, value text), in the CSV's order.
std::vector<std::pair<std::string, std::string>> WholeMeasures(const ScopeMeasures& scope) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"density", Real(scope.density)},
      {"reciprocity", Real(scope.reciprocity)},
      {"weak_components", std::to_string(scope.weak_components)},
      {"ties_ngo_ngo",
       std::to_string(scope.ngo_ties_by_kind.count("ngo") ? scope.ngo_ties_by_kind.at("ngo") : 0)},
      {"ties_ngo_government", std::to_string(scope.ngo_ties_by_kind.count("government")
                                                 ? scope.ngo_ties_by_kind.at("government")
                                                 : 0)},
  };
  for (const auto& [kind, count] : scope.ngo_ties_by_kind) {
    if (kind == "ngo" || kind == "government") continue;
    out.emplace_back("ties_ngo_" + kind, std::to_string(count));
  }
  return out;
}

std::string RenderCsv(const NetworkReport& report) {
  std::string out = "scope,node,measure,value\n";
  for (const auto& scope : report.scopes) {
    const std::string scope_cell = text::EscapeCsv(scope.scope);
    for (const auto& m : scope.nodes) {
      const std::string node = text::EscapeCsv(report.network->nodes[m.node].id);
      out += scope_cell + "," + node + ",in_degree," + std::to_string(m.in_degree) + "\n";
      out += scope_cell + "," + node + ",out_degree," + std::to_string(m.out_degree) + "\n";
      out += scope_cell + "," + node + ",betweenness," + Real(m.betweenness) + "\n";
    }
    for (const auto& [name, value] : WholeMeasures(scope)) {
      out += scope_cell + ",," + name + "," + value + "\n";
    }
  }
  return out;
}

std::string NodeStatus(const NetworkNode& node, std::string_view language) {
  if (node.kind != "ngo") return words::Text(Word::kNetworkStatusNamed, language);
  if (node.responded) return words::Text(Word::kNetworkStatusResponded, language);
  return words::Text(node.in_frame ? Word::kNetworkStatusSilent : Word::kNetworkStatusNamed,
                     language);
}

std::string RenderMarkdown(const NetworkReport& report) {
  const Network& network = *report.network;
  std::string out = "# " + text::EscapeMarkdownCell(report.title) + "\n\n";
  if (!report.banner.empty()) out += "**" + text::EscapeMarkdownCell(report.banner) + "**\n\n";
  size_t respondents = 0, in_frame_silent = 0;
  for (const auto& node : network.nodes) {
    if (node.responded) ++respondents;
    if (node.in_frame && !node.responded) ++in_frame_silent;
  }
  const std::string_view lang = report.language;
  out += words::Text(Word::kNetworkSummary, lang,
                     {std::to_string(network.nodes.size()), std::to_string(network.ties.size()),
                      std::to_string(network.submissions), std::to_string(respondents),
                      std::to_string(in_frame_silent)}) +
         "\n";
  for (const auto& scope : report.scopes) {
    out += "\n## " +
           text::EscapeMarkdownCell(
               scope.scope == "overall" ? words::Text(Word::kNetworkOverall, lang) : scope.scope) +
           "\n\n";
    out += words::Text(Word::kNetworkScopeSummary, lang,
                       {std::to_string(scope.node_count), std::to_string(scope.tie_count)}) +
           "\n\n";
    out += "| " + words::Text(Word::kNetworkColumnMeasure, lang) + " | " +
           words::Text(Word::kNetworkColumnValue, lang) + " |\n|---|---:|\n";
    for (const auto& [name, value] : WholeMeasures(scope)) {
      out += "| " + name + " | " + (value.empty() ? "–" : value) + " |\n";
    }
    out += "\n|";
    for (Word w :
         {Word::kNetworkColumnOrganisation, Word::kNetworkColumnName, Word::kNetworkColumnKind,
          Word::kNetworkColumnStatus, Word::kNetworkColumnInDegree, Word::kNetworkColumnOutDegree,
          Word::kNetworkColumnBetweenness}) {
      out += " " + words::Text(w, lang) + " |";
    }
    out += "\n";
    out += "|---|---|---|---|---:|---:|---:|\n";
    for (const auto& m : scope.nodes) {
      const NetworkNode& node = network.nodes[m.node];
      out += "| " + text::EscapeMarkdownCell(node.id) + " | " +
             text::EscapeMarkdownCell(node.label) + " | " + text::EscapeMarkdownCell(node.kind) +
             " | " + NodeStatus(node, lang) + " | " + std::to_string(m.in_degree) + " | " +
             std::to_string(m.out_degree) + " | " + Fixed(m.betweenness, 3) + " |\n";
    }
  }
  return out;
}

std::string RenderGraphml(const NetworkReport& report) {
  const Network& network = *report.network;
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
      "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
      "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      "  <key id=\"country\" for=\"node\" attr.name=\"country\" attr.type=\"string\"/>\n"
      "  <key id=\"in_frame\" for=\"node\" attr.name=\"in_frame\" attr.type=\"boolean\"/>\n"
      "  <key id=\"responded\" for=\"node\" attr.name=\"responded\" attr.type=\"boolean\"/>\n"
      "  <key id=\"tie_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      "  <graph id=\"network\" edgedefault=\"directed\">\n";
  for (const auto& node : network.nodes) {
    out += "    <node id=\"" + text::EscapeHtml(node.id) + "\">";
    out += "<data key=\"label\">" + text::EscapeHtml(node.label) + "</data>";
    out += "<data key=\"kind\">" + text::EscapeHtml(node.kind) + "</data>";
    out += "<data key=\"country\">" + text::EscapeHtml(node.country) + "</data>";
    out += std::string("<data key=\"in_frame\">") + (node.in_frame ? "true" : "false") + "</data>";
    out += std::string("<data key=\"responded\">") + (node.responded ? "true" : "false") +
           "</data></node>\n";
  }
  for (size_t i = 0; i < network.ties.size(); ++i) {
    const auto& tie = network.ties[i];
    out += fmt::format(
        "    <edge id=\"e{}\" source=\"{}\" target=\"{}\"><data key=\"tie_kind\">{}"
        "</data></edge>\n",
        i, text::EscapeHtml(network.nodes[tie.from].id), text::EscapeHtml(network.nodes[tie.to].id),
        text::EscapeHtml(tie.kind));
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

// Colours of node kinds, NGOs first; other kinds take the next free colour.
const char* KindColour(const std::string& kind, const std::vector<std::string>& kinds) {
  static const char* const kPalette[] = {"#1f5fa8", "#c8580f", "#2f8f46",
                                         "#8e3fa0", "#9a7b12", "#4d4d4d"};
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == kind) return kPalette[std::min<size_t>(i, 5)];
  }
  return kPalette[5];
}

constexpr double kWidth = 760, kPlot = 520, kMargin = 40, kLabelRoom = 150, kLegendLine = 24;

// The room a legend entry takes: its 12 px mark, a gap, its text at font-size 11 (about
// 7 px a column: combining marks take none, wide characters two) and the gap before the
// next entry. Generous on purpose: an overlap hides a kind, extra room costs nothing.
double LegendEntryWidth(std::string_view text) {
  return 18 + 7.0 * static_cast<double>(text::DisplayWidth(text)) + 24;
}

struct LegendEntry {
  std::string kind, text;
  double x = 0;
  int line = 0;
};

// The legend's entries, one per kind (NGOs first), placed left to right and wrapped to
// a new line before the right edge.
std::vector<LegendEntry> LayOutLegend(const std::vector<std::string>& kinds,
                                      const std::string& language) {
  std::vector<LegendEntry> entries;
  double x = kMargin;
  int line = 0;
  for (const auto& kind : kinds) {
    LegendEntry entry{kind,
                      kind == "ngo" ? words::Text(Word::kNetworkLegendResponded, language) : kind};
    const double width = LegendEntryWidth(entry.text);
    if (x > kMargin && x + width > kWidth - kMargin) {
      x = kMargin;
      ++line;
    }
    entry.x = x;
    entry.line = line;
    x += width;
    entries.push_back(std::move(entry));
  }
  return entries;
}

// The kinds of the network's nodes, NGOs first, then in the order of their first node.
std::vector<std::string> KindsOf(const Network& network) {
  std::vector<std::string> kinds = {"ngo"};
  for (const auto& node : network.nodes) {
    if (std::find(kinds.begin(), kinds.end(), node.kind) == kinds.end()) kinds.push_back(node.kind);
  }
  return kinds;
}

std::string RenderSvg(const NetworkReport& report) {
  const Network& network = *report.network;
  const std::vector<std::string> kinds = KindsOf(network);
  const std::vector<LegendEntry> legend =
      report.svg_legend ? LayOutLegend(kinds, report.language) : std::vector<LegendEntry>{};
  // The kinds' lines, the non-respondent's line and a margin below.
  const int legend_lines = (legend.empty() ? 0 : legend.back().line + 1) + 1;
  const double height = report.svg_legend
                            ? kPlot + 2 * kMargin + 10 + legend_lines * kLegendLine + 12
                            : kPlot + 2 * kMargin;
  auto at = [&](int i) {
    auto [x, y] = i < static_cast<int>(report.layout.size()) ? report.layout[i]
                                                             : std::pair<double, double>{0.5, 0.5};
    // Labels are written to the right of their mark: keep room for them.
    return std::pair<double, double>{kMargin + x * (kWidth - kMargin - kLabelRoom),
                                     kMargin + y * kPlot};
  };
  size_t respondents = 0;
  for (const auto& node : network.nodes) respondents += node.responded;
  std::string desc = words::Text(Word::kNetworkDescription, report.language,
                                 {std::to_string(network.nodes.size()), std::to_string(respondents),
                                  std::to_string(network.ties.size())});
  std::string out = fmt::format(
      "<svg{} viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" style=\"max-width:100%;height:auto\" role=\"img\" aria-labelledby=\"net-title "
      "net-desc\" "
      "font-family=\"'Noto Sans', 'Noto Sans Khmer', sans-serif\" font-size=\"11\">\n",
      report.embedded_svg ? "" : " xmlns=\"http://www.w3.org/2000/svg\"", kWidth, height, kWidth,
      height);
  out += "<title id=\"net-title\">" + text::EscapeHtml(report.title) + "</title>\n";
  out += "<desc id=\"net-desc\">" + text::EscapeHtml(desc) + "</desc>\n";
  out +=
      "<defs><marker id=\"net-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
      "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#777\"/></marker></defs>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  if (!report.banner.empty()) {
    out += "<text x=\"" + Fixed(kWidth / 2, 1) +
           "\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#a00\">" +
           text::EscapeHtml(report.banner) + "</text>\n";
  }
  constexpr double kRadius = 7;
  out += "<g stroke=\"#999\" stroke-width=\"1\">\n";
  for (const auto& tie : network.ties) {
    auto [x1, y1] = at(tie.from);
    auto [x2, y2] = at(tie.to);
    const double dx = x2 - x1, dy = y2 - y1, length = std::hypot(dx, dy);
    if (length < 2 * kRadius) continue;
    // Stop the line at the target's edge so that the arrowhead shows.
    const double ex = x2 - dx / length * (kRadius + 1), ey = y2 - dy / length * (kRadius + 1);
    out += "<line x1=\"" + Fixed(x1, 1) + "\" y1=\"" + Fixed(y1, 1) + "\" x2=\"" + Fixed(ex, 1) +
           "\" y2=\"" + Fixed(ey, 1) + "\" marker-end=\"url(#net-arrow)\"/>\n";
  }
  out += "</g>\n<g>\n";
  for (size_t i = 0; i < network.nodes.size(); ++i) {
    const NetworkNode& node = network.nodes[i];
    auto [x, y] = at(static_cast<int>(i));
    const char* colour = KindColour(node.kind, kinds);
    const bool hollow = node.kind == "ngo" && !node.responded;
    std::string fill = hollow ? "#fff" : colour;
    std::string title = "<title>" +
                        text::EscapeHtml(node.id + " — " + node.label + " (" + node.kind + ", " +
                                         NodeStatus(node, report.language) + ")") +
                        "</title>";
    if (node.kind == "ngo") {
      out += "<circle cx=\"" + Fixed(x, 1) + "\" cy=\"" + Fixed(y, 1) + "\" r=\"" +
             Fixed(kRadius, 0) + "\" fill=\"" + fill + "\" stroke=\"" + colour +
             "\" stroke-width=\"2\"" + (hollow ? " stroke-dasharray=\"3 2\"" : "") + ">" + title +
             "</circle>\n";
    } else {
      out += "<rect x=\"" + Fixed(x - kRadius, 1) + "\" y=\"" + Fixed(y - kRadius, 1) +
             "\" width=\"" + Fixed(2 * kRadius, 0) + "\" height=\"" + Fixed(2 * kRadius, 0) +
             "\" fill=\"" + fill + "\" stroke=\"" + colour + "\" stroke-width=\"2\">" + title +
             "</rect>\n";
    }
    out += "<text x=\"" + Fixed(x + kRadius + 2, 1) + "\" y=\"" + Fixed(y + 4, 1) + "\">" +
           text::EscapeHtml(node.id) + "</text>\n";
  }
  out += "</g>\n";
  if (!report.svg_legend) return out + "</svg>\n";
  // Legend (LayOutLegend), then the hollow mark of a non-respondent on its own line.
  const double legend_top = kPlot + 2 * kMargin + 10;
  out += "<g>\n";
  for (const LegendEntry& entry : legend) {
    const double lx = entry.x, ly = legend_top + entry.line * kLegendLine;
    const char* colour = KindColour(entry.kind, kinds);
    if (entry.kind == "ngo") {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\"/>", lx + 6, ly, colour);
    } else {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>", lx,
                         ly - 6, colour);
    }
    out += "<text x=\"" + Fixed(lx + 18, 1) + "\" y=\"" + Fixed(ly + 4, 1) + "\">" +
           text::EscapeHtml(entry.text) + "</text>\n";
  }
  const double ly = legend_top + (legend_lines - 1) * kLegendLine;
  out += fmt::format(
      "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#fff\" stroke=\"{}\" stroke-width=\"2\" "
      "stroke-dasharray=\"3 2\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
      kMargin + 6, ly, KindColour("ngo", kinds), kMargin + 18, ly + 4,
      text::EscapeHtml(words::Text(Word::kNetworkLegendSilent, report.language)));
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace

std::vector<NetworkLegendEntry> NetworkLegend(const analysis::Network& network,
                                              const std::string& language) {
  const std::vector<std::string> kinds = KindsOf(network);
  std::vector<NetworkLegendEntry> entries;
  for (const std::string& kind : kinds) {
    const bool ngo = kind == "ngo";
    entries.push_back(
        {.mark = ngo ? NetworkLegendEntry::Mark::kDisc : NetworkLegendEntry::Mark::kSquare,
         .colour = KindColour(kind, kinds),
         .text = ngo ? words::Text(Word::kNetworkLegendResponded, language) : kind});
  }
  entries.push_back({.mark = NetworkLegendEntry::Mark::kHollowDisc,
                     .colour = KindColour("ngo", kinds),
                     .text = words::Text(Word::kNetworkLegendSilent, language)});
  return entries;
}

std::string NetworkLegendMarkSvg(const NetworkLegendEntry& entry) {
  std::string shape;
  switch (entry.mark) {
    case NetworkLegendEntry::Mark::kDisc:
      shape = "<circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"" + entry.colour + "\"/>";
      break;
    case NetworkLegendEntry::Mark::kSquare:
      shape = "<rect x=\"1\" y=\"1\" width=\"12\" height=\"12\" fill=\"" + entry.colour + "\"/>";
      break;
    case NetworkLegendEntry::Mark::kHollowDisc:
      shape = "<circle cx=\"7\" cy=\"7\" r=\"5\" fill=\"#fff\" stroke=\"" + entry.colour +
              "\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>";
      break;
  }
  return "<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">" + shape +
         "</svg>";
}

std::optional<NetworkFormat> ParseNetworkFormat(std::string_view name) {
  if (name == "csv") return NetworkFormat::kCsv;
  if (name == "md") return NetworkFormat::kMarkdown;
  if (name == "graphml") return NetworkFormat::kGraphml;
  if (name == "svg") return NetworkFormat::kSvg;
  return std::nullopt;
}

std::string RenderNetwork(const NetworkReport& report, NetworkFormat format) {
  switch (format) {
    case NetworkFormat::kCsv:
      return RenderCsv(report);
    case NetworkFormat::kMarkdown:
      return RenderMarkdown(report);
    case NetworkFormat::kGraphml:
      return RenderGraphml(report);
    case NetworkFormat::kSvg:
      return RenderSvg(report);
  }
  return "";
}

}  // namespace ngosurvey::report
