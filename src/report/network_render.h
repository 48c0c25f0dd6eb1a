// Renders the coordination network (analysis/network.h) for `ngosurvey network`:
// the measures as CSV or Markdown, the graph as GraphML (Gephi, Cytoscape, igraph
// and networkx read it) and as an SVG picture for the HTML report. Formats only;
// computes nothing (the layout's coordinates come from analysis::LayoutNetwork).
//
// CSV layout (a public interface, docs/cli.md): the header `scope,node,measure,value`;
// for each scope (countries sorted, then `overall`) one row per node (nodes sorted
// by id) and measure in the order in_degree, out_degree, betweenness, then the
// whole-network rows with an empty `node`: density, reciprocity, weak_components,
// ties_ngo_ngo, ties_ngo_government, then ties_ngo_KIND for any other kind (sorted).
// Integers print as integers, reals as the shortest text that reads back to the
// same double, and a measure that cannot be computed is empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/network.h"

namespace ngosurvey::report {

enum class NetworkFormat { kCsv, kMarkdown, kGraphml, kSvg };

// "csv", "md", "graphml", "svg"; nullopt otherwise.
std::optional<NetworkFormat> ParseNetworkFormat(std::string_view name);

struct NetworkReport {
  const analysis::Network* network = nullptr;
  std::vector<analysis::ScopeMeasures> scopes;
  // Node positions in the unit square (LayoutNetwork), for the SVG; may be empty
  // for the other formats.
  std::vector<std::pair<double, double>> layout;
  std::string title = "Coordination network";
  std::string banner;  // e.g. "SYNTHETIC DATA"; shown in md and svg when set
  // The SVG goes inside an HTML page: written without the xmlns attribute, which an
  // HTML parser does not need (and the report's pages name no URL at all).
  bool embedded_svg = false;
  // The language of the tool's own words (base/words.h: "en", "km", "vi"); the
  // nodes' ids, names and kinds are the study's data and stay as written.
  std::string language = "en";
  // False: the SVG has no legend, because the page shows NetworkLegend as text, which
  // stays legible when a phone's screen shrinks the picture to half its size.
  bool svg_legend = true;
};

// One line of the picture's legend: each kind of node (NGOs first, then the other kinds
// in the order of their first node), then the hollow mark of an NGO that did not respond.
struct NetworkLegendEntry {
  enum class Mark { kDisc, kSquare, kHollowDisc };
  Mark mark = Mark::kDisc;
  std::string colour;  // "#rrggbb", as the picture draws the kind
  std::string text;    // the tool's words in `language`; another kind as the data write it
};
std::vector<NetworkLegendEntry> NetworkLegend(const analysis::Network& network,
                                              const std::string& language);

// The entry's mark as a small inline SVG (12 x 12 px) for an HTML page.
std::string NetworkLegendMarkSvg(const NetworkLegendEntry& entry);

std::string RenderNetwork(const NetworkReport& report, NetworkFormat format);

}  // namespace ngosurvey::report
