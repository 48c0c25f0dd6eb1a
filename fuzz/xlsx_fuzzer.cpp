// Fuzz target for the xlsx reader and the XLSForm layer (form/form.h): any bytes
// must give a form (with diagnostics) or an error with a code, never a crash, a
// hang or unbounded memory. Everything happens in memory: no temporary files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/diagnostic.h"
#include "form/form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ngosurvey::form::LoadOptions options;
  // Small limits so a mutated size field cannot make one input take seconds.
  options.xlsx.max_part_bytes = 8 << 20;
  options.xlsx.max_total_bytes = 32 << 20;
  options.xlsx.max_cell_bytes = 1 << 16;
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
