#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/date.h"
#include "exchange/values_internal.h"
#include "form/answer.h"

namespace ngosurvey::exchange {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  *out = value;
  return true;
}

// "HH:MM[:SS[.fff]][Z|+hh:mm|-hh:mm|+hhmm|+hh]" from `pos`; sets millis of the day and the zone
// offset in minutes.
bool ParseClock(std::string_view s, size_t pos, int64_t* millis, int* offset_minutes) {
  int h = 0, mi = 0, sec = 0;
  if (!Digits(s, pos, 2, &h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !Digits(s, pos + 3, 2, &mi)) {
    return false;
  }
  pos += 5;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &sec)) return false;
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
      if (pos == start) return false;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return false;
  *offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh = 0, om = 0;
      if (!Digits(s, pos + 1, 2, &oh)) return false;
      const int sign = s[pos] == '-' ? -1 : 1;
      size_t next = pos + 3;
      if (next == s.size()) {
        pos = next;  // "+hh" alone: ISO 8601's hour offset (Kobo's exports have "-04")
      } else {
        if (s[next] == ':') ++next;
        if (!Digits(s, next, 2, &om)) return false;
        pos = next + 2;
      }
      *offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (pos != s.size()) return false;
  *millis = ((h * 60 + mi) * 60 + sec) * int64_t{1000} + ms;
  return true;
}

}  // namespace

std::optional<int64_t> ParseDateTimeMillis(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto days = date::ParseIsoDate(text.substr(0, 10));
  if (!days) return std::nullopt;
  if (text.size() == 10) return *days * date::kMillisPerDay;
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  int64_t millis = 0;
  int offset = 0;
  if (!ParseClock(text, 11, &millis, &offset)) return std::nullopt;
  return *days * date::kMillisPerDay + millis - int64_t{offset} * 60000;
}

std::optional<int64_t> ParseTimeMillis(std::string_view text) {
  int64_t millis = 0;
  int offset = 0;
  if (!ParseClock(text, 0, &millis, &offset)) return std::nullopt;
  return millis;
}

std::optional<double> ParseNumber(std::string_view text) {
  // One digit (0/1 option columns, most codes) without from_chars.
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '9') return double(text[0] - '0');
  if (text.empty() || text.size() > 64) return std::nullopt;
  double value = 0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool IsInteger(std::string_view text) {
  size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  if (i == text.size() || text.size() - i > 18) return false;
  return std::all_of(text.begin() + i, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<ValueProblem> CheckValue(const form::Form& form, const form::Question& q,
                                       std::string_view raw,
                                       const std::vector<std::string>& refused,
                                       const std::vector<std::string>& dont_know) {
  using form::QuestionType;
  std::string value(raw);
  auto is_code = [&](std::string_view v) {
    return std::find(refused.begin(), refused.end(), v) != refused.end() ||
           std::find(dont_know.begin(), dont_know.end(), v) != dont_know.end();
  };
  switch (q.type) {
    case QuestionType::kInteger:
      if (!IsInteger(raw))
        return ValueProblem{"IMP012",
                            "'" + value + "' is not an integer (question '" + q.name + "')"};
      return std::nullopt;
    case QuestionType::kDecimal:
    case QuestionType::kRange:
      if (!ParseNumber(raw))
        return ValueProblem{"IMP012",
                            "'" + value + "' is not a number (question '" + q.name + "')"};
      return std::nullopt;
    case QuestionType::kDate:
    case QuestionType::kToday:
      if (!date::ParseIsoDate(raw))
        return ValueProblem{"IMP014",
                            "'" + value + "' is not a date YYYY-MM-DD (question '" + q.name + "')"};
      return std::nullopt;
    case QuestionType::kDateTime:
    case QuestionType::kStart:
    case QuestionType::kEnd:
      if (!ParseDateTimeMillis(raw))
        return ValueProblem{
            "IMP014",
            "'" + value + "' is not a date-time YYYY-MM-DDTHH:MM:SS (question '" + q.name + "')"};
      return std::nullopt;
    case QuestionType::kTime:
      if (!ParseTimeMillis(raw))
        return ValueProblem{"IMP014",
                            "'" + value + "' is not a time HH:MM:SS (question '" + q.name + "')"};
      return std::nullopt;
    case QuestionType::kSelectOne:
    case QuestionType::kSelectMultiple: {
      const form::ChoiceList* list = form.FindChoiceList(q.list_name);
      if (!list) return std::nullopt;  // the form check reports a missing list
      std::vector<std::string> chosen = q.type == QuestionType::kSelectOne
                                            ? std::vector<std::string>{value}
                                            : form::SplitSelected(raw);
      for (const std::string& name : chosen) {
        if (list->Find(name) || (q.or_other && name == "other")) {
          if (chosen.size() > 1 && is_code(name)) {
            return ValueProblem{
                "IMP020",
                "'" + name +
                    "' is a non-answer and cannot be chosen with other options (question '" +
                    q.name + "')"};
          }
          continue;
        }
        return ValueProblem{"IMP013", "'" + name + "' is not a choice of list '" + q.list_name +
                                          "' (question '" + q.name + "')"};
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace ngosurvey::exchange
