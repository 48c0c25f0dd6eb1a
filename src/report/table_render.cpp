// The table of formats and the Markdown renderer.
#include "report/table_render.h"

#include <fmt/format.h>

#include "base/escape.h"
#include "base/file.h"
#include "report/render_internal.h"

namespace ngosurvey::report {

Result<std::string> RenderHtml(const std::vector<analysis::TableResult>& tables,
                               const RenderOptions& options);
Result<std::string> RenderLatex(const std::vector<analysis::TableResult>& tables,
                                const RenderOptions& options);
Status WriteXlsx(const std::vector<analysis::TableResult>& tables, const std::string& path,
                 const RenderOptions& options);

namespace {

namespace in = internal;

using analysis::Cell;
using analysis::ItemKind;
using analysis::TableResult;
using words::Word;

struct FormatEntry {
  TableFormat format;
  std::string_view name;
};
constexpr FormatEntry kFormats[] = {
    {TableFormat::kMarkdown, "md"}, {TableFormat::kCsv, "csv"},   {TableFormat::kHtml, "html"},
    {TableFormat::kXlsx, "xlsx"},   {TableFormat::kLatex, "tex"},
};

std::string Percent(double prop) { return fmt::format("{:.1f}", 100 * prop); }

std::string PValue(const std::optional<double>& p) {
  if (!p) return "–";
  if (*p < 0.001) return "<0.001";
  return fmt::format("{:.3f}", *p);
}

std::string CellText(const Cell& cell) {
  if (cell.suppressed) return "s";
  if (cell.base == 0) return "–";
  std::string text = fmt::format("{}% ({}/{})", cell.percent, cell.count, cell.base);
  if (const auto& ci = analysis::ShownInterval(cell)) {
    text += fmt::format(" [{}–{}]", Percent(ci->lower), Percent(ci->upper));
  }
  if (cell.small_count) text += " †";
  if (cell.small_base) text += " ‡";
  return text;
}

std::string NumberText(const std::optional<double>& value) {
  return value ? fmt::format("{:.4g}", *value) : "–";
}

std::string NonresponseText(const analysis::Nonresponse& nr, std::string_view lang) {
  return fmt::format("{} {} · {} {} · {} {} · {} {}", in::Say(Word::kWordRefused, lang), nr.refused,
                     in::Say(Word::kWordDontKnow, lang), nr.dont_know,
                     in::Say(Word::kTableMissing, lang), nr.missing,
                     in::Say(Word::kWordNotAsked, lang), nr.not_asked);
}

void RenderTable(const TableResult& table, const RenderOptions& options, std::string* out) {
  const std::string_view lang = in::Language(options);
  *out += fmt::format("## {}\n\n",
                      text::EscapeMarkdownCell(table.title.empty() ? table.id : table.title));
  if (!options.banner.empty()) *out += fmt::format("> **{}**\n\n", options.banner);
  // Header: the item column, one column per group/Total, and the tests.
  size_t group_columns = 0;
  for (const auto& column : table.columns) group_columns += column.is_total ? 0 : 1;
  bool has_tests = group_columns == 2;
  *out += "| " + in::Say(Word::kTableItem, lang) + " |";
  for (const auto& column : table.columns)
    *out += " " + text::EscapeMarkdownCell(column.label) + " |";
  if (has_tests) {
    *out += " " + in::Say(table.design.used() ? Word::kTableRaoScottP : Word::kTableFisherP, lang) +
            " |";
  }
  *out += "\n|---|";
  for (size_t c = 0; c < table.columns.size(); ++c) *out += "---|";
  if (has_tests) *out += "---|";
  *out += "\n";
  auto blank_row = [&](const std::string& first, const std::string& last) {
    *out += "| " + first + " |";
    for (size_t c = 0; c < table.columns.size(); ++c) *out += " |";
    if (has_tests) *out += " " + last + " |";
    *out += "\n";
  };
  for (const analysis::ItemResult& item : table.items) {
    std::string heading = "**" + text::EscapeMarkdownCell(item.label) + "**";
    if (item.denominator != analysis::DenominatorRule::kAnswered) {
      heading += " " + in::Say(Word::kTableBaseRule, lang, {in::RuleName(item.denominator, lang)});
    }
    if (item.kind == ItemKind::kNumeric && item.options.empty()) {
      *out += "| " + heading + " |";
      for (const analysis::NumericCell& cell : item.numeric) {
        if (cell.suppressed) {
          *out += " s |";
          continue;
        }
        // A weighted mean carries its linearised standard error.
        std::string se = cell.mean_se
                             ? in::StatisticName("se", lang) + " " + NumberText(cell.mean_se) + "; "
                             : "";
        *out += fmt::format(" {} {} ({}{} {}; {} {}; {}–{}; {} {}){} |",
                            in::StatisticName("mean", lang), NumberText(cell.mean), se,
                            in::StatisticName("sd", lang), NumberText(cell.sd),
                            in::StatisticName("median", lang), NumberText(cell.median),
                            NumberText(cell.min), NumberText(cell.max),
                            in::StatisticName("n", lang), cell.n, cell.small_base ? " ‡" : "");
      }
      if (has_tests) *out += " |";
      *out += "\n";
    } else {
      blank_row(heading, item.item_test ? in::Say(Word::kTableAllOptions, lang) + ": " +
                                              PValue(item.item_test->p)
                                        : "");
      for (const analysis::OptionRow& option : item.options) {
        *out += "| " + text::EscapeMarkdownCell(option.label) + " |";
        for (const Cell& cell : option.cells) *out += " " + CellText(cell) + " |";
        if (has_tests) {
          std::string p = option.tests.empty() ? "–" : PValue(option.tests[0].p);
          if (!option.tests.empty() && option.tests[0].p_holm) {
            p += " " + in::Say(Word::kTableHolmP, lang, {PValue(option.tests[0].p_holm)});
          }
          *out += " " + p + " |";
        }
        *out += "\n";
      }
    }
    *out += "| *" + in::Say(Word::kTableNonresponse, lang) + "* |";
    for (const analysis::Nonresponse& nr : item.nonresponse)
      *out += " " + NonresponseText(nr, lang) + " |";
    if (has_tests) *out += " |";
    *out += "\n";
  }
  *out += "\n";
  std::string base_note = table.min_base > 0
                              ? in::Say(Word::kMdBaseBelow, lang, {std::to_string(table.min_base)})
                              : std::string();
  std::string level = fmt::format("{:.0f}", 100 * table.level);
  if (table.design.used()) {
    *out += in::Say(Word::kMdCellsDesign, lang,
                    {in::DesignText(table.design, lang), level,
                     analysis::ProportionIntervalName(table.design.interval),
                     std::to_string(table.min_count), in::UnitWithArticle(options), base_note}) +
            "\n";
  } else {
    *out +=
        in::Say(Word::kMdCells, lang,
                {level, std::to_string(table.min_count), in::UnitWithArticle(options), base_note}) +
        "\n";
  }
  for (const std::string& note : in::TestMethodNotes(table, lang)) *out += "\n" + note + "\n";
  for (const std::string& note : table.notes) *out += "\n" + note + "\n";
  *out += "\n";
}

}  // namespace

void UseLanguage(std::string_view language, std::vector<TableResult>* tables) {
  std::string_view lang = words::CatalogueLanguage(language);
  if (lang == "en") return;
  for (TableResult& table : *tables) {
    for (analysis::ColumnHeader& column : table.columns) {
      if (column.is_total && column.label == "Total") {
        column.label = words::Text(Word::kTableTotal, lang);
      } else if (column.key == "all" && column.label == "All") {
        column.label = words::Text(Word::kTableAll, lang);
      }
    }
  }
}

Result<TableFormat> ParseTableFormat(std::string_view name) {
  for (const FormatEntry& entry : kFormats) {
    if (entry.name == name) return entry.format;
  }
  return MakeError("R001", "unknown format '" + std::string(name) + "' (md, csv, html, xlsx, tex)");
}

std::string_view TableFormatName(TableFormat format) {
  for (const FormatEntry& entry : kFormats) {
    if (entry.format == format) return entry.name;
  }
  return "md";
}

std::string RenderMarkdown(const std::vector<TableResult>& tables, const RenderOptions& options) {
  std::string out;
  for (const TableResult& table : tables) RenderTable(table, options, &out);
  return out;
}

Result<std::string> RenderTables(const std::vector<TableResult>& tables, TableFormat format,
                                 const RenderOptions& options) {
  switch (format) {
    case TableFormat::kMarkdown:
      return RenderMarkdown(tables, options);
    case TableFormat::kCsv:
      return RenderCsvLong(tables, options);
    case TableFormat::kHtml:
      return RenderHtml(tables, options);
    case TableFormat::kLatex:
      return RenderLatex(tables, options);
    case TableFormat::kXlsx:
      return MakeError("R002", "xlsx is a binary format: write it to a file (-o PATH)");
  }
  return MakeError("R001", "unknown format");
}

Status WriteTables(const std::vector<TableResult>& tables, TableFormat format,
                   const std::string& path, const RenderOptions& options) {
  if (format == TableFormat::kXlsx) return WriteXlsx(tables, path, options);
  std::string text = NGO_TRY(RenderTables(tables, format, options));
  return WriteFileAtomic(path, text);
}

}  // namespace ngosurvey::report
