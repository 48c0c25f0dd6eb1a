// Which spreadsheet number formats show a number as a date or a time: the one rule of
// the .xlsx reader (styles.xml's numFmt) and the .xls reader (BIFF8 FORMAT and XF
// records, for formulas' cached numbers). Private to src/form.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/text.h"

namespace ngosurvey::form {

// Built-in format ids 14-22, 27-36, 45-47 and 50-58 are dates or times.
enum class DateStyle : uint8_t { kNone, kDate, kTime };

inline DateStyle ClassifyBuiltin(int id) {
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return DateStyle::kTime;
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
    return DateStyle::kDate;
  }
  return DateStyle::kNone;
}

// A custom number format is a date when, outside quoted text, escapes and [colour]
// or [$-locale] brackets, it uses d, m, y, h or s; it is time-only without d and y.
inline DateStyle ClassifyFormatCode(std::string_view code) {
  bool date = false, time = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string inner = text::AsciiLower(code.substr(i + 1, close - i - 1));
      if (!inner.empty() && (inner[0] == 'h' || inner[0] == 'm' || inner[0] == 's') &&
          inner.find_first_not_of(inner[0]) == std::string::npos) {
        time = true;  // elapsed time: [h], [mm], [ss]
      }
      i = close;
    } else if (c == ';') {
      break;  // only the first section decides
    } else {
      char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == 'd' || lower == 'y') date = true;
      if (lower == 'h' || lower == 's') time = true;
      if (lower == 'm') date = true;  // month or minute: either way a date/time format
    }
  }
  if (date && !time) return DateStyle::kDate;
  if (time && !date) return DateStyle::kTime;
  if (date && time) {
    // "h:mm" alone sets date via 'm'; treat it as time when there is no d or y.
    std::string lower = text::AsciiLower(code);
    bool has_dy = lower.find('d') != std::string::npos || lower.find('y') != std::string::npos;
    return has_dy ? DateStyle::kDate : DateStyle::kTime;
  }
  return DateStyle::kNone;
}

}  // namespace ngosurvey::form
