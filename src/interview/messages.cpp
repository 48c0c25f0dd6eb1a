#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <string>

#include "base/date.h"
#include "base/text.h"
#include "form/answer.h"
#include "form/parameters.h"
#include "interview/interview.h"
#include "interview/messages_internal.h"

namespace ngosurvey::interview {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "[-+]digits[.digits]" or "[-+].digits"; no exponent, no spaces.
bool IsDecimalText(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return AllDigits(s);
  std::string_view whole = s.substr(0, dot), frac = s.substr(dot + 1);
  return (whole.empty() || AllDigits(whole)) && AllDigits(frac);
}

std::string FormatNumber(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

// "HH:MM" or "HH:MM:SS[.sss]" -> "HH:MM:SS[.sss]"; an offset is kept.
bool CanonicalTime(std::string_view s, std::string* out) {
  std::string_view zone;
  size_t z = s.find_first_of("Z+-");
  if (z != std::string_view::npos) {
    zone = s.substr(z);
    s = s.substr(0, z);
  }
  auto parts = text::Split(s, ':');
  if (parts.size() < 2 || parts.size() > 3) return false;
  std::string_view h = parts[0], m = parts[1];
  if (h.empty() || h.size() > 2 || !AllDigits(h) || m.size() != 2 || !AllDigits(m)) return false;
  int hh = std::atoi(std::string(h).c_str()), mm = std::atoi(std::string(m).c_str());
  if (hh > 23 || mm > 59) return false;
  std::string sec = "00";
  if (parts.size() == 3) {
    std::string_view sv = parts[2];
    std::string_view whole = sv.substr(0, sv.find('.'));
    if (whole.size() != 2 || !AllDigits(whole) || std::atoi(std::string(whole).c_str()) > 59) {
      return false;
    }
    if (whole.size() < sv.size() && !AllDigits(sv.substr(whole.size() + 1))) return false;
    sec = std::string(sv);
  }
  if (!zone.empty() && zone != "Z") {
    if (zone.size() != 6 || zone[3] != ':' || !AllDigits(zone.substr(1, 2)) ||
        !AllDigits(zone.substr(4, 2))) {
      return false;
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:", hh, mm);
  *out = buf + sec + std::string(zone);
  return true;
}

}  // namespace

std::string ScreenText(ScreenWord word, std::string_view language, std::string_view arg1,
                       std::string_view arg2) {
  // In the order of ScreenWord.
  constexpr Msg kWords[] = {Msg::kWordRequired,        Msg::kWordHint,
                            Msg::kWordPressEnter,      Msg::kWordCurrent,
                            Msg::kWordEndOfForm,       Msg::kWordAddRepeat,
                            Msg::kWordNothingHere,     Msg::kWordQuestionsOnScreen,
                            Msg::kWordTypeYToComplete, Msg::kWordTypeYOrN,
                            Msg::kWordSaved,           Msg::kWordRemoved,
                            Msg::kWordRefused,         Msg::kWordDontKnow,
                            Msg::kWordNotAsked,        Msg::kWordNoAnswer,
                            Msg::kWordReviewTitle,     Msg::kWordLanguage,
                            Msg::kWordDraftSaved,      Msg::kWordStopped,
                            Msg::kWordInputEnded,      Msg::kWordCompleted,
                            Msg::kWordInterview,       Msg::kWordUnknownCommand,
                            Msg::kWordSeveralChoices,  Msg::kWordHelp};
  static_assert(std::size(kWords) == static_cast<size_t>(ScreenWord::kHelp) + 1);
  return Message(kWords[static_cast<size_t>(word)], language, arg1, arg2);
}

std::string Message(Msg msg, std::string_view language, std::string_view arg1,
                    std::string_view arg2) {
  return words::Text(msg, language, {arg1, arg2});
}

namespace {

// Khmer digits (U+17E0..U+17E9, UTF-8 E1 9F A0..A9) as ASCII digits: a Khmer keyboard
// types them, and the example form's Khmer hints write numbers with them.
std::string AsciiDigits(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (i + 2 < in.size() && static_cast<unsigned char>(in[i]) == 0xE1 &&
        static_cast<unsigned char>(in[i + 1]) == 0x9F &&
        static_cast<unsigned char>(in[i + 2]) >= 0xA0 &&
        static_cast<unsigned char>(in[i + 2]) <= 0xA9) {
      out += static_cast<char>('0' + (static_cast<unsigned char>(in[i + 2]) - 0xA0));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace

Canonical CanonicalValue(form::QuestionType type, std::string_view raw,
                         std::string_view parameters) {
  using form::QuestionType;
  Canonical c;
  bool numeric = type == QuestionType::kInteger || type == QuestionType::kDecimal ||
                 type == QuestionType::kRange || type == QuestionType::kDate ||
                 type == QuestionType::kTime || type == QuestionType::kDateTime;
  std::string ascii = numeric ? AsciiDigits(raw) : std::string();
  std::string_view value = text::Trim(numeric ? std::string_view(ascii) : raw);
  auto fail = [&](Msg msg, std::string a1 = "", std::string a2 = "") {
    c.ok = false;
    c.msg = msg;
    c.arg1 = std::move(a1);
    c.arg2 = std::move(a2);
    return c;
  };
  switch (type) {
    case QuestionType::kInteger: {
      std::string_view digits = value;
      bool negative = false;
      if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
        negative = digits[0] == '-';
        digits.remove_prefix(1);
      }
      // XForms int is 32-bit.
      if (!AllDigits(digits) || digits.size() > 10) return fail(Msg::kNotInteger);
      long long n = std::atoll(std::string(digits).c_str());
      if (negative) n = -n;
      if (n > 2147483647LL || n < -2147483648LL) return fail(Msg::kNotInteger);
      c.value = std::to_string(n);
      break;
    }
    case QuestionType::kDecimal:
    case QuestionType::kRange: {
      if (!IsDecimalText(value)) return fail(Msg::kNotDecimal);
      std::string v(value);
      double d = std::strtod(v.c_str(), nullptr);
      if (!std::isfinite(d)) return fail(Msg::kNotDecimal);
      if (type == QuestionType::kRange) {
        // The form check refused parameters that do not parse: none is no parameter.
        const form::Parameters given =
            form::ParseParameters(parameters).value_or(form::Parameters{});
        double start = form::NumberParameter(given, "start", 1);
        double end = form::NumberParameter(given, "end", 10);
        double step = form::NumberParameter(given, "step", 1);
        double lo = std::min(start, end), hi = std::max(start, end);
        double steps = step != 0 ? (d - start) / step : 0;
        if (d < lo || d > hi || std::fabs(steps - std::round(steps)) > 1e-9) {
          return fail(Msg::kOutOfRange, FormatNumber(lo), FormatNumber(hi));
        }
      }
      c.value = FormatNumber(d);
      break;
    }
    case QuestionType::kDate:
      if (!date::IsIsoDate(value)) return fail(Msg::kNotDate);
      c.value = std::string(value);
      break;
    case QuestionType::kTime:
      if (!CanonicalTime(value, &c.value)) return fail(Msg::kNotTime);
      break;
    case QuestionType::kDateTime: {
      size_t t = value.find('T');
      if (t == std::string_view::npos) t = value.find(' ');
      std::string time;
      if (t == std::string_view::npos || !date::IsIsoDate(value.substr(0, t)) ||
          !CanonicalTime(value.substr(t + 1), &time)) {
        return fail(Msg::kNotDateTime);
      }
      c.value = std::string(value.substr(0, t)) + "T" + time;
      break;
    }
    case QuestionType::kAcknowledge: {
      std::string lower = text::AsciiLower(value);
      if (lower != "ok" && lower != "yes" && lower != "1") return fail(Msg::kAcknowledge);
      c.value = "OK";
      break;
    }
    default:
      c.value = std::string(raw);  // texts keep their spaces
      break;
  }
  c.ok = true;
  return c;
}

}  // namespace ngosurvey::interview
