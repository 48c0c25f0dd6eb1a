// Fuzz target for the qualitative codebook reader (form/codebook.h, ParseCodebook):
// any bytes must give a codebook or an error with a code and the file name, never
// a crash. A codebook that parses must keep its promises: ids are names and
// unique, every parent is a theme, the hierarchy has no cycle (every ancestor walk
// ends within the number of themes), every theme has a label.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "form/codebook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto book = ngosurvey::form::ParseCodebook(input, "fuzz.toml");
  if (!book) {
    if (book.error().code.empty() || book.error().where.file != "fuzz.toml") __builtin_trap();
    return 0;
  }
  if (book->version.empty() || book->themes.empty()) __builtin_trap();
  std::set<std::string> ids;
  for (const auto& theme : book->themes) {
    if (!ngosurvey::form::IsThemeId(theme.id) || !ids.insert(theme.id).second) __builtin_trap();
    if (theme.label.empty()) __builtin_trap();
  }
  for (const auto& theme : book->themes) {
    if (!theme.parent.empty() && book->Find(theme.parent) == nullptr) __builtin_trap();
    auto ancestors = book->Ancestors(theme.id);
    if (ancestors.size() >= book->themes.size()) __builtin_trap();
    for (const auto& a : ancestors) {
      if (a == theme.id) __builtin_trap();
    }
  }
  return 0;
}
