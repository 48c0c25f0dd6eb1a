// report: turns computed tables (analysis::TableResult) into files people read:
// Markdown, CSV, self-contained HTML with SVG charts, XLSX and LaTeX. It computes
// nothing (every figure comes from analysis/) and knows nothing of studies or
// fieldwork (study/ assembles the study report from these pieces).
//
// One renderer per format behind one entry point (RenderTables), chosen from a
// table of formats, so adding a format touches one file and the table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/table.h"
#include "base/error.h"

namespace ngosurvey::report {

enum class TableFormat { kMarkdown, kCsv, kHtml, kXlsx, kLatex };

// "md", "csv", "html", "xlsx", "tex" (the --format values); error "R001" otherwise.
Result<TableFormat> ParseTableFormat(std::string_view name);
std::string_view TableFormatName(TableFormat format);

struct RenderOptions {
  // CSV: add a last column `table` with the table id (several tables in one file).
  bool csv_table_column = false;
  // A line every page/table carries, e.g. "SYNTHETIC DATA" (empty: none).
  std::string banner;
  // What one respondent is, in the footnotes ("could identify an organisation"): a
  // study's unit (study.toml `unit`), singular and plural, in `language`. Empty: the
  // catalogue's "organisation" / "organisations" in `language`.
  std::string unit;
  std::string units;
  // The language of the tool's own words (headers, footnotes, notes: base/words.h), a
  // code or name ("vi", "Vietnamese"); the catalogue's English for any language it
  // does not speak. The form's labels come translated in the TableResult already.
  // `unit` and `units`, when set, are words of this language.
  std::string language = "en";
};

// The tool's own labels inside computed tables in `language` (base/words.h): the Total
// column's and the single "All" column's of a table without groups. Other labels come
// from the form and the spec in their language already. English leaves them as they are.
void UseLanguage(std::string_view language, std::vector<analysis::TableResult>* tables);

// Renders text formats (md, csv, html, tex) to a string. Error "R002" for xlsx,
// which is binary: use WriteTables.
Result<std::string> RenderTables(const std::vector<analysis::TableResult>& tables,
                                 TableFormat format, const RenderOptions& options = {});

// Renders to `path` all-or-nothing (temporary file + rename), any format.
Status WriteTables(const std::vector<analysis::TableResult>& tables, TableFormat format,
                   const std::string& path, const RenderOptions& options = {});

// The long CSV layout: item,option,group,statistic,value (docs/cli.md "tabulate").
std::string RenderCsvLong(const std::vector<analysis::TableResult>& tables,
                          const RenderOptions& options = {});
std::string RenderMarkdown(const std::vector<analysis::TableResult>& tables,
                           const RenderOptions& options = {});

// The wording every format shares, for pages that embed tables (the study report):
// a p-value ("<0.001", or three decimals: "0.046"; "" when none was computed).
// Escaping is base/escape.h's.
std::string PValueText(const std::optional<double>& p);

}  // namespace ngosurvey::report
