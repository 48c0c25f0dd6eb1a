// Fuzz target for the XLSX export reader (exchange/xlsx_export.h, ReadXlsxExport, over
// form/xlsx_reader.h): any bytes, read as a Kobo or Ona XLSX export for the form
// tests/data/odk/form.xlsx (a repeat "programs"), with small limits so that a zip bomb
// meets them quickly. It must give the tables or an error with an X0xx, IMP042 or IMP043
// code naming the file, never a crash, a hang or more memory than the limits; every table
// is rectangular and each repeat table is the form's repeat.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exchange/xlsx_export.h"
#include "odk_form.h"

namespace {

using namespace ngosurvey;

void CheckRectangular(const csv::Table& table) {
  if (table.rows.size() != table.row_lines.size()) __builtin_trap();
  for (const std::vector<std::string>& row : table.rows) {
    if (row.size() != table.header.size()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  exchange::XlsxExportLimits limits{.max_part_bytes = 1 << 20, .max_total_bytes = 4 << 20};
  auto read = exchange::ReadXlsxExport(input, "export.xlsx", fuzz::OdkTestForm(), limits);
  if (!read) {
    const Error& e = read.error();
    bool known = e.code.rfind("X0", 0) == 0 || e.code == "IMP042" || e.code == "IMP043";
    if (!known || e.where.file != "export.xlsx") __builtin_trap();
    return 0;
  }
  if (!read->main.rows.empty()) __builtin_trap();  // they are in main_rows
  CheckRectangular(exchange::TakeMainTable(&*read));
  for (const exchange::RepeatTable& repeat : read->repeats) {
    if (repeat.repeat != "programs") __builtin_trap();
    CheckRectangular(repeat.table);
  }
  return 0;
}
