// Calendar dates and times of day as ngosurvey counts and writes them: the
// proleptic Gregorian calendar, days since 1970-01-01, milliseconds since
// 1970-01-01T00:00Z, ISO 8601 text. The one home of date arithmetic (Howard
// Hinnant's days_from_civil / civil_from_days, public-domain algorithms) and of the
// strict ISO grammar of times that imports, the server and the displays share
// (ParseIsoTime, ParseIsoDateTime); XPath's lenient one stays in form/expr.
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

// A time as written: the instant, and the UTC offset it was written with (minutes east
// of UTC: "+07:00" is 420, "Z" is 0), nullopt when the text has no zone.
struct ZonedTime {
  int64_t millis = 0;
  std::optional<int> offset_minutes;
  friend bool operator==(const ZonedTime&, const ZonedTime&) = default;
};

// "HH:MM[:SS[.fff...]][Z|+hh:mm|-hh:mm|+hhmm|+hh]": `millis` is the time of day as
// written (the zone is not applied), with the offset it names.
std::optional<ZonedTime> ParseIsoTime(std::string_view text);
// "YYYY-MM-DD[(T| )time]" with the time above: the instant (a text without a zone is
// read as UTC, as KoboToolbox writes `_submission_time`; a bare date is its
// midnight), with the offset written. As exports and ODK clients write them:
// "2024-03-05T09:12:44.123+07:00".
std::optional<ZonedTime> ParseIsoDateTime(std::string_view text);

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

// An instant as people where it happened read it: the local time of the offset it
// was written with ("2024-03-05T09:12:44.123+07:00"), or UTC ("...Z") when no offset
// is known or it is zero.
std::string FormatLocalDateTime(int64_t millis, std::optional<int> offset_minutes);
// The local day (days since 1970-01-01) of an instant at that offset (UTC when none).
int64_t LocalDayOfMillis(int64_t millis, std::optional<int> offset_minutes);
// The largest UTC offset ISO 8601 and the platforms write: 18 hours, in minutes.
inline constexpr int kMaxUtcOffsetMinutes = 18 * 60;

}  // namespace ngosurvey::date
