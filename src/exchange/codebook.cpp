// The codebook of an export, in Markdown and HTML (table_internal.h).
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/escape.h"
#include "base/file.h"
#include "base/words.h"
#include "exchange/table_internal.h"

namespace ngosurvey::exchange {
namespace {

using words::Word;

// The export's language for the tool's words: its labels' (Tables::language).
std::string_view Lang(const Tables& t) { return words::CatalogueLanguage(t.language); }

std::string Choices(const Tables& t, const Variable& v) {
  std::string out;
  for (const Code& c : v.codes) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", c.value);
    out += (out.empty() ? "" : "; ") + std::string(number) + " = " + c.name + " (" + c.label + ")";
  }
  if (v.kind == VarKind::kOption) out = words::Text(Word::kCodebookSelected, Lang(t));
  return out;
}

std::string MissingCodes(const Tables& t, const Variable& v) {
  if (v.question < 0) return "";
  return words::Text(
      v.kind == VarKind::kText ? Word::kCodebookMissingText : Word::kCodebookMissingCodes, Lang(t),
      {t.refused_codes.front(), t.dont_know_codes.front()});
}

std::string LevelFile(const Tables& t, const Level& level) {
  return level.repeat < 0 ? words::Text(Word::kCodebookMainFile, Lang(t))
                          : words::Text(Word::kCodebookRepeatFile, Lang(t), {level.name});
}

}  // namespace

std::vector<std::string> CodebookColumns(const Tables& t) {
  std::vector<std::string> columns = {"CSV / XLSX", "Stata", "SPSS"};
  for (Word w :
       {Word::kCodebookColumnLabel, Word::kCodebookColumnType, Word::kCodebookColumnChoices,
        Word::kCodebookColumnRelevance, Word::kCodebookColumnMissing}) {
    columns.push_back(words::Text(w, Lang(t)));
  }
  return columns;
}

std::vector<std::string> CodebookFields(const Tables& t, const Variable& v) {
  return {v.csv_name, v.stata_name,  v.spss_name, v.label,
          v.type,     Choices(t, v), v.relevant,  MissingCodes(t, v)};
}

Status WriteCodebook(const form::Form& form, const Tables& tables, const std::string& path,
                     OutputFiles* files) {
  std::string title = words::Text(Word::kCodebookTitle, Lang(tables),
                                  {form.title, form.settings.form_id, form.settings.version});
  std::string intro =
      words::Text(Word::kCodebookIntro, Lang(tables),
                  {tables.language, tables.refused_codes.front(), tables.dont_know_codes.front()});
  std::string md = "# " + text::EscapeMarkdownCell(title) + "\n\n" + intro + "\n";
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                     text::EscapeHtmlKeepApostrophes(title) +
                     "</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
                     "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
                     "</style></head><body>\n<h1>" +
                     text::EscapeHtmlKeepApostrophes(title) + "</h1>\n<p>" +
                     text::EscapeHtmlKeepApostrophes(intro) + "</p>\n";
  const std::vector<std::string> columns = CodebookColumns(tables);
  for (const Level& level : tables.levels) {
    std::string rows = std::to_string(level.rows);
    md += "\n## " +
          words::Text(Word::kCodebookLevel, Lang(tables),
                      {text::EscapeMarkdownCell(level.name), LevelFile(tables, level), rows}) +
          "\n\n|";
    html += "<h2>" +
            words::Text(Word::kCodebookLevel, Lang(tables),
                        {text::EscapeHtmlKeepApostrophes(level.name),
                         text::EscapeHtmlKeepApostrophes(LevelFile(tables, level)), rows}) +
            "</h2>\n<table><tr>";
    for (const std::string& c : columns) {
      md += " " + c + " |";
      html += "<th>" + c + "</th>";
    }
    md += "\n|";
    html += "</tr>\n";
    for (size_t i = 0; i < columns.size(); ++i) md += "---|";
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
