#include "form/form.h"

#include <array>

#include "base/text.h"

namespace ngosurvey::form {
namespace {

struct TypeEntry {
  QuestionType type;
  std::string_view name;
  TypeTraits traits;
};

// has_list, from_file, metadata, needs_label, interview_ready
constexpr TypeTraits kInput{false, false, false, true, true};
constexpr TypeTraits kInputLater{false, false, false, true, false};
constexpr TypeTraits kSelect{true, false, false, true, true};
constexpr TypeTraits kMeta{false, false, true, false, true};
constexpr TypeTraits kMetaLater{false, false, true, false, false};
constexpr TypeTraits kSilent{false, false, false, false, true};

constexpr std::array kTypes = {
    TypeEntry{QuestionType::kText, "text", kInput},
    TypeEntry{QuestionType::kInteger, "integer", kInput},
    TypeEntry{QuestionType::kDecimal, "decimal", kInput},
    TypeEntry{QuestionType::kRange, "range", kInput},
    TypeEntry{QuestionType::kDate, "date", kInput},
    TypeEntry{QuestionType::kTime, "time", kInput},
    TypeEntry{QuestionType::kDateTime, "dateTime", kInput},
    TypeEntry{QuestionType::kSelectOne, "select_one", kSelect},
    TypeEntry{QuestionType::kSelectMultiple, "select_multiple", kSelect},
    TypeEntry{QuestionType::kSelectOneFromFile, "select_one_from_file",
              TypeTraits{false, true, false, true, false}},
    TypeEntry{QuestionType::kSelectMultipleFromFile, "select_multiple_from_file",
              TypeTraits{false, true, false, true, false}},
    TypeEntry{QuestionType::kRank, "rank", TypeTraits{true, false, false, true, false}},
    TypeEntry{QuestionType::kSelectOneExternal, "select_one_external", kInputLater},
    TypeEntry{QuestionType::kNote, "note", kInput},
    TypeEntry{QuestionType::kCalculate, "calculate", kSilent},
    TypeEntry{QuestionType::kHidden, "hidden", kSilent},
    TypeEntry{QuestionType::kAcknowledge, "acknowledge", kInput},
    TypeEntry{QuestionType::kGeopoint, "geopoint", kInputLater},
    TypeEntry{QuestionType::kGeotrace, "geotrace", kInputLater},
    TypeEntry{QuestionType::kGeoshape, "geoshape", kInputLater},
    TypeEntry{QuestionType::kImage, "image", kInputLater},
    TypeEntry{QuestionType::kAudio, "audio", kInputLater},
    TypeEntry{QuestionType::kVideo, "video", kInputLater},
    TypeEntry{QuestionType::kFile, "file", kInputLater},
    TypeEntry{QuestionType::kBarcode, "barcode", kInputLater},
    TypeEntry{QuestionType::kBackgroundAudio, "background-audio", kMetaLater},
    TypeEntry{QuestionType::kXmlExternal, "xml-external", kMetaLater},
    TypeEntry{QuestionType::kCsvExternal, "csv-external", kMetaLater},
    TypeEntry{QuestionType::kOsm, "osm", kInputLater},
    TypeEntry{QuestionType::kBackgroundGeopoint, "background-geopoint", kMetaLater},
    TypeEntry{QuestionType::kStart, "start", kMeta},
    TypeEntry{QuestionType::kEnd, "end", kMeta},
    TypeEntry{QuestionType::kToday, "today", kMeta},
    TypeEntry{QuestionType::kDeviceId, "deviceid", kMeta},
    TypeEntry{QuestionType::kSubscriberId, "subscriberid", kMeta},
    TypeEntry{QuestionType::kSimSerial, "simserial", kMeta},
    TypeEntry{QuestionType::kPhoneNumber, "phonenumber", kMeta},
    TypeEntry{QuestionType::kUsername, "username", kMeta},
    TypeEntry{QuestionType::kEmail, "email", kMeta},
    TypeEntry{QuestionType::kAudit, "audit", kMetaLater},
    TypeEntry{QuestionType::kStartGeopoint, "start-geopoint", kMetaLater},
    TypeEntry{QuestionType::kBeginGroup, "begin_group", kSilent},
    TypeEntry{QuestionType::kBeginRepeat, "begin_repeat", kSilent},
    // Run as the groups it becomes at load (form/loops.h).
    TypeEntry{QuestionType::kBeginLoop, "begin_loop", kSilent},
};

const TypeEntry& Entry(QuestionType type) {
  for (const TypeEntry& entry : kTypes) {
    if (entry.type == type) return entry;
  }
  return kTypes[0];
}

const std::vector<int>& NoQuestions() {
  static const std::vector<int> none;
  return none;
}

const std::string* FindExtra(const std::vector<std::pair<std::string, std::string>>& extra,
                             std::string_view header) {
  for (const auto& [key, value] : extra) {
    if (key == header) return &value;
  }
  return nullptr;
}

}  // namespace

std::string_view TypeName(QuestionType type) { return Entry(type).name; }
TypeTraits Traits(QuestionType type) { return Entry(type).traits; }

bool Question::IsRequiredConstant() const {
  std::string lower = text::AsciiLower(text::Trim(required));
  return lower == "yes" || lower == "true" || lower == "true()" || lower == "1";
}

const std::string* Question::ExtraColumn(std::string_view header) const {
  return FindExtra(extra_columns, header);
}

const std::string* Choice::ExtraColumn(std::string_view header) const {
  return FindExtra(extra_columns, header);
}

const Choice* ChoiceList::Find(std::string_view choice_name) const {
  for (const Choice& choice : choices) {
    if (choice.name == choice_name) return &choice;
  }
  return nullptr;
}

const std::vector<int>& Form::QuestionsNamed(std::string_view name) const {
  auto it = name_index.find(std::string(name));
  return it == name_index.end() ? NoQuestions() : it->second;
}

const Question* Form::FindQuestion(std::string_view name) const {
  const std::vector<int>& found = QuestionsNamed(name);
  return found.size() == 1 ? &questions[static_cast<size_t>(found[0])] : nullptr;
}

const ChoiceList* Form::FindChoiceList(std::string_view name) const {
  for (const ChoiceList& list : choice_lists) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

std::vector<const Question*> Form::RelevanceChain(const Question& question) const {
  std::vector<const Question*> chain;
  for (const Question* q = &question; q != nullptr;
       q = q->parent >= 0 ? &questions[q->parent] : nullptr) {
    if (!q->relevant.empty()) chain.push_back(q);
  }
  return chain;
}

int Form::EnclosingRepeat(const Question& question) const {
  for (int p = question.parent; p >= 0; p = questions[static_cast<size_t>(p)].parent) {
    if (questions[static_cast<size_t>(p)].is_repeat()) return p;
  }
  return -1;
}

int Form::EnclosingRepeatOrLoop(const Question& question) const {
  for (int p = question.parent; p >= 0; p = questions[static_cast<size_t>(p)].parent) {
    const Question& container = questions[static_cast<size_t>(p)];
    // A loop is a group keeping its list's name once expanded (form/loops.h; tested
    // here, not through IsLoopGroup, which the WebAssembly engine does not link).
    const bool loop = container.is_loop() || (container.is_group() && !container.list_name.empty());
    if (container.is_repeat() || loop) return p;
  }
  return -1;
}

std::string Form::LanguageCode(std::string_view lang) const {
  for (const Language& language : languages) {
    if (language.code == lang) return language.code;
  }
  for (const Language& language : languages) {
    if (text::AsciiLower(language.name) == text::AsciiLower(lang)) return language.code;
  }
  return "";
}

bool Form::HasLanguage(std::string_view lang) const { return !LanguageCode(lang).empty(); }

std::string Form::Text(const Translations& texts, std::string_view lang) const {
  if (texts.empty()) return "";
  if (!lang.empty()) {
    auto it = texts.find(LanguageCode(lang));
    if (it != texts.end()) return it->second;
  }
  auto it = texts.find(default_language);
  if (it != texts.end()) return it->second;
  return texts.begin()->second;
}

Location Form::SurveyCell(int row, std::string_view column_key) const {
  Location where{file, survey_sheet, row};
  auto it = survey_columns.find(std::string(column_key));
  if (it != survey_columns.end()) where.column = it->second;
  return where;
}

Location Form::ChoicesCell(int row, std::string_view column_key) const {
  Location where{file, choices_sheet, row};
  auto it = choices_columns.find(std::string(column_key));
  if (it != choices_columns.end()) where.column = it->second;
  return where;
}

Location Form::EntitiesCell(int row, std::string_view column_key) const {
  Location where{file, entities_sheet, row};
  auto it = entities_columns.find(std::string(column_key));
  if (it != entities_columns.end()) where.column = it->second;
  return where;
}

std::string_view Form::EntitiesVersion() const {
  if (entities.empty()) return "";
  if (entities.size() > 1) return "2025.1.0";
  // pyxform: 2025.1.0 as soon as an entity sits in a repeat (at any depth).
  for (int index = entities[0].container; index >= 0;
       index = questions[static_cast<size_t>(index)].parent) {
    if (questions[static_cast<size_t>(index)].is_repeat()) return "2025.1.0";
  }
  return "2024.1.0";
}

}  // namespace ngosurvey::form
