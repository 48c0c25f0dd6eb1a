// Calendar dates and times of day as ngosurvey counts and writes them: the
// proleptic Gregorian calendar, days since 1970-01-01, milliseconds since
// 1970-01-01T00:00Z, ISO 8601 text. The one home of date arithmetic (Howard
// Hinnant's days_from_civil / civil_from_days, public-domain algorithms); the
// grammars that read times of day stay with their readers (XPath's lenient one in
// form/expr, an import's strict one in exchange).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ngosurvey::date {

inline constexpr int64_t kMillisPerDay = 86'400'000;

// A calendar date: month 1-12, day 1-31.
struct Civil {
  int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

bool IsLeapYear(int64_t year);
// Days in `month` (1-12) of `year`.
unsigned DaysInMonth(int64_t year, unsigned month);

// Days since 1970-01-01 of a date (negative before it), and back. The arguments of
// DaysFromCivil must make a real date (month 1-12, day within the month).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
Civil CivilFromDays(int64_t days);

// The day (days since 1970-01-01) that contains the instant `millis`, rounding
// down: -1 ms is 1969-12-31.
int64_t DayOfMillis(int64_t millis);

// Exactly "YYYY-MM-DD" naming a real date (no 2026-02-30) -> days since 1970-01-01;
// nullopt for anything else (no spaces, no time part).
std::optional<int64_t> ParseIsoDate(std::string_view text);
inline bool IsIsoDate(std::string_view text) { return ParseIsoDate(text).has_value(); }

// Formatting into a caller's buffer (no allocation; the expression engine's
// evaluations use these) of at least kFormatBufferSize bytes; returns the length.
inline constexpr size_t kFormatBufferSize = 48;
// "YYYY-MM-DD" (a year outside 0-9999 is written with its sign and all its digits).
size_t FormatIsoDate(int64_t days, char* buf);
// "YYYY-MM-DDTHH:MM:SS.fff+HH:MM": the instant `millis` as local time at
// `offset_minutes` east of UTC, with that offset.
size_t FormatIsoDateTime(int64_t millis, int offset_minutes, char* buf);

std::string FormatIsoDate(int64_t days);
std::string FormatIsoDateTime(int64_t millis, int offset_minutes);
// "YYYY-MM-DDTHH:MM:SS.fffZ": the instant in UTC.
std::string FormatIsoDateTimeUtc(int64_t millis);

}  // namespace ngosurvey::date
