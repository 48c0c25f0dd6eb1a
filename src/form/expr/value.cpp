#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/date.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Reads exactly `n` digits at s[*pos].
bool ReadDigits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int value = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += n;
  *out = value;
  return true;
}

// Parses "HH:MM[:SS[.fff]]" at *pos; returns milliseconds into the day.
bool ReadTime(std::string_view s, size_t* pos, double* millis) {
  int h, mi, sec = 0;
  if (!ReadDigits(s, pos, 2, &h)) return false;
  if (*pos >= s.size() || s[*pos] != ':') return false;
  ++*pos;
  if (!ReadDigits(s, pos, 2, &mi)) return false;
  double frac = 0;
  if (*pos < s.size() && s[*pos] == ':') {
    ++*pos;
    if (!ReadDigits(s, pos, 2, &sec)) return false;
    if (*pos < s.size() && s[*pos] == '.') {
      ++*pos;
      double scale = 0.1;
      size_t start = *pos;
      while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') {
        frac += (s[*pos] - '0') * scale;
        scale /= 10;
        ++*pos;
      }
      if (*pos == start) return false;
    }
  }
  if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0 || frac != 0)))
    return false;
  *millis = ((h * 60.0 + mi) * 60.0 + sec + frac) * 1000.0;
  *millis = std::round(*millis);
  return true;
}

// Parses an optional zone at *pos: Z, +HH:MM, +HHMM, +HH.
bool ReadZone(std::string_view s, size_t* pos, int* minutes, bool* has_tz) {
  *minutes = 0;
  *has_tz = false;
  if (*pos >= s.size()) return true;
  char c = s[*pos];
  if (c == 'Z') {
    ++*pos;
    *has_tz = true;
    return true;
  }
  if (c != '+' && c != '-') return false;
  ++*pos;
  int h, m = 0;
  if (!ReadDigits(s, pos, 2, &h)) return false;
  if (*pos < s.size() && s[*pos] == ':') ++*pos;
  if (*pos < s.size()) {
    if (!ReadDigits(s, pos, 2, &m)) return false;
  }
  if (h > 14 || m > 59) return false;
  *minutes = (c == '-' ? -1 : 1) * (h * 60 + m);
  *has_tz = true;
  return true;
}

}  // namespace

std::from_chars_result DecimalFromChars(const char* first, const char* last, double& value) {
#if defined(__GLIBCXX__)
  return std::from_chars(first, last, value);
#else
  std::string text(first, last);
  for (char c : text) {
    if ((c < '0' || c > '9') && c != '.') return {first, std::errc::invalid_argument};
  }
  char* end = nullptr;
  errno = 0;
  double parsed = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return {first, std::errc::invalid_argument};
  const char* ptr = first + (end - text.c_str());
  if (errno == ERANGE && std::isinf(parsed)) return {ptr, std::errc::result_out_of_range};
  value = parsed;
  return {ptr, std::errc()};
#endif
}

double ParseXPathNumber(std::string_view s) {
  s = TrimSpaces(s);
  if (s.empty()) return NAN;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
  }
  size_t digits = 0;
  bool dot = false;
  for (size_t j = i; j < s.size(); ++j) {
    char c = s[j];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return NAN;
    }
  }
  if (digits == 0) return NAN;
  double value = 0;
  std::string_view body = s.substr(i);
  auto [ptr, ec] = DecimalFromChars(body.data(), body.data() + body.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = std::strtod(std::string(body).c_str(), nullptr);
  } else if (ec != std::errc() || ptr != body.data() + body.size()) {
    return NAN;
  }
  return negative ? -value : value;
}

size_t FormatNumber(double d, char* buf) {
  if (std::isnan(d)) {
    std::memcpy(buf, "NaN", 3);
    return 3;
  }
  if (std::isinf(d)) {
    if (d > 0) {
      std::memcpy(buf, "Infinity", 8);
      return 8;
    }
    std::memcpy(buf, "-Infinity", 9);
    return 9;
  }
  if (d == 0) {  // also -0
    buf[0] = '0';
    return 1;
  }
#if defined(__GLIBCXX__)
  auto [ptr, ec] = std::to_chars(buf, buf + kNumberBufferSize, d, std::chars_format::fixed);
  if (ec != std::errc()) {
    int n = std::snprintf(buf, kNumberBufferSize, "%.17g", d);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }
  return static_cast<size_t>(ptr - buf);
#else
  // The WebAssembly build's libc++ has no floating-point to_chars: the same text by
  // hand. to_chars(fixed) gives the fewest characters that read back the same, the
  // closest to the value on a tie: beyond 2^53 that is the exact integer (printf's
  // %.0f); below, the shortest significant digits that read back, laid out without
  // an exponent.
  if (std::fabs(d) >= 9007199254740992.0) {
    int n = std::snprintf(buf, kNumberBufferSize, "%.0f", d);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }
  char sci[40];
  for (int precision = 0; precision <= 17; ++precision) {
    std::snprintf(sci, sizeof sci, "%.*e", precision, d);
    if (std::strtod(sci, nullptr) == d) break;
  }
  // sci is "[-]D[.DDD]e[+-]XX".
  std::string digits;
  const char* p = sci;
  bool negative = *p == '-';
  if (negative) ++p;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits += *p;
  }
  int exponent = std::atoi(p + 1);
  std::string out = negative ? "-" : "";
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    out += digits;
  } else {
    size_t whole = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= whole) {
      out += digits;
      out.append(whole - digits.size(), '0');
    } else {
      out += digits.substr(0, whole) + "." + digits.substr(whole);
    }
  }
  std::memcpy(buf, out.data(), out.size());
  return out.size();
#endif
}

std::string FormatNumber(double d) {
  char buf[kNumberBufferSize];
  return std::string(buf, FormatNumber(d, buf));
}

std::optional<ParsedDateTime> ParseIsoDateTime(std::string_view s) {
  s = TrimSpaces(s);
  size_t pos = 0;
  int y, m, d;
  if (!ReadDigits(s, &pos, 4, &y)) return std::nullopt;
  if (pos >= s.size() || s[pos] != '-') return std::nullopt;
  ++pos;
  if (!ReadDigits(s, &pos, 2, &m)) return std::nullopt;
  if (pos >= s.size() || s[pos] != '-') return std::nullopt;
  ++pos;
  if (!ReadDigits(s, &pos, 2, &d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > date::DaysInMonth(y, m))
    return std::nullopt;
  ParsedDateTime out;
  double day_millis = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    if (!ReadTime(s, &pos, &day_millis)) return std::nullopt;
    if (!ReadZone(s, &pos, &out.tz_minutes, &out.has_tz)) return std::nullopt;
    out.has_time = true;
  }
  if (pos != s.size()) return std::nullopt;
  out.millis = static_cast<double>(date::DaysFromCivil(y, m, d)) * kMillisPerDay + day_millis -
               out.tz_minutes * 60000.0;
  return out;
}

std::optional<double> ParseIsoTimeFraction(std::string_view s) {
  s = TrimSpaces(s);
  size_t pos = 0;
  double millis;
  if (!ReadTime(s, &pos, &millis)) return std::nullopt;
  int tz;
  bool has_tz;
  if (!ReadZone(s, &pos, &tz, &has_tz) || pos != s.size()) return std::nullopt;
  return millis / kMillisPerDay;
}

size_t FormatDate(double days, char* buf) {
  if (!std::isfinite(days) || std::fabs(days) > 1e9) return 0;
  return date::FormatIsoDate(static_cast<int64_t>(std::floor(days)), buf);
}

size_t FormatDateTime(double millis, int tz_minutes, char* buf) {
  if (!std::isfinite(millis) || std::fabs(millis) > 1e9 * kMillisPerDay) return 0;
  return date::FormatIsoDateTime(static_cast<int64_t>(std::floor(millis)), tz_minutes, buf);
}

}  // namespace ngosurvey::form::expr
