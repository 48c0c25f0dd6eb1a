#include "form/answer.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace ngosurvey::form {
namespace {

// ASCII letters and digits, whatever the process's locale (std::isalpha depends on it),
// without a library call per character.
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameStart(char c) { return IsAsciiLetter(c) || c == '_'; }
bool IsNameChar(char c) {
  return IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

Result<PathStep> ParseStep(std::string_view step, std::string_view path) {
  auto bad = [&](const std::string& why) {
    return MakeError("A003", "bad answer path \"" + std::string(path) + "\": step \"" +
                                 std::string(step) + "\" " + why);
  };
  PathStep out;
  size_t open = step.find('[');
  std::string_view name = step.substr(0, open);
  if (name.empty()) return bad("has no name");
  if (!IsNameStart(name[0])) return bad("must start with a letter or '_'");
  for (char c : name) {
    if (!IsNameChar(c)) return bad("has a character that is not allowed in a name");
  }
  out.name = std::string(name);
  if (open == std::string_view::npos) return out;
  std::string_view rest = step.substr(open + 1);
  if (rest.size() < 2 || rest.back() != ']') return bad("has an unclosed repeat index");
  std::string_view digits = rest.substr(0, rest.size() - 1);
  if (digits.empty() || digits.size() > 9 || digits[0] == '0') {
    return bad("needs a repeat index from 1");
  }
  int index = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad("needs a numeric repeat index");
    index = index * 10 + (c - '0');
  }
  out.index = index;
  return out;
}

}  // namespace

std::string_view AnswerStateName(AnswerState state) {
  switch (state) {
    case AnswerState::kAnswered:
      return "answered";
    case AnswerState::kRefused:
      return "refused";
    case AnswerState::kDontKnow:
      return "dont_know";
    case AnswerState::kNotAsked:
      return "not_asked";
    case AnswerState::kMissing:
      return "missing";
  }
  return "missing";
}

Result<AnswerState> ParseAnswerState(std::string_view name) {
  for (AnswerState state : kAllAnswerStates) {
    if (AnswerStateName(state) == name) return state;
  }
  return MakeError("A001", "unknown answer state \"" + std::string(name) +
                               "\" (expected answered, refused, dont_know, not_asked or missing)");
}

Status CheckAnswer(const Answer& answer) {
  switch (answer.state) {
    case AnswerState::kAnswered:
      if (answer.value.empty()) return MakeError("A002", "an answered question needs a value");
      if (!text::IsValidUtf8(answer.value)) {
        return MakeError("A002", "the value is not valid UTF-8 text");
      }
      return Ok();
    case AnswerState::kNotAsked:
      return Ok();
    case AnswerState::kRefused:
    case AnswerState::kDontKnow:
    case AnswerState::kMissing:
      if (!answer.value.empty()) {
        return MakeError("A002", "a " + std::string(AnswerStateName(answer.state)) +
                                     " answer must have no value, got \"" + answer.value + "\"");
      }
      return Ok();
  }
  return Ok();
}

Result<std::vector<PathStep>> ParseAnswerPath(std::string_view path) {
  if (path.empty()) return MakeError("A003", "empty answer path");
  std::vector<PathStep> steps;
  steps.reserve(static_cast<size_t>(std::count(path.begin(), path.end(), '/')) + 1);
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view step =
        path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    steps.push_back(NGO_TRY(ParseStep(step, path)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return steps;
}

std::string FormatAnswerPath(const std::vector<PathStep>& steps) {
  std::string out;
  for (const PathStep& step : steps) {
    if (!out.empty()) out += '/';
    out += step.name;
    if (step.index > 0) out += "[" + std::to_string(step.index) + "]";
  }
  return out;
}

std::vector<std::string> SplitSelected(std::string_view value) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < value.size()) {
    while (pos < value.size() && value[pos] == ' ') ++pos;
    size_t end = value.find(' ', pos);
    if (end == std::string_view::npos) end = value.size();
    if (end > pos) names.emplace_back(value.substr(pos, end - pos));
    pos = end;
  }
  return names;
}

std::string JoinSelected(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

}  // namespace ngosurvey::form
