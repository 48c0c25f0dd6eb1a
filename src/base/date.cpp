#include "base/date.h"

#include <cstdio>

namespace ngosurvey::date {
namespace {

// Floor division for a positive divisor.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

// Reads the `n` decimal digits at s[pos]; false when one is not a digit.
bool ReadDigits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  unsigned value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  *out = value;
  return true;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  unsigned value = 0;
  if (!ReadDigits(s, pos, n, &value)) return false;
  *out = static_cast<int>(value);
  return true;
}

// The time of ParseIsoTime from s[pos] to the end.
std::optional<ZonedTime> ParseClock(std::string_view s, size_t pos) {
  int h = 0, mi = 0, sec = 0;
  if (!Digits(s, pos, 2, &h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !Digits(s, pos + 3, 2, &mi)) {
    return std::nullopt;
  }
  pos += 5;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      int scale = 100;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  ZonedTime out;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
      out.offset_minutes = 0;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh = 0, om = 0;
      if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
      const int sign = s[pos] == '-' ? -1 : 1;
      size_t next = pos + 3;
      if (next == s.size()) {
        pos = next;  // "+hh" alone: ISO 8601's hour offset (Kobo's exports have "-04")
      } else {
        if (s[next] == ':') ++next;
        if (!Digits(s, next, 2, &om)) return std::nullopt;
        pos = next + 2;
      }
      if (om > 59 || oh * 60 + om > kMaxUtcOffsetMinutes) return std::nullopt;
      out.offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (pos != s.size()) return std::nullopt;
  out.millis = ((h * 60 + mi) * 60 + sec) * int64_t{1000} + ms;
  return out;
}

}  // namespace

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Civil CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Civil out;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = static_cast<int64_t>(yoe) + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

int64_t DayOfMillis(int64_t millis) { return FloorDiv(millis, kMillisPerDay); }

std::optional<int64_t> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  unsigned year = 0, month = 0, day = 0;
  if (!ReadDigits(text, 0, 4, &year) || !ReadDigits(text, 5, 2, &month) ||
      !ReadDigits(text, 8, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return DaysFromCivil(year, month, day);
}

std::optional<ZonedTime> ParseIsoTime(std::string_view text) { return ParseClock(text, 0); }

std::optional<ZonedTime> ParseIsoDateTime(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto days = ParseIsoDate(text.substr(0, 10));
  if (!days) return std::nullopt;
  if (text.size() == 10) return ZonedTime{*days * kMillisPerDay, std::nullopt};
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  std::optional<ZonedTime> clock = ParseClock(text, 11);
  if (!clock) return std::nullopt;
  clock->millis += *days * kMillisPerDay - int64_t{clock->offset_minutes.value_or(0)} * 60000;
  return clock;
}

size_t FormatIsoDate(int64_t days, char* buf) {
  Civil c = CivilFromDays(days);
  int n = std::snprintf(buf, kFormatBufferSize, "%04lld-%02u-%02u", static_cast<long long>(c.year),
                        c.month, c.day);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

size_t FormatIsoDateTime(int64_t millis, int offset_minutes, char* buf) {
  const int64_t local = millis + int64_t{offset_minutes} * 60000;
  const int64_t days = DayOfMillis(local);
  const int64_t ms_of_day = local - days * kMillisPerDay;
  Civil c = CivilFromDays(days);
  const int offset_abs = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  int n =
      std::snprintf(buf, kFormatBufferSize, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
                    static_cast<long long>(c.year), c.month, c.day,
                    static_cast<int>(ms_of_day / 3600000), static_cast<int>(ms_of_day / 60000 % 60),
                    static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000),
                    offset_minutes < 0 ? '-' : '+', offset_abs / 60, offset_abs % 60);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

std::string FormatIsoDate(int64_t days) {
  char buf[kFormatBufferSize];
  return std::string(buf, FormatIsoDate(days, buf));
}

std::string FormatIsoDateTime(int64_t millis, int offset_minutes) {
  char buf[kFormatBufferSize];
  return std::string(buf, FormatIsoDateTime(millis, offset_minutes, buf));
}

std::string FormatIsoDateTimeUtc(int64_t millis) {
  std::string out = FormatIsoDateTime(millis, 0);
  out.replace(out.size() - 6, 6, "Z");  // "+00:00" -> "Z"
  return out;
}

std::string FormatLocalDateTime(int64_t millis, std::optional<int> offset_minutes) {
  if (!offset_minutes || *offset_minutes == 0) return FormatIsoDateTimeUtc(millis);
  return FormatIsoDateTime(millis, *offset_minutes);
}

int64_t LocalDayOfMillis(int64_t millis, std::optional<int> offset_minutes) {
  return DayOfMillis(millis + int64_t{offset_minutes.value_or(0)} * 60000);
}

}  // namespace ngosurvey::date
