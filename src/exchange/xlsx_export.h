// exchange: a KoboToolbox or Ona export saved as XLSX (Kobo's "XLS" export, the one its
// export page offers first; Ona's XLS export) read for an import. Both write:
//   the first sheet          the main table, one row per submission, headers as in
//                            their CSV export (import.h's layouts)
//   one sheet per repeat     named after the repeat (formpack's unique_name_for_xls:
//                            []:*?/\ and a leading or trailing ' become _, cut to 31
//                            characters with "...", " (1)"... when two names meet;
//                            Ona cuts and numbers alike), rows linked to their parents
//                            by _parent_index (Kobo) or by the flattened columns (Ona)
// Cells are read as form/xlsx_reader.h reads them (numbers as "12" / "0.1", date cells as
// ISO text), so an export made with Kobo's "store date and number responses as text"
// off reads as one made with it on. A second header row of HXL hashtags (Kobo's
// "include HXL tags") is skipped.
//
// The tables are checked and stored by ImportRows as a CSV import is: a cell right of the
// header's last column is IMP043, a repeated column name IMP043, a sheet that names no
// repeat of the form IMP042; X001-X006 for a workbook that cannot be read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "exchange/import.h"
#include "form/form.h"

namespace ngosurvey::exchange {

struct XlsxExport {
  csv::Table main;                   // its `file` is "FILE!SHEET"
  std::vector<RepeatTable> repeats;  // each with its begin_repeat's name
};

// True when `data` is a ZIP holding a spreadsheet (xl/workbook.xml): an XLSX export
// rather than ODK Central's ZIP of CSV files. An unreadable ZIP is not one.
bool IsXlsxWorkbook(std::string_view data, const std::string& file);

// How much a workbook may decompress to (zip-bomb guards, form/xlsx_reader.h's X004): an
// export's sheet is as large as its data.
struct XlsxExportLimits {
  uint64_t max_part_bytes = uint64_t{4} << 30;
  uint64_t max_total_bytes = uint64_t{16} << 30;
};

// Reads the workbook in `data` (named `file` in errors) for `form`.
Result<XlsxExport> ReadXlsxExport(std::string_view data, const std::string& file,
                                  const form::Form& form, XlsxExportLimits limits = {});

// The name formpack gives the sheet of a section named `name` (before making it unique):
// exposed for tests.
std::string KoboSheetName(std::string_view name);

}  // namespace ngosurvey::exchange
