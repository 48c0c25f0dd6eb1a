// HTML building blocks for tables and charts: the self-contained page
// shell (one inline stylesheet, no scripts, no external requests: the page's
// Content-Security-Policy forbids them), one table as a <section>, and an SVG bar
// chart with interval whiskers for one item. RenderHtml (declared in
// table_render.cpp's dispatch) is a page of sections; the study report embeds the
// same sections and charts in its own page.
//
// All functions are pure and thread-safe; every text that comes from data (titles,
// labels, notes, keys) is escaped (text::EscapeHtml, base/escape.h), so labels may
// contain <, & and quotes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/table.h"
#include "base/error.h"
#include "report/table_render.h"

namespace ngosurvey::report {

// A token usable as an id attribute and URL fragment: ASCII letters, digits, '-'
// and '_' kept, anything else (spaces, Khmer, quotes) replaced by '-'; never empty
// and never starting with a digit ("t-" is prefixed then).
std::string HtmlId(std::string_view text);

// The stylesheet of the page shell, tables and charts (also usable by a page that
// builds its own <head>). The font stack renders Latin, Vietnamese and Khmer:
// "Noto Sans", "Noto Sans Khmer", then platform fonts, then sans-serif.
std::string_view HtmlStyles();

struct HtmlPageOptions {
  std::string title;  // the <title>, escaped
  std::string lang = "en";
  std::string extra_css;  // appended to HtmlStyles() inside the same <style>
};

// "<!DOCTYPE html>..." through "<body>\n<main>\n": UTF-8 meta, viewport, a
// Content-Security-Policy that allows only inline styles and data: images, and the
// stylesheet. Close it with HtmlPageEnd().
std::string HtmlPageStart(const HtmlPageOptions& options);
// "</main>\n</body>\n</html>\n".
std::string HtmlPageEnd();

// Names every <td> of each <tr> in `rows_html` by its column, as data-label="..."
// (escaped), for the narrow-screen layout that stacks a table's cells: a row with
// as many cells as `labels` gets them in order; a row with one cell (a heading row's
// test) gets the last label; other rows are left as they are. Idempotent.
std::string LabelCells(std::string_view rows_html, const std::vector<std::string>& labels);

// One table as <section class="ngo-table" id="...">: the banner (when set), the
// <table> (caption = title; headers with each column's N; per option the percent,
// count/base, the Wilson interval and flag markers, "s" for suppressed cells;
// Fisher p with Holm per option and the item's r x c p on its heading row when
// there are two or more group columns; a nonresponse row per item; numeric items'
// statistics), one SvgBarChart per item with percentage rows, and the footnotes.
// `index` makes ids unique when a page holds several tables with the same id.
std::string HtmlTableSection(const analysis::TableResult& table, const RenderOptions& options,
                             size_t index = 0);

struct SvgChartOptions {
  std::string id;               // prefix of the ids inside the SVG; HtmlId() is applied
  std::string banner;           // drawn in the chart's corner when set ("SYNTHETIC DATA")
  double level = 0.95;          // the intervals' confidence level, for the labels
  int percent_decimals = 1;     // decimals of interval bounds in labels
  bool include_total = true;    // also draw the Total column's bars
  int width = 560;              // in CSS pixels; the height follows from the rows
  std::string language = "en";  // of the chart's own words (RenderOptions::language)
};

// A horizontal grouped bar chart of one item: per option, its label and one bar per
// column (a colour per column from the Okabe-Ito palette, distinguishable with
// colour-blindness, named in a legend), the Wilson interval as a whisker, the
// percentage as text. A suppressed cell has no bar and shows "s"; a cell with base
// 0 shows "–". Accessible: role="img", a <title> and a <desc> listing every value,
// and a <title> on each bar. Bars carry class "bar", whiskers class "whisker",
// suppressed marks class "suppressed". Returns "" for an item without percentage
// rows (a numeric item without bins). No xmlns attribute: meant for inline use in
// HTML5 (add xmlns="http://www.w3.org/2000/svg" to save it as a .svg file).
std::string SvgBarChart(const std::vector<analysis::ColumnHeader>& columns,
                        const analysis::ItemResult& item, const SvgChartOptions& options = {});

// A complete page of tables: HtmlPageStart + one HtmlTableSection per table +
// HtmlPageEnd. The page title is the single table's title, or "Tables".
// Never fails today; returns Result to match the other renderers.
Result<std::string> RenderHtml(const std::vector<analysis::TableResult>& tables,
                               const RenderOptions& options);

}  // namespace ngosurvey::report
