// Fuzz target for the xlsx reader and the XLSForm layer (form/form.h): any bytes
// must give a form (with diagnostics) or an error with a code, never a crash, a
// hang or unbounded memory; and the reader's scan of the sheets and shared strings
// must read the same workbook as pugixml's document, or refuse it with the same
// error. Everything happens in memory: no temporary files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/diagnostic.h"
#include "form/form.h"
#include "form/xlsx_reader_paths.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ngosurvey::form::LoadOptions options;
  // Small limits so a mutated size field cannot make one input take seconds.
  options.xlsx.max_part_bytes = 8 << 20;
  options.xlsx.max_total_bytes = 32 << 20;
  options.xlsx.max_cell_bytes = 1 << 16;
  auto scanned = ngosurvey::form::ReadXlsx(input, "fuzz.xlsx", options.xlsx);
  auto parsed = ngosurvey::form::ReadXlsxDocumentOnly(input, "fuzz.xlsx", options.xlsx);
  if (scanned.has_value() != parsed.has_value()) __builtin_trap();
  if (scanned && !ngosurvey::form::SameWorkbook(*scanned, *parsed)) __builtin_trap();
  if (!scanned && scanned.error().ToString() != parsed.error().ToString()) __builtin_trap();
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::LoadForm(input, "fuzz.xlsx", &diags, options);
  if (!form && form.error().code.empty()) __builtin_trap();
  for (const ngosurvey::Diagnostic& d : diags.items()) {
    if (d.error.code.empty()) __builtin_trap();
    (void)d.ToString();  // the caret display must cope with any expression and offset
  }
  if (form) {
    // The model's invariants: parents precede children and point at containers.
    for (const auto& q : form->questions) {
      if (q.parent >= q.index) __builtin_trap();
      if (q.parent >= 0 && !form->questions[static_cast<size_t>(q.parent)].is_container()) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
