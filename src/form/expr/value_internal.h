// Conversions between XPath values and text (internal to form/expr): XPath number
// syntax, number formatting, ISO 8601 dates, times and date-times.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ngosurvey::form::expr {

inline constexpr double kMillisPerDay = 86400000.0;

// std::from_chars for a double of plain decimal text ("12", "3.25"): libc++ before
// version 17 (the WebAssembly build's, docs/web.md) has none, so there it is strtod,
// correctly rounded in musl as in glibc; text with a sign, spaces, an exponent or
// hex digits is not accepted by that path (callers pass digits and one dot).
std::from_chars_result DecimalFromChars(const char* first, const char* last, double& value);

// XPath number(): optional spaces, optional '-', digits with an optional '.', and
// optional spaces; anything else (including "" and exponents) is NaN.
double ParseXPathNumber(std::string_view s);

// XPath string() of a number: "NaN", "Infinity", "-Infinity", integers without a
// decimal point, otherwise the shortest decimal that reads back the same, never
// with an exponent. Writes into `buf` (at least kNumberBufferSize bytes); returns
// the length.
inline constexpr size_t kNumberBufferSize = 400;
size_t FormatNumber(double d, char* buf);
std::string FormatNumber(double d);

// A parsed ISO 8601 date or date-time.
struct ParsedDateTime {
  double millis = 0;   // since 1970-01-01T00:00Z (local time minus tz)
  int tz_minutes = 0;  // offset written in the text (0 when none)
  bool has_time = false;
  bool has_tz = false;
};

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with optional "Z" or "+HH:MM"/"-HH:MM"
// (or "+HHMM"/"+HH"). Leading and trailing spaces are ignored. nullopt otherwise.
std::optional<ParsedDateTime> ParseIsoDateTime(std::string_view s);

// "HH:MM[:SS[.fff]]" with an optional zone: fraction of a day as written (the zone
// is not applied). nullopt when malformed.
std::optional<double> ParseIsoTimeFraction(std::string_view s);

// Formats into buf (>= date::kFormatBufferSize bytes), returns the length; 0 for a
// value that is not finite or lies beyond a billion days (base/date.h).
size_t FormatDate(double days, char* buf);                        // YYYY-MM-DD
size_t FormatDateTime(double millis, int tz_minutes, char* buf);  // ...THH:MM:SS.fff+HH:MM

}  // namespace ngosurvey::form::expr
