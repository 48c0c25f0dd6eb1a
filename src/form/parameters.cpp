#include "form/parameters.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "base/text.h"

namespace ngosurvey::form {
namespace {

bool IsDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ',' ||
         c == ';';
}

// pyxform's TOKEN: anything but a delimiter or '='.
bool IsTokenChar(char c) { return !IsDelimiter(c) && c != '='; }

// A decimal number held exactly (pyxform checks a range with Python's Decimal: 0.3 is a
// multiple of 0.1 there, not in binary floating point): mantissa * 10^-scale.
struct Decimal {
  __int128 mantissa = 0;
  int scale = 0;
};

// Bounds that keep every sum and alignment below __int128's 1.7e38: at most 18 significant
// digits and 19 after the point, so a value is under 1e18 and a mantissa, at any scale a
// check aligns it to, under 2e37. Python's Decimal has no bound: a longer number is refused
// here as not a number (no real range needs one).
constexpr int kMaxDigits = 18;
constexpr int kMaxScale = 19;

// "12", "-0.25", "1e3", "+4.": the forms Python's Decimal reads, bar infinities and NaN
// (which pyxform refuses) and numbers beyond kMaxDigits and kMaxScale (nullopt too).
std::optional<Decimal> ParseDecimal(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  Decimal d;
  int digits = 0;
  bool any = false;
  // Significant digits count against kMaxDigits; leading zeros do not.
  auto push = [&](char c) {
    d.mantissa = d.mantissa * 10 + (c - '0');
    return d.mantissa == 0 || ++digits <= kMaxDigits;
  };
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
    if (!push(text[i])) return std::nullopt;
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
      if (!push(text[i])) return std::nullopt;
      ++d.scale;
    }
  }
  if (!any) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    int exponent = 0;
    const char* first = text.data() + i + 1;
    const char* last = text.data() + text.size();
    if (first < last && *first == '+') ++first;
    auto [end, ec] = std::from_chars(first, last, exponent);
    if (ec != std::errc() || end != last) return std::nullopt;
    d.scale -= exponent;
    i = text.size();
  }
  if (i != text.size()) return std::nullopt;
  for (; d.scale < 0; ++d.scale) {
    if (++digits > kMaxDigits) return std::nullopt;
    d.mantissa *= 10;
  }
  if (d.scale > kMaxScale) return std::nullopt;
  if (negative) d.mantissa = -d.mantissa;
  return d;
}

// The two mantissas at the larger of the two scales.
std::pair<__int128, __int128> Aligned(const Decimal& a, const Decimal& b) {
  __int128 x = a.mantissa, y = b.mantissa;
  for (int s = a.scale; s < b.scale; ++s) x *= 10;
  for (int s = b.scale; s < a.scale; ++s) y *= 10;
  return {x, y};
}

int Compare(const Decimal& a, const Decimal& b) {
  auto [x, y] = Aligned(a, b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Decimal Minus(const Decimal& a, const Decimal& b) {
  auto [x, y] = Aligned(a, b);
  return {x - y, std::max(a.scale, b.scale)};
}

Decimal Abs(Decimal a) {
  if (a.mantissa < 0) a.mantissa = -a.mantissa;
  return a;
}

// Whether a is a whole multiple of b (b not zero).
bool IsMultiple(const Decimal& a, const Decimal& b) {
  auto [x, y] = Aligned(a, b);
  return x % y == 0;
}

bool IsInteger(std::string_view text) {
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsFloat(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  std::strtod(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size();
}

bool IsReference(std::string_view text) {
  return text.size() > 3 && text.substr(0, 2) == "${" && text.back() == '}';
}

struct Checker {
  const Parameters& parameters;
  std::vector<std::string>* problems;

  const std::string* Get(std::string_view key) const {
    auto it = parameters.find(key);
    return it == parameters.end() ? nullptr : &it->second;
  }

  // pyxform's pv.validate: every key must be one of `accepted`.
  void Accept(std::initializer_list<std::string_view> accepted) const {
    std::vector<std::string> extra;
    for (const auto& [key, value] : parameters) {
      if (std::find(accepted.begin(), accepted.end(), key) == accepted.end()) extra.push_back(key);
    }
    if (extra.empty()) return;
    std::vector<std::string> sorted(accepted.begin(), accepted.end());
    std::sort(sorted.begin(), sorted.end());
    problems->push_back(
        fmt::format("the parameters {} are not accepted for this type: accepted "
                    "are {}",
                    fmt::join(extra, ", "), fmt::join(sorted, ", ")));
  }

  void TrueOrFalse(std::string_view key) const {
    if (const std::string* v = Get(key); v && *v != "true" && *v != "false") {
      problems->push_back(
          fmt::format("{} must be set to true or false: '{}' is an invalid value", key, *v));
    }
  }

  void Integer(std::string_view key) const {
    if (const std::string* v = Get(key); v && !IsInteger(*v)) {
      problems->push_back(fmt::format("the parameter {} must have an integer value", key));
    }
  }

  void Number(std::string_view key) const {
    if (const std::string* v = Get(key); v && !IsFloat(*v)) {
      problems->push_back(fmt::format("the parameter {} must have a numeric value", key));
    }
  }

  void OneOf(std::string_view key, std::initializer_list<std::string_view> values) const {
    const std::string* v = Get(key);
    if (v && std::find(values.begin(), values.end(), *v) == values.end()) {
      problems->push_back(fmt::format("{} must be one of {}: '{}' is an invalid value", key,
                                      fmt::join(values, ", "), *v));
    }
  }

  void Range(std::string_view appearance, const std::vector<ChoiceList>& lists) const;
  void Audit() const;
};

// Long on purpose: pyxform's range checks one after the other, each with its message.
// NOLINTNEXTLINE(readability-function-size)
void Checker::Range(std::string_view appearance, const std::vector<ChoiceList>& lists) const {
  Accept({"end", "placeholder", "start", "step", "tick_interval", "tick_labelset"});
  const bool ticks_appearance = appearance.find("vertical") != std::string_view::npos ||
                                appearance.find("no-ticks") != std::string_view::npos;
  if (!appearance.empty() && !ticks_appearance &&
      (Get("tick_interval") || Get("placeholder") || Get("tick_labelset"))) {
    problems->push_back(
        "the parameters tick_interval, placeholder and tick_labelset are only supported for "
        "the appearances 'vertical', 'no-ticks', 'vertical no-ticks' and the default "
        "(empty) horizontal");
  }
  auto number = [&](std::string_view key, const char* fallback) -> std::optional<Decimal> {
    const std::string* v = Get(key);
    if (!v && !fallback) return std::nullopt;
    std::optional<Decimal> d = ParseDecimal(v ? std::string_view(*v) : fallback);
    if (!d) {
      problems->push_back(fmt::format("for a range, the parameter '{}' must be a number", key));
    }
    return d;
  };
  const size_t before = problems->size();
  std::optional<Decimal> start = number("start", "1"), end = number("end", "10"),
                         step = number("step", "1"), tick = number("tick_interval", nullptr),
                         placeholder = number("placeholder", nullptr);
  if (problems->size() != before || !start || !end || !step) return;
  const Decimal width = Abs(Minus(*end, *start));
  auto fits = [&](const Decimal& value, std::string_view key) {
    if (value.mantissa == 0) {
      problems->push_back(fmt::format("for a range, the parameter '{}' must not be 0 (zero)", key));
      return false;
    }
    if (Compare(value, width) > 0) {
      problems->push_back(fmt::format(
          "for a range, the parameter '{}' must not be larger than the range (the difference "
          "between 'start' and 'end')",
          key));
      return false;
    }
    return true;
  };
  if (!fits(*step, "step")) return;
  if (tick && fits(*tick, "tick_interval") && !IsMultiple(*tick, *step)) {
    problems->push_back("for a range, the parameter 'tick_interval' must be a multiple of 'step'");
  }
  const Decimal& low = Compare(*start, *end) <= 0 ? *start : *end;
  const Decimal& high = Compare(*start, *end) <= 0 ? *end : *start;
  if (placeholder) {
    if (!IsMultiple(Minus(*placeholder, *start), *step)) {
      problems->push_back("for a range, the parameter 'placeholder' must be a multiple of 'step'");
    } else if (Compare(*placeholder, low) < 0 || Compare(*placeholder, high) > 0) {
      problems->push_back(
          "for a range, the parameter 'placeholder' must be between the 'start' and 'end' "
          "values, inclusive");
    }
  }
  const std::string* labelset = Get("tick_labelset");
  if (!labelset) return;
  auto list = std::find_if(lists.begin(), lists.end(),
                           [&](const ChoiceList& l) { return l.name == *labelset; });
  if (list == lists.end()) {
    problems->push_back(fmt::format(
        "for a range, the parameter 'tick_labelset' must name a choice list: '{}' is not one",
        *labelset));
    return;
  }
  const bool no_ticks = appearance.find("no-ticks") != std::string_view::npos;
  std::vector<Decimal> labels;
  for (const Choice& choice : list->choices) {
    std::optional<Decimal> value = ParseDecimal(choice.name);
    if (!value) {
      problems->push_back(fmt::format(
          "for a range, the choices of tick_labelset '{}' must all be numbers: '{}' is not",
          *labelset, choice.name));
      return;
    }
    if (Compare(*value, low) < 0 || Compare(*value, high) > 0) {
      problems->push_back(fmt::format(
          "for a range, the choices of tick_labelset '{}' must be between the 'start' and "
          "'end' values, inclusive: '{}' is not",
          *labelset, choice.name));
      return;
    }
    const Decimal& unit = tick ? *tick : *step;
    if (unit.mantissa != 0 && !IsMultiple(Minus(*value, *start), unit)) {
      problems->push_back(fmt::format(
          "for a range, the choices of tick_labelset '{}' must be a multiple of '{}' from "
          "'start': '{}' is not",
          *labelset, tick ? "tick_interval" : "step", choice.name));
      return;
    }
    if (std::none_of(labels.begin(), labels.end(),
                     [&](const Decimal& d) { return Compare(d, *value) == 0; })) {
      labels.push_back(*value);
    }
  }
  if (no_ticks && (labels.size() != 2 ||
                   std::none_of(labels.begin(), labels.end(),
                                [&](auto& d) { return Compare(d, *start) == 0; }) ||
                   std::none_of(labels.begin(), labels.end(),
                                [&](auto& d) { return Compare(d, *end) == 0; }))) {
    problems->push_back(
        "for a range with the appearance 'no-ticks', the tick_labelset must have exactly two "
        "choices, the 'start' and 'end' values");
  }
}

void Checker::Audit() const {
  Accept({"identify-user", "location-max-age", "location-min-interval", "location-priority",
          "track-changes", "track-changes-reasons"});
  TrueOrFalse("track-changes");
  TrueOrFalse("identify-user");
  if (const std::string* v = Get("track-changes-reasons"); v && *v != "on-form-edit") {
    problems->push_back("track-changes-reasons must be set to on-form-edit");
  }
  const std::string* priority = Get("location-priority");
  const std::string* min_interval = Get("location-min-interval");
  const std::string* max_age = Get("location-max-age");
  if (!priority && !min_interval && !max_age) return;
  if (!priority || !min_interval || !max_age) {
    problems->push_back(
        "location-priority, location-min-interval and location-max-age are required together");
    return;
  }
  OneOf("location-priority", {"no-power", "low-power", "balanced", "high-accuracy"});
  const size_t before = problems->size();
  Integer("location-min-interval");
  Integer("location-max-age");
  if (problems->size() != before) return;
  const long long interval = std::atoll(min_interval->c_str());
  const long long age = std::atoll(max_age->c_str());
  if (interval < 0 || age < 0) {
    problems->push_back(
        "location-min-interval and location-max-age must be greater than or equal to zero");
  } else if (age < interval) {
    problems->push_back("location-max-age must be greater than or equal to location-min-interval");
  }
}

}  // namespace

Result<Parameters> ParseParameters(std::string_view cell) {
  Parameters out;
  size_t i = 0;
  auto skip = [&] {
    while (i < cell.size() && IsDelimiter(cell[i])) ++i;
  };
  auto token = [&]() -> std::string_view {
    const size_t from = i;
    while (i < cell.size() && IsTokenChar(cell[i])) ++i;
    return cell.substr(from, i - from);
  };
  const auto bad = [&](std::string_view why) -> Result<Parameters> {
    return MakeError("E034",
                     fmt::format("the parameters \"{}\" are not key=value pairs: {}", cell, why));
  };
  for (skip(); i < cell.size(); skip()) {
    std::string_view key = token();
    if (key.empty()) return bad("'=' without a key before it");
    skip();
    if (i >= cell.size() || cell[i] != '=') {
      return bad(fmt::format("'{}' has no '=' and value", key));
    }
    ++i;
    skip();
    std::string_view value = token();
    if (value.empty()) return bad(fmt::format("'{}=' has no value", key));
    std::string name = text::AsciiLower(key);
    // pyxform lowercases values, except those naming a file's columns.
    out[name] = name == "label" || name == "value" ? std::string(value) : text::AsciiLower(value);
  }
  return out;
}

std::vector<std::string> CheckParameters(QuestionType type, std::string_view appearance,
                                         const Parameters& parameters,
                                         const std::vector<ChoiceList>& choice_lists) {
  std::vector<std::string> problems;
  Checker check{parameters, &problems};
  switch (type) {
    case QuestionType::kText:
      check.Accept({"rows"});
      check.Integer("rows");
      break;
    case QuestionType::kImage:
      check.Accept({"app", "max-pixels"});
      check.Integer("max-pixels");
      break;
    case QuestionType::kAudio:
      check.Accept({"quality"});
      check.OneOf("quality", {"voice-only", "low", "normal", "external"});
      break;
    case QuestionType::kBackgroundAudio:
      check.Accept({"quality"});
      check.OneOf("quality", {"voice-only", "low", "normal"});
      break;
    case QuestionType::kRange:
      check.Range(appearance, choice_lists);
      break;
    case QuestionType::kSelectOne:
    case QuestionType::kSelectMultiple:
    case QuestionType::kSelectOneFromFile:
    case QuestionType::kSelectMultipleFromFile: {
      const bool from_file =
          type == QuestionType::kSelectOneFromFile || type == QuestionType::kSelectMultipleFromFile;
      if (from_file) {
        check.Accept({"label", "randomize", "seed", "value"});
      } else {
        check.Accept({"randomize", "seed"});
      }
      check.TrueOrFalse("randomize");
      const std::string* seed = check.Get("seed");
      if (seed && !check.Get("randomize")) {
        problems.emplace_back("parameters must include randomize=true to use a seed");
      } else if (seed && !IsReference(*seed) && !IsFloat(*seed)) {
        problems.emplace_back("seed value must be a number or a reference to another field");
      }
      break;
    }
    case QuestionType::kGeopoint:
      check.Accept(
          {"allow-mock-accuracy", "capture-accuracy", "reference-geometry", "warning-accuracy"});
      check.Number("capture-accuracy");
      check.Number("warning-accuracy");
      check.TrueOrFalse("allow-mock-accuracy");
      break;
    case QuestionType::kGeoshape:
    case QuestionType::kGeotrace:
      check.Accept({"allow-mock-accuracy", "incremental", "reference-geometry"});
      check.OneOf("incremental", {"yes", "true", "true()"});
      check.TrueOrFalse("allow-mock-accuracy");
      break;
    case QuestionType::kAudit:
      check.Audit();
      break;
    default:
      break;  // pyxform reads other types' parameters without checking them
  }
  return problems;
}

double NumberParameter(const Parameters& parameters, std::string_view key, double fallback) {
  auto it = parameters.find(key);
  if (it == parameters.end()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(it->second.c_str(), &end);
  return end != it->second.c_str() && *end == '\0' ? value : fallback;
}

}  // namespace ngosurvey::form
