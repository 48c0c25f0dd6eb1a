// Workbook -> Form: the XLSForm layer over the generic xlsx reader. Column
// headers and type cells accept the spellings pyxform accepts (see the alias tables
// below); translated columns are "base::Language (code)", "base::Language(code)",
// "base::code" or "base" alone (the default language).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "base/file.h"
#include "base/text.h"
#include "form/diagnostics.h"
#include "form/entities_internal.h"
#include "form/form.h"
#include "form/loops.h"
#include "form/parameters.h"
#include "form/validate_internal.h"
#include "form/xls_reader.h"

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
    ColumnAlias{"command", "type"},
    ColumnAlias{"name", "name"},
    ColumnAlias{"value", "name"},
    ColumnAlias{"tag", "name"},
    ColumnAlias{"label", "label"},
    ColumnAlias{"caption", "label"},
    ColumnAlias{"hint", "hint"},
    ColumnAlias{"guidance_hint", "guidance_hint"},
    ColumnAlias{"guidance hint", "guidance_hint"},
    ColumnAlias{"constraint_message", "constraint_message"},
    ColumnAlias{"constraint message", "constraint_message"},
    ColumnAlias{"constraining_message", "constraint_message"},
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
    ColumnAlias{"save_to", "save_to"},
};
constexpr std::array kChoicesAliases = {
    ColumnAlias{"list_name", "list_name"}, ColumnAlias{"list name", "list_name"},
    ColumnAlias{"name", "name"},           ColumnAlias{"value", "name"},
    ColumnAlias{"label", "label"},         ColumnAlias{"caption", "label"},
    ColumnAlias{"image", "image"},         ColumnAlias{"audio", "audio"},
    ColumnAlias{"video", "video"},
};
constexpr std::array<std::string_view, 8> kTranslatable = {
    "label", "hint",  "guidance_hint", "constraint_message", "required_message",
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
      if (!code.empty()) {
        return {std::string(code), std::string(name.empty() ? code : name), std::string(trimmed)};
      }
    }
  }
  return {std::string(trimmed), std::string(trimmed), std::string(trimmed)};
}

// One column of a sheet after alias resolution.
struct ColumnSpec {
  int column = 0;
  std::string header;  // as written
  std::string key;     // canonical base key ("label"), or the header for extras
  std::string lang;    // Language::code for translated columns, "" otherwise
  bool extra = false;
};

// pyxform's clean_text_values: typographic quotes (Excel's autocorrect) become
// straight quotes in every cell, so that 'yes' in an expression is a string; with
// `collapse_spaces`, runs of spaces become one. Ends are trimmed.
std::string CleanText(std::string_view raw, bool collapse_spaces) {
  std::string_view s = text::Trim(raw);
  // Most cells have neither: one copy, as before this cleaning existed.
  if (s.find('\xE2') == std::string_view::npos &&
      (!collapse_spaces || s.find("  ") == std::string_view::npos)) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    // U+2018/U+2019 (E2 80 98/99) -> '; U+201C/U+201D (E2 80 9C/9D) -> ".
    if (static_cast<unsigned char>(s[i]) == 0xE2 && i + 2 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) == 0x80) {
      auto third = static_cast<unsigned char>(s[i + 2]);
      if (third == 0x98 || third == 0x99) {
        out += '\'';
        i += 2;
        continue;
      }
      if (third == 0x9C || third == 0x9D) {
        out += '"';
        i += 2;
        continue;
      }
    }
    if (collapse_spaces && s[i] == ' ' && !out.empty() && out.back() == ' ') continue;
    out += s[i];
  }
  return out;
}

bool IsNoText(std::string_view value) {
  std::string lower = text::AsciiLower(text::Trim(value));
  return lower == "no" || lower == "false" || lower == "false()";
}

// pyxform's to_snake_case: runs of whitespace become one '_', ends trimmed.
std::string SnakeCase(std::string_view s) {
  std::string out;
  bool gap = false;
  for (char c : text::Trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += c;
  }
  return out;
}

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
                                     std::map<std::string, int>* columns,
                                     std::set<std::string>* untranslated);
  const Language& AddLanguage(const Language& language);
  void ApplyTypeImpliedChecks();
  Status ReadSurvey(const Sheet& sheet);
  // The choices sheet, or one with its layout: external_choices, osm.
  enum class ListSheet { kChoices, kExternal, kOsm };
  void ReadChoices(const Sheet& sheet, ListSheet kind);
  // The entities sheet into Form::entities, with the checks of one row (E060-E065).
  void ReadEntities(const Sheet& sheet);
  void CheckQuestions();
  // The parameters cell read and checked as pyxform does (form/parameters.h): E034 when
  // it is not key=value pairs, E035 for each key or value the type does not take.
  void CheckRowParameters(const Question& q);
  // E036: two secondary instances of the XForm would have one id (pyxform's check): a
  // choice list, a select_*_from_file's file and an xml-/csv-external each make one,
  // named by the list, the file's stem or the question.
  void CheckInstanceIds();
  void CheckTranslations(const Sheet& sheet, const std::vector<ColumnSpec>& specs);
  std::string LanguageFor(std::string_view lang_text);

  const Sheet& WithoutRowsAfterEmptyRun(const Sheet& sheet);

  const Workbook& workbook_;
  std::deque<Sheet> cut_sheets_;  // sheets cut at a run of empty rows (stable addresses)
  Diagnostics* diags_;
  const LoadOptions& options_;
  Form form_;
  std::vector<ColumnSpec> survey_specs_, choices_specs_;
  std::set<std::string> language_codes_used_;
};

// ---- Sheets ---------------------------------------------------------------------

constexpr std::array<std::string_view, 5> kSheetNames = {"survey", "choices", "settings",
                                                         "external_choices", "entities"};

void Builder::CheckSheetNames() {
  for (const Sheet& sheet : workbook_.sheets) {
    std::string lower = text::AsciiLower(text::Trim(sheet.name));
    if (std::find(kSheetNames.begin(), kSheetNames.end(), lower) != kSheetNames.end()) continue;
    // Read too, but no sheet is taken for a misspelt "osm" (a "form" sheet would be).
    if (lower == "osm") continue;
    for (std::string_view wanted : kSheetNames) {
      if (workbook_.FindSheet(wanted) != nullptr) continue;
      size_t distance = text::EditDistance(lower, wanted);
      // "survery", "choice", "setting", "Survey " (trailing space).
      if (distance <= 2 && lower.size() >= 4) {
        diags_->AddWarning(
            code::kNearMissSheet,
            fmt::format("sheet \"{}\" is ignored; did you mean \"{}\"?", sheet.name, wanted),
            Location{form_.file, sheet.name});
        break;
      }
    }
  }
}

// A settings cell as pyxform reads it: a date cell is Python's str() of the datetime
// (or time) that openpyxl (.xlsx: milliseconds kept, printed as microseconds) or xlrd
// (.xls: whole seconds) makes of it, "2023-05-02 10:43:54", "2022-04-11 16:26:28.971000",
// "1900-01-01 00:00:00", "08:30:00"; any other cell its text. Only the settings take
// it: their values are free text that ODK Central compares (a form's version), while
// elsewhere a date cell keeps the ISO text an ODK date question reads (docs/xform.md).
// `xls`: the workbook is an .xls (its sheets have no zip part).
std::string SettingText(const Cell& cell, bool xls) {
  std::string iso(text::Trim(cell.value));
  if (cell.kind != CellKind::kDate) return iso;
  size_t t = iso.find('T');
  const bool has_date = iso.size() >= 10 && iso[4] == '-' && iso[7] == '-';
  if (has_date && t == std::string::npos) return iso + " 00:00:00";  // a whole day
  std::string date = has_date ? iso.substr(0, 10) : std::string();
  std::string time = t == std::string::npos ? iso : iso.substr(t + 1);
  if (cell.number > 0) {
    // The time of day from the serial, rounded as the Python reader rounds it (the
    // ISO text rounds to whole seconds; openpyxl keeps milliseconds).
    double fraction = cell.number - std::floor(cell.number);
    auto ms = static_cast<int64_t>(std::llround(fraction * 86400000.0));
    if (xls) ms = std::llround(fraction * 86400.0) * 1000;
    if (ms < 86400000) {
      time = fmt::format("{:02}:{:02}:{:02}", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60);
      if (ms % 1000 != 0) time += fmt::format(".{:03}000", ms % 1000);
    }
  }
  return date.empty() ? time : date + " " + time;
}

void Builder::ReadSettings(const Sheet& sheet) {
  form_.settings_sheet = sheet.name;
  if (sheet.rows.size() < 2) return;
  const Row& header = sheet.rows[0];
  const Row& values = sheet.rows[1];
  const bool xls = sheet.part.empty();
  for (const Cell& cell : header.cells) {
    std::string key = text::AsciiLower(text::Trim(cell.value));
    if (key == "id_string") key = "form_id";
    if (key == "title") key = "form_title";
    const Cell* value = sheet.Find(values.number, cell.column);
    if (value != nullptr) form_.settings.values[key] = SettingText(*value, xls);
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

// The types of pyxform's question type dictionary that bring a constraint and a
// hint of their own (question_type_dictionary.py); a row's own cells win.
struct TypeImpliedCheck {
  std::string_view type, constraint, hint;
};
constexpr std::array kTypeImpliedChecks = {
    TypeImpliedCheck{"phone number", "regex(., '^\\d*$')", "Enter numbers only."},
    TypeImpliedCheck{"percentage", "0 <= . and . <= 100", ""},
    TypeImpliedCheck{"number of days in last month", "0 <= . and . <= 31", "Enter a number 0-31."},
    TypeImpliedCheck{"number of days in last six months", "0 <= . and . <= 183",
                     "Enter a number 0-183."},
    TypeImpliedCheck{"number of days in last year", "0 <= . and . <= 365", "Enter a number 0-365."},
};

// After the default language is known: the hint is in it.
void Builder::ApplyTypeImpliedChecks() {
  for (Question& q : form_.questions) {
    for (const TypeImpliedCheck& check : kTypeImpliedChecks) {
      if (text::Trim(q.type_text) != check.type) continue;
      if (q.constraint.empty()) q.constraint = std::string(check.constraint);
      if (q.hint.empty() && !check.hint.empty()) {
        q.hint[form_.default_language] = std::string(check.hint);
        q.hint_from_type = true;
      }
    }
  }
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
  for (Language& existing : form_.languages) {
    if (existing.code == language.code ||
        (existing.name == language.name && existing.name != existing.code)) {
      if (existing.written != language.written) existing.written.clear();  // spelt two ways
      return existing.code;
    }
  }
  return AddLanguage(language).code;
}

// Reads row 1 of a sheet into column specs; reports duplicates and near misses.
template <size_t N>
std::vector<ColumnSpec> Builder::ReadHeader(const Sheet& sheet,
                                            const std::array<ColumnAlias, N>& aliases,
                                            std::map<std::string, int>* columns,
                                            std::set<std::string>* untranslated) {
  std::vector<ColumnSpec> specs;
  if (sheet.rows.empty()) return specs;
  const Row& header = sheet.rows[0];
  std::set<std::string> seen;
  std::map<std::string, std::string> written;  // (key, language as written) -> first header
  // As pyxform: headers are split on "::", or on a single ':' ("label:English",
  // legacy) when no header of the row uses "::" (jr:count stays whole).
  bool double_colon = std::any_of(header.cells.begin(), header.cells.end(), [](const Cell& c) {
    return c.value.find("::") != std::string::npos;
  });
  for (const Cell& cell : header.cells) {
    ColumnSpec spec;
    spec.column = cell.column;
    spec.header = std::string(text::Trim(cell.value));
    std::string lower = text::AsciiLower(spec.header);
    // Prefixes some tools write: bind::relevant, body::appearance, media::image; with a
    // single colon in a legacy row without "::" (bind:relevant, bind:constraint in pyxform's
    // own tutorial.xls), as pyxform reads them.
    for (std::string_view prefix : {"bind::", "body::", "control::", "media::"}) {
      std::string_view legacy = prefix.substr(0, prefix.size() - 1);
      if (lower.rfind(prefix, 0) == 0) {
        lower = lower.substr(prefix.size());
        break;
      }
      if (!double_colon && lower.rfind(legacy, 0) == 0) {
        lower = lower.substr(legacy.size());
        break;
      }
    }
    size_t sep = lower.find("::");
    size_t sep_width = 2;
    if (sep == std::string::npos && !double_colon) {
      size_t from = lower.rfind("jr:", 0) == 0 ? 3 : 0;
      sep = lower.find(':', from);
      sep_width = 1;
    }
    // "Constraint Message" -> "constraint_message" (pyxform's snake case).
    std::string base = SnakeCase(lower.substr(0, sep));
    std::string lang_text;
    if (sep != std::string::npos) {
      // The language keeps its case: take it from the original header, whose
      // prefix (if any) had the same length.
      size_t offset = spec.header.size() - lower.size();
      lang_text = std::string(text::Trim(spec.header.substr(offset + sep + sep_width)));
    }
    std::optional<std::string_view> key = LookupAlias(aliases, base);
    if (key && IsTranslatable(*key) && sep_width == 2 &&
        lang_text.find("::") != std::string::npos) {
      // pyxform nests such a header twice and fails on it (a TypeError in its itext).
      diags_->AddError(code::kLanguageWithSeparator,
                       fmt::format("column \"{}\" has \"::\" twice: one \"::\" separates the "
                                   "column from its language (two headers run together?)",
                                   spec.header),
                       SheetWhere(sheet.name, header.number, cell.column));
      continue;
    }
    if (key && (sep == std::string::npos || IsTranslatable(*key))) {
      spec.key = std::string(*key);
      if (IsTranslatable(spec.key)) {
        spec.lang = LanguageFor(lang_text);
        if (sep == std::string::npos) untranslated->insert(spec.key);
      }
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
    // pyxform refuses two headers that give the same column as written: "label" twice,
    // or "name" and "value" (an alias).
    auto [first, fresh] = written.emplace(spec.key + "\t" + lang_text, spec.header);
    if (!fresh) {
      diags_->AddError(code::kDuplicateHeader,
                       fmt::format("column \"{}\" is the same column as \"{}\" before it",
                                   spec.header, first->second),
                       SheetWhere(sheet.name, header.number, cell.column));
      continue;
    }
    if (!seen.insert(column_key).second) {
      diags_->AddWarning(
          code::kDuplicateColumn,
          fmt::format("column \"{}\" appears twice; this one is ignored", spec.header),
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
  enum class Kind { kQuestion, kEnd, kUnknown } kind = Kind::kUnknown;
  QuestionType type = QuestionType::kText;  // kEnd: the container type it closes
  std::string list_name;
  bool or_other = false;
  bool or_other_misplaced = false;
  std::string suggestion;  // kUnknown: the type it would be in lower case ("Integer")
};

struct TypeAlias {
  std::string_view alias;
  QuestionType type;
};
// Every type cell pyxform accepts without a list, as written (types are
// case-sensitive in pyxform: "Integer" is an unknown type): its question type
// dictionary and its aliases (pyxform/question_type_dictionary.py, aliases.py).
constexpr std::array kTypeAliases = {
    TypeAlias{"text", QuestionType::kText},
    TypeAlias{"string", QuestionType::kText},
    TypeAlias{"add text prompt", QuestionType::kText},
    TypeAlias{"q string", QuestionType::kText},
    TypeAlias{"phone number", QuestionType::kText},
    TypeAlias{"integer", QuestionType::kInteger},
    TypeAlias{"int", QuestionType::kInteger},
    TypeAlias{"add integer prompt", QuestionType::kInteger},
    TypeAlias{"q int", QuestionType::kInteger},
    TypeAlias{"percentage", QuestionType::kInteger},
    TypeAlias{"number of days in last month", QuestionType::kInteger},
    TypeAlias{"number of days in last six months", QuestionType::kInteger},
    TypeAlias{"number of days in last year", QuestionType::kInteger},
    TypeAlias{"decimal", QuestionType::kDecimal},
    TypeAlias{"add decimal prompt", QuestionType::kDecimal},
    TypeAlias{"q decimal", QuestionType::kDecimal},
    TypeAlias{"range", QuestionType::kRange},
    TypeAlias{"date", QuestionType::kDate},
    TypeAlias{"add date prompt", QuestionType::kDate},
    TypeAlias{"q date", QuestionType::kDate},
    TypeAlias{"time", QuestionType::kTime},
    TypeAlias{"dateTime", QuestionType::kDateTime},
    TypeAlias{"datetime", QuestionType::kDateTime},
    TypeAlias{"date time", QuestionType::kDateTime},
    TypeAlias{"add date time prompt", QuestionType::kDateTime},
    TypeAlias{"add dateTime prompt", QuestionType::kDateTime},
    TypeAlias{"q date time", QuestionType::kDateTime},
    TypeAlias{"q dateTime", QuestionType::kDateTime},
    TypeAlias{"note", QuestionType::kNote},
    TypeAlias{"add note prompt", QuestionType::kNote},
    TypeAlias{"q note", QuestionType::kNote},
    TypeAlias{"calculate", QuestionType::kCalculate},
    TypeAlias{"add calculate prompt", QuestionType::kCalculate},
    TypeAlias{"q calculate", QuestionType::kCalculate},
    TypeAlias{"hidden", QuestionType::kHidden},
    TypeAlias{"acknowledge", QuestionType::kAcknowledge},
    TypeAlias{"add acknowledge prompt", QuestionType::kAcknowledge},
    TypeAlias{"q acknowledge", QuestionType::kAcknowledge},
    TypeAlias{"trigger", QuestionType::kAcknowledge},
    TypeAlias{"geopoint", QuestionType::kGeopoint},
    TypeAlias{"gps", QuestionType::kGeopoint},
    TypeAlias{"location", QuestionType::kGeopoint},
    TypeAlias{"add location prompt", QuestionType::kGeopoint},
    TypeAlias{"q geopoint", QuestionType::kGeopoint},
    TypeAlias{"q location", QuestionType::kGeopoint},
    TypeAlias{"geotrace", QuestionType::kGeotrace},
    TypeAlias{"q geotrace", QuestionType::kGeotrace},
    TypeAlias{"geoshape", QuestionType::kGeoshape},
    TypeAlias{"q geoshape", QuestionType::kGeoshape},
    TypeAlias{"image", QuestionType::kImage},
    TypeAlias{"photo", QuestionType::kImage},
    TypeAlias{"add photo prompt", QuestionType::kImage},
    TypeAlias{"add image prompt", QuestionType::kImage},
    TypeAlias{"q image", QuestionType::kImage},
    TypeAlias{"q picture", QuestionType::kImage},
    TypeAlias{"audio", QuestionType::kAudio},
    TypeAlias{"add audio prompt", QuestionType::kAudio},
    TypeAlias{"q audio", QuestionType::kAudio},
    TypeAlias{"video", QuestionType::kVideo},
    TypeAlias{"add video prompt", QuestionType::kVideo},
    TypeAlias{"q video", QuestionType::kVideo},
    TypeAlias{"file", QuestionType::kFile},
    TypeAlias{"add file prompt", QuestionType::kFile},
    TypeAlias{"barcode", QuestionType::kBarcode},
    TypeAlias{"add barcode prompt", QuestionType::kBarcode},
    TypeAlias{"q barcode", QuestionType::kBarcode},
    TypeAlias{"osm", QuestionType::kOsm},
    TypeAlias{"background-audio", QuestionType::kBackgroundAudio},
    TypeAlias{"background-geopoint", QuestionType::kBackgroundGeopoint},
    TypeAlias{"xml-external", QuestionType::kXmlExternal},
    TypeAlias{"csv-external", QuestionType::kCsvExternal},
    TypeAlias{"start", QuestionType::kStart},
    TypeAlias{"start time", QuestionType::kStart},
    TypeAlias{"get start time", QuestionType::kStart},
    TypeAlias{"end", QuestionType::kEnd},
    TypeAlias{"end time", QuestionType::kEnd},
    TypeAlias{"get end time", QuestionType::kEnd},
    TypeAlias{"today", QuestionType::kToday},
    TypeAlias{"get today", QuestionType::kToday},
    TypeAlias{"deviceid", QuestionType::kDeviceId},
    TypeAlias{"device id", QuestionType::kDeviceId},
    TypeAlias{"get device id", QuestionType::kDeviceId},
    TypeAlias{"imei", QuestionType::kDeviceId},
    TypeAlias{"uri:deviceid", QuestionType::kDeviceId},
    TypeAlias{"subscriberid", QuestionType::kSubscriberId},
    TypeAlias{"subscriber id", QuestionType::kSubscriberId},
    TypeAlias{"get subscriber id", QuestionType::kSubscriberId},
    TypeAlias{"uri:subscriberid", QuestionType::kSubscriberId},
    TypeAlias{"simserial", QuestionType::kSimSerial},
    TypeAlias{"sim id", QuestionType::kSimSerial},
    TypeAlias{"get sim id", QuestionType::kSimSerial},
    TypeAlias{"uri:simserial", QuestionType::kSimSerial},
    TypeAlias{"phonenumber", QuestionType::kPhoneNumber},
    TypeAlias{"get phone number", QuestionType::kPhoneNumber},
    TypeAlias{"uri:phonenumber", QuestionType::kPhoneNumber},
    TypeAlias{"username", QuestionType::kUsername},
    TypeAlias{"uri:username", QuestionType::kUsername},
    TypeAlias{"email", QuestionType::kEmail},
    TypeAlias{"uri:email", QuestionType::kEmail},
    TypeAlias{"audit", QuestionType::kAudit},
    TypeAlias{"start-geopoint", QuestionType::kStartGeopoint},
};

// Select-like prefixes followed by " LIST" (pyxform's aliases.select), longest
// first so that "select one from file" wins over "select one".
constexpr std::array kSelectPrefixes = {
    TypeAlias{"add select multiple prompt using", QuestionType::kSelectMultiple},
    TypeAlias{"add select one prompt using", QuestionType::kSelectOne},
    TypeAlias{"select_multiple_from_file", QuestionType::kSelectMultipleFromFile},
    TypeAlias{"select multiple from file", QuestionType::kSelectMultipleFromFile},
    TypeAlias{"select all that apply from", QuestionType::kSelectMultiple},
    TypeAlias{"select_one_from_file", QuestionType::kSelectOneFromFile},
    TypeAlias{"select one from file", QuestionType::kSelectOneFromFile},
    TypeAlias{"select_one_external", QuestionType::kSelectOneExternal},
    TypeAlias{"select all that apply", QuestionType::kSelectMultiple},
    TypeAlias{"select_multiple", QuestionType::kSelectMultiple},
    TypeAlias{"select one from", QuestionType::kSelectOne},
    TypeAlias{"select_one", QuestionType::kSelectOne},
    TypeAlias{"select one", QuestionType::kSelectOne},
    TypeAlias{"select1", QuestionType::kSelectOne},
    TypeAlias{"rank", QuestionType::kRank},
};

// The containers of begin/end rows: pyxform's aliases.control.
struct ControlAlias {
  std::string_view alias;
  QuestionType type;
};
constexpr std::array kControls = {
    ControlAlias{"looped group", QuestionType::kBeginRepeat},
    ControlAlias{"group", QuestionType::kBeginGroup},
    ControlAlias{"lgroup", QuestionType::kBeginRepeat},
    ControlAlias{"repeat", QuestionType::kBeginRepeat},
    ControlAlias{"loop", QuestionType::kBeginLoop},
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

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// "begin group", "begin_repeat", "begin loop over LIST", "end lgroup": the
// container named after `verb` and '_' or ' ', and what follows it.
std::optional<std::pair<QuestionType, std::string_view>> ParseControl(std::string_view written,
                                                                      std::string_view verb) {
  if (!StartsWith(written, verb) || written.size() <= verb.size()) return std::nullopt;
  char gap = written[verb.size()];
  if (gap != ' ' && gap != '_') return std::nullopt;
  std::string_view rest = written.substr(verb.size() + 1);
  for (const ControlAlias& control : kControls) {
    if (!StartsWith(rest, control.alias)) continue;
    std::string_view after = rest.substr(control.alias.size());
    if (!after.empty() && after[0] != ' ') continue;
    return std::make_pair(control.type, after);
  }
  return std::nullopt;
}

ParsedType ParseTypeExact(const std::string& written) {
  ParsedType parsed;
  if (auto end = ParseControl(written, "end"); end && end->second.empty()) {
    parsed.kind = ParsedType::Kind::kEnd;
    parsed.type = end->first;
    return parsed;
  }
  if (auto begin = ParseControl(written, "begin")) {
    // "begin loop over LIST" / "begin loop LIST"; a list after another container
    // is ignored, as pyxform does.
    std::string_view after = text::Trim(begin->second);
    if (StartsWith(after, "over ")) after = text::Trim(after.substr(5));
    if (after.find(' ') != std::string_view::npos) return parsed;
    parsed.kind = ParsedType::Kind::kQuestion;
    parsed.type = begin->first;
    if (parsed.type == QuestionType::kBeginLoop) parsed.list_name = std::string(after);
    return parsed;
  }
  for (const TypeAlias& prefix : kSelectPrefixes) {
    if (!StartsWith(written, prefix.alias) || written.size() <= prefix.alias.size() + 1 ||
        written[prefix.alias.size()] != ' ') {
      continue;
    }
    std::string rest(written.substr(prefix.alias.size() + 1));
    for (std::string_view suffix : {" or_other", " or specify other", " or other"}) {
      if (rest.size() > suffix.size() &&
          rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0) {
        parsed.or_other = true;
        rest = rest.substr(0, rest.size() - suffix.size());
        break;
      }
    }
    // The list name is one word (pyxform: \S+); it keeps its case.
    if (rest.find(' ') != std::string::npos) continue;
    parsed.kind = ParsedType::Kind::kQuestion;
    parsed.type = prefix.type;
    // pyxform adds the "other" choice to a list of the choices sheet only.
    if (parsed.or_other &&
        !(prefix.type == QuestionType::kSelectOne || prefix.type == QuestionType::kSelectMultiple ||
          prefix.type == QuestionType::kRank)) {
      parsed.or_other_misplaced = true;
    }
    parsed.list_name = rest;
    return parsed;
  }
  // "osm LIST": the tags of the osm sheet's list LIST.
  if (StartsWith(written, "osm ") && written.find(' ', 4) == std::string::npos) {
    parsed.kind = ParsedType::Kind::kQuestion;
    parsed.type = QuestionType::kOsm;
    parsed.list_name = written.substr(4);
    return parsed;
  }
  for (const TypeAlias& alias : kTypeAliases) {
    if (alias.alias == written) {
      parsed.kind = ParsedType::Kind::kQuestion;
      parsed.type = alias.type;
      return parsed;
    }
  }
  // "integer or_other" and friends.
  for (std::string_view suffix : {" or_other", " or specify other", " or other"}) {
    if (written.size() > suffix.size() &&
        written.compare(written.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ParsedType inner = ParseTypeExact(written.substr(0, written.size() - suffix.size()));
      if (inner.kind == ParsedType::Kind::kQuestion) {
        inner.or_other_misplaced = true;
        return inner;
      }
    }
  }
  return parsed;
}

// pyxform: a select_*_from_file names a file with exactly one extension, one of
// .csv, .xml and .geojson.
bool HasOneFileExtension(std::string_view file) {
  size_t slash = file.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? file : file.substr(slash + 1);
  size_t dot = base.find('.');
  if (dot == std::string_view::npos || dot == 0 ||
      base.find('.', dot + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view ext = base.substr(dot);
  return ext == ".csv" || ext == ".xml" || ext == ".geojson";
}

// Survey rows that set a setting (pyxform's aliases.settings_header as types):
// the settings key, or "".
std::string_view SurveyRowSetting(std::string_view type_text) {
  std::string_view type = text::Trim(type_text);
  if (type == "form_title" || type == "set_form_title") return "form_title";
  if (type == "form_id" || type == "set_form_id") return "form_id";
  if (type == "prefix") return "prefix";
  return "";
}

ParsedType ParseType(std::string_view cell) {
  std::string written = CollapseSpaces(cell);
  ParsedType parsed = ParseTypeExact(written);
  if (parsed.kind == ParsedType::Kind::kUnknown) {
    // pyxform reads types as written; say so when the lower-case spelling is one.
    std::string lower = text::AsciiLower(written);
    // Keep the list name as written: only the words before it are lowered.
    ParsedType retry = ParseTypeExact(lower);
    if (retry.kind != ParsedType::Kind::kUnknown && lower != written) {
      size_t list_at = retry.list_name.empty() ? std::string::npos : lower.rfind(retry.list_name);
      parsed.suggestion =
          list_at == std::string::npos ? lower : lower.substr(0, list_at) + written.substr(list_at);
    }
  }
  return parsed;
}

// ---- Survey ---------------------------------------------------------------------

// Long on purpose: one pass over the survey rows as pyxform reads them, a column's rule at a time.
// NOLINTNEXTLINE(readability-function-size)
Status Builder::ReadSurvey(const Sheet& sheet) {
  form_.survey_sheet = sheet.name;
  survey_specs_ =
      ReadHeader(sheet, kSurveyAliases, &form_.survey_columns, &form_.untranslated_survey_columns);
  // pyxform requires only "type": without "name", every row but a note lacks a name.
  if (form_.survey_columns.count("type") == 0) {
    return MakeError(code::kNoTypeColumn,
                     "the survey sheet has no \"type\" column in its first row",
                     SheetWhere(sheet.name, sheet.rows.empty() ? 1 : sheet.rows[0].number));
  }
  int type_column = form_.survey_columns["type"];
  // pyxform's clean_text_values (on unless the setting says no): runs of spaces in
  // survey cells become one.
  auto clean_setting = form_.settings.values.find("clean_text_values");
  bool collapse_spaces =
      clean_setting == form_.settings.values.end() || !IsNoText(clean_setting->second);

  // What each column fills, found once per column rather than per cell.
  enum class Field { kNone, kType, kName, kText, kCell };
  std::vector<Field> field_of(survey_specs_.size(), Field::kNone);
  std::vector<Translations Question::*> text_of(survey_specs_.size(), nullptr);
  std::vector<std::string Question::*> cell_of(survey_specs_.size(), nullptr);
  for (size_t k = 0; k < survey_specs_.size(); ++k) {
    static const std::array<std::pair<std::string_view, Translations Question::*>, 8> kTexts = {{
        {"label", &Question::label},
        {"hint", &Question::hint},
        {"guidance_hint", &Question::guidance_hint},
        {"constraint_message", &Question::constraint_message},
        {"required_message", &Question::required_message},
        {"image", &Question::image},
        {"audio", &Question::audio},
        {"video", &Question::video},
    }};
    static const std::array<std::pair<std::string_view, std::string Question::*>, 12> kCells = {{
        {"relevant", &Question::relevant},
        {"constraint", &Question::constraint},
        {"calculation", &Question::calculation},
        {"required", &Question::required},
        {"read_only", &Question::read_only},
        {"default", &Question::default_value},
        {"appearance", &Question::appearance},
        {"parameters", &Question::parameters},
        {"choice_filter", &Question::choice_filter},
        {"repeat_count", &Question::repeat_count},
        {"trigger", &Question::trigger},
        {"save_to", &Question::save_to},
    }};
    const std::string& key = survey_specs_[k].key;
    if (key == "type") field_of[k] = Field::kType;
    if (key == "name") field_of[k] = Field::kName;
    for (const auto& [text_key, member] : kTexts) {
      if (key == text_key) {
        field_of[k] = Field::kText;
        text_of[k] = member;
      }
    }
    for (const auto& [cell_key, member] : kCells) {
      if (key == cell_key) {
        field_of[k] = Field::kCell;
        cell_of[k] = member;
      }
    }
  }

  struct Open {
    int question;  // index in questions
  };
  std::vector<Open> open;
  // At most a question per row: room for them all at once, so that the vector never
  // moves its (large) questions as it grows.
  form_.questions.reserve(form_.questions.size() + sheet.rows.size());

  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    Question q;
    q.row = row.number;
    std::string type_text;
    bool has_content = false;
    for (const Cell& cell : row.cells) {
      auto spec =
          std::lower_bound(survey_specs_.begin(), survey_specs_.end(), cell.column,
                           [](const ColumnSpec& s, int column) { return s.column < column; });
      if (spec == survey_specs_.end() || spec->column != cell.column) continue;
      std::string value = CleanText(cell.value, collapse_spaces);
      if (value.empty()) continue;
      if (spec->extra) {
        q.extra_columns.emplace_back(spec->header, std::move(value));
        continue;
      }
      has_content = true;
      switch (field_of[static_cast<size_t>(spec - survey_specs_.begin())]) {
        case Field::kType:
          type_text = std::move(value);
          break;
        case Field::kName:
          q.name = std::move(value);
          break;
        case Field::kText:
          (q.*text_of[static_cast<size_t>(spec - survey_specs_.begin())])[spec->lang] =
              std::move(value);
          break;
        case Field::kCell:
          q.*cell_of[static_cast<size_t>(spec - survey_specs_.begin())] = std::move(value);
          break;
        case Field::kNone:
          break;
      }
    }
    // A "disabled" row (a legacy column pyxform still reads) is not part of the form.
    if (const std::string* disabled = q.ExtraColumn("disabled"); disabled != nullptr) {
      std::string lower = text::AsciiLower(*disabled);
      if (lower == "yes" || lower == "true" || lower == "true()") continue;
    }
    if (type_text.empty()) {
      // As pyxform: a row with a name or a label needs a type; any other row
      // without a type is a comment, skipped with a warning.
      if (!q.name.empty() || !q.label.empty()) {
        diags_->AddError(code::kUnknownType,
                         q.name.empty() ? "the row has a label but no type"
                                        : fmt::format("\"{}\" has no type", q.name),
                         SheetWhere(sheet.name, row.number, type_column));
      } else if (has_content || !q.extra_columns.empty()) {
        diags_->AddWarning(code::kRowWithoutType,
                           "the row has no type, name or label and is skipped",
                           SheetWhere(sheet.name, row.number, type_column));
      }
      continue;
    }
    ParsedType parsed = ParseType(type_text);
    Location type_cell = SheetWhere(sheet.name, row.number, type_column);
    // Settings written as survey rows (pyxform's settings aliases): the name cell
    // holds the value.
    if (std::string_view setting = SurveyRowSetting(type_text); !setting.empty()) {
      form_.settings.values[std::string(setting)] = q.name;
      if (setting == "form_id") form_.settings.form_id = q.name;
      if (setting == "form_title") form_.settings.form_title = q.name;
      continue;
    }
    if (parsed.kind == ParsedType::Kind::kEnd) {
      auto kind = [](QuestionType type) {
        return type == QuestionType::kBeginRepeat ? "repeat"
               : type == QuestionType::kBeginLoop ? "loop"
                                                  : "group";
      };
      if (open.empty()) {
        diags_->AddError(
            code::kUnmatchedEnd,
            fmt::format("\"{}\" without a matching begin {}", type_text, kind(parsed.type)),
            type_cell);
        continue;
      }
      Question& begin = form_.questions[static_cast<size_t>(open.back().question)];
      if (!q.save_to.empty() && form_.entities.empty()) {
        // pyxform reports the missing entities first.
        diags_->AddError(code::kSaveToWithoutEntities,
                         fmt::format("save_to \"{}\" saves to an entity, but the form declares "
                                     "none (and an end row cannot be saved)",
                                     q.save_to),
                         form_.SurveyCell(row.number, "save_to"));
      } else if (!q.save_to.empty()) {
        diags_->AddError(code::kSaveToOnContainer,
                         fmt::format("save_to \"{}\" is on the end row of \"{}\": groups and "
                                     "repeats cannot be saved as entity properties",
                                     q.save_to, begin.name),
                         form_.SurveyCell(row.number, "save_to"));
      }
      if (begin.type != parsed.type) {
        diags_->AddError(code::kMismatchedEnd,
                         fmt::format("\"{}\" closes {} \"{}\" (row {}), which is a {}", type_text,
                                     kind(begin.type), begin.name, begin.row, kind(begin.type)),
                         type_cell);
      }
      begin.end_row = row.number;
      open.pop_back();
      continue;
    }
    if (parsed.kind == ParsedType::Kind::kUnknown) {
      diags_->AddError(
          code::kUnknownType,
          fmt::format("unknown question type \"{}\"{}", type_text,
                      parsed.suggestion.empty() ? ""
                                                : fmt::format("; types are written in lower case: "
                                                              "did you mean \"{}\"?",
                                                              parsed.suggestion)),
          type_cell);
      continue;
    }
    // pyxform names unnamed notes after their row.
    if (parsed.type == QuestionType::kNote && q.name.empty()) {
      q.name = "generated_note_name_" + std::to_string(row.number);
    }
    if (parsed.type == QuestionType::kAudit) {
      // The XForms spec fixes the audit's name.
      if (!q.name.empty() && q.name != "audit") {
        diags_->AddError(code::kAuditName,
                         fmt::format("an audit is always named \"audit\", not \"{}\"; leave "
                                     "the name empty",
                                     q.name),
                         form_.SurveyCell(row.number, "name"));
      }
      q.name = "audit";
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
    if (q.or_other && !q.choice_filter.empty()) {
      // pyxform: "Choice filter not supported with or_other."
      diags_->AddError(code::kOrOtherWithFilter,
                       fmt::format("\"{}\" has or_other and a choice_filter, which cannot go "
                                   "together; add an \"other\" choice to the list instead of "
                                   "or_other",
                                   q.name),
                       form_.SurveyCell(row.number, "choice_filter"));
    }
    if (traits.from_file && !q.list_name.empty() && !HasOneFileExtension(q.list_name)) {
      diags_->AddError(code::kBadFileName,
                       fmt::format("the file of \"{}\" must end with .csv, .xml or .geojson "
                                   "(one extension), not \"{}\"",
                                   type_text, q.list_name),
                       type_cell);
    }
    if ((traits.has_list || traits.from_file || q.type == QuestionType::kSelectOneExternal ||
         q.is_loop()) &&
        q.list_name.empty()) {
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
                     fmt::format("{0} \"{1}\" is never closed; add an \"end {0}\" row",
                                 begin.is_repeat() ? "repeat"
                                 : begin.is_loop() ? "loop"
                                                   : "group",
                                 begin.name),
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
    // One pass over the rows: which of the base's columns have text in each (a lookup
    // in the row's own cells), and for each column the rows where only others do.
    std::vector<std::vector<int>> rows_of(columns.size());
    std::vector<char> has(columns.size());
    for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
      const Row& row = sheet.rows[row_idx];
      bool any = false;
      for (size_t k = 0; k < columns.size(); ++k) {
        auto cell = std::lower_bound(row.cells.begin(), row.cells.end(), columns[k]->column,
                                     [](const Cell& c, int column) { return c.column < column; });
        has[k] = cell != row.cells.end() && cell->column == columns[k]->column &&
                 !text::Trim(cell->value).empty();
        any = any || has[k];
      }
      if (!any) continue;
      for (size_t k = 0; k < columns.size(); ++k) {
        if (!has[k]) rows_of[k].push_back(row.number);
      }
    }
    for (size_t k = 0; k < columns.size(); ++k) {
      const ColumnSpec* spec = columns[k];
      const std::vector<int>& rows = rows_of[k];
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
                      rows.size() == 1 ? "has" : "have", base, rows.size() == 1 ? "" : "s", list),
          SheetWhere(sheet.name, sheet.rows[0].number, spec->column));
    }
  }
}

// ---- Choices --------------------------------------------------------------------

void Builder::ReadChoices(const Sheet& sheet, ListSheet kind) {
  // The external_choices sheet has the same layout; its lists feed
  // select_one_external questions only. So has the osm sheet, whose lists are the
  // tags of osm questions; pyxform checks none of its rows (no duplicate, no empty
  // list), and skips a row without a list name or a name.
  const bool external = kind == ListSheet::kExternal, osm = kind == ListSheet::kOsm;
  std::map<std::string, int>& columns = external ? form_.external_choices_columns
                                        : osm    ? form_.osm_columns
                                                 : form_.choices_columns;
  std::vector<ChoiceList>& lists = external ? form_.external_choice_lists
                                   : osm    ? form_.osm_lists
                                            : form_.choice_lists;
  std::vector<ColumnSpec> other_specs;
  std::vector<ColumnSpec>& specs = kind == ListSheet::kChoices ? choices_specs_ : other_specs;
  std::set<std::string> external_untranslated;  // not used by the XForm writer
  if (external) {
    form_.external_choices_sheet = sheet.name;
  } else if (osm) {
    form_.osm_sheet = sheet.name;
  } else {
    form_.choices_sheet = sheet.name;
  }
  specs = ReadHeader(sheet, kChoicesAliases, &columns,
                     external ? &external_untranslated
                     : osm    ? &form_.untranslated_osm_columns
                              : &form_.untranslated_choices_columns);
  if (sheet.rows.empty()) return;
  if (osm && (columns.count("list_name") == 0 || columns.count("name") == 0)) return;
  if (columns.count("list_name") == 0 || columns.count("name") == 0) {
    diags_->AddError(code::kNoChoiceNameColumn,
                     fmt::format("the {} sheet has no \"{}\" column in its first row", sheet.name,
                                 columns.count("list_name") == 0 ? "list_name" : "name"),
                     SheetWhere(sheet.name, sheet.rows[0].number));
    return;
  }
  std::map<std::string, size_t> list_index;
  std::map<std::pair<size_t, std::string>, int> seen;  // (list, choice) -> row
  int list_column = columns["list_name"];
  int name_column = columns["name"];
  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    Choice choice;
    choice.row = row.number;
    std::string list_name;
    bool has_label = false;
    for (const Cell& cell : row.cells) {
      auto spec =
          std::lower_bound(specs.begin(), specs.end(), cell.column,
                           [](const ColumnSpec& s, int column) { return s.column < column; });
      if (spec == specs.end() || spec->column != cell.column) continue;
      std::string value = CleanText(cell.value, false);
      if (value.empty()) continue;
      if (spec->extra) {
        // A column whose header is no XML name ("tutorial notes", a note to the form's
        // authors) stays out of the choice's instance item, as pyxform leaves it out: kept,
        // it would make the XForm malformed, and no expression can name it.
        if (IsValidName(spec->header)) choice.extra_columns.emplace_back(spec->header, value);
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
      // pyxform groups the rows by list name and drops the rows without one.
      if (!choice.name.empty() || has_label) {
        diags_->AddWarning(code::kChoiceWithoutList,
                           fmt::format("{} \"{}\" has no list name; the row is skipped",
                                       osm ? "tag" : "choice", choice.name),
                           SheetWhere(sheet.name, row.number, list_column));
      }
      continue;
    }
    auto [it, inserted] = list_index.emplace(list_name, lists.size());
    if (inserted) lists.push_back(ChoiceList{list_name, row.number, {}});
    ChoiceList& list = lists[it->second];
    if (choice.name.empty() && osm) continue;  // a tag needs its key
    if (choice.name.empty()) {
      diags_->AddError(code::kChoiceWithoutName,
                       fmt::format("a choice of list \"{}\" has no name", list_name),
                       SheetWhere(sheet.name, row.number, name_column));
      continue;
    }
    auto [dup, fresh] = seen.emplace(std::make_pair(it->second, choice.name), row.number);
    // pyxform checks duplicates on the choices sheet only: the external_choices
    // sheet goes to itemsets.csv as it is.
    if (!fresh && kind == ListSheet::kChoices && !form_.settings.allow_choice_duplicates) {
      diags_->AddError(code::kDuplicateChoice,
                       fmt::format("list \"{}\" already has a choice named \"{}\" (row {})",
                                   list_name, choice.name, dup->second),
                       SheetWhere(sheet.name, row.number, name_column));
      continue;
    }
    list.choices.push_back(std::move(choice));
  }
  for (const ChoiceList& list : lists) {
    if (list.choices.empty() && !osm) {
      diags_->AddError(code::kEmptyChoiceList,
                       fmt::format("choice list \"{}\" has no choices with a name", list.name),
                       SheetWhere(sheet.name, list.row, list_column));
    }
  }
  if (!external) CheckTranslations(sheet, specs);
}

// ---- Entities -------------------------------------------------------------------

// The entities sheet as pyxform reads it: headers in any case and spacing ("List
// Name"), "dataset" as another name of list_name, the legacy "repeat" column
// ignored; one entity list per row with a value.
void Builder::ReadEntities(const Sheet& sheet) {
  form_.entities_sheet = sheet.name;
  if (sheet.rows.empty()) return;
  static constexpr std::array<std::string_view, 6> kColumns = {
      "list_name", "label", "entity_id", "create_if", "update_if", "repeat"};
  struct Column {
    int column = 0;
    std::string header;
    std::string key;  // one of kColumns, "" for a column pyxform does not know
    bool refused = false;
  };
  std::vector<Column> columns;
  for (const Cell& cell : sheet.rows[0].cells) {
    Column column{cell.column, std::string(text::Trim(cell.value)), "", false};
    if (column.header.empty()) continue;
    std::string key = SnakeCase(text::AsciiLower(column.header));
    if (key == "dataset") key = "list_name";
    if (std::find(kColumns.begin(), kColumns.end(), key) != kColumns.end()) {
      column.key = key;
      auto [slot, fresh] = form_.entities_columns.emplace(key, cell.column);
      // pyxform takes a second column written exactly as its own name for the first
      // ("label" twice, or "dataset" after "list_name") and refuses any other.
      bool own_name = column.header == (key == "list_name" ? "dataset" : key);
      if (!fresh && !own_name) {
        diags_->AddError(code::kDuplicateHeader,
                         fmt::format("column \"{}\" is the same column as the one in column {}",
                                     column.header, slot->second),
                         SheetWhere(sheet.name, sheet.rows[0].number, cell.column));
        continue;
      }
      // Both are read, in column order: a value in the second wins.
      slot->second = cell.column;
    }
    columns.push_back(std::move(column));
  }
  std::set<std::string> lists;
  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    EntityDeclaration entity;
    entity.row = row.number;
    bool has_value = false;
    for (Column& column : columns) {
      const Cell* cell = sheet.Find(row.number, column.column);
      if (cell == nullptr) continue;
      std::string value = CleanText(cell->value, false);
      if (value.empty()) continue;
      has_value = true;
      if (column.key.empty()) {
        if (!column.refused) {
          diags_->AddError(code::kEntitiesColumn,
                           fmt::format("the entities sheet has no column \"{}\" (its columns: "
                                       "list_name, label, entity_id, create_if, update_if)",
                                       column.header),
                           SheetWhere(sheet.name, sheet.rows[0].number, column.column));
          column.refused = true;
        }
      } else if (column.key == "list_name") {
        entity.list_name = std::move(value);
      } else if (column.key == "label") {
        entity.label = std::move(value);
      } else if (column.key == "entity_id") {
        entity.entity_id = std::move(value);
      } else if (column.key == "create_if") {
        entity.create_if = std::move(value);
      } else if (column.key == "update_if") {
        entity.update_if = std::move(value);
      }
    }
    if (!has_value) continue;
    auto refuse = [&](const char* code, std::string_view column, const std::string& message) {
      diags_->AddError(code, message, form_.EntitiesCell(row.number, column));
    };
    const std::string& list = entity.list_name;
    if (list.empty()) {
      refuse(code::kEntityListName, "list_name", "the entity list has no name (list_name)");
    } else if (list.starts_with("__")) {
      refuse(code::kEntityListName, "list_name",
             fmt::format("entity list \"{}\" begins with two underscores, which ODK Central "
                         "reserves",
                         list));
    } else if (list.find('.') != std::string::npos) {
      refuse(code::kEntityListName, "list_name",
             fmt::format("entity list \"{}\" contains a period", list));
    } else if (!IsValidName(list)) {
      refuse(code::kEntityListName, "list_name",
             fmt::format("entity list \"{}\" is not an XML name (a letter or underscore, then "
                         "letters, digits, '_', '-')",
                         list));
    }
    if (entity.entity_id.empty() && !entity.update_if.empty()) {
      refuse(code::kEntityUpdateWithoutId, "update_if",
             fmt::format("entity list \"{}\" has an update_if but no entity_id: an update needs "
                         "the id of the entity",
                         list));
    }
    if (!entity.entity_id.empty() && !entity.create_if.empty() && entity.update_if.empty()) {
      refuse(code::kEntityUpsertWithoutUpdateIf, "create_if",
             fmt::format("entity list \"{}\" has an entity_id and a create_if but no update_if: "
                         "creating or updating needs both conditions",
                         list));
    }
    if (entity.entity_id.empty() && entity.label.empty()) {
      refuse(code::kEntityWithoutLabel, "label",
             fmt::format("entity list \"{}\" creates entities but has no label", list));
    }
    if (!list.empty() && !lists.insert(list).second) {
      refuse(code::kDuplicateEntityList, "list_name",
             fmt::format("entity list \"{}\" is declared twice", list));
      continue;
    }
    form_.entities.push_back(std::move(entity));
  }
}

// ---- Whole-form structure checks ------------------------------------------------

void Builder::CheckRowParameters(const Question& q) {
  if (text::Trim(q.parameters).empty()) return;
  Location cell = form_.SurveyCell(q.row, "parameters");
  Result<Parameters> parameters = ParseParameters(q.parameters);
  if (!parameters) {
    diags_->AddError(code::kBadParameters, parameters.error().message, cell);
    return;
  }
  for (const std::string& problem :
       CheckParameters(q.type, q.appearance, *parameters, form_.choice_lists)) {
    diags_->AddError(code::kParameterNotAccepted,
                     fmt::format("{} (\"{}\" question)", problem, q.type_text), cell);
  }
}

void Builder::CheckInstanceIds() {
  struct Source {
    std::string uri;  // empty: the form's own choice list
    std::string what;
  };
  std::map<std::string, Source> sources;
  for (const ChoiceList& list : form_.choice_lists) {
    sources.emplace(list.name, Source{"", fmt::format("choice list \"{}\"", list.name)});
  }
  for (const Question& q : form_.questions) {
    std::string id, uri;
    if (Traits(q.type).from_file && !q.list_name.empty()) {
      const size_t dot = q.list_name.rfind('.');
      id = q.list_name.substr(0, dot);
      const bool csv = dot != std::string::npos && q.list_name.substr(dot) == ".csv";
      uri = (csv ? "jr://file-csv/" : "jr://file/") + q.list_name;
    } else if (q.type == QuestionType::kXmlExternal || q.type == QuestionType::kCsvExternal) {
      id = q.name;
      uri = q.type == QuestionType::kXmlExternal ? "jr://file/" + q.name + ".xml"
                                                 : "jr://file-csv/" + q.name + ".csv";
    }
    if (id.empty()) continue;
    auto [it, fresh] = sources.emplace(id, Source{uri, fmt::format("\"{}\"", q.type_text)});
    if (fresh || it->second.uri == uri) continue;
    diags_->AddError(
        code::kDuplicateInstanceId,
        fmt::format("\"{}\" needs an instance named \"{}\" ({}), but {} already makes an "
                    "instance of that name ({}); rename the file, the list or the question",
                    q.type_text, id, uri, it->second.what,
                    it->second.uri.empty() ? "the form's choices" : it->second.uri),
        form_.SurveyCell(q.row, "type"));
  }
}

// Long on purpose: the whole-form checks in pyxform's order, over indexes built once.
// NOLINTNEXTLINE(readability-function-size)
void Builder::CheckQuestions() {
  const std::string root = "/data";
  std::map<int, std::map<std::string, int>> names_at_level;
  std::map<std::string, int> repeat_rows;  // repeat name -> row
  auto root_setting = form_.settings.values.find("name");
  std::string root_name =
      root_setting == form_.settings.values.end() || root_setting->second.empty()
          ? "data"
          : root_setting->second;
  std::set<std::string> used_lists;
  std::set<std::string> multiple_lists;  // lists of select_multiple questions
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
    CheckRowParameters(q);
    std::string parent_path =
        q.parent < 0 ? root : form_.questions[static_cast<size_t>(q.parent)].path;
    q.path = parent_path + "/" + q.name;
    if (q.name.empty()) {
      diags_->AddError(
          code::kMissingName,
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
    } else if (q.name == "meta") {
      diags_->AddError(code::kReservedName,
                       "the name \"meta\" is reserved for the form's metadata; rename it",
                       name_cell);
    } else {
      if (q.is_repeat()) {
        auto [it, fresh] = repeat_rows.emplace(q.name, q.row);
        if (!fresh || q.name == root_name) {
          diags_->AddError(code::kDuplicateRepeatName,
                           !fresh ? fmt::format("a repeat is already named \"{}\" (row {}); "
                                                "repeat names must be unique in the whole form",
                                                q.name, it->second)
                                  : fmt::format("a repeat may not have the name of the form's "
                                                "root element, \"{}\"",
                                                q.name),
                           name_cell);
        }
      }
      auto [it, fresh] = names_at_level[q.parent].emplace(q.name, q.row);
      if (!fresh) {
        diags_->AddError(code::kDuplicateName,
                         fmt::format("the name \"{}\" is already used at this level (row {})",
                                     q.name, it->second),
                         name_cell);
      }
      form_.name_index[q.name].push_back(q.index);
    }
    if (q.is_loop() && !q.list_name.empty()) {
      used_lists.insert(q.list_name);
      if (form_.FindChoiceList(q.list_name) == nullptr) {
        std::string hint = ClosestName(q.list_name, list_names);
        diags_->AddError(code::kUnknownList,
                         fmt::format("loop over unknown choice list \"{}\"{}", q.list_name,
                                     hint.empty() ? "" : "; did you mean \"" + hint + "\"?"),
                         type_cell);
      }
    }
    if (q.type == QuestionType::kSelectOneExternal && !q.list_name.empty()) {
      bool found =
          std::any_of(form_.external_choice_lists.begin(), form_.external_choice_lists.end(),
                      [&](const ChoiceList& list) { return list.name == q.list_name; });
      if (!found) {
        diags_->AddError(
            code::kUnknownExternalList,
            form_.external_choices_columns.empty()
                ? fmt::format("\"{}\" uses external list \"{}\", but the workbook "
                              "has no external_choices sheet",
                              q.name, q.list_name)
                : fmt::format("the external_choices sheet has no list \"{}\"", q.list_name),
            type_cell);
      }
    }
    // pyxform reads an osm LIST's tags only when the osm sheet has rows, and fails on a
    // LIST that sheet does not have.
    if (q.type == QuestionType::kOsm && !q.list_name.empty() && !form_.osm_lists.empty() &&
        std::none_of(form_.osm_lists.begin(), form_.osm_lists.end(),
                     [&](const ChoiceList& list) { return list.name == q.list_name; })) {
      diags_->AddError(code::kUnknownOsmList,
                       fmt::format("the {} sheet has no list \"{}\"", form_.osm_sheet, q.list_name),
                       type_cell);
    }
    if (q.type == QuestionType::kSelectMultiple) multiple_lists.insert(q.list_name);
    if (q.type == QuestionType::kRange) {  // a range's tick labels are a list's choices
      auto parameters = ParseParameters(q.parameters);
      if (parameters && parameters->count("tick_labelset") > 0) {
        used_lists.insert(parameters->at("tick_labelset"));
      }
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
    // pyxform shows a note (or a question) that has only media: an image, audio or video
    // (a big-image needs an image beside it).
    bool has_media = !q.image.empty() || !q.audio.empty() || !q.video.empty();
    if (traits.needs_label && q.label.empty() && q.hint.empty() && !has_media &&
        q.type != QuestionType::kNote) {
      diags_->AddError(code::kMissingLabel,
                       fmt::format("\"{}\" is shown to the interviewer but has no label", q.name),
                       form_.SurveyCell(q.row, label_key));
    }
    if (q.type == QuestionType::kNote && q.label.empty() && q.hint.empty() && !has_media) {
      diags_->AddError(code::kMissingLabel, fmt::format("note \"{}\" has no label to show", q.name),
                       form_.SurveyCell(q.row, label_key));
    }
    if (q.type == QuestionType::kCalculate && q.calculation.empty()) {
      diags_->AddError(code::kCalculateWithoutCalculation,
                       fmt::format("calculate \"{}\" has no calculation", q.name),
                       form_.SurveyCell(q.row, "calculation"));
    }
    if (!q.repeat_count.empty() && !q.is_repeat()) {
      // pyxform accepts it there (and writes a jr:count that ODK clients ignore).
      diags_->AddWarning(code::kRepeatCountIgnored,
                         fmt::format("repeat_count is set on \"{}\", which is not a repeat; it "
                                     "is ignored",
                                     q.name),
                         form_.SurveyCell(q.row, "repeat_count"));
    }
    if (q.is_container() && q.children.empty() && !q.name.empty()) {
      diags_->AddWarning(code::kEmptyGroup,
                         fmt::format("{} \"{}\" contains no questions",
                                     q.is_repeat() ? "repeat" : "group", q.name),
                         type_cell);
    }
  }
  // select_multiple answers are space-separated: a choice name with a space
  // cannot be told apart (pyxform refuses it).
  for (const ChoiceList& list : form_.choice_lists) {
    if (multiple_lists.count(list.name) == 0) continue;
    for (const Choice& choice : list.choices) {
      if (choice.name.find(' ') == std::string::npos) continue;
      diags_->AddError(code::kSpaceInMultipleChoice,
                       fmt::format("choice \"{}\" of list \"{}\" has a space in its name, but "
                                   "the list is used by a select_multiple, whose answers are "
                                   "separated by spaces",
                                   choice.name, list.name),
                       form_.ChoicesCell(choice.row, "name"));
    }
  }
  CheckInstanceIds();
  for (const ChoiceList& list : form_.choice_lists) {
    if (used_lists.count(list.name) == 0 && !list.choices.empty()) {
      diags_->AddWarning(code::kUnusedChoiceList,
                         fmt::format("choice list \"{}\" is not used by any question", list.name),
                         form_.ChoicesCell(list.row, "list_name"));
    }
  }
}

// pyxform stops reading a sheet at a run of more than 60 rows with nothing under a
// header (xls2json_backends.get_excel_rows): the rows below are not part of the form.
const Sheet& Builder::WithoutRowsAfterEmptyRun(const Sheet& sheet) {
  constexpr int kMaxEmptyRows = 60;
  if (sheet.rows.size() < 2) return sheet;
  std::set<int> header_columns;
  for (const Cell& cell : sheet.rows[0].cells) {
    if (!text::Trim(cell.value).empty()) header_columns.insert(cell.column);
  }
  int last = sheet.rows[0].number;  // the last row with something under a header
  for (size_t row_idx = 1; row_idx < sheet.rows.size(); ++row_idx) {
    const Row& row = sheet.rows[row_idx];
    bool content = std::any_of(row.cells.begin(), row.cells.end(), [&](const Cell& cell) {
      return header_columns.count(cell.column) != 0 && !text::Trim(cell.value).empty();
    });
    if (!content) continue;
    if (row.number - last - 1 > kMaxEmptyRows) {
      diags_->AddWarning(code::kRowsAfterEmptyRun,
                         fmt::format("rows {} to {} are empty; this row and those below it are "
                                     "ignored, as pyxform stops reading the sheet there",
                                     last + 1, row.number - 1),
                         SheetWhere(sheet.name, row.number));
      Sheet& cut = cut_sheets_.emplace_back();
      cut.name = sheet.name;
      cut.part = sheet.part;
      cut.loaded = sheet.loaded;
      cut.rows.assign(sheet.rows.begin(),
                      sheet.rows.begin() + static_cast<std::ptrdiff_t>(row_idx));
      return cut;
    }
    last = row.number;
  }
  return sheet;
}

Result<Form> Builder::Build() {
  CheckSheetNames();
  const Sheet* survey = workbook_.FindSheet("survey");
  // pyxform reads a workbook's only sheet as the survey, whatever its name.
  if (survey == nullptr && workbook_.sheets.size() == 1 && workbook_.sheets[0].loaded) {
    survey = &workbook_.sheets[0];
  }
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
  if (form_.settings.form_id.empty()) {
    // pyxform's fallback: the file's name without folder and extension.
    std::string_view base = form_.file;
    if (size_t slash = base.find_last_of("/\\"); slash != std::string_view::npos) {
      base = base.substr(slash + 1);
    }
    if (size_t dot = base.rfind('.'); dot != std::string_view::npos && dot > 0) {
      base = base.substr(0, dot);
    }
    form_.settings.form_id = std::string(base);
  }
  form_.default_language = "default";
  if (!form_.settings.default_language.empty()) {
    Language language = ParseLanguage(form_.settings.default_language);
    form_.default_language = language.code;
  }
  if (const Sheet* entities = workbook_.FindSheet("entities")) {
    ReadEntities(WithoutRowsAfterEmptyRun(*entities));
  }
  // The default language goes first in the list once some column uses it.
  Status status = ReadSurvey(WithoutRowsAfterEmptyRun(*survey));
  if (!status) return tl::unexpected(status.error());
  if (const Sheet* choices = workbook_.FindSheet("choices")) {
    ReadChoices(WithoutRowsAfterEmptyRun(*choices), ListSheet::kChoices);
  }
  if (const Sheet* external = workbook_.FindSheet("external_choices")) {
    ReadChoices(WithoutRowsAfterEmptyRun(*external), ListSheet::kExternal);
  }
  if (const Sheet* osm = workbook_.FindSheet("osm")) {
    ReadChoices(WithoutRowsAfterEmptyRun(*osm), ListSheet::kOsm);
  }
  // After the choices: an updated entity list needs an instance (a choice list may be it).
  PlaceEntities(&form_, diags_);

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
  // Without a default_language setting and without untranslated texts, the
  // default is the language of the first label column (as pyxform and Kobo show
  // the form), else of the first translated column.
  if (form_.settings.default_language.empty() && used.count(form_.default_language) == 0 &&
      !used.empty()) {
    const ColumnSpec* first = nullptr;
    for (const ColumnSpec& spec : survey_specs_) {
      if (spec.lang.empty() || used.count(spec.lang) == 0) continue;
      if (first == nullptr || (spec.key == "label" && first->key != "label")) first = &spec;
      if (first->key == "label") break;
    }
    if (first != nullptr)
      form_.default_language = first->lang;
    else if (!form_.languages.empty())
      form_.default_language = form_.languages[0].code;
  }
  std::vector<Language> ordered;
  for (const Language& language : form_.languages) {
    if (language.code == form_.default_language)
      ordered.insert(ordered.begin(), language);
    else
      ordered.push_back(language);
  }
  form_.languages = std::move(ordered);
  bool default_listed =
      std::any_of(form_.languages.begin(), form_.languages.end(),
                  [&](const Language& l) { return l.code == form_.default_language; });
  if (!default_listed && used.count(form_.default_language) != 0) {
    Language language = ParseLanguage(
        form_.settings.default_language.empty() ? "default" : form_.settings.default_language);
    form_.languages.insert(form_.languages.begin(), language);
  }
  ApplyTypeImpliedChecks();
  // Columns without "::" may have been added under "default" before the settings
  // were known; they are keyed by default_language already (LanguageFor).
  form_.title =
      !form_.settings.form_title.empty() ? form_.settings.form_title : form_.settings.form_id;
  CheckQuestions();
  if (options_.check_expressions) ValidateExpressions(form_, diags_);
  // After the checks, which report a loop's rows once, as written.
  ExpandLoops(&form_);
  return std::move(form_);
}

}  // namespace

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

Result<Form> BuildForm(const Workbook& workbook, Diagnostics* diags, const LoadOptions& options) {
  Builder builder(workbook, diags, options);
  return builder.Build();
}

// LoadForm and LoadFormFile live here, with the readers (ReadWorkbook: .xlsx or .xls by
// the first bytes, xls_reader.h), so that a build without
// the xlsx reader (the WebAssembly engine, docs/web.md) links form.cpp alone.
Result<Form> LoadForm(std::string_view data, const std::string& file_name, Diagnostics* diags,
                      const LoadOptions& options) {
  XlsxOptions xlsx = options.xlsx;
  if (!xlsx.want_sheet) {
    // Only the sheets an XLSForm uses (and their near-miss spellings, which are
    // reported, not read) are worth decompressing.
    xlsx.want_sheet = [](std::string_view name) {
      std::string lower = text::AsciiLower(name);
      return lower == "survey" || lower == "choices" || lower == "settings" ||
             lower == "external_choices" || lower == "entities" || lower == "osm";
    };
    xlsx.read_lone_sheet = true;  // a workbook whose only sheet is the survey
  }
  Workbook workbook = NGO_TRY(ReadWorkbook(data, file_name, xlsx));
  return BuildForm(workbook, diags, options);
}

Result<Form> LoadFormFile(const std::string& path, Diagnostics* diags, const LoadOptions& options) {
  std::string data = NGO_TRY(ReadFile(path));
  return LoadForm(data, path, diags, options);
}

}  // namespace ngosurvey::form
