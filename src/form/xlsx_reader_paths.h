// The xlsx reader's two ways of reading a worksheet or the shared strings, for its
// tests, the xlsx fuzzer and form_bench: ReadXlsx scans those parts where they lie
// when they are the plain XML spreadsheet programs write, and parses anything else
// into pugixml's document (xlsx_reader.cpp); ReadXlsxDocumentOnly parses every part,
// as the reader did before the scan. Both must give the same workbook or the same
// error for any bytes. (Kept out of xlsx_reader.h, which most of the program includes
// through form/form.h.)
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "form/xlsx_reader.h"

namespace ngosurvey::form {

// ReadXlsx with every part parsed into pugixml's document, never scanned.
Result<Workbook> ReadXlsxDocumentOnly(std::string_view data, const std::string& file_name,
                                      const XlsxOptions& options = {});

// Whether `a` and `b` hold the same file name and sheets (names, parts, loaded, rows,
// cells with their kinds, values and numbers).
bool SameWorkbook(const Workbook& a, const Workbook& b);

}  // namespace ngosurvey::form
