#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <string>

#include "base/date.h"
#include "base/text.h"
#include "form/answer.h"
#include "interview/interview.h"
#include "interview/messages_internal.h"

namespace ngosurvey::interview {
namespace {

struct Texts {
  Msg msg;
  std::string_view en, km, vi;
};

// The Khmer and Vietnamese texts are drafts awaiting native-speaker review, like the
// example forms' translations.
constexpr Texts kTexts[] = {
    {Msg::kNotInteger, "Enter a whole number.", "សូមបញ្ចូលចំនួនគត់។", "Hãy nhập một số nguyên."},
    {Msg::kNotDecimal, "Enter a number.", "សូមបញ្ចូលលេខ។", "Hãy nhập một số."},
    {Msg::kNotDate, "Enter a date as YYYY-MM-DD.", "សូមបញ្ចូលកាលបរិច្ឆេទជាទម្រង់ YYYY-MM-DD។",
     "Hãy nhập ngày theo dạng YYYY-MM-DD."},
    {Msg::kNotTime, "Enter a time as HH:MM or HH:MM:SS.", "សូមបញ្ចូលម៉ោងជាទម្រង់ HH:MM ឬ HH:MM:SS។",
     "Hãy nhập giờ theo dạng HH:MM hoặc HH:MM:SS."},
    {Msg::kNotDateTime, "Enter a date and time as YYYY-MM-DDTHH:MM.",
     "សូមបញ្ចូលកាលបរិច្ឆេទ និងម៉ោងជាទម្រង់ YYYY-MM-DDTHH:MM។",
     "Hãy nhập ngày và giờ theo dạng YYYY-MM-DDTHH:MM."},
    {Msg::kNotChoice, "\"{}\" is not one of the choices.", "«{}» មិនមែនជាជម្រើសមួយក្នុងចំណោមជម្រើសទេ។",
     "«{}» không phải là một lựa chọn."},
    {Msg::kChosenTwice, "\"{}\" is chosen twice.", "«{}» ត្រូវបានជ្រើសពីរដង។",
     "«{}» được chọn hai lần."},
    {Msg::kOutOfRange, "Enter a number from {} to {}.", "សូមបញ្ចូលលេខពី {} ដល់ {}។",
     "Hãy nhập một số từ {} đến {}."},
    {Msg::kConstraint, "The answer is not valid.", "ចម្លើយមិនត្រឹមត្រូវទេ។", "Câu trả lời không hợp lệ."},
    {Msg::kRequired, "This question requires an answer.", "សំណួរនេះតម្រូវឲ្យមានចម្លើយ។",
     "Câu hỏi này bắt buộc phải trả lời."},
    {Msg::kNoRefuse, "This question cannot be refused.", "សំណួរនេះមិនអាចបដិសេធមិនឆ្លើយបានទេ។",
     "Không thể từ chối trả lời câu hỏi này."},
    {Msg::kNoDontKnow, "\"Don't know\" is not allowed on this question.",
     "ចម្លើយ «មិនដឹង» មិនត្រូវបានអនុញ្ញាតសម្រាប់សំណួរនេះទេ។", "Không được chọn «Không biết» cho câu hỏi này."},
    {Msg::kUnsupported,
     "Questions of type {} cannot be answered in ngosurvey interviews; it is left missing.",
     "សំណួរប្រភេទ {} មិនអាចឆ្លើយក្នុងការសម្ភាសន៍ ngosurvey បានទេ ហើយត្រូវទុកជាគ្មានចម្លើយ។",
     "Câu hỏi loại {} không thể trả lời trong phỏng vấn ngosurvey; câu này được để trống."},
    {Msg::kNoteNoAnswer, "A note takes no answer.", "កំណត់សម្គាល់មិនត្រូវការចម្លើយទេ។",
     "Ghi chú không cần câu trả lời."},
    {Msg::kNotUtf8, "The answer is not valid UTF-8 text; type it again.",
     "ចម្លើយមិនមែនជាអត្ថបទ UTF-8 ត្រឹមត្រូវទេ សូមវាយម្តងទៀត។",
     "Câu trả lời không phải là văn bản UTF-8 hợp lệ; hãy nhập lại."},
    {Msg::kAcknowledge, "Enter OK to acknowledge.", "សូមបញ្ចូល OK ដើម្បីទទួលស្គាល់។",
     "Nhập OK để xác nhận."},
    {Msg::kOther, "Other", "ផ្សេងៗ", "Khác"},
    {Msg::kSpecifyOther, "Specify other", "សូមបញ្ជាក់ផ្សេងៗ", "Ghi rõ khác"},
    {Msg::kFirstScreen, "This is the first question.", "នេះជាសំណួរដំបូង។", "Đây là câu hỏi đầu tiên."},
    {Msg::kNotEarlier, "{} is not an earlier question.", "{} មិនមែនជាសំណួរមុនទេ។",
     "{} không phải là câu hỏi trước đó."},
    {Msg::kNotInRepeat, "{} is not a repeat here.", "{} មិនមែនជាក្រុមដដែលៗនៅទីនេះទេ។",
     "{} không phải là nhóm lặp ở đây."},
    {Msg::kNoInstance, "There is no instance {} of {}.", "មិនមានលេខ {} នៃ {} ទេ។",
     "Không có mục số {} của {}."},
    {Msg::kWordRequired, "required", "ត្រូវតែឆ្លើយ", "bắt buộc"},
    {Msg::kWordHint, "hint", "ជំនួយ", "gợi ý"},
    {Msg::kWordPressEnter, "(press Enter)", "(ចុច Enter)", "(nhấn Enter)"},
    {Msg::kWordCurrent, "current", "ចម្លើយបច្ចុប្បន្ន", "hiện tại"},
    {Msg::kWordEndOfForm, "End of the form. Complete the interview? [y = complete, or a command]",
     "ចប់កម្រងសំណួរ។ បញ្ចប់ការសម្ភាសន៍? [y = បញ្ចប់ ឬវាយបញ្ជាមួយ]",
     "Hết bảng hỏi. Hoàn thành cuộc phỏng vấn? [y = hoàn thành, hoặc gõ một lệnh]"},
    {Msg::kWordAddRepeat, "Add {} {}? [y/n]", "បន្ថែម {} ទី {}? [y/n]", "Thêm {} thứ {}? [y/n]"},
    {Msg::kWordNothingHere, "(nothing to answer here; press Enter)",
     "(គ្មានអ្វីត្រូវឆ្លើយនៅទីនេះទេ; ចុច Enter)", "(không có gì để trả lời ở đây; nhấn Enter)"},
    {Msg::kWordQuestionsOnScreen, "({} questions on this screen, answered in turn)",
     "(សំណួរ {} នៅលើអេក្រង់នេះ ឆ្លើយម្តងមួយៗ)", "({} câu hỏi trên màn hình này, trả lời lần lượt)"},
    {Msg::kWordTypeYToComplete, "type y to complete, or :back, :review, :quit",
     "វាយ y ដើម្បីបញ្ចប់ ឬ :back, :review, :quit", "gõ y để hoàn thành, hoặc :back, :review, :quit"},
    {Msg::kWordTypeYOrN, "type y or n", "វាយ y ឬ n", "gõ y hoặc n"},
    {Msg::kWordSaved, "Saved: {} = {}", "បានរក្សាទុក៖ {} = {}", "Đã lưu: {} = {}"},
    {Msg::kWordRemoved, "Removed: {}", "បានលុប៖ {}", "Đã xóa: {}"},
    {Msg::kWordRefused, "refused", "បដិសេធមិនឆ្លើយ", "từ chối trả lời"},
    {Msg::kWordDontKnow, "don't know", "មិនដឹង", "không biết"},
    {Msg::kWordNotAsked, "not asked", "មិនបានសួរ", "không hỏi"},
    {Msg::kWordNoAnswer, "no answer", "គ្មានចម្លើយ", "chưa trả lời"},
    {Msg::kWordReviewTitle, "Answers so far:", "ចម្លើយរហូតមកដល់ពេលនេះ៖", "Các câu trả lời đến nay:"},
    {Msg::kWordLanguage, "Language: {}", "ភាសា៖ {}", "Ngôn ngữ: {}"},
    {Msg::kWordDraftSaved, "The draft is saved.", "សេចក្តីព្រាងត្រូវបានរក្សាទុក។",
     "Bản nháp đã được lưu."},
    {Msg::kWordStopped, "Stopped; the draft is saved. Resume with: {}",
     "បានឈប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។ បន្តដោយ៖ {}",
     "Đã dừng; bản nháp đã được lưu. Tiếp tục bằng: {}"},
    {Msg::kWordInputEnded, "Input ended; the draft is saved. Resume with: {}",
     "ការបញ្ចូលបានបញ្ចប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។ បន្តដោយ៖ {}",
     "Đầu vào đã hết; bản nháp đã được lưu. Tiếp tục bằng: {}"},
    {Msg::kWordCompleted, "The interview is complete and saved: {}",
     "ការសម្ភាសន៍បានបញ្ចប់ និងរក្សាទុក៖ {}", "Cuộc phỏng vấn đã hoàn thành và được lưu: {}"},
    {Msg::kWordInterview, "Interview {}", "ការសម្ភាសន៍ {}", "Cuộc phỏng vấn {}"},
    {Msg::kWordUnknownCommand, "Unknown command {} (:help lists them)",
     "មិនស្គាល់បញ្ជា {} (:help បង្ហាញបញ្ជីបញ្ជា)", "Lệnh không hợp lệ {} (:help liệt kê các lệnh)"},
    {Msg::kWordSeveralChoices, "(several choices: separate them with spaces)",
     "(ជម្រើសច្រើន៖ បំបែកដោយដកឃ្លា)", "(nhiều lựa chọn: cách nhau bằng dấu cách)"},
    {Msg::kWordHelp,
     "Type the answer and press Enter (a choice by its number or name; several choices\n"
     "separated by spaces; an empty line keeps the answer shown, or skips an optional\n"
     "question). Commands:\n"
     "  :back          previous question\n"
     "  :jump NAME     back to an earlier question\n"
     "  :refuse        the respondent refuses to answer\n"
     "  :dk            the respondent does not know\n"
     "  :clear         remove the answer of this question\n"
     "  :remove NAME N remove instance N of repeat NAME\n"
     "  :lang CODE     show the form in another language (answers are kept)\n"
     "  :review        every question with its answer\n"
     "  :save          save now (every accepted answer is saved already)\n"
     "  :quit          stop; resume later with --resume ID\n"
     "  :help          this text",
     "វាយចម្លើយ ហើយចុច Enter (ជម្រើសតាមលេខ ឬឈ្មោះរបស់វា; ជម្រើសច្រើនបំបែកដោយដកឃ្លា;\n"
     "បន្ទាត់ទទេរក្សាចម្លើយដែលបង្ហាញ ឬរំលងសំណួរដែលមិនតម្រូវ)។ បញ្ជា៖\n"
     "  :back          សំណួរមុន\n"
     "  :jump NAME     ត្រឡប់ទៅសំណួរមុនមួយ\n"
     "  :refuse        អ្នកឆ្លើយបដិសេធមិនឆ្លើយ\n"
     "  :dk            អ្នកឆ្លើយមិនដឹង\n"
     "  :clear         លុបចម្លើយនៃសំណួរនេះ\n"
     "  :remove NAME N លុបលេខ N នៃក្រុមដដែលៗ NAME\n"
     "  :lang CODE     បង្ហាញកម្រងសំណួរជាភាសាផ្សេង (ចម្លើយនៅដដែល)\n"
     "  :review        សំណួរទាំងអស់ជាមួយចម្លើយរបស់វា\n"
     "  :save          រក្សាទុកឥឡូវ (ចម្លើយដែលបានទទួលយកទាំងអស់ត្រូវបានរក្សាទុករួចហើយ)\n"
     "  :quit          ឈប់; បន្តពេលក្រោយដោយ --resume ID\n"
     "  :help          អត្ថបទនេះ",
     "Gõ câu trả lời rồi nhấn Enter (một lựa chọn theo số hoặc tên; nhiều lựa chọn cách\n"
     "nhau bằng dấu cách; một dòng trống giữ câu trả lời đang hiện, hoặc bỏ qua câu hỏi\n"
     "không bắt buộc). Lệnh:\n"
     "  :back          câu hỏi trước\n"
     "  :jump NAME     quay lại một câu hỏi trước đó\n"
     "  :refuse        người trả lời từ chối trả lời\n"
     "  :dk            người trả lời không biết\n"
     "  :clear         xóa câu trả lời của câu hỏi này\n"
     "  :remove NAME N xóa mục số N của nhóm lặp NAME\n"
     "  :lang CODE     hiện bảng hỏi bằng ngôn ngữ khác (giữ nguyên câu trả lời)\n"
     "  :review        mọi câu hỏi cùng câu trả lời\n"
     "  :save          lưu ngay (mọi câu trả lời được chấp nhận đã được lưu)\n"
     "  :quit          dừng; tiếp tục sau bằng --resume ID\n"
     "  :help          nội dung này"},
};

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

// A "key=value" of a range's parameters, or `fallback`.
double RangeParameter(std::string_view parameters, std::string_view key, double fallback) {
  for (std::string_view part : text::Split(parameters, ' ')) {
    part = text::Trim(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || text::Trim(part.substr(0, eq)) != key) continue;
    std::string v(text::Trim(part.substr(eq + 1)));
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (end != v.c_str() && *end == '\0') return d;
  }
  return fallback;
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
  std::string_view pattern;
  for (const Texts& t : kTexts) {
    if (t.msg != msg) continue;
    pattern = language == "km" ? t.km : language == "vi" ? t.vi : t.en;
  }
  std::string out;
  int used = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out += used++ == 0 ? arg1 : arg2;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
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
        double start = RangeParameter(parameters, "start", 1);
        double end = RangeParameter(parameters, "end", 10);
        double step = RangeParameter(parameters, "step", 1);
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
