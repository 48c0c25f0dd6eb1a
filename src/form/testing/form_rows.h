// Builds XLSForm models from rows of text, for tests and benchmarks of every module
// that needs a small form (not part of the library: header only, included by
// *_test.cpp and bench/).
#pragma once

#include <string>
#include <vector>

#include "form/form.h"

namespace ngosurvey::form::testing {

using Rows = std::vector<std::vector<std::string>>;  // first row: headers

inline Sheet MakeSheet(const std::string& name, const Rows& rows) {
  Sheet sheet;
  sheet.name = name;
  sheet.loaded = true;
  for (size_t r = 0; r < rows.size(); ++r) {
    Row row;
    row.number = static_cast<int>(r) + 1;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      Cell cell;
      cell.row = row.number;
      cell.column = static_cast<int>(c) + 1;
      cell.value = rows[r][c];
      row.cells.push_back(std::move(cell));
    }
    if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

// The Form built from a survey sheet and optional choices and settings sheets.
// `diags` receives the validator's findings.
inline Result<Form> MakeForm(const Rows& survey, const Rows& choices = {},
                             const Rows& settings = {}, Diagnostics* diags = nullptr) {
  Workbook wb;
  wb.file = "test.xlsx";
  wb.sheets.push_back(MakeSheet("survey", survey));
  if (!choices.empty()) wb.sheets.push_back(MakeSheet("choices", choices));
  if (!settings.empty()) wb.sheets.push_back(MakeSheet("settings", settings));
  Diagnostics local;
  return BuildForm(wb, diags ? diags : &local);
}

// The same with an entities sheet (ODK entities) after the other sheets.
inline Result<Form> MakeFormWithEntities(const Rows& survey, const Rows& entities,
                                         const Rows& choices = {}, Diagnostics* diags = nullptr) {
  Workbook wb;
  wb.file = "test.xlsx";
  wb.sheets.push_back(MakeSheet("survey", survey));
  if (!choices.empty()) wb.sheets.push_back(MakeSheet("choices", choices));
  wb.sheets.push_back(MakeSheet("entities", entities));
  Diagnostics local;
  return BuildForm(wb, diags ? diags : &local);
}

}  // namespace ngosurvey::form::testing
