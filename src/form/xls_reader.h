// Legacy Excel 97-2003 workbooks (.xls, BIFF8 in an OLE2 compound file) read into the
// same Workbook model as the .xlsx reader (xlsx_reader.h). Knows nothing about XLSForm.
//
// FreeXL (Debian libfreexl) decodes the cells it reads: shared and inline strings,
// numbers and the dates it recognises from the cells' number formats. It reads files by
// path, so the bytes are handed to it through an anonymous in-memory file (memfd): no
// temporary file is written. Before FreeXL sees the bytes, the compound file and the
// workbook's record stream are walked here, bounds-checked, for what FreeXL does not
// give or does not guard: an encrypted workbook, the BIFF version, the size of each
// sheet (FreeXL allocates every sheet's whole rectangle of cells at once, as its
// DIMENSIONS record declares it: a 5 KB file declaring three 65,536 x 256 sheets took
// 788 MB; so FreeXL reads a copy whose DIMENSIONS records say the extent of the cells
// each sheet really has, LibreOffice's 1,048,576 declared rows included), records that
// FreeXL misreads (found by fuzz/xls_fuzzer), boolean and error cells (FreeXL gives
// both as the integer 1 or 0) and the cached values of formulas (FreeXL drops formula
// cells).
//
// Cell values are the text pyxform makes of what xlrd reads:
//   text       as is (empty text is no cell);
//   numbers    as the .xlsx reader writes them (FormatNumber: "3", "2.5");
//   booleans   "TRUE" / "FALSE" (CellKind::kBoolean, number 1 or 0);
//   errors     the BIFF error code in decimal, as pyxform writes xlrd's value: "42" for
//              #N/A, "7" for #DIV/0! (CellKind::kError, number the code);
//   dates      the .xlsx reader's rule (SerialToIso): "2024-03-01",
//              "2024-03-01T08:30:00", "08:30:00"; Cell::number keeps the serial;
//   formulas   the cached value: a number (a date when its cell format is a date's, as
//              xlrd reads it: HOT's forms set the version with NOW()), text, boolean or
//              error as above.
// Sheet::part is empty (a .xls has no parts).
//
// Errors (Error::code, all naming the file; the sheet, row and column when known):
//   X005 a cell longer than XlsxOptions::max_cell_bytes
//   X007 not a .xls workbook, or a damaged or truncated one (FreeXL's reason given)
//   X008 an encrypted (password-protected) workbook
//   X009 a workbook older than Excel 97 (BIFF5 and before: Excel 95, 5.0, 4.0...)
//   X010 the sheets' cells span more than `max_cells` (rows x columns from A1 to each
//        sheet's last cell, all sheets together)
// Thread-safety: reentrant; FreeXL keeps no global state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "form/xlsx_reader.h"

namespace ngosurvey::form {

// True when `data` starts with the OLE2 compound file signature (D0 CF 11 E0 A1 B1 1A E1)
// that every .xls file has.
bool IsCompoundFile(std::string_view data);

// The sheets of a .xls may not span more cells than this (rows x columns from A1 to each
// sheet's last cell, all sheets together): FreeXL allocates them all at once, 16 bytes
// each (128 MiB): 65,536 rows of 128 columns. pyxform's own extra_columns.xls spans
// 5,119,744 (a row at 19,999 in a sheet of 256 columns).
inline constexpr uint64_t kMaxXlsCells = uint64_t{1} << 23;

// Reads a .xls workbook from `data`, which need only live during the call. `file_name`
// is used in error locations only. Of `options`, max_cell_bytes, want_sheet and
// read_lone_sheet apply.
Result<Workbook> ReadXls(std::string_view data, const std::string& file_name,
                         const XlsxOptions& options = {}, uint64_t max_cells = kMaxXlsCells);

// The one entry point that picks the reader by the file's first bytes, whatever its
// name: an OLE2 compound file is read as .xls, anything else as .xlsx. A file whose
// name ends in ".xls" but that is no compound file is X007.
Result<Workbook> ReadWorkbook(std::string_view data, const std::string& file_name,
                              const XlsxOptions& options = {});

}  // namespace ngosurvey::form
