// A question's `appearance` cell is a list of words separated by spaces ("field-list
// compact", "minimal quick"): the one place that reads it as such, for the XForm writer
// and the interview. Header-only, so that the WebAssembly engine links it without a list
// of sources to keep.
#pragma once

#include <string_view>
#include <vector>

#include "form/form.h"

namespace ngosurvey::form {

// Whether `word` is one of the appearance's words (not a part of one: "field-list" is not
// in "field-listing").
inline bool HasAppearanceWord(std::string_view appearance, std::string_view word) {
  for (size_t pos = 0; pos < appearance.size();) {
    size_t end = appearance.find(' ', pos);
    if (end == std::string_view::npos) end = appearance.size();
    if (appearance.substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

// The appearance's words in order ("field-list  compact" -> field-list, compact): views
// into `appearance`, without the empty words of repeated spaces.
inline std::vector<std::string_view> AppearanceWords(std::string_view appearance) {
  std::vector<std::string_view> words;
  for (size_t pos = 0; pos < appearance.size();) {
    size_t end = appearance.find(' ', pos);
    if (end == std::string_view::npos) end = appearance.size();
    if (end > pos) words.push_back(appearance.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

// A group that ODK shows on one screen: `field-list`, or `table-list`, which pyxform writes
// as a field-list group of rows.
inline bool IsOneScreenGroup(const Question& q) {
  return q.is_group() && (HasAppearanceWord(q.appearance, "field-list") ||
                          HasAppearanceWord(q.appearance, "table-list"));
}

}  // namespace ngosurvey::form
