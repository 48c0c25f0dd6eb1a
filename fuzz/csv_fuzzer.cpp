// Fuzz target for the CSV reader (base/csv.h): any bytes must give a table or an
// error with a location, never a crash, hang or unbounded memory; and the streaming
// csv::TableReader must give the same rows or the same error as ParseTable.
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
  // The streaming reader agrees with the whole-file one: same rows, or the same error.
  {
    ngosurvey::csv::TableReader reader(input, "fuzz.csv", options);
    auto started = reader.Start();
    ngosurvey::csv::Table all, chunk;
    bool ok = static_cast<bool>(started);
    ngosurvey::Error error;
    if (!started) error = started.error();
    if (ok) all.header = reader.header();
    while (ok) {
      auto more = reader.Next(3, &chunk);
      if (!more) {
        ok = false;
        error = more.error();
        break;
      }
      if (!*more) break;
      if (chunk.rows.size() > 3 || chunk.rows.size() != chunk.row_lines.size()) __builtin_trap();
      all.rows.insert(all.rows.end(), chunk.rows.begin(), chunk.rows.end());
      all.row_lines.insert(all.row_lines.end(), chunk.row_lines.begin(), chunk.row_lines.end());
    }
    if (ok != static_cast<bool>(table)) __builtin_trap();
    if (ok && (all.header != table->header || all.rows != table->rows ||
               all.row_lines != table->row_lines)) {
      __builtin_trap();
    }
    if (!ok && (error.code != table.error().code || error.where.row != table.error().where.row ||
                error.where.column != table.error().where.column)) {
      __builtin_trap();
    }
  }
  options.require_rectangular = false;
  options.require_unique_header = false;
  (void)ngosurvey::csv::ParseTable(input, "fuzz.csv", options);
  return 0;
}
