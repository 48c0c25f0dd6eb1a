// The codebook of an export, in Markdown and HTML (table_internal.h).
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/escape.h"
#include "base/file.h"
#include "exchange/table_internal.h"

namespace ngosurvey::exchange {
namespace {

std::string Choices(const Variable& v) {
  std::string out;
  for (const Code& c : v.codes) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", c.value);
    out += (out.empty() ? "" : "; ") + std::string(number) + " = " + c.name + " (" + c.label + ")";
  }
  if (v.kind == VarKind::kOption) out = "1 = selected, 0 = not selected";
  return out;
}

std::string MissingCodes(const Tables& t, const Variable& v) {
  if (v.question < 0) return "";
  if (v.kind == VarKind::kText) {
    return "refused: '" + t.refused_codes.front() + "', don't know: '" + t.dont_know_codes.front() +
           "', not asked / missing: empty";
  }
  return "refused: .a (Stata), -97 (SPSS), '" + t.refused_codes.front() +
         "' (CSV); don't know: .b, -98, '" + t.dont_know_codes.front() +
         "'; not asked / missing: system missing, empty";
}

std::string LevelFile(const Level& level) {
  return level.repeat < 0 ? "the main file" : "repeat '" + level.name + "' (linked by PARENT_KEY)";
}

}  // namespace

const std::vector<std::string_view>& CodebookColumns() {
  static const std::vector<std::string_view> kColumns = {
      "CSV / XLSX", "Stata",           "SPSS",      "Label",
      "Type",       "Choices (codes)", "Relevance", "Missing values"};
  return kColumns;
}

std::vector<std::string> CodebookFields(const Tables& t, const Variable& v) {
  return {v.csv_name, v.stata_name, v.spss_name, v.label,
          v.type,     Choices(v),   v.relevant,  MissingCodes(t, v)};
}

Status WriteCodebook(const form::Form& form, const Tables& tables, const std::string& path,
                     OutputFiles* files) {
  std::string title = "Codebook: " + form.title + " (" + form.settings.form_id + ", version " +
                      form.settings.version + ")";
  std::string intro = "Labels in language '" + tables.language + "'. Refused is stored as '" +
                      tables.refused_codes.front() +
                      "' in CSV and XLSX, .a in Stata and -97 (user-missing) in SPSS; don't know "
                      "as '" +
                      tables.dont_know_codes.front() +
                      "', .b and -98. Not asked (skipped by relevance) and missing are empty / "
                      "system missing. Dates are Stata %td / SPSS DATE, date-times %tc / DATETIME.";
  std::string md = "# " + text::EscapeMarkdownCell(title) + "\n\n" + intro + "\n";
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                     text::EscapeHtmlKeepApostrophes(title) +
                     "</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
                     "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
                     "</style></head><body>\n<h1>" +
                     text::EscapeHtmlKeepApostrophes(title) + "</h1>\n<p>" +
                     text::EscapeHtmlKeepApostrophes(intro) + "</p>\n";
  for (const Level& level : tables.levels) {
    md += "\n## " + text::EscapeMarkdownCell(level.name) + " (" + LevelFile(level) + ", " +
          std::to_string(level.rows) + " rows)\n\n|";
    html += "<h2>" + text::EscapeHtmlKeepApostrophes(level.name) + " (" +
            text::EscapeHtmlKeepApostrophes(LevelFile(level)) + ", " + std::to_string(level.rows) +
            " rows)</h2>\n<table><tr>";
    for (std::string_view column : CodebookColumns()) {
      std::string c(column);
      md += std::string(" ") + c + " |";
      html += std::string("<th>") + c + "</th>";
    }
    md += "\n|";
    html += "</tr>\n";
    for (size_t i = 0; i < CodebookColumns().size(); ++i) md += "---|";
    md += "\n";
    for (const Variable& v : level.variables) {
      md += "|";
      html += "<tr>";
      for (const std::string& f : CodebookFields(tables, v)) {
        md += " " + text::EscapeMarkdownCell(f) + " |";
        html += "<td>" + text::EscapeHtmlKeepApostrophes(f) + "</td>";
      }
      md += "\n";
      html += "</tr>\n";
    }
    html += "</table>\n";
  }
  html += "</body></html>\n";
  std::string md_path = SiblingPath(path, "codebook", ".md");
  std::string html_path = SiblingPath(path, "codebook", ".html");
  for (const auto& [file, text] : {std::pair{md_path, &md}, std::pair{html_path, &html}}) {
    std::string temp = NGO_TRY(files->Add(file));
    std::FILE* out = std::fopen(temp.c_str(), "wbx");
    if (!out) return MakeError("IO004", "cannot create the file", Location{.file = file});
    bool ok = std::fwrite(text->data(), 1, text->size(), out) == text->size();
    if (std::fclose(out) != 0 || !ok) {
      return MakeError("IO004", "cannot write the file", Location{.file = file});
    }
  }
  return Ok();
}

}  // namespace ngosurvey::exchange
