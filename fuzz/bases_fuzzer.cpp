// Fuzz target for the bases-file reader (study/published_audit.h, ParseBases):
// any bytes must give a spec or an error with a code and the file name, never a
// crash. A spec that parses is then used to audit a small fixed table, so the
// audit itself sees arbitrary bases (tiny, huge, per-option overrides).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/csv.h"
#include "study/published_audit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto spec = ngosurvey::study::ParseBases(input, "fuzz.toml");
  if (!spec) {
    if (spec.error().code.empty() || spec.error().where.file != "fuzz.toml") __builtin_trap();
    return 0;
  }
  static const auto table = ngosurvey::csv::ParseTable(
      "table,item_id,option_id,country,published_value,unit,base_note\n"
      "1,a,x,KH,43.8,pct,\n1,a,y,KH,57,pct,\n1,a,x,VN,7.7,pct,\n1,b,value,KH,92.5,mean,\n"
      "1,a,z,VN,,pct,no response\n",
      "fuzz.csv");
  auto report = ngosurvey::study::AuditPublished(*table, *spec);
  if (report) {
    for (const auto& cell : report->cells) {
      if (cell.base <= 0) __builtin_trap();
    }
    (void)ngosurvey::study::RenderAuditHtml(*report);
  }
  return 0;
}
