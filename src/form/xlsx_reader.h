// Generic .xlsx reading: workbook -> sheets -> cells. Knows nothing about XLSForm.
//
// The zip is read with libzip from a memory buffer; every XML part is decompressed whole
// (within XlsxOptions' limits). Worksheets and shared strings are scanned where they lie
// (ScanXml in xlsx_reader.cpp: no document; a cell's text is a view of the part until copied
// into the cell); a part the scan does not read through (XML other than the plain kind, or a
// refused cell) and the small parts are parsed in place by pugixml (xlsx_reader_paths.h: both
// paths give the same workbook or error). Rows without a value are not stored. Malformed XML
// is refused as expat refused it (UTF-8, references, a DTD, text outside the root: X003).
//
// Cell values become text the way a person reading the sheet would see them:
//   shared and inline strings  the text, rich-text runs concatenated, phonetic runs
//                              dropped, OOXML "_xHHHH_" escapes decoded;
//   numbers                    integers without ".0" ("12"), others in the shortest
//                              text that reads back as the same double ("0.1");
//   booleans                   "TRUE" / "FALSE";
//   dates                      a number whose cell style has a date or time number
//                              format becomes ISO text: "2024-03-01" (whole days),
//                              "2024-03-01T08:30:00" (date and time), "08:30:00"
//                              (time-only formats); Cell::number keeps the serial;
//                              both the 1900 and the 1904 date systems are honoured;
//   formulas                   the cached value (a formula without one is empty);
//   errors                     the error text ("#N/A").
// Empty cells and rows without any non-empty cell are not stored.
//
// Errors (Error::code, all naming the file; see docs/diagnostics.md):
//   X001 not a zip archive / unreadable archive     X004 a part larger than the limit
//   X002 a required part is missing                 X005 a cell longer than the limit
//   X003 malformed XML (part name, line, column)    X006 bad cell or row reference
// Thread-safety: the functions are reentrant; a Workbook is a plain value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::form {

enum class CellKind { kString, kNumber, kBoolean, kDate, kError };

struct Cell {
  int row = 0;     // 1-based sheet row
  int column = 0;  // 1-based column (A = 1)
  CellKind kind = CellKind::kString;
  std::string value;  // display text as described above; never empty
  double number = 0;  // the numeric value for kNumber, kDate and kBoolean
};

struct Row {
  int number = 0;           // 1-based sheet row
  std::vector<Cell> cells;  // non-empty cells in increasing column order
};

struct Sheet {
  std::string name;       // as written in the workbook (any case)
  std::string part;       // zip entry, e.g. "xl/worksheets/sheet1.xml"
  bool loaded = false;    // false when XlsxOptions::want_sheet declined it
  std::vector<Row> rows;  // rows with at least one cell, in increasing row order

  // The cell at (row, column) or nullptr. O(log rows + log cells).
  const Cell* Find(int row, int column) const;
};

struct Workbook {
  std::string file;           // the name used in error messages
  std::vector<Sheet> sheets;  // in workbook order

  // The sheet named `name`, compared ASCII case-insensitively, or nullptr.
  const Sheet* FindSheet(std::string_view name) const;
};

struct XlsxOptions {
  // A single XML part may not decompress to more than this (zip-bomb guard).
  uint64_t max_part_bytes = uint64_t{256} << 20;
  // All parts together may not decompress to more than this.
  uint64_t max_total_bytes = uint64_t{1} << 30;
  // A cell value (or shared string used by a cell) longer than this is X005.
  size_t max_cell_bytes = size_t{1} << 20;
  // Called with each sheet name; sheets for which it returns false are listed
  // (name and part) but their cells are not read. Empty: read every sheet.
  std::function<bool(std::string_view sheet_name)> want_sheet;
  // When true, a workbook of a single sheet has it read whatever want_sheet says
  // (an XLSForm whose only sheet is the survey, named "Sheet1").
  bool read_lone_sheet = false;
  // When on_row is set, a wanted sheet's rows are handed to it as they are read
  // instead of being kept in Sheet::rows (which stays empty): a large sheet need not be
  // whole in memory as cells (an export's 5,000 x 810 cells are 140 MB as Cells). Rows
  // come in the part's order, each once with its cells in column order; rows the part
  // lists out of order or twice are given as listed (Sheet::rows would have them sorted
  // and merged). on_sheet is called before a sheet's first row, and again when the
  // sheet is read again from its start (a part the scan leaves to the document path):
  // the receiver then forgets the rows it had of that sheet. An error from either ends
  // the reading with it. Read by ReadXlsx only (not by xls_reader.h's .xls reader).
  std::function<Status(const Sheet& sheet)> on_sheet;
  std::function<Status(const Sheet& sheet, Row&& row)> on_row;
};

// Reads a workbook from `data`, which need only live during the call. `file_name`
// is used in error locations only.
Result<Workbook> ReadXlsx(std::string_view data, const std::string& file_name,
                          const XlsxOptions& options = {});

// Reads the file at `path` (IO001/IO002 from base/file.h), then as ReadXlsx.
Result<Workbook> ReadXlsxFile(const std::string& path, const XlsxOptions& options = {});

// Converts a spreadsheet date serial to ISO 8601 text: "YYYY-MM-DD" for whole
// days, "YYYY-MM-DDTHH:MM:SS" otherwise, or "HH:MM:SS" when `time_only`.
// `date1904` selects the Mac 1904 date system. Exposed for tests.
std::string SerialToIso(double serial, bool date1904, bool time_only);

// Formats a number the way the reader does ("12", "0.1", "1e-07"). Exposed for tests.
std::string FormatNumber(double value);

}  // namespace ngosurvey::form
