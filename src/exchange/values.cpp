#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/date.h"
#include "exchange/values_internal.h"
#include "form/answer.h"

namespace ngosurvey::exchange {

std::optional<int64_t> ParseDateTimeMillis(std::string_view text) {
  auto time = date::ParseIsoDateTime(text);
  if (!time) return std::nullopt;
  return time->millis;
}

std::optional<int64_t> ParseTimeMillis(std::string_view text) {
  auto time = date::ParseIsoTime(text);
  if (!time) return std::nullopt;
  return time->millis;
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
