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
// The sheets are read as a stream of rows (form/xlsx_reader.h's XlsxOptions::on_row), the
// main table's rows kept packed, so that a wide export is never whole in memory as cells
// or as a table of strings (5,000 rows x 810 columns: 341 MiB peak before, see
// bench/README.md). Rows must be listed in order, as OOXML requires (IMP043 otherwise).
//
// The tables are checked and stored by ImportRows as a CSV import is: a cell right of the
// header's last column is IMP043, a repeated column name IMP043, a sheet that names no
// repeat of the form IMP042; X001-X006 for a workbook that cannot be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "exchange/import.h"
#include "form/form.h"

namespace ngosurvey::exchange {

// A sheet's data rows as read, packed: each cell's column and text, one after the other
// in blocks of about a MiB, so that the rows take about the size of their text. (A
// csv::Table row holds a std::string per column, 32 bytes even when empty: 26 KB a row
// of an 810-column Kobo export, 130 MB at 5,000 rows.)
class PackedRows {
 public:
  // Adds the sheet row `line` with `values` (column index from 0, text), in column order.
  void Add(int line, const std::vector<std::pair<size_t, std::string_view>>& values);
  size_t size() const { return rows_.size(); }
  int line(size_t row) const { return rows_[row].line; }
  // Row `row`'s values, `width` of them ("" where the sheet has no cell).
  std::vector<std::string> Unpack(size_t row, size_t width) const;

 private:
  struct Place {
    uint32_t block = 0;
    uint32_t offset = 0;
    uint32_t bytes = 0;
    int line = 0;
  };
  std::vector<std::string> blocks_;
  std::vector<Place> rows_;
};

struct XlsxExport {
  // The first sheet: its `file` ("FILE!SHEET") and header; its rows are in main_rows
  // (read them with MainRows or TakeMainTable), so main.rows is empty.
  csv::Table main;
  PackedRows main_rows;
  std::vector<RepeatTable> repeats;  // each with its begin_repeat's name
};

// The first sheet's rows a chunk of at most `max_chunk` at a time (import.h's RowSource).
// `book` must outlive the source.
RowSource MainRows(const XlsxExport& book, size_t max_chunk = SIZE_MAX);

// The first sheet as a whole table (its rows unpacked; book->main_rows emptied).
csv::Table TakeMainTable(XlsxExport* book);

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
