#include "base/error.h"

#include <fmt/format.h>

#include "base/text.h"

namespace ngosurvey {

std::string ColumnLetters(int column) {
  std::string letters;
  while (column > 0) {
    int rem = (column - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return letters;
}

std::string Location::ToString() const {
  std::string out = file;
  if (!sheet.empty()) {
    if (!out.empty()) out += ':';
    out += sheet;
    if (row > 0 || column > 0) {
      out += '!';
      out += ColumnLetters(column);
      if (row > 0) out += std::to_string(row);
    }
  } else if (row > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(row);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string Error::ToString() const {
  std::string out;
  std::string where_text = where.ToString();
  if (!where_text.empty()) out += where_text + ": ";
  if (!code.empty()) out += code + ": ";
  out += message;
  if (!where.expression.empty() && where.expr_offset >= 0) {
    out += "\n    " + text::OneLine(where.expression) + "\n    ";
    // The caret goes under the display column of the byte offset.
    size_t offset = std::min(static_cast<size_t>(where.expr_offset), where.expression.size());
    out +=
        std::string(text::DisplayWidth(std::string_view(where.expression).substr(0, offset)), ' ');
    out += '^';
  }
  return out;
}

}  // namespace ngosurvey
