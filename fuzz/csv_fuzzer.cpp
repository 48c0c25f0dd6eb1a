// Fuzz target for the CSV reader (base/csv.h): any bytes must give a table or an
// error with a location, never a crash, hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ngosurvey::csv::Options options;
  options.max_field_bytes = 1 << 16;
  options.max_fields_per_row = 1 << 12;
  auto table = ngosurvey::csv::ParseTable(input, "fuzz.csv", options);
  if (table) {
    // Whatever parsed must be written back and parse to the same rows.
    std::string out;
    ngosurvey::csv::AppendRow(table->header, &out);
    for (const auto& row : table->rows) ngosurvey::csv::AppendRow(row, &out);
    auto again = ngosurvey::csv::ParseTable(out, "again.csv", options);
    if (!again || again->rows.size() != table->rows.size()) __builtin_trap();
  } else if (table.error().code.empty()) {
    __builtin_trap();
  }
  options.require_rectangular = false;
  options.require_unique_header = false;
  (void)ngosurvey::csv::ParseTable(input, "fuzz.csv", options);
  return 0;
}
