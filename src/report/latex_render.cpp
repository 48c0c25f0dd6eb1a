// LaTeX fragments of TableResults: one booktabs `table` environment per table, to
// \input into a document. Per option, a row of "percent% (count/base)" with flag
// markers and a second, smaller row of Wilson intervals; Fisher p (Holm) in a last
// column when there are two or more group columns; a nonresponse row per item;
// numeric items one row per statistic; the footnotes under the tabular.
#include <fmt/format.h>

#include "base/escape.h"
#include "base/text.h"
#include "report/render_internal.h"
#include "report/table_render.h"

namespace ngosurvey::report {
namespace {

using analysis::Cell;
using analysis::ItemKind;
using analysis::ItemResult;
using analysis::TableResult;
namespace in = internal;

constexpr std::string_view kPreamble =
    "% ngosurvey tables: a LaTeX fragment to \\input into a document.\n"
    "% Preamble it needs: \\usepackage{booktabs} (\\toprule, \\midrule, \\bottomrule,\n"
    "% \\addlinespace). Labels are UTF-8; for Vietnamese and Khmer text compile with\n"
    "% XeLaTeX (or LuaLaTeX) and fontspec, with fonts that cover both scripts, e.g.\n"
    "%   \\usepackage{fontspec}\n"
    "%   \\setmainfont{Noto Serif}                  % Latin and Vietnamese\n"
    "%   \\newfontfamily\\khmerfont{Noto Sans Khmer} % Khmer (polyglossia or babel can\n"
    "%                                             % switch to it by script)\n"
    "% Symbols: \\dag{} small count, \\ddag{} small base, s suppressed (see each table's notes).\n";

// A \label key: letters, digits, '-' and ':' kept, anything else '-'.
std::string LabelKey(std::string_view id) { return in::IdentifierText(id, "-:"); }

std::string Marks(const Cell& cell) {
  std::string out;
  for (std::string_view mark : in::CellMarks(cell)) {
    out += mark == in::kSmallCountMark ? "\\textsuperscript{\\dag}" : "\\textsuperscript{\\ddag}";
  }
  return out;
}

std::string MarkerLatex(std::string_view marker) {
  if (marker == in::kSmallCountMark) return "\\textsuperscript{\\dag}~";
  if (marker == in::kSmallBaseMark) return "\\textsuperscript{\\ddag}~";
  if (marker.empty()) return "";
  return "\\textit{" + text::EscapeLatex(marker) + "}~";
}

std::string PLatex(const std::optional<double>& p) {
  std::string text = in::PValueText(p);
  if (text.empty()) return "--";
  if (text[0] == '<') return "$<$" + text.substr(1);
  return text;
}

std::string TestLatex(const analysis::GroupTest& test) {
  if (!test.p) return "--";
  std::string out = PLatex(test.p);
  if (test.p_holm) out += " (" + PLatex(test.p_holm) + ")";
  return out;
}

std::string PercentCell(const Cell& cell) {
  if (cell.suppressed) return "s";
  if (cell.base == 0) return "--";
  return fmt::format("{}\\% ({}/{}){}", text::EscapeLatex(cell.percent), cell.count, cell.base,
                     Marks(cell));
}

std::string IntervalCell(const Cell& cell, int decimals) {
  const auto& ci = analysis::ShownInterval(cell);
  if (cell.suppressed || cell.base == 0 || !ci) return "";
  return fmt::format("{{\\footnotesize {}--{}}}", in::PercentText(ci->lower, decimals),
                     in::PercentText(ci->upper, decimals));
}

void ItemRows(const TableResult& table, const ItemResult& item, size_t groups,
              std::string_view lang, std::string* out) {
  const bool tests = groups >= 2;
  const size_t columns = table.columns.size();
  std::string heading = "\\textbf{" + text::EscapeLatex(item.label) + "}";
  if (item.denominator != analysis::DenominatorRule::kAnswered) {
    heading += " " + text::EscapeLatex(in::Say(words::Word::kTableBaseRule, lang,
                                               {in::RuleName(item.denominator, lang)}));
  }
  *out += fmt::format("\\multicolumn{{{}}}{{@{{}}l}}{{{}}}", 1 + columns, heading);
  if (tests) {
    *out += " & ";
    if (item.item_test) {
      *out += "{\\footnotesize " + text::EscapeLatex(in::Say(words::Word::kRuleAll, lang)) + ": " +
              (in::HidesTests(item) ? "s" : TestLatex(*item.item_test)) + "}";
    }
  }
  *out += " \\\\\n";

  if (item.kind == ItemKind::kNumeric && item.options.empty()) {
    for (const std::string& stat : in::NumericStatistics(item)) {
      *out += "\\quad " + text::EscapeLatex(in::StatisticName(stat, lang));
      for (size_t c = 0; c < columns; ++c) {
        *out += " & ";
        if (c >= item.numeric.size()) continue;
        const analysis::NumericCell& cell = item.numeric[c];
        if (cell.suppressed) {
          *out += "s";
          continue;
        }
        std::string value = in::NumberText(in::NumericValue(cell, stat));
        *out += value.empty() ? "--" : value;
        if (stat == "n" && cell.small_base) *out += "\\textsuperscript{\\ddag}";
      }
      if (tests) *out += " &";
      *out += " \\\\\n";
    }
  } else {
    for (const analysis::OptionRow& option : item.options) {
      *out += "\\quad " + text::EscapeLatex(option.label);
      for (size_t c = 0; c < columns; ++c) {
        *out += " & " + (c < option.cells.size() ? PercentCell(option.cells[c]) : std::string());
      }
      if (tests) {
        *out += " & ";
        if (in::HidesTests(option)) {
          *out += "s";
        } else if (groups == 2 && !option.tests.empty()) {
          *out += TestLatex(option.tests.front());
        } else {
          std::string joined;
          for (const analysis::GroupTest& test : option.tests) {
            joined += (joined.empty() ? "" : "; ") +
                      text::EscapeLatex(in::TestColumnsText(table, test, lang)) + ": " +
                      TestLatex(test);
          }
          *out += joined.empty() ? "--" : "{\\footnotesize " + joined + "}";
        }
      }
      *out += " \\\\\n";
      std::string intervals;
      bool any = false;
      for (size_t c = 0; c < columns; ++c) {
        std::string text =
            c < option.cells.size() ? IntervalCell(option.cells[c], table.percent_decimals) : "";
        any |= !text.empty();
        intervals += " & " + text;
      }
      if (any) *out += intervals + (tests ? " &" : "") + " \\\\\n";
    }
  }
  *out += "\\quad {\\footnotesize\\textit{" +
          text::EscapeLatex(in::Say(words::Word::kTableNonresponse, lang)) + "}}";
  for (size_t c = 0; c < columns; ++c) {
    *out += " & ";
    if (c < item.nonresponse.size()) {
      *out += "{\\footnotesize " +
              text::EscapeLatex(in::NonresponseText(item.nonresponse[c], "; ", lang)) + "}";
    }
  }
  if (tests) *out += " &";
  *out += " \\\\\n";
}

void RenderTable(const TableResult& table, const RenderOptions& options, std::string* out) {
  const size_t groups = in::GroupColumnCount(table);
  const bool tests = groups >= 2;
  const std::string title = text::EscapeLatex(table.title.empty() ? table.id : table.title);
  *out += "\n\\begin{table}[htbp]\n\\centering\n";
  if (options.banner.empty()) {
    *out += "\\caption{" + title + "}\n";
  } else {
    *out += "\\caption[" + title + "]{" + title + " \\textbf{(" +
            text::EscapeLatex(options.banner) + ")}}\n";
  }
  if (!table.id.empty()) *out += "\\label{tab:" + LabelKey(table.id) + "}\n";
  *out += "\\small\n\\begin{tabular}{@{}l" + std::string(table.columns.size(), 'r') +
          (tests ? "r" : "") + "@{}}\n\\toprule\n";
  for (const auto& column : table.columns) *out += " & " + text::EscapeLatex(column.label);
  const std::string_view lang = in::Language(options);
  if (tests && lang == "en") {
    *out += table.design.used() ? " & Rao-Scott $p$" : " & Fisher $p$";  // p in math
  } else if (tests) {
    *out += " & " + text::EscapeLatex(in::Say(table.design.used() ? words::Word::kTableRaoScottP
                                                                  : words::Word::kTableFisherP,
                                              lang));
  }
  *out += " \\\\\n";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    *out += fmt::format(" & {{\\footnotesize $N = {}$}}", in::ColumnN(table, c));
  }
  if (tests) {
    *out += " & {\\footnotesize " + text::EscapeLatex(in::Say(words::Word::kTableHolm, lang)) + "}";
  }
  *out += " \\\\\n\\midrule\n";
  for (size_t i = 0; i < table.items.size(); ++i) {
    if (i > 0) *out += "\\addlinespace\n";
    ItemRows(table, table.items[i], groups, lang, out);
  }
  *out += "\\bottomrule\n\\end{tabular}\n\n\\smallskip\n{\\footnotesize\\raggedright\n";
  for (const in::Footnote& note : in::TableFootnotes(table, options)) {
    *out += MarkerLatex(note.marker) + text::EscapeLatex(note.text) + "\\par\n";
  }
  *out += "}\n\\end{table}\n";
}

}  // namespace

Result<std::string> RenderLatex(const std::vector<TableResult>& tables,
                                const RenderOptions& options) {
  std::string out(kPreamble);
  if (!options.banner.empty()) out += "% " + text::OneLine(options.banner) + "\n";
  for (const TableResult& table : tables) RenderTable(table, options, &out);
  return out;
}

}  // namespace ngosurvey::report
