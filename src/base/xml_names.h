// base: names in XML element and attribute names, the one home of the helpers the
// XML readers need (LocalName: every reader; Attribute, over expat's arrays: ODK
// instances and REFI-QDA projects).
// Header only; needs no XML library.
#pragma once

#include <string_view>

namespace ngosurvey::xml {

// The name without its namespace prefix: "qda:Code" -> "Code", "Code" -> "Code".
inline std::string_view LocalName(const char* name) {
  std::string_view view(name);
  size_t colon = view.rfind(':');
  return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

// The value of the attribute whose local name is `local` (any prefix) in expat's
// name/value array, or nullptr. With `prefixed`, only a prefixed name counts
// ("r:id", not "id").
inline const char* Attribute(const char** attrs, std::string_view local, bool prefixed = false) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (prefixed && std::string_view(attrs[i]).find(':') == std::string_view::npos) continue;
    if (LocalName(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

}  // namespace ngosurvey::xml
