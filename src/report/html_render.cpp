// Self-contained HTML for TableResults: a page shell with one inline stylesheet,
// one <section> per table (banner, <table>, SVG charts, footnotes). No scripts and
// no external requests; the page's Content-Security-Policy forbids both.
#include <fmt/format.h>

#include <algorithm>

#include "base/escape.h"
#include "base/text.h"
#include "report/html.h"
#include "report/render_internal.h"

namespace ngosurvey::report {
namespace {

using analysis::Cell;
using analysis::ItemKind;
using analysis::ItemResult;
using analysis::TableResult;
using words::Word;
namespace in = internal;

// Okabe & Ito's palette, in an order whose neighbours differ for deuteranopes,
// protanopes and tritanopes; the Total column is grey.
constexpr std::string_view kGroupColours[] = {"#0072B2", "#E69F00", "#009E73",
                                              "#CC79A7", "#56B4E9", "#D55E00"};
constexpr std::string_view kTotalColour = "#8C8C8C";  // 3.4:1 on white
constexpr std::string_view kFontStack =
    "'Noto Sans', 'Noto Sans Khmer', 'Khmer UI', 'Khmer Sangam MN', 'Leelawadee UI', "
    "'Segoe UI', system-ui, 'DejaVu Sans', sans-serif";

constexpr std::string_view kStyles = R"css(
:root { --ink: #1b1b1b; --muted: #595959; --rule: #1b1b1b; --light: #dcdcdc; --alert: #b00020; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; color: var(--ink); background: #fff; line-height: 1.4;
  font-size: 15px;
  font-family: "Noto Sans", "Noto Sans Khmer", "Khmer UI", "Khmer Sangam MN", "Leelawadee UI",
    "Segoe UI", system-ui, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; }
.ngo-table { margin: 0 0 56px; }
.banner { display: inline-block; margin: 0 0 10px; padding: 2px 10px; border: 2px solid var(--alert);
  color: var(--alert); font-weight: 700; letter-spacing: 0.06em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 700; font-size: 1.15em; padding: 0 0 8px; }
caption .table-id { font-weight: 400; color: var(--muted); font-size: 0.8em; margin-left: 0.6em; }
thead th { border-top: 2px solid var(--rule); border-bottom: 1px solid var(--rule);
  vertical-align: bottom; text-align: right; padding: 6px 12px; font-weight: 700; }
thead th.stub { text-align: left; }
thead .n { display: block; font-weight: 400; font-size: 0.8em; color: var(--muted); }
tbody.item:last-of-type tr:last-child > * { border-bottom: 2px solid var(--rule); }
tr.item-head > * { padding-top: 12px; border-top: 1px solid var(--light); }
tr.item-head th { text-align: left; font-weight: 700; }
tbody:first-of-type tr.item-head > * { border-top: none; }
.base-rule { font-weight: 400; color: var(--muted); font-size: 0.85em; margin-left: 0.4em; }
tbody th[scope="row"] { text-align: left; font-weight: 400; padding: 4px 12px 4px 24px;
  min-width: 12em; max-width: 30em; vertical-align: top; }
td { text-align: right; padding: 4px 12px; vertical-align: top; white-space: nowrap; }
.pct { font-weight: 600; }
.cnt { color: var(--muted); font-size: 0.85em; margin-left: 0.35em; }
.ci, .mentions { display: block; color: var(--muted); font-size: 0.78em; }
sup.mark { color: var(--alert); font-weight: 700; margin-left: 1px; }
td.suppressed .pct { color: var(--muted); font-style: italic; font-weight: 400; }
td.empty { color: var(--muted); }
tr.nonresponse > * { font-size: 0.8em; color: var(--muted); white-space: normal; padding-bottom: 8px; }
tr.nonresponse th { font-style: italic; }
td.p { font-size: 0.9em; }
td.p .holm, td.p .rxc { color: var(--muted); }
tr.numeric td { font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(400px, 100%), 1fr));
  gap: 20px 36px; margin-top: 22px; }
figure.chart { margin: 0; }
figure.chart figcaption { font-weight: 600; font-size: 0.95em; margin-bottom: 4px; }
svg.bar-chart { max-width: 100%; height: auto; display: block; }
ul.notes { font-size: 0.85em; color: #333; margin: 16px 0 0; padding: 0; list-style: none; max-width: 80ch; }
ul.notes li { margin: 3px 0; padding-left: 1.5em; text-indent: -1.5em; }
ul.notes .mark { display: inline-block; width: 1.5em; text-indent: 0; color: var(--alert); font-weight: 700; }
@media print { body { padding: 0; } .ngo-table { break-inside: avoid-page; } }
/* Phones (360-390 px) and narrow windows: a table too wide for the screen is stacked,
   one cell a line, each named by its column (data-label), so nothing is cut and
   nothing scrolls sideways. The header row stays for screen readers. */
@media screen and (max-width: 640px) {
  body { padding: 12px; overflow-wrap: anywhere; }
  .stack table, .stack tbody, .stack tr, .stack th, .stack td, .stack caption { display: block; }
  .stack table { width: 100%; }
  .stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }
  .stack tr { border-top: 1px solid var(--light); padding: 4px 0; }
  .stack th[scope="row"], .stack tbody th { padding: 4px 0; min-width: 0; max-width: none;
    text-align: left; }
  .stack td { text-align: left; white-space: normal; padding: 2px 0 2px 1em; }
  .stack td[data-label]::before { content: attr(data-label); display: inline-block;
    min-width: 45%; color: var(--muted); font-size: 0.85em; padding-right: 0.5em; }
  .stack td:empty { display: none; }
  .stack .ci, .stack .mentions { display: inline; margin-left: 0.5em; }
}
)css";

std::string Num(double value) { return fmt::format("{:.1f}", value); }

// Roughly the width in pixels of `text` at 12px (combining marks take none).
double TextWidth(std::string_view text) {
  return 7.0 * static_cast<double>(text::DisplayWidth(text));
}

// Cuts `text` to at most `columns` display columns, ending with "…" when cut;
// combining marks stay with their base character.
std::string Truncate(std::string_view text, size_t columns) {
  if (text::DisplayWidth(text) <= columns) return std::string(text);
  std::string out;
  size_t used = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    text::DecodeOne(text, &pos);
    std::string_view one = text.substr(start, pos - start);
    size_t width = text::DisplayWidth(one);
    if (width > 0 && used + width > columns - 1) break;
    used += width;
    out += one;
  }
  return out + "…";
}

std::string IntervalText(const std::optional<analysis::Interval>& ci, int decimals) {
  if (!ci) return "";
  return in::PercentText(ci->lower, decimals) + "–" + in::PercentText(ci->upper, decimals);
}

// The whole value of a cell in words, for <title> and <desc>.
std::string CellDescription(const Cell& cell, double level, int decimals, std::string_view lang) {
  if (cell.suppressed) return in::Say(Word::kCellSuppressed, lang);
  if (cell.base == 0) return in::Say(Word::kCellNoBase, lang);
  std::string text = in::Say(Word::kCellCountOf, lang,
                             {cell.percent, std::to_string(cell.count), std::to_string(cell.base)});
  if (const auto& ci = analysis::ShownInterval(cell)) {
    text += ", " + in::Say(Word::kCellInterval, lang,
                           {fmt::format("{:.0f}", 100 * level), IntervalText(ci, decimals)});
  }
  if (cell.small_count) text += ", " + in::Say(Word::kCellSmallCount, lang);
  if (cell.small_base) text += ", " + in::Say(Word::kCellSmallBase, lang);
  return text;
}

// The flag markers after a bar's value, in the footnotes' colour.
std::string ChartMarks(const Cell& cell) {
  std::string out;
  for (std::string_view mark : in::CellMarks(cell)) {
    out +=
        fmt::format("<tspan fill=\"#b00020\" font-weight=\"700\" class=\"mark\">{}</tspan>", mark);
  }
  return out;
}

std::string MarksHtml(const Cell& cell, std::string_view lang) {
  std::string out;
  for (std::string_view mark : in::CellMarks(cell)) {
    std::string what =
        in::Say(mark == in::kSmallCountMark ? Word::kCellSmallCount : Word::kCellSmallBase, lang);
    out += fmt::format("<sup class=\"mark\" title=\"{}\">{}</sup>", text::EscapeHtml(what), mark);
  }
  return out;
}

std::string CellHtml(const Cell& cell, const Cell* mentions, const TableResult& table,
                     std::string_view lang) {
  if (cell.suppressed) {
    return "<td class=\"cell suppressed\"><span class=\"pct\" title=\"" +
           text::EscapeHtml(in::Say(Word::kCellSuppressed, lang)) + "\">s</span></td>";
  }
  if (cell.base == 0) {
    return "<td class=\"cell empty\" title=\"" +
           text::EscapeHtml(in::Say(Word::kCellNoBase, lang)) + "\">–</td>";
  }
  std::string out = fmt::format(
      "<td class=\"cell\"><span class=\"pct\">{}%</span>{}<span class=\"cnt\">{}/{}</span>",
      text::EscapeHtml(cell.percent), MarksHtml(cell, lang), cell.count, cell.base);
  if (const auto& ci = analysis::ShownInterval(cell)) {
    std::string title = in::Say(cell.design ? Word::kCellDesignInterval : Word::kCellWilsonInterval,
                                lang, {fmt::format("{:.0f}", 100 * table.level)});
    out += fmt::format("<span class=\"ci\" title=\"{}\">{}</span>", text::EscapeHtml(title),
                       IntervalText(ci, table.percent_decimals));
  }
  if (mentions != nullptr && !mentions->suppressed && mentions->prop) {
    out += "<span class=\"mentions\">" +
           text::EscapeHtml(in::Say(Word::kCellOfMentions, lang,
                                    {in::PercentText(*mentions->prop, table.percent_decimals)})) +
           "</span>";
  }
  return out + "</td>";
}

std::string HiddenTest(std::string_view lang) {
  return "<span class=\"hidden-test\" title=\"" +
         text::EscapeHtml(in::Say(Word::kTestHidden, lang)) + "\">s</span>";
}

std::string PHtml(const analysis::GroupTest& test, std::string_view lang) {
  if (!test.p) {
    return fmt::format("<span title=\"{}\">–</span>",
                       text::EscapeHtml(in::TestNote(test, lang, in::Say(Word::kTestNone, lang))));
  }
  std::string out = text::EscapeHtml(in::PValueText(test.p));
  if (test.p_holm)
    out += " <span class=\"holm\">(" + text::EscapeHtml(in::PValueText(test.p_holm)) + ")</span>";
  return out;
}

std::string OptionTestsHtml(const TableResult& table, const analysis::OptionRow& option,
                            size_t groups, std::string_view lang) {
  if (in::HidesTests(option)) return "<td class=\"p\">" + HiddenTest(lang) + "</td>";
  if (option.tests.empty()) return "<td class=\"p\">–</td>";
  if (groups == 2) return "<td class=\"p\">" + PHtml(option.tests.front(), lang) + "</td>";
  std::string out = "<td class=\"p\">";
  for (size_t i = 0; i < option.tests.size(); ++i) {
    if (i > 0) out += "<br>";
    out += text::EscapeHtml(in::TestColumnsText(table, option.tests[i], lang)) + ": " +
           PHtml(option.tests[i], lang);
  }
  return out + "</td>";
}

void ItemRows(const TableResult& table, const ItemResult& item, size_t groups,
              std::string_view lang, std::string* out) {
  bool tests = groups >= 2;
  *out += "<tbody class=\"item\">\n<tr class=\"item-head\"><th scope=\"rowgroup\" colspan=\"" +
          std::to_string(1 + table.columns.size()) + "\">" + text::EscapeHtml(item.label);
  if (item.denominator != analysis::DenominatorRule::kAnswered) {
    *out += "<span class=\"base-rule\">" +
            text::EscapeHtml(
                in::Say(Word::kTableBaseRule, lang, {in::RuleName(item.denominator, lang)})) +
            "</span>";
  }
  *out += "</th>";
  if (tests) {
    *out += "<td class=\"p\">";
    if (item.item_test) {
      *out += "<span class=\"rxc\" title=\"" +
              text::EscapeHtml(in::Say(Word::kTableAllOptionsTest, lang)) + "\">" +
              text::EscapeHtml(in::Say(Word::kTableAllOptions, lang)) + "</span> " +
              (in::HidesTests(item) ? HiddenTest(lang) : PHtml(*item.item_test, lang));
    }
    *out += "</td>";
  }
  *out += "</tr>\n";

  if (item.kind == ItemKind::kNumeric && item.options.empty()) {
    for (const std::string& stat : in::NumericStatistics(item)) {
      *out += "<tr class=\"numeric\"><th scope=\"row\">" +
              text::EscapeHtml(in::StatisticName(stat, lang)) + "</th>";
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (c >= item.numeric.size()) {
          *out += "<td class=\"empty\">–</td>";
          continue;
        }
        const analysis::NumericCell& cell = item.numeric[c];
        if (cell.suppressed) {
          *out += "<td class=\"cell suppressed\"><span class=\"pct\" title=\"" +
                  text::EscapeHtml(in::Say(Word::kCellSuppressed, lang)) + "\">s</span></td>";
          continue;
        }
        std::string value = in::NumberText(in::NumericValue(cell, stat));
        *out += "<td>" + (value.empty() ? std::string("–") : text::EscapeHtml(value));
        if (stat == "n" && cell.small_base) {
          *out += fmt::format("<sup class=\"mark\" title=\"{}\">{}</sup>",
                              text::EscapeHtml(in::Say(Word::kCellSmallBase, lang)),
                              in::kSmallBaseMark);
        }
        *out += "</td>";
      }
      if (tests) *out += "<td class=\"p\"></td>";
      *out += "</tr>\n";
    }
  } else {
    for (const analysis::OptionRow& option : item.options) {
      *out += "<tr><th scope=\"row\">" + text::EscapeHtml(option.label) + "</th>";
      for (size_t c = 0; c < option.cells.size(); ++c) {
        const Cell* mentions = c < option.mention_cells.size() ? &option.mention_cells[c] : nullptr;
        *out += CellHtml(option.cells[c], mentions, table, lang);
      }
      if (tests) *out += OptionTestsHtml(table, option, groups, lang);
      *out += "</tr>\n";
    }
  }

  *out += "<tr class=\"nonresponse\"><th scope=\"row\">" +
          text::EscapeHtml(in::Say(Word::kTableNonresponse, lang)) + "</th>";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    *out += "<td>";
    if (c < item.nonresponse.size())
      *out += text::EscapeHtml(in::NonresponseText(item.nonresponse[c], "; ", lang));
    *out += "</td>";
  }
  if (tests) *out += "<td class=\"p\"></td>";
  *out += "</tr>\n</tbody>\n";
}

}  // namespace

std::string LabelCells(std::string_view rows_html, const std::vector<std::string>& labels) {
  std::string out;
  out.reserve(rows_html.size() + rows_html.size() / 4);
  size_t at = 0;
  while (at < rows_html.size()) {
    size_t start = rows_html.find("<tr", at);
    if (start == std::string_view::npos) break;
    size_t end = rows_html.find("</tr>", start);
    if (end == std::string_view::npos) break;
    end += 5;
    out += rows_html.substr(at, start - at);
    std::string_view row = rows_html.substr(start, end - start);
    std::vector<size_t> cells;  // offsets of "<td" in the row
    for (size_t td = row.find("<td"); td != std::string_view::npos; td = row.find("<td", td + 3)) {
      char next = td + 3 < row.size() ? row[td + 3] : '\0';
      if (next == ' ' || next == '>') cells.push_back(td);
    }
    std::vector<std::string_view> names;
    if (cells.size() == labels.size()) {
      for (const auto& l : labels) names.push_back(l);
    } else if (cells.size() == 1 && !labels.empty()) {
      names.push_back(labels.back());
    }
    size_t copied = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      size_t insert = cells[i] + 3;
      if (row.substr(insert).starts_with(" data-label=")) continue;
      out += row.substr(copied, insert - copied);
      out += " data-label=\"" + text::EscapeHtml(names[i]) + "\"";
      copied = insert;
    }
    out += row.substr(copied);
    at = end;
  }
  out += rows_html.substr(std::min(at, rows_html.size()));
  return out;
}

std::string HtmlId(std::string_view input) {
  std::string out = internal::IdentifierText(input, "-_");
  if (out.empty() || (out[0] >= '0' && out[0] <= '9') || out[0] == '-' || out[0] == '_') {
    out = "t-" + out;
  }
  return out;
}

std::string_view HtmlStyles() { return kStyles; }

std::string HtmlPageStart(const HtmlPageOptions& options) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"generator\" content=\"ngosurvey\">\n"
      "<title>{}</title>\n<style>{}{}</style>\n</head>\n<body>\n<main>\n",
      text::EscapeHtml(options.lang), text::EscapeHtml(options.title), kStyles, options.extra_css);
}

std::string HtmlPageEnd() { return "</main>\n</body>\n</html>\n"; }

// Long on purpose: one SVG drawn top to bottom (legend, bars, grid) from layout figures it shares.
// NOLINTNEXTLINE(readability-function-size)
std::string SvgBarChart(const std::vector<analysis::ColumnHeader>& columns, const ItemResult& item,
                        const SvgChartOptions& options) {
  if (item.options.empty()) return "";
  // The columns drawn, with their colours.
  struct Series {
    size_t column;
    std::string_view colour;
  };
  std::vector<Series> series;
  size_t group_index = 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].is_total) {
      if (options.include_total) series.push_back({c, kTotalColour});
    } else {
      series.push_back({c, kGroupColours[group_index++ % std::size(kGroupColours)]});
    }
  }
  const std::string id = HtmlId(options.id.empty() ? "chart-" + item.item : options.id);
  const double width = std::max(options.width, 240);
  const double left = 8, right = width - 66;  // the 0% and 100% positions
  const double plot = right - left;
  constexpr double kBar = 12, kBarGap = 3, kLabel = 17, kBlockGap = 9;
  const int level = static_cast<int>(100 * options.level + 0.5);
  const std::string_view lang = words::CatalogueLanguage(options.language);

  std::string body;
  double y = 4;
  if (!options.banner.empty()) {
    body += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" font-weight=\"700\" "
        "fill=\"#b00020\" class=\"banner\">{}</text>\n",
        Num(width - 4), Num(y + 11), text::EscapeHtml(options.banner));
    y += 18;
  }
  // Legend, wrapped onto as many lines as it needs.
  double legend_x = left;
  y += 2;
  for (const Series& s : series) {
    const std::string& label = columns[s.column].label;
    double item_width = 16 + TextWidth(label) + 18;
    if (legend_x > left && legend_x + item_width > width) {
      legend_x = left;
      y += 18;
    }
    body += fmt::format(
        "<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"11\" height=\"11\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1b1b1b\">{}</text></g>\n",
        Num(legend_x), Num(y), s.colour, Num(legend_x + 16), Num(y + 10), text::EscapeHtml(label));
    legend_x += item_width;
  }
  y += 24;
  const double plot_top = y;

  // Option blocks: the label, then one bar per series.
  std::string bars;
  std::string desc;
  const size_t label_columns = static_cast<size_t>((width - 2 * left) / 7.0);
  for (const analysis::OptionRow& option : item.options) {
    std::string shown = Truncate(option.label, label_columns);
    bars += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1b1b1b\" "
        "class=\"option-label\">{}{}</text>\n",
        Num(left), Num(y + 12), text::EscapeHtml(shown),
        shown == option.label ? "" : "<title>" + text::EscapeHtml(option.label) + "</title>");
    y += kLabel;
    desc += option.label + ": ";
    for (size_t s = 0; s < series.size(); ++s) {
      size_t c = series[s].column;
      if (c >= option.cells.size()) continue;
      const Cell& cell = option.cells[c];
      const std::string& column_label = columns[c].label;
      std::string what = CellDescription(cell, options.level, options.percent_decimals, lang);
      desc += (s > 0 ? "; " : "") + column_label + " " + what;
      const double mid = y + kBar / 2;
      if (cell.suppressed) {
        std::string suppressed = text::EscapeHtml(in::Say(Word::kCellSuppressed, lang));
        bars += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#595959\" class=\"suppressed\">"
            "<tspan font-size=\"12\" font-weight=\"700\" fill=\"{}\">s</tspan> {}"
            "<title>{}: {}</title></text>\n",
            Num(left + 3), Num(mid + 4), series[s].colour, suppressed,
            text::EscapeHtml(column_label), suppressed);
      } else if (cell.base == 0 || !cell.prop) {
        bars += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#595959\" class=\"no-base\">–"
            "<title>{}: {}</title></text>\n",
            Num(left + 3), Num(mid + 4), text::EscapeHtml(column_label),
            text::EscapeHtml(in::Say(Word::kCellNoBase, lang)));
      } else {
        double prop = std::clamp(*cell.prop, 0.0, 1.0);
        // A zero bar is drawn one pixel wide so that "0%" is seen, not guessed.
        double bar_width = std::max(prop * plot, 1.0);
        bars += fmt::format(
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
            "<title>{}: {}</title></rect>\n",
            Num(left), Num(y), Num(bar_width), Num(kBar), series[s].colour,
            text::EscapeHtml(column_label), text::EscapeHtml(what));
        double text_x = left + bar_width;
        if (const auto& ci = analysis::ShownInterval(cell)) {
          double lo = left + std::clamp(ci->lower, 0.0, 1.0) * plot;
          double hi = left + std::clamp(ci->upper, 0.0, 1.0) * plot;
          std::string d =
              fmt::format("M{} {}H{}M{} {}V{}M{} {}V{}", Num(lo), Num(mid), Num(hi), Num(lo),
                          Num(mid - 4), Num(mid + 4), Num(hi), Num(mid - 4), Num(mid + 4));
          // Near-black on every palette colour has a contrast of at least 3.6:1.
          bars += fmt::format(
              "<path class=\"whisker\" d=\"{}\" stroke=\"#111111\" stroke-width=\"1.5\" "
              "fill=\"none\"><title>{}: {}</title></path>\n",
              d, text::EscapeHtml(column_label),
              text::EscapeHtml(
                  in::Say(Word::kCellInterval, lang,
                          {std::to_string(level), IntervalText(ci, options.percent_decimals)})));
          text_x = std::max(text_x, hi);
        }
        bars += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1b1b1b\" class=\"value\" "
            "aria-hidden=\"true\">{}%{}</text>\n",
            Num(text_x + 5), Num(mid + 4), text::EscapeHtml(cell.percent), ChartMarks(cell));
      }
      y += kBar + kBarGap;
    }
    desc += ". ";
    y += kBlockGap;
  }
  const double plot_bottom = y - kBlockGap + 2;

  // Grid lines and axis ticks every 25%.
  std::string grid;
  for (int tick = 0; tick <= 100; tick += 25) {
    double x = left + plot * tick / 100.0;
    grid += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\"/>\n"
        "<text x=\"{0}\" y=\"{4}\" font-size=\"10\" fill=\"#595959\" "
        "text-anchor=\"{5}\">{6}%</text>\n",
        Num(x), Num(plot_top - 4), Num(plot_bottom), tick == 0 ? "#8a8a8a" : "#e2e2e2",
        Num(plot_bottom + 13), tick == 0 ? "start" : "middle", tick);
  }
  const double height = plot_bottom + 20;

  std::string title = in::Say(Word::kChartTitle, lang, {item.label, std::to_string(level)});
  return fmt::format(
      "<svg class=\"bar-chart\" role=\"img\" aria-labelledby=\"{0}-title {0}-desc\" width=\"{1}\" "
      "height=\"{2}\" viewBox=\"0 0 {1} {2}\" font-family=\"{3}\">\n"
      "<title id=\"{0}-title\">{4}</title>\n<desc id=\"{0}-desc\">{5}</desc>\n"
      "{6}{7}{8}</svg>\n",
      id, Num(width), Num(height), kFontStack, text::EscapeHtml(title), text::EscapeHtml(desc),
      grid, body, bars);
}

std::string HtmlTableSection(const TableResult& table, const RenderOptions& options, size_t index) {
  const std::string_view lang = in::Language(options);
  const std::string sid = HtmlId(fmt::format("table-{}-{}", table.id, index));
  const size_t groups = in::GroupColumnCount(table);
  const bool tests = groups >= 2;
  std::string out = fmt::format(
      "<section class=\"ngo-table\" id=\"{0}\" aria-labelledby=\"{0}-caption\">\n", sid);
  if (!options.banner.empty()) {
    out += "<p class=\"banner\" role=\"note\">" + text::EscapeHtml(options.banner) + "</p>\n";
  }
  out += "<div class=\"table-wrap stack\">\n<table>\n";
  out += fmt::format("<caption id=\"{}-caption\">{}", sid,
                     text::EscapeHtml(table.title.empty() ? table.id : table.title));
  if (!table.title.empty() && !table.id.empty()) {
    out += "<span class=\"table-id\">" + text::EscapeHtml(table.id) + "</span>";
  }
  out += "</caption>\n<thead><tr><th scope=\"col\" class=\"stub\"></th>";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    out += fmt::format("<th scope=\"col\">{}<span class=\"n\">N = {}</span></th>",
                       text::EscapeHtml(table.columns[c].label), in::ColumnN(table, c));
  }
  const std::string test_name =
      in::Say(table.design.used() ? Word::kTableRaoScottP : Word::kTableFisherP, lang);
  if (tests) {
    out +=
        fmt::format("<th scope=\"col\" class=\"p\">{}<span class=\"n\">{}</span></th>",
                    text::EscapeHtml(test_name), text::EscapeHtml(in::Say(Word::kTableHolm, lang)));
  }
  out += "</tr></thead>\n";
  std::vector<std::string> labels;
  for (const auto& column : table.columns) labels.push_back(column.label);
  if (tests) labels.push_back(test_name);
  for (const ItemResult& item : table.items) {
    std::string rows;
    ItemRows(table, item, groups, lang, &rows);
    out += LabelCells(rows, labels);
  }
  out += "</table>\n</div>\n";

  std::string charts;
  for (size_t i = 0; i < table.items.size(); ++i) {
    const ItemResult& item = table.items[i];
    SvgChartOptions chart;
    chart.id = fmt::format("{}-chart-{}", sid, i);
    chart.banner = options.banner;
    chart.level = table.level;
    chart.percent_decimals = table.percent_decimals;
    chart.language = options.language;
    std::string svg = SvgBarChart(table.columns, item, chart);
    if (svg.empty()) continue;
    charts += "<figure class=\"chart\">\n<figcaption>" + text::EscapeHtml(item.label) +
              "</figcaption>\n" + svg + "</figure>\n";
  }
  if (!charts.empty()) out += "<div class=\"charts\">\n" + charts + "</div>\n";

  out += "<ul class=\"notes\">\n";
  for (const in::Footnote& note : in::TableFootnotes(table, options)) {
    out += "<li><span class=\"mark\">" + text::EscapeHtml(note.marker) + "</span>" +
           text::EscapeHtml(note.text) + "</li>\n";
  }
  out += "</ul>\n</section>\n";
  return out;
}

Result<std::string> RenderHtml(const std::vector<TableResult>& tables,
                               const RenderOptions& options) {
  HtmlPageOptions page;
  page.title = tables.size() == 1 && !tables[0].title.empty()
                   ? tables[0].title
                   : in::Say(Word::kTableTables, in::Language(options));
  page.lang = std::string(in::Language(options));
  if (!options.banner.empty()) page.title = options.banner + ": " + page.title;
  std::string out = HtmlPageStart(page);
  for (size_t i = 0; i < tables.size(); ++i) out += HtmlTableSection(tables[i], options, i);
  out += HtmlPageEnd();
  return out;
}

}  // namespace ngosurvey::report
