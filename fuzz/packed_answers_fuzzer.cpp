// Fuzz target for the packed answers decoder (store/packed_answers.h), which reads
// BLOBs from a store file that may be damaged: any bytes must decode or give an IO105
// error, never a crash. What decodes must be what Encode writes for
// the same answers, byte for byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/packed_answers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey::store;
  std::string_view blob(reinterpret_cast<const char*>(data), size);
  std::string arena;
  std::vector<AnswerView> views;
  auto status = packed::Decode(blob, &arena, &views);
  auto map = packed::DecodeToMap(blob);
  if (status.has_value() != map.has_value()) __builtin_trap();
  if (!map) {
    if (map.error().code != "IO105") __builtin_trap();
    return 0;
  }
  if (map->size() != views.size()) __builtin_trap();
  // The encoding is unique: what decodes is exactly what Encode writes.
  std::string again;
  packed::Encode(*map, &again);
  if (again != blob) __builtin_trap();
  return 0;
}
