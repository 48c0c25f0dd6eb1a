// Fuzz target for the .xls reader (form/xls_reader.h: the compound file and BIFF8
// records walked here, the cells by FreeXL through a memory file) and the XLSForm layer
// behind it: any bytes must give a workbook or an error with a code, never a crash, a
// hang or unbounded memory. The input is always read as .xls (a compound file
// signature is put in front of inputs that lack one, so that mutations are spent on
// what follows it). No temporary file: FreeXL reads a memfd.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/diagnostic.h"
#include "form/form.h"
#include "form/xls_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  if (!ngosurvey::form::IsCompoundFile(input)) {
    input.insert(0, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
  }
  ngosurvey::form::XlsxOptions options;
  // Small limits so a mutated size field cannot make one input take seconds.
  options.max_cell_bytes = 1 << 16;
  auto book = ngosurvey::form::ReadXls(input, "fuzz.xls", options, /*max_cells=*/1 << 18);
  if (!book) {
    if (book.error().code.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& sheet : book->sheets) {
    int last_row = 0;
    for (const auto& row : sheet.rows) {
      if (row.number <= last_row || row.cells.empty()) __builtin_trap();
      last_row = row.number;
      int last_column = 0;
      for (const auto& cell : row.cells) {
        if (cell.column <= last_column || cell.column > 256 || cell.value.empty()) {
          __builtin_trap();
        }
        last_column = cell.column;
      }
    }
  }
  ngosurvey::form::LoadOptions load;
  load.xlsx = options;
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::BuildForm(*book, &diags, load);
  if (!form && form.error().code.empty()) __builtin_trap();
  for (const ngosurvey::Diagnostic& d : diags.items()) {
    if (d.error.code.empty()) __builtin_trap();
  }
  return 0;
}
