// The XLSX writer of an export: a sheet per level, written row by row in
// libxlsxwriter's constant-memory mode, and the codebook sheet (table_internal.h).
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/file.h"
#include "base/words.h"
#include "exchange/table_internal.h"

namespace ngosurvey::exchange {

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
    if (!workbook_)
      return MakeError("EXP003", "cannot create the workbook", Location{.file = path_});
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
    std::vector<std::string> names = {
        words::Text(words::Word::kExportLevel, words::CatalogueLanguage(tables_.language))};
    for (const std::string& c : CodebookColumns(tables_)) names.push_back(c);
    Header(codebook, names);
    lxw_row_t r = 1;
    for (const Level& level : tables_.levels) {
      for (const Variable& v : level.variables) {
        std::vector<std::string> fields = CodebookFields(tables_, v);
        fields.insert(fields.begin(), level.name);
        for (size_t c = 0; c < fields.size(); ++c) {
          if (!fields[c].empty()) {
            worksheet_write_string(codebook, r, static_cast<lxw_col_t>(c), fields[c].c_str(),
                                   nullptr);
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
