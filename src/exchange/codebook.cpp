// The codebook (Markdown and HTML) and the XLSX writer.
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <set>

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

std::string MdEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* kColumns[] = {"CSV / XLSX", "Stata", "SPSS", "Label", "Type", "Choices (codes)",
                          "Relevance", "Missing values"};

std::vector<std::string> Fields(const Tables& t, const Variable& v) {
  return {v.csv_name, v.stata_name, v.spss_name, v.label, v.type, Choices(v), v.relevant,
          MissingCodes(t, v)};
}

std::string LevelFile(const Level& level) {
  return level.repeat < 0 ? "the main file" : "repeat '" + level.name + "' (linked by PARENT_KEY)";
}

}  // namespace

Status WriteCodebook(const form::Form& form, const Tables& tables, const std::string& path,
                     std::vector<std::string>* files) {
  std::string title = "Codebook: " + form.title + " (" + form.settings.form_id + ", version " +
                      form.settings.version + ")";
  std::string intro = "Labels in language '" + tables.language +
                      "'. Refused is stored as '" + tables.refused_codes.front() +
                      "' in CSV and XLSX, .a in Stata and -97 (user-missing) in SPSS; don't know "
                      "as '" + tables.dont_know_codes.front() +
                      "', .b and -98. Not asked (skipped by relevance) and missing are empty / "
                      "system missing. Dates are Stata %td / SPSS DATE, date-times %tc / DATETIME.";
  std::string md = "# " + MdEscape(title) + "\n\n" + intro + "\n";
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                     HtmlEscape(title) +
                     "</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
                     "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
                     "</style></head><body>\n<h1>" + HtmlEscape(title) + "</h1>\n<p>" +
                     HtmlEscape(intro) + "</p>\n";
  for (const Level& level : tables.levels) {
    md += "\n## " + MdEscape(level.name) + " (" + LevelFile(level) + ", " +
          std::to_string(level.rows.size()) + " rows)\n\n|";
    html += "<h2>" + HtmlEscape(level.name) + " (" + HtmlEscape(LevelFile(level)) + ", " +
            std::to_string(level.rows.size()) + " rows)</h2>\n<table><tr>";
    for (const char* c : kColumns) {
      md += std::string(" ") + c + " |";
      html += std::string("<th>") + c + "</th>";
    }
    md += "\n|";
    html += "</tr>\n";
    for (size_t i = 0; i < std::size(kColumns); ++i) md += "---|";
    md += "\n";
    for (const Variable& v : level.variables) {
      md += "|";
      html += "<tr>";
      for (const std::string& f : Fields(tables, v)) {
        md += " " + MdEscape(f) + " |";
        html += "<td>" + HtmlEscape(f) + "</td>";
      }
      md += "\n";
      html += "</tr>\n";
    }
    html += "</table>\n";
  }
  html += "</body></html>\n";
  std::string md_path = SiblingPath(path, "codebook", ".md");
  std::string html_path = SiblingPath(path, "codebook", ".html");
  NGO_TRY(WriteFileAtomic(md_path, md));
  NGO_TRY(WriteFileAtomic(html_path, html));
  files->push_back(md_path);
  files->push_back(html_path);
  return Ok();
}

Status WriteXlsx(const Tables& tables, const std::string& path, std::vector<std::string>* files) {
  Status written = WriteFileAtomicWith(path, [&](const std::string& temp) -> Status {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_FALSE;
    lxw_workbook* workbook = workbook_new_opt(temp.c_str(), &options);
    if (!workbook) return MakeError("EXP003", "cannot create the workbook", Location{.file = path});
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    std::set<std::string> used;
    auto sheet_name = [&](std::string name) {
      for (char& c : name) {
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
      }
      if (name.size() > 28) name.resize(28);
      std::string unique = name;
      for (int n = 2; used.count(unique); ++n) unique = name + "_" + std::to_string(n);
      used.insert(unique);
      return unique;
    };
    auto header = [&](lxw_worksheet* sheet, const std::vector<std::string>& names) {
      for (size_t c = 0; c < names.size(); ++c) {
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), names[c].c_str(), bold);
      }
      worksheet_freeze_panes(sheet, 1, 0);
    };
    for (const Level& level : tables.levels) {
      lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name(level.name).c_str());
      std::vector<std::string> names;
      for (const Variable& v : level.variables) names.push_back(v.csv_name);
      header(sheet, names);
      for (size_t r = 0; r < level.rows.size(); ++r) {
        const auto& row = level.rows[r];
        for (size_t c = 0; c < row.size(); ++c) {
          const Cell& cell = row[c];
          std::string text(CellText(tables, cell));
          if (text.empty()) continue;
          lxw_row_t xr = static_cast<lxw_row_t>(r + 1);
          lxw_col_t xc = static_cast<lxw_col_t>(c);
          const Variable& v = level.variables[c];
          bool number = cell.state == form::AnswerState::kAnswered &&
                        (v.kind == VarKind::kNumber || v.kind == VarKind::kOption);
          if (number) {
            worksheet_write_number(sheet, xr, xc, std::strtod(text.c_str(), nullptr), nullptr);
          } else {
            worksheet_write_string(sheet, xr, xc, text.c_str(), nullptr);
          }
        }
      }
    }
    lxw_worksheet* codebook = workbook_add_worksheet(workbook, sheet_name("codebook").c_str());
    std::vector<std::string> names = {"Level"};
    for (const char* c : kColumns) names.push_back(c);
    header(codebook, names);
    lxw_row_t r = 1;
    for (const Level& level : tables.levels) {
      for (const Variable& v : level.variables) {
        std::vector<std::string> fields = Fields(tables, v);
        fields.insert(fields.begin(), level.name);
        for (size_t c = 0; c < fields.size(); ++c) {
          if (!fields[c].empty()) {
            worksheet_write_string(codebook, r, static_cast<lxw_col_t>(c), fields[c].c_str(), nullptr);
          }
        }
        ++r;
      }
    }
    lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) {
      return MakeError("EXP003", std::string("cannot write the workbook: ") + lxw_strerror(error),
                       Location{.file = path});
    }
    return Ok();
  });
  NGO_TRY(written);
  files->push_back(path);
  return Ok();
}

}  // namespace ngosurvey::exchange
