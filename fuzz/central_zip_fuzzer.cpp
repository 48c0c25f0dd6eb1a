// Fuzz target for the ODK Central submissions ZIP reader (exchange/central_zip.h,
// ReadCentralZip, over base/zip_archive.h): any bytes, read as a ZIP for the form
// tests/data/odk/form.xlsx (a repeat "programs" and a photo), with small limits so
// that a zip bomb meets them quickly. It must give the tables and files or an error
// with a ZIP0xx, IMP040, IMP041 or CSV0xx code naming the file, never a crash, a hang
// or more memory than the limits; the tables it gives are the repeats of the form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exchange/central_zip.h"
#include "odk_form.h"

using namespace ngosurvey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ZipLimits limits{.max_entry_bytes = 1 << 20, .max_total_bytes = 4 << 20};
  auto zip = exchange::ReadCentralZip(input, "central.zip", fuzz::OdkTestForm(), limits);
  if (!zip) {
    const Error& e = zip.error();
    bool known = e.code.rfind("ZIP", 0) == 0 || e.code == "IMP040" || e.code == "IMP041" ||
                 e.code.rfind("CSV", 0) == 0;
    if (!known || e.where.file.rfind("central.zip", 0) != 0) __builtin_trap();
    return 0;
  }
  for (const exchange::RepeatTable& repeat : zip->repeats) {
    if (repeat.repeat != "programs") __builtin_trap();
  }
  size_t media_bytes = 0;
  for (const auto& [name, bytes] : zip->media) {
    if (name.empty() || name.find('/') != std::string::npos) __builtin_trap();
    media_bytes += bytes.size();
  }
  if (media_bytes > limits.max_total_bytes) __builtin_trap();
  return 0;
}
