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
                     OutputFiles* files) {
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
          std::to_string(level.rows) + " rows)\n\n|";
    html += "<h2>" + HtmlEscape(level.name) + " (" + HtmlEscape(LevelFile(level)) + ", " +
            std::to_string(level.rows) + " rows)</h2>\n<table><tr>";
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

namespace {

// One workbook: a sheet per level, written row by row in libxlsxwriter's
// constant-memory mode, and the codebook sheet.
class XlsxWriter final : public RowWriter {
 public:
  XlsxWriter(const Tables& tables, std::string path) : tables_(tables), path_(std::move(path)) {}
  ~XlsxWriter() override {
    // Not finished (an error): close to free it; the temporary is removed by OutputFiles.
    if (workbook_) workbook_close(workbook_);
  }

  Status Open(const std::string& temp) {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    workbook_ = workbook_new_opt(temp.c_str(), &options);
    if (!workbook_) return MakeError("EXP003", "cannot create the workbook", Location{.file = path_});
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    for (const Level& level : tables_.levels) {
      lxw_worksheet* sheet = workbook_add_worksheet(workbook_, SheetName(level.name).c_str());
      std::vector<std::string> names;
      for (const Variable& v : level.variables) names.push_back(v.csv_name);
      Header(sheet, names);
      sheets_.push_back(sheet);
      next_row_.push_back(1);
    }
    lxw_worksheet* codebook = workbook_add_worksheet(workbook_, SheetName("codebook").c_str());
    std::vector<std::string> names = {"Level"};
    for (const char* c : kColumns) names.push_back(c);
    Header(codebook, names);
    lxw_row_t r = 1;
    for (const Level& level : tables_.levels) {
      for (const Variable& v : level.variables) {
        std::vector<std::string> fields = Fields(tables_, v);
        fields.insert(fields.begin(), level.name);
        for (size_t c = 0; c < fields.size(); ++c) {
          if (!fields[c].empty()) {
            worksheet_write_string(codebook, r, static_cast<lxw_col_t>(c), fields[c].c_str(), nullptr);
          }
        }
        ++r;
      }
    }
    return Ok();
  }

  Status Row(size_t level, const std::vector<Cell>& row) override {
    lxw_row_t xr = next_row_[level]++;
    if (xr >= LXW_ROW_MAX) {
      return MakeError("EXP004",
                       "sheet '" + tables_.levels[level].name + "' would have more than " +
                           std::to_string(LXW_ROW_MAX - 1) +
                           " rows, the XLSX limit; export as csv, dta or sav",
                       Location{.file = path_});
    }
    lxw_worksheet* sheet = sheets_[level];
    const Level& l = tables_.levels[level];
    for (size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      std::string_view view = CellText(tables_, cell);
      if (view.empty()) continue;
      text_.assign(view);
      lxw_col_t xc = static_cast<lxw_col_t>(c);
      const Variable& v = l.variables[c];
      bool number = cell.state == form::AnswerState::kAnswered &&
                    (v.kind == VarKind::kNumber || v.kind == VarKind::kOption);
      if (number) {
        worksheet_write_number(sheet, xr, xc, std::strtod(text_.c_str(), nullptr), nullptr);
      } else {
        worksheet_write_string(sheet, xr, xc, text_.c_str(), nullptr);
      }
    }
    return Ok();
  }

  Status Finish() override {
    lxw_error error = workbook_close(workbook_);
    workbook_ = nullptr;
    if (error != LXW_NO_ERROR) {
      return MakeError("EXP003", std::string("cannot write the workbook: ") + lxw_strerror(error),
                       Location{.file = path_});
    }
    return Ok();
  }

 private:
  std::string SheetName(std::string name) {
    for (char& c : name) {
      if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
    }
    if (name.size() > 28) name.resize(28);
    std::string unique = name;
    for (int n = 2; used_.count(unique); ++n) unique = name + "_" + std::to_string(n);
    used_.insert(unique);
    return unique;
  }
  void Header(lxw_worksheet* sheet, const std::vector<std::string>& names) {
    for (size_t c = 0; c < names.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), names[c].c_str(), bold_);
    }
    worksheet_freeze_panes(sheet, 1, 0);
  }

  const Tables& tables_;
  std::string path_;
  lxw_workbook* workbook_ = nullptr;
  lxw_format* bold_ = nullptr;
  std::set<std::string> used_;
  std::vector<lxw_worksheet*> sheets_;
  std::vector<lxw_row_t> next_row_;
  std::string text_;
};

}  // namespace

Result<std::unique_ptr<RowWriter>> OpenXlsx(const Tables& tables, const std::string& path,
                                            OutputFiles* files) {
  auto writer = std::make_unique<XlsxWriter>(tables, path);
  std::string temp = NGO_TRY(files->Add(path));
  NGO_TRY(writer->Open(temp));
  return std::unique_ptr<RowWriter>(std::move(writer));
}

}  // namespace ngosurvey::exchange
