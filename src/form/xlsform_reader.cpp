// Workbook -> Form: the XLSForm layer over the generic xlsx reader. Column
// headers and type cells accept the spellings pyxform accepts (see the alias tables
// below); translated columns are "base::Language (code)", "base::Language(code)",
// "base::code" or "base" alone (the default language).
#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "base/file.h"
#include "base/text.h"
#include "form/diagnostics.h"
#include "form/form.h"
#include "form/validate_internal.h"

namespace ngosurvey::form {
namespace {

// ---- Column headers --------------------------------------------------------------

// Canonical column keys and their aliases (lowercase, as compared).
struct ColumnAlias {
  std::string_view alias;
  std::string_view key;
};
constexpr std::array kSurveyAliases = {
    ColumnAlias{"type", "type"},
    ColumnAlias{"name", "name"},
    ColumnAlias{"label", "label"},
    ColumnAlias{"hint", "hint"},
    ColumnAlias{"guidance_hint", "guidance_hint"},
    ColumnAlias{"guidance hint", "guidance_hint"},
    ColumnAlias{"constraint_message", "constraint_message"},
    ColumnAlias{"constraint message", "constraint_message"},
    ColumnAlias{"jr:constraintmsg", "constraint_message"},
    ColumnAlias{"constraintmsg", "constraint_message"},
    ColumnAlias{"required_message", "required_message"},
    ColumnAlias{"required message", "required_message"},
    ColumnAlias{"jr:requiredmsg", "required_message"},
    ColumnAlias{"requiredmsg", "required_message"},
    ColumnAlias{"image", "image"},
    ColumnAlias{"audio", "audio"},
    ColumnAlias{"video", "video"},
    ColumnAlias{"relevant", "relevant"},
    ColumnAlias{"relevance", "relevant"},
    ColumnAlias{"constraint", "constraint"},
    ColumnAlias{"calculation", "calculation"},
    ColumnAlias{"calculate", "calculation"},
    ColumnAlias{"required", "required"},
    ColumnAlias{"read_only", "read_only"},
    ColumnAlias{"readonly", "read_only"},
    ColumnAlias{"read only", "read_only"},
    ColumnAlias{"default", "default"},
    ColumnAlias{"appearance", "appearance"},
    ColumnAlias{"parameters", "parameters"},
    ColumnAlias{"choice_filter", "choice_filter"},
    ColumnAlias{"choice filter", "choice_filter"},
    ColumnAlias{"repeat_count", "repeat_count"},
    ColumnAlias{"repeat count", "repeat_count"},
    ColumnAlias{"jr:count", "repeat_count"},
    ColumnAlias{"count", "repeat_count"},
    ColumnAlias{"trigger", "trigger"},
};
constexpr std::array kChoicesAliases = {
    ColumnAlias{"list_name", "list_name"}, ColumnAlias{"list name", "list_name"},
    ColumnAlias{"name", "name"},           ColumnAlias{"value", "name"},
    ColumnAlias{"label", "label"},         ColumnAlias{"image", "image"},
    ColumnAlias{"audio", "audio"},         ColumnAlias{"video", "video"},
};
constexpr std::array<std::string_view, 8> kTranslatable = {
    "label", "hint", "guidance_hint", "constraint_message", "required_message",
    "image", "audio", "video"};

bool IsTranslatable(std::string_view key) {
  return std::find(kTranslatable.begin(), kTranslatable.end(), key) != kTranslatable.end();
}

// "English (en)" -> {en, English}; "en" -> {en, en}; "English(en)" -> {en, English}.
Language ParseLanguage(std::string_view text) {
  std::string_view trimmed = text::Trim(text);
  if (!trimmed.empty() && trimmed.back() == ')') {
    size_t open = trimmed.rfind('(');
    if (open != std::string_view::npos) {
      std::string_view code = text::Trim(trimmed.substr(open + 1, trimmed.size() - open - 2));
      std::string_view name = text::Trim(trimmed.substr(0, open));
      if (!code.empty()) return {std::string(code), std::string(name.empty() ? code : name)};
    }
  }
  return {std::string(trimmed), std::string(trimmed)};
}

// One column of a sheet after alias resolution.
struct ColumnSpec {
  int column = 0;
  std::string header;  // as written
  std::string key;     // canonical base key ("label"), or the header for extras
  std::string lang;    // Language::code for translated columns, "" otherwise
  bool extra = false;
};

template <size_t N>
std::optional<std::string_view> LookupAlias(const std::array<ColumnAlias, N>& aliases,
                                            std::string_view lower) {
  for (const ColumnAlias& alias : aliases) {
    if (alias.alias == lower) return alias.key;
  }
  return std::nullopt;
}

class Builder {
 public:
  Builder(const Workbook& workbook, Diagnostics* diags, const LoadOptions& options)
      : workbook_(workbook), diags_(diags), options_(options) {
    form_.file = workbook.file;
  }

  Result<Form> Build();

 private:
  Location SheetWhere(const std::string& sheet, int row = 0, int column = 0) const {
    Location where{form_.file, sheet, row, column};
    return where;
  }
  void CheckSheetNames();
  void ReadSettings(const Sheet& sheet);
  template <size_t N>
  std::vector<ColumnSpec> ReadHeader(const Sheet& sheet, const std::array<ColumnAlias, N>& aliases,
                                     std::map<std::string, int>* columns);
  const Language& AddLanguage(const Language& language);
  Status ReadSurvey(const Sheet& sheet);
  void ReadChoices(const Sheet& sheet);
  void CheckQuestions();
  void CheckTranslations(const Sheet& sheet, const std::vector<ColumnSpec>& specs);
  std::string LanguageFor(std::string_view lang_text);

  const Workbook& workbook_;
  Diagnostics* diags_;
  const LoadOptions& options_;
  Form form_;
  std::vector<ColumnSpec> survey_specs_, choices_specs_;
  std::set<std::string> language_codes_used_;
};

// ---- Sheets ---------------------------------------------------------------------

constexpr std::array<std::string_view, 4> kSheetNames = {"survey", "choices", "settings",
                                                         "external_choices"};

void Builder::CheckSheetNames() {
  for (const Sheet& sheet : workbook_.sheets) {
    std::string lower = text::AsciiLower(text::Trim(sheet.name));
    if (std::find(kSheetNames.begin(), kSheetNames.end(), lower) != kSheetNames.end()) continue;
    for (std::string_view wanted : kSheetNames) {
      if (workbook_.FindSheet(wanted) != nullptr) continue;
      size_t distance = text::EditDistance(lower, wanted);
      // "survery", "choice", "setting", "Survey " (trailing space).
      if (distance <= 2 && lower.size() >= 4) {
        diags_->AddWarning(code::kNearMissSheet,
                           fmt::format("sheet \"{}\" is ignored; did you mean \"{}\"?",
                                       sheet.name, wanted),
                           Location{form_.file, sheet.name});
        break;
      }
    }
  }
}

void Builder::ReadSettings(const Sheet& sheet) {
  form_.settings_sheet = sheet.name;
  if (sheet.rows.size() < 2) return;
  const Row& header = sheet.rows[0];
  const Row& values = sheet.rows[1];
  for (const Cell& cell : header.cells) {
    std::string key = text::AsciiLower(text::Trim(cell.value));
    if (key == "id_string") key = "form_id";
    if (key == "title") key = "form_title";
    const Cell* value = sheet.Find(values.number, cell.column);
    if (value != nullptr) form_.settings.values[key] = std::string(text::Trim(value->value));
  }
  auto get = [&](const char* key) {
    auto it = form_.settings.values.find(key);
    return it == form_.settings.values.end() ? std::string() : it->second;
  };
  Settings& s = form_.settings;
  s.form_id = get("form_id");
  s.form_title = get("form_title");
  s.version = get("version");
  s.default_language = get("default_language");
  s.instance_name = get("instance_name");
  s.public_key = get("public_key");
  s.submission_url = get("submission_url");
  s.style = get("style");
  std::string dup = text::AsciiLower(get("allow_choice_duplicates"));
  s.allow_choice_duplicates = dup == "yes" || dup == "true" || dup == "true()" || dup == "1";
}

const Language& Builder::AddLanguage(const Language& language) {
  for (const Language& existing : form_.languages) {
    if (existing.code == language.code) return existing;
  }
  form_.languages.push_back(language);
  return form_.languages.back();
}

std::string Builder::LanguageFor(std::string_view lang_text) {
  if (lang_text.empty()) return form_.default_language;
  Language language = ParseLanguage(lang_text);
  // "label::English" and "label::English (en)" name the same language.
  for (const Language& existing : form_.languages) {
    if (existing.code == language.code) return existing.code;
    if (existing.name == language.name && existing.name != existing.code) return existing.code;
  }
  return AddLanguage(language).code;
}

// Reads row 1 of a sheet into column specs; reports duplicates and near misses.
template <size_t N>
std::vector<ColumnSpec> Builder::ReadHeader(const Sheet& sheet,
                                            const std::array<ColumnAlias, N>& aliases,
                                            std::map<std::string, int>* columns) {
  std::vector<ColumnSpec> specs;
  if (sheet.rows.empty()) return specs;
  const Row& header = sheet.rows[0];
  std::set<std::string> seen;
  for (const Cell& cell : header.cells) {
    ColumnSpec spec;
    spec.column = cell.column;
    spec.header = std::string(text::Trim(cell.value));
    std::string lower = text::AsciiLower(spec.header);
    // Prefixes some tools write: bind::relevant, body::appearance, media::image.
    for (std::string_view prefix : {"bind::", "body::", "control::", "media::"}) {
      if (lower.rfind(prefix, 0) == 0) {
        lower = lower.substr(prefix.size());
        break;
      }
    }
    size_t sep = lower.find("::");
    std::string base = std::string(text::Trim(lower.substr(0, sep)));
    std::string lang_text;
    if (sep != std::string::npos) {
      // The language keeps its case: take it from the original header.
      size_t original_sep = spec.header.rfind("::");
      lang_text = std::string(text::Trim(spec.header.substr(original_sep + 2)));
    }
    std::optional<std::string_view> key = LookupAlias(aliases, base);
    if (key && (sep == std::string::npos || IsTranslatable(*key))) {
      spec.key = std::string(*key);
      if (IsTranslatable(spec.key)) spec.lang = LanguageFor(lang_text);
    } else {
      spec.extra = true;
      spec.key = spec.header;
      if (sep == std::string::npos && !base.empty()) {
        // A misspelt known column is silently ignored otherwise: say so.
        for (const ColumnAlias& alias : aliases) {
          size_t distance = text::EditDistance(base, alias.alias);
          if (distance > 0 && (distance == 1 || (distance == 2 && base.size() >= 5)) &&
              base.size() >= 4) {
            diags_->AddWarning(code::kNearMissColumn,
                               fmt::format("column \"{}\" is not an XLSForm column and is "
                                           "ignored; did you mean \"{}\"?",
                                           spec.header, alias.alias),
                               SheetWhere(sheet.name, header.number, cell.column));
            break;
          }
        }
      }
    }
    std::string column_key = spec.lang.empty() ? spec.key : spec.key + "::" + spec.lang;
    if (!seen.insert(column_key).second) {
      diags_->AddWarning(code::kDuplicateColumn,
                         fmt::format("column \"{}\" appears twice; this one is ignored",
                                     spec.header),
                         SheetWhere(sheet.name, header.number, cell.column));
      continue;
    }
    (*columns)[column_key] = cell.column;
    specs.push_back(std::move(spec));
  }
  return specs;
}

// ---- Types ----------------------------------------------------------------------

struct ParsedType {
  enum class Kind { kQuestion, kEndGroup, kEndRepeat, kUnknown } kind = Kind::kUnknown;
  QuestionType type = QuestionType::kText;
  std::string list_name;
  bool or_other = false;
  bool or_other_misplaced = false;
};

struct TypeAlias {
  std::string_view alias;
  QuestionType type;
};
constexpr std::array kTypeAliases = {
    TypeAlias{"text", QuestionType::kText},
    TypeAlias{"string", QuestionType::kText},
    TypeAlias{"add text prompt", QuestionType::kText},
    TypeAlias{"integer", QuestionType::kInteger},
    TypeAlias{"int", QuestionType::kInteger},
    TypeAlias{"add integer prompt", QuestionType::kInteger},
    TypeAlias{"decimal", QuestionType::kDecimal},
    TypeAlias{"add decimal prompt", QuestionType::kDecimal},
    TypeAlias{"range", QuestionType::kRange},
    TypeAlias{"date", QuestionType::kDate},
    TypeAlias{"add date prompt", QuestionType::kDate},
    TypeAlias{"time", QuestionType::kTime},
    TypeAlias{"add time prompt", QuestionType::kTime},
    TypeAlias{"datetime", QuestionType::kDateTime},
    TypeAlias{"add datetime prompt", QuestionType::kDateTime},
    TypeAlias{"note", QuestionType::kNote},
    TypeAlias{"add note prompt", QuestionType::kNote},
    TypeAlias{"calculate", QuestionType::kCalculate},
    TypeAlias{"hidden", QuestionType::kHidden},
    TypeAlias{"acknowledge", QuestionType::kAcknowledge},
    TypeAlias{"trigger", QuestionType::kAcknowledge},
    TypeAlias{"add acknowledge prompt", QuestionType::kAcknowledge},
    TypeAlias{"geopoint", QuestionType::kGeopoint},
    TypeAlias{"gps", QuestionType::kGeopoint},
    TypeAlias{"location", QuestionType::kGeopoint},
    TypeAlias{"add location prompt", QuestionType::kGeopoint},
    TypeAlias{"geotrace", QuestionType::kGeotrace},
    TypeAlias{"geoshape", QuestionType::kGeoshape},
    TypeAlias{"image", QuestionType::kImage},
    TypeAlias{"photo", QuestionType::kImage},
    TypeAlias{"add photo prompt", QuestionType::kImage},
    TypeAlias{"add image prompt", QuestionType::kImage},
    TypeAlias{"audio", QuestionType::kAudio},
    TypeAlias{"add audio prompt", QuestionType::kAudio},
    TypeAlias{"video", QuestionType::kVideo},
    TypeAlias{"add video prompt", QuestionType::kVideo},
    TypeAlias{"file", QuestionType::kFile},
    TypeAlias{"barcode", QuestionType::kBarcode},
    TypeAlias{"add barcode prompt", QuestionType::kBarcode},
    TypeAlias{"background-audio", QuestionType::kBackgroundAudio},
    TypeAlias{"xml-external", QuestionType::kXmlExternal},
    TypeAlias{"csv-external", QuestionType::kCsvExternal},
    TypeAlias{"start", QuestionType::kStart},
    TypeAlias{"start time", QuestionType::kStart},
    TypeAlias{"end", QuestionType::kEnd},
    TypeAlias{"end time", QuestionType::kEnd},
    TypeAlias{"today", QuestionType::kToday},
    TypeAlias{"deviceid", QuestionType::kDeviceId},
    TypeAlias{"imei", QuestionType::kDeviceId},
    TypeAlias{"subscriberid", QuestionType::kSubscriberId},
    TypeAlias{"simserial", QuestionType::kSimSerial},
    TypeAlias{"phonenumber", QuestionType::kPhoneNumber},
    TypeAlias{"username", QuestionType::kUsername},
    TypeAlias{"email", QuestionType::kEmail},
    TypeAlias{"audit", QuestionType::kAudit},
    TypeAlias{"start-geopoint", QuestionType::kStartGeopoint},
    TypeAlias{"begin group", QuestionType::kBeginGroup},
    TypeAlias{"begin_group", QuestionType::kBeginGroup},
    TypeAlias{"begin repeat", QuestionType::kBeginRepeat},
    TypeAlias{"begin_repeat", QuestionType::kBeginRepeat},
    TypeAlias{"begin looped group", QuestionType::kBeginRepeat},
    TypeAlias{"begin lgroup", QuestionType::kBeginRepeat},
};

// Select-like prefixes, longest first so "select one from file" wins over
// "select one".
constexpr std::array kSelectPrefixes = {
    TypeAlias{"add select multiple prompt using", QuestionType::kSelectMultiple},
    TypeAlias{"add select one prompt using", QuestionType::kSelectOne},
    TypeAlias{"select_multiple_from_file", QuestionType::kSelectMultipleFromFile},
    TypeAlias{"select multiple from file", QuestionType::kSelectMultipleFromFile},
    TypeAlias{"select all that apply from", QuestionType::kSelectMultiple},
    TypeAlias{"select_one_from_file", QuestionType::kSelectOneFromFile},
    TypeAlias{"select one from file", QuestionType::kSelectOneFromFile},
    TypeAlias{"select all that apply", QuestionType::kSelectMultiple},
    TypeAlias{"select_multiple", QuestionType::kSelectMultiple},
    TypeAlias{"select multiple", QuestionType::kSelectMultiple},
    TypeAlias{"select one from", QuestionType::kSelectOne},
    TypeAlias{"select_one", QuestionType::kSelectOne},
    TypeAlias{"select one", QuestionType::kSelectOne},
    TypeAlias{"select1", QuestionType::kSelectOne},
    TypeAlias{"rank", QuestionType::kRank},
};

// Collapses runs of whitespace into one space and trims.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : text::Trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

ParsedType ParseType(std::string_view cell) {
  ParsedType parsed;
  std::string written = CollapseSpaces(cell);
  std::string lower = text::AsciiLower(written);
  // Old formhub forms prefix types with "q ": "q integer", "q select_one yes_no".
  if (lower.rfind("q ", 0) == 0) {
    lower = lower.substr(2);
    written = written.substr(2);
  }
  for (std::string_view end : {"end group", "end_group", "end lgroup"}) {
    if (lower == end) return {ParsedType::Kind::kEndGroup};
  }
  for (std::string_view end : {"end repeat", "end_repeat", "end looped group"}) {
    if (lower == end) return {ParsedType::Kind::kEndRepeat};
  }
  for (const TypeAlias& prefix : kSelectPrefixes) {
    if (lower.rfind(prefix.alias, 0) != 0) continue;
    if (lower.size() > prefix.alias.size() && lower[prefix.alias.size()] != ' ') continue;
    parsed.kind = ParsedType::Kind::kQuestion;
    parsed.type = prefix.type;
    // The list name keeps its case (list names are case-sensitive).
    std::string rest = written.size() > prefix.alias.size()
                           ? std::string(text::Trim(written.substr(prefix.alias.size())))
                           : std::string();
    for (std::string_view suffix : {" or_other", " or specify other"}) {
      std::string rest_lower = text::AsciiLower(rest);
      if (rest_lower.size() >= suffix.size() &&
          rest_lower.compare(rest_lower.size() - suffix.size(), suffix.size(), suffix) == 0) {
        parsed.or_other = true;
        rest = std::string(text::Trim(rest.substr(0, rest.size() - suffix.size())));
      }
    }
    if (parsed.or_other && !(prefix.type == QuestionType::kSelectOne ||
                             prefix.type == QuestionType::kSelectMultiple)) {
      parsed.or_other_misplaced = true;
    }
    parsed.list_name = rest;
    return parsed;
  }
  for (const TypeAlias& alias : kTypeAliases) {
    if (alias.alias == lower) {
      parsed.kind = ParsedType::Kind::kQuestion;
      parsed.type = alias.type;
      return parsed;
    }
  }
  // "integer or_other" and friends.
  if (lower.size() > 9 && lower.compare(lower.size() - 9, 9, " or_other") == 0) {
    ParsedType inner = ParseType(written.substr(0, written.size() - 9));
    if (inner.kind == ParsedType::Kind::kQuestion) {
      inner.or_other_misplaced = true;
      return inner;
    }
  }
  return parsed;
}

// XML element names (the ASCII subset pyxform allows, plus any non-ASCII letter).
bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  if (!letter(static_cast<unsigned char>(name[0]))) return false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (!(letter(c) || std::isdigit(c) || c == '-' || c == '.')) return false;
  }
  return true;
}

// ---- Survey ---------------------------------------------------------------------

Status Builder::ReadSurvey(const Sheet& sheet) {
  form_.survey_sheet = sheet.name;
  survey_specs_ = ReadHeader(sheet, kSurveyAliases, &form_.survey_columns);
  if (form_.survey_columns.count("type") == 0 || form_.survey_columns.count("name") == 0) {
    std::string missing = form_.survey_columns.count("type") == 0 ? "type" : "name";
    return MakeError(code::kNoTypeColumn,
                     fmt::format("the survey sheet has no \"{}\" column in its first row",
                                 missing),
                     SheetWhere(sheet.name, sheet.rows.empty() ? 1 : sheet.rows[0].number));
  }
  int type_column = form_.survey_columns["type"];

  struct Open {
    int question;  // index in questions
  };
  std::vector<Open> open;

  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    Question q;
    q.row = row.number;
    std::string type_text;
    bool has_content = false;
    for (const Cell& cell : row.cells) {
      auto spec = std::lower_bound(
          survey_specs_.begin(), survey_specs_.end(), cell.column,
          [](const ColumnSpec& s, int column) { return s.column < column; });
      if (spec == survey_specs_.end() || spec->column != cell.column) continue;
      std::string value(text::Trim(cell.value));
      if (value.empty()) continue;
      if (spec->extra) {
        q.extra_columns.emplace_back(spec->header, value);
        continue;
      }
      has_content = true;
      const std::string& key = spec->key;
      if (key == "type") type_text = value;
      else if (key == "name") q.name = value;
      else if (key == "label") q.label[spec->lang] = value;
      else if (key == "hint") q.hint[spec->lang] = value;
      else if (key == "guidance_hint") q.guidance_hint[spec->lang] = value;
      else if (key == "constraint_message") q.constraint_message[spec->lang] = value;
      else if (key == "required_message") q.required_message[spec->lang] = value;
      else if (key == "image") q.image[spec->lang] = value;
      else if (key == "audio") q.audio[spec->lang] = value;
      else if (key == "video") q.video[spec->lang] = value;
      else if (key == "relevant") q.relevant = value;
      else if (key == "constraint") q.constraint = value;
      else if (key == "calculation") q.calculation = value;
      else if (key == "required") q.required = value;
      else if (key == "read_only") q.read_only = value;
      else if (key == "default") q.default_value = value;
      else if (key == "appearance") q.appearance = value;
      else if (key == "parameters") q.parameters = value;
      else if (key == "choice_filter") q.choice_filter = value;
      else if (key == "repeat_count") q.repeat_count = value;
      else if (key == "trigger") q.trigger = value;
    }
    if (type_text.empty()) {
      if (has_content) {
        diags_->AddError(code::kUnknownType,
                         q.name.empty() ? "the row has content but no type"
                                        : fmt::format("\"{}\" has no type", q.name),
                         SheetWhere(sheet.name, row.number, type_column));
      }
      continue;
    }
    ParsedType parsed = ParseType(type_text);
    Location type_cell = SheetWhere(sheet.name, row.number, type_column);
    if (parsed.kind == ParsedType::Kind::kEndGroup || parsed.kind == ParsedType::Kind::kEndRepeat) {
      bool repeat = parsed.kind == ParsedType::Kind::kEndRepeat;
      if (open.empty()) {
        diags_->AddError(code::kUnmatchedEnd,
                         fmt::format("\"{}\" without a matching begin {}", type_text,
                                     repeat ? "repeat" : "group"),
                         type_cell);
        continue;
      }
      Question& begin = form_.questions[static_cast<size_t>(open.back().question)];
      if (begin.is_repeat() != repeat) {
        diags_->AddError(code::kMismatchedEnd,
                         fmt::format("\"{}\" closes {} \"{}\" (row {}), which is a {}", type_text,
                                     begin.is_repeat() ? "repeat" : "group", begin.name,
                                     begin.row, begin.is_repeat() ? "repeat" : "group"),
                         type_cell);
      }
      begin.end_row = row.number;
      open.pop_back();
      continue;
    }
    if (parsed.kind == ParsedType::Kind::kUnknown) {
      diags_->AddError(code::kUnknownType, fmt::format("unknown question type \"{}\"", type_text),
                       type_cell);
      continue;
    }
    q.type = parsed.type;
    q.type_text = type_text;
    q.list_name = parsed.list_name;
    q.or_other = parsed.or_other;
    TypeTraits traits = Traits(q.type);
    if (parsed.or_other_misplaced) {
      diags_->AddError(code::kOrOtherNotSelect,
                       fmt::format("or_other only applies to select_one and select_multiple, "
                                   "not \"{}\"",
                                   type_text),
                       type_cell);
    }
    if ((traits.has_list || traits.from_file) && q.list_name.empty()) {
      diags_->AddError(code::kMissingListName,
                       fmt::format("\"{}\" needs a choice list name after the type, e.g. "
                                   "\"{} yes_no\"",
                                   type_text, TypeName(q.type)),
                       type_cell);
    }
    q.index = static_cast<int>(form_.questions.size());
    q.parent = open.empty() ? -1 : open.back().question;
    if (!traits.interview_ready) {
      diags_->AddWarning(code::kNotInterviewReady,
                         fmt::format("type \"{}\" is kept in the form, but the interview cannot "
                                     "run it yet",
                                     TypeName(q.type)),
                         type_cell);
    }
    form_.questions.push_back(std::move(q));
    Question& added = form_.questions.back();
    if (added.parent >= 0) {
      form_.questions[static_cast<size_t>(added.parent)].children.push_back(added.index);
    }
    if (added.is_container()) open.push_back({added.index});
  }
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    const Question& begin = form_.questions[static_cast<size_t>(it->question)];
    diags_->AddError(code::kUnclosedBegin,
                     fmt::format("{} \"{}\" is never closed; add an \"end {}\" row",
                                 begin.is_repeat() ? "repeat" : "group", begin.name,
                                 begin.is_repeat() ? "repeat" : "group"),
                     SheetWhere(sheet.name, begin.row, type_column));
  }
  CheckTranslations(sheet, survey_specs_);
  return Ok();
}

// W102: per translated column, the rows where another language of the same base
// has text but this one has none.
void Builder::CheckTranslations(const Sheet& sheet, const std::vector<ColumnSpec>& specs) {
  std::map<std::string, std::vector<const ColumnSpec*>> by_base;
  for (const ColumnSpec& spec : specs) {
    if (!spec.lang.empty()) by_base[spec.key].push_back(&spec);
  }
  for (const auto& [base, columns] : by_base) {
    if (columns.size() < 2) continue;
    for (const ColumnSpec* spec : columns) {
      std::vector<int> rows;
      for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
        const Row& row = sheet.rows[row_idx];
        auto has_text = [&](int column) {
          const Cell* cell = sheet.Find(row.number, column);
          return cell != nullptr && !text::Trim(cell->value).empty();
        };
        if (has_text(spec->column)) continue;
        bool other = std::any_of(columns.begin(), columns.end(), [&](const ColumnSpec* o) {
          return o != spec && has_text(o->column);
        });
        if (other) rows.push_back(row.number);
      }
      if (rows.empty()) continue;
      std::string list;
      for (size_t i = 0; i < rows.size() && i < 5; ++i) {
        list += (i == 0 ? "" : ", ") + std::to_string(rows[i]);
      }
      if (rows.size() > 5) list += ", ...";
      diags_->AddWarning(
          code::kMissingTranslation,
          fmt::format("column \"{}\" is empty on {} row{} that {} a {} in another language "
                      "(row{} {})",
                      spec->header, rows.size(), rows.size() == 1 ? "" : "s",
                      rows.size() == 1 ? "has" : "have", base, rows.size() == 1 ? "" : "s",
                      list),
          SheetWhere(sheet.name, sheet.rows[0].number, spec->column));
    }
  }
}

// ---- Choices --------------------------------------------------------------------

void Builder::ReadChoices(const Sheet& sheet) {
  form_.choices_sheet = sheet.name;
  choices_specs_ = ReadHeader(sheet, kChoicesAliases, &form_.choices_columns);
  if (sheet.rows.empty()) return;
  if (form_.choices_columns.count("list_name") == 0 || form_.choices_columns.count("name") == 0) {
    diags_->AddError(code::kNoChoiceNameColumn,
                     fmt::format("the choices sheet has no \"{}\" column in its first row",
                                 form_.choices_columns.count("list_name") == 0 ? "list_name"
                                                                                : "name"),
                     SheetWhere(sheet.name, sheet.rows[0].number));
    return;
  }
  std::map<std::string, size_t> list_index;
  std::map<std::pair<size_t, std::string>, int> seen;  // (list, choice) -> row
  int list_column = form_.choices_columns["list_name"];
  int name_column = form_.choices_columns["name"];
  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    Choice choice;
    choice.row = row.number;
    std::string list_name;
    bool has_label = false;
    for (const Cell& cell : row.cells) {
      auto spec = std::lower_bound(
          choices_specs_.begin(), choices_specs_.end(), cell.column,
          [](const ColumnSpec& s, int column) { return s.column < column; });
      if (spec == choices_specs_.end() || spec->column != cell.column) continue;
      std::string value(text::Trim(cell.value));
      if (value.empty()) continue;
      if (spec->extra) {
        choice.extra_columns.emplace_back(spec->header, value);
      } else if (spec->key == "list_name") {
        list_name = value;
      } else if (spec->key == "name") {
        choice.name = value;
      } else if (spec->key == "label") {
        choice.label[spec->lang] = value;
        has_label = true;
      } else if (spec->key == "image") {
        choice.image[spec->lang] = value;
      } else if (spec->key == "audio") {
        choice.audio[spec->lang] = value;
      } else if (spec->key == "video") {
        choice.video[spec->lang] = value;
      }
    }
    if (list_name.empty()) {
      if (!choice.name.empty() || has_label) {
        diags_->AddError(code::kChoiceWithoutList,
                         fmt::format("choice \"{}\" has no list name", choice.name),
                         SheetWhere(sheet.name, row.number, list_column));
      }
      continue;
    }
    auto [it, inserted] = list_index.emplace(list_name, form_.choice_lists.size());
    if (inserted) form_.choice_lists.push_back(ChoiceList{list_name, row.number, {}});
    ChoiceList& list = form_.choice_lists[it->second];
    if (choice.name.empty()) {
      diags_->AddError(code::kChoiceWithoutName,
                       fmt::format("a choice of list \"{}\" has no name", list_name),
                       SheetWhere(sheet.name, row.number, name_column));
      continue;
    }
    auto [dup, fresh] = seen.emplace(std::make_pair(it->second, choice.name), row.number);
    if (!fresh && !form_.settings.allow_choice_duplicates) {
      diags_->AddError(code::kDuplicateChoice,
                       fmt::format("list \"{}\" already has a choice named \"{}\" (row {})",
                                   list_name, choice.name, dup->second),
                       SheetWhere(sheet.name, row.number, name_column));
      continue;
    }
    list.choices.push_back(std::move(choice));
  }
  for (const ChoiceList& list : form_.choice_lists) {
    if (list.choices.empty()) {
      diags_->AddError(code::kEmptyChoiceList,
                       fmt::format("choice list \"{}\" has no choices with a name", list.name),
                       SheetWhere(sheet.name, list.row, list_column));
    }
  }
  CheckTranslations(sheet, choices_specs_);
}

// ---- Whole-form structure checks ------------------------------------------------

void Builder::CheckQuestions() {
  const std::string root = "/data";
  std::map<int, std::map<std::string, int>> names_at_level;
  std::set<std::string> used_lists;
  bool has_choices_sheet = !form_.choices_columns.empty();
  std::vector<std::string_view> list_names;
  for (const ChoiceList& list : form_.choice_lists) list_names.push_back(list.name);
  // Where a missing label is reported: the default language's label column, else
  // the first label column.
  std::string label_key = "label::" + form_.default_language;
  if (form_.survey_columns.count(label_key) == 0) {
    int best = 0;
    for (const auto& [key, column] : form_.survey_columns) {
      if (key.rfind("label::", 0) == 0 && (best == 0 || column < best)) {
        best = column;
        label_key = key;
      }
    }
  }

  for (Question& q : form_.questions) {
    Location name_cell = form_.SurveyCell(q.row, "name");
    Location type_cell = form_.SurveyCell(q.row, "type");
    TypeTraits traits = Traits(q.type);
    std::string parent_path =
        q.parent < 0 ? root : form_.questions[static_cast<size_t>(q.parent)].path;
    q.path = parent_path + "/" + q.name;
    if (q.name.empty()) {
      diags_->AddError(code::kMissingName,
                       fmt::format("this {} has no name", q.is_container()
                                                              ? std::string(q.is_repeat() ? "repeat" : "group")
                                                              : "\"" + q.type_text + "\" question"),
                       name_cell);
    } else if (!IsValidName(q.name)) {
      diags_->AddError(code::kBadName,
                       fmt::format("\"{}\" is not a valid name: start with a letter or '_' and "
                                   "use only letters, digits, '_', '-' and '.'",
                                   q.name),
                       name_cell);
    } else {
      auto [it, fresh] = names_at_level[q.parent].emplace(q.name, q.row);
      if (!fresh) {
        diags_->AddError(code::kDuplicateName,
                         fmt::format("the name \"{}\" is already used at this level (row {})",
                                     q.name, it->second),
                         name_cell);
      }
      form_.name_index[q.name].push_back(q.index);
    }
    if (traits.has_list && !q.list_name.empty()) {
      used_lists.insert(q.list_name);
      if (form_.FindChoiceList(q.list_name) == nullptr) {
        if (!has_choices_sheet) {
          diags_->AddError(code::kNoChoicesSheet,
                           fmt::format("\"{}\" uses choice list \"{}\", but the workbook has no "
                                       "choices sheet",
                                       q.name, q.list_name),
                           type_cell);
        } else {
          std::string hint = ClosestName(q.list_name, list_names);
          diags_->AddError(code::kUnknownList,
                           fmt::format("unknown choice list \"{}\"{}", q.list_name,
                                       hint.empty() ? "" : "; did you mean \"" + hint + "\"?"),
                           type_cell);
        }
      }
    }
    if (traits.needs_label && q.label.empty() && q.hint.empty() && q.type != QuestionType::kNote) {
      diags_->AddError(code::kMissingLabel,
                       fmt::format("\"{}\" is shown to the interviewer but has no label",
                                   q.name),
                       form_.SurveyCell(q.row, label_key));
    }
    if (q.type == QuestionType::kNote && q.label.empty() && q.hint.empty()) {
      diags_->AddError(code::kMissingLabel,
                       fmt::format("note \"{}\" has no label to show", q.name),
                       form_.SurveyCell(q.row, label_key));
    }
    if (q.type == QuestionType::kCalculate && q.calculation.empty()) {
      diags_->AddError(code::kCalculateWithoutCalculation,
                       fmt::format("calculate \"{}\" has no calculation", q.name),
                       form_.SurveyCell(q.row, "calculation"));
    }
    if (!q.repeat_count.empty() && !q.is_repeat()) {
      diags_->AddError(code::kBadRepeatCount,
                       fmt::format("repeat_count is set on \"{}\", which is not a repeat", q.name),
                       form_.SurveyCell(q.row, "repeat_count"));
    }
    if (q.is_container() && q.children.empty() && !q.name.empty()) {
      diags_->AddWarning(code::kEmptyGroup,
                         fmt::format("{} \"{}\" contains no questions",
                                     q.is_repeat() ? "repeat" : "group", q.name),
                         type_cell);
    }
  }
  for (const ChoiceList& list : form_.choice_lists) {
    if (used_lists.count(list.name) == 0 && !list.choices.empty()) {
      diags_->AddWarning(code::kUnusedChoiceList,
                         fmt::format("choice list \"{}\" is not used by any question", list.name),
                         form_.ChoicesCell(list.row, "list_name"));
    }
  }
}

Result<Form> Builder::Build() {
  CheckSheetNames();
  const Sheet* survey = workbook_.FindSheet("survey");
  if (survey == nullptr) {
    std::string names;
    for (const Sheet& sheet : workbook_.sheets) {
      names += (names.empty() ? "" : ", ") + ("\"" + sheet.name + "\"");
    }
    return MakeError(code::kNoSurveySheet,
                     fmt::format("the workbook has no \"survey\" sheet (its sheets: {})",
                                 names.empty() ? "none" : names),
                     Location{form_.file});
  }
  if (const Sheet* settings = workbook_.FindSheet("settings")) ReadSettings(*settings);
  form_.default_language = "default";
  if (!form_.settings.default_language.empty()) {
    Language language = ParseLanguage(form_.settings.default_language);
    form_.default_language = language.code;
  }
  // The default language goes first in the list once some column uses it.
  Status status = ReadSurvey(*survey);
  if (!status) return tl::unexpected(status.error());
  if (const Sheet* choices = workbook_.FindSheet("choices")) ReadChoices(*choices);

  // Put the default language first; drop it when nothing uses it.
  std::set<std::string> used;
  auto collect = [&](const Translations& texts) {
    for (const auto& [lang, text] : texts) used.insert(lang);
  };
  for (const Question& q : form_.questions) {
    collect(q.label), collect(q.hint), collect(q.guidance_hint);
    collect(q.constraint_message), collect(q.required_message);
    collect(q.image), collect(q.audio), collect(q.video);
  }
  for (const ChoiceList& list : form_.choice_lists) {
    for (const Choice& c : list.choices) collect(c.label), collect(c.image);
  }
  std::vector<Language> ordered;
  for (const Language& language : form_.languages) {
    if (language.code == form_.default_language) ordered.insert(ordered.begin(), language);
    else ordered.push_back(language);
  }
  form_.languages = std::move(ordered);
  bool default_listed = std::any_of(form_.languages.begin(), form_.languages.end(),
                                    [&](const Language& l) { return l.code == form_.default_language; });
  if (!default_listed && used.count(form_.default_language) != 0) {
    Language language = ParseLanguage(form_.settings.default_language.empty()
                                          ? "default"
                                          : form_.settings.default_language);
    form_.languages.insert(form_.languages.begin(), language);
  }
  // Columns without "::" may have been added under "default" before the settings
  // were known; they are keyed by default_language already (LanguageFor).
  form_.title = !form_.settings.form_title.empty() ? form_.settings.form_title
                                                   : form_.settings.form_id;
  CheckQuestions();
  if (options_.check_expressions) ValidateExpressions(form_, diags_);
  return std::move(form_);
}

}  // namespace

Result<Form> BuildForm(const Workbook& workbook, Diagnostics* diags, const LoadOptions& options) {
  Builder builder(workbook, diags, options);
  return builder.Build();
}

// LoadForm and LoadFormFile live here, with the reader, so that a build without
// the xlsx reader (the WebAssembly engine, docs/web.md) links form.cpp alone.
Result<Form> LoadForm(std::string_view data, const std::string& file_name, Diagnostics* diags,
                      const LoadOptions& options) {
  XlsxOptions xlsx = options.xlsx;
  if (!xlsx.want_sheet) {
    // Only the sheets an XLSForm uses (and their near-miss spellings, which are
    // reported, not read) are worth decompressing.
    xlsx.want_sheet = [](std::string_view name) {
      std::string lower = text::AsciiLower(name);
      return lower == "survey" || lower == "choices" || lower == "settings";
    };
  }
  Workbook workbook = NGO_TRY(ReadXlsx(data, file_name, xlsx));
  return BuildForm(workbook, diags, options);
}

Result<Form> LoadFormFile(const std::string& path, Diagnostics* diags,
                          const LoadOptions& options) {
  std::string data = NGO_TRY(ReadFile(path));
  return LoadForm(data, path, diags, options);
}

}  // namespace ngosurvey::form
