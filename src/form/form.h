// form: XLSForm questionnaires. Owns reading an XLSForm workbook (.xlsx) into the
// Form model (questions, groups, repeats, choice lists, languages, settings) and
// validating it with coded diagnostics (catalogue: form/diagnostics.h). It must not
// know about interviews, storage, analysis or the UI; the expression engine it
// uses lives in form/expr/.
//
// Use:
//   Diagnostics diags;
//   Result<Form> form = LoadFormFile("form.xlsx", &diags);
//   if (!form) ... the file could not be read at all (form.error(): X001-X006, E001)
//   else if (diags.has_errors()) ... the form is invalid; `*form` is still the best
//        model that could be built (every problem is listed in diags).
//
// Ownership: a Form is a plain value that owns everything in it. Question::parent
// and Question::children are indexes into Form::questions, so copying a Form keeps
// them valid; pointers returned by the Find functions live as long as the Form.
// Thread-safety: a const Form may be read from several threads.
//
// Invariants of a Form returned by LoadForm* (even one with errors):
//  - questions are the survey rows in sheet order that define a question, a
//    variable, a metadata field or the start of a group or repeat (end rows,
//    blank rows and rows of an unknown type are not questions);
//  - parent/children describe the nesting of begin/end group and repeat rows;
//    unmatched rows are reported (E007-E009) and the nesting is closed at the end;
//  - every Translations map is keyed by Language::code, and every code used is in
//    Form::languages; Form::default_language is in Form::languages when any
//    translated text exists;
//  - type is the canonical type name ("select_one", "integer", "begin_group").
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "base/error.h"
#include "form/xlsx_reader.h"

namespace ngosurvey::form {

// A text in several languages: Language::code -> text. Only non-empty texts are kept.
using Translations = std::map<std::string, std::string>;

struct Language {
  // The identifier: the code in parentheses ("en" for "English (en)"), else the
  // text as written ("en", "English"), or "default" for untranslated columns when
  // settings has no default_language.
  std::string code;
  // The human name: "English" for "English (en)", else the same as code.
  std::string name;
  // The header's text after "::" as the form writes it ("English(en)"), which pyxform
  // names the XForm's translation by; empty when the form spells the language more
  // than one way ("English (en)" and "en"), or for a form not read from a workbook.
  std::string written;
};

// Every question type of the XLSForm spec, canonical names in TypeName().
enum class QuestionType {
  kText,
  kInteger,
  kDecimal,
  kRange,
  kDate,
  kTime,
  kDateTime,
  kSelectOne,
  kSelectMultiple,
  kSelectOneFromFile,
  kSelectMultipleFromFile,
  kRank,
  kSelectOneExternal,  // select_one_external LIST: choices from the external_choices sheet
  kNote,
  kCalculate,
  kHidden,
  kAcknowledge,
  kGeopoint,
  kGeotrace,
  kGeoshape,
  kImage,
  kAudio,
  kVideo,
  kFile,
  kBarcode,
  kBackgroundAudio,
  kXmlExternal,
  kCsvExternal,
  kOsm,                 // osm [LIST]: an OpenStreetMap feature; LIST names tags (osm sheet)
  kBackgroundGeopoint,  // a geopoint taken when the question in `trigger` changes
  // metadata
  kStart,
  kEnd,
  kToday,
  kDeviceId,
  kSubscriberId,
  kSimSerial,
  kPhoneNumber,
  kUsername,
  kEmail,
  kAudit,
  kStartGeopoint,
  // structure
  kBeginGroup,
  kBeginRepeat,
  kBeginLoop,  // begin loop over LIST: the children once per choice of LIST (a group each)
  // (kBeginLoop is the last type: form_json's TypeByName walks up to it.)
};

// "select_one", "dateTime", "begin_group", ...
std::string_view TypeName(QuestionType type);

// Facts about a type that callers branch on.
struct TypeTraits {
  bool has_list = false;         // select_one, select_multiple, rank (a choices list)
  bool from_file = false;        // *_from_file (list is a file name)
  bool metadata = false;         // start, end, today, deviceid, ... (no UI, no label)
  bool needs_label = false;      // shown to the interviewer: needs a label or hint
  bool interview_ready = false;  // the interview engine runs it (else: warning W103)
};
TypeTraits Traits(QuestionType type);

struct Question {
  int index = 0;  // position in Form::questions
  int row = 0;    // 1-based row of the survey sheet
  QuestionType type = QuestionType::kText;
  std::string type_text;  // the type cell as written ("select one yes_no or_other")
  std::string name;
  // select_one/select_multiple/rank/begin_loop: the choice list name;
  // select_one_external: the list of the external_choices sheet; osm: the list of
  // the osm sheet (may be empty); *_from_file: the file name ("districts.csv");
  // otherwise empty.
  std::string list_name;
  bool or_other = false;  // "select_one list or_other"
  // "/data/group/name": the instance root is always "data" (the form_id is an
  // attribute of it in XForms), then the enclosing groups and repeats.
  std::string path;
  int parent = -1;            // index of the enclosing begin_group/begin_repeat, -1 at top
  std::vector<int> children;  // groups and repeats: indexes of direct children, in order
  int end_row = 0;            // groups and repeats: the row of the matching end, 0 if none

  Translations label, hint, guidance_hint, constraint_message, required_message;
  Translations image, audio, video;

  // Raw cell texts (trimmed), "" when empty. Expressions keep their XLSForm
  // syntax: ${name} references, "." for the current answer.
  std::string relevant, constraint, calculation, required, read_only, default_value;
  std::string appearance, parameters, choice_filter, repeat_count, trigger;
  // The save_to cell (ODK entities): the entity property this answer is saved to,
  // without the "list#" prefix, and the entity list it belongs to (the prefix, or
  // the only list of the entities sheet); both "" when the cell is empty.
  std::string save_to, save_to_list;
  // The hint came from the type ("phone number": "Enter numbers only."), not from a
  // cell: pyxform writes such a hint inline, in no language.
  bool hint_from_type = false;

  // Columns the reader does not know, as (header, value) in column order, for the
  // engines that want them (e.g. "body::accuracyThreshold", "publishable").
  std::vector<std::pair<std::string, std::string>> extra_columns;

  bool is_group() const { return type == QuestionType::kBeginGroup; }
  bool is_repeat() const { return type == QuestionType::kBeginRepeat; }
  bool is_loop() const { return type == QuestionType::kBeginLoop; }
  bool is_container() const { return is_group() || is_repeat() || is_loop(); }
  // required is "yes", "true", "true()" or an expression other than no/false.
  bool IsRequiredConstant() const;
  // The value of an extra column or nullptr.
  const std::string* ExtraColumn(std::string_view header) const;
};

struct Choice {
  int row = 0;  // 1-based row of the choices sheet
  std::string name;
  Translations label;
  Translations image, audio, video;
  // Other columns of the choices sheet, (header, value): the columns choice_filter
  // expressions test ("province"), and any others.
  std::vector<std::pair<std::string, std::string>> extra_columns;
  const std::string* ExtraColumn(std::string_view header) const;
};

struct ChoiceList {
  std::string name;
  int row = 0;                  // row of its first choice
  std::vector<Choice> choices;  // in sheet order
  const Choice* Find(std::string_view choice_name) const;
};

struct Settings {
  std::string form_id, form_title, version, default_language, instance_name;
  std::string public_key, submission_url, style;
  bool allow_choice_duplicates = false;
  // Every column of the settings sheet's first data row, header lowercased
  // (the named fields above included).
  std::map<std::string, std::string> values;
};

// One row of the entities sheet (ODK entities): a submission creates or updates an
// entity of the list `list_name` on ODK Central. Which of the two follows from the
// cells, as pyxform reads them: no entity_id, or a create_if, creates; an entity_id
// updates (both with create_if and update_if: the conditions decide).
struct EntityDeclaration {
  int row = 0;            // 1-based row of the entities sheet
  std::string list_name;  // the entity list (pyxform's "dataset")
  // Expressions with ${name} references, as written; "" when the cell is empty.
  std::string label, entity_id, create_if, update_if;
  // Where its meta/entity element goes: the index of the begin_group or begin_repeat
  // in Form::questions, kRootContainer for the survey's own meta, kNoContainer when
  // pyxform writes none (a save_to outside the repeat its other references are in).
  int container = kRootContainer;
  static constexpr int kRootContainer = -1;
  static constexpr int kNoContainer = -2;

  bool creates() const { return entity_id.empty() || !create_if.empty(); }
  bool updates() const { return !entity_id.empty(); }
};

// Where a field of the model came from, for diagnostics of later stages (the
// interview, imports) that want to point at the cell.
enum class SheetKind { kSurvey, kChoices, kSettings };

struct Form {
  std::string file;  // the name used in diagnostics
  Settings settings;
  std::string title;                // settings form_title, else form_id
  std::string default_language;     // a Language::code, "default" when not set
  std::vector<Language> languages;  // default first, then in column order
  std::vector<Question> questions;
  std::vector<ChoiceList> choice_lists;  // in order of first appearance
  // The lists of the external_choices sheet (select_one_external), same layout.
  std::vector<ChoiceList> external_choice_lists;
  // The lists of the osm sheet: an `osm LIST` question's OpenStreetMap tags (a tag's
  // key is a choice's name, its label the choice's label), same layout.
  std::vector<ChoiceList> osm_lists;
  // The rows of the entities sheet, in sheet order (empty without the sheet).
  std::vector<EntityDeclaration> entities;

  // Sheet names as written in the workbook ("Survey"), for locations.
  std::string survey_sheet = "survey", choices_sheet = "choices", settings_sheet = "settings";
  std::string external_choices_sheet = "external_choices", entities_sheet = "entities";
  std::string osm_sheet = "osm";
  // Column numbers of each field by canonical key: "relevant", "label::en",
  // "choice_filter", or an extra column's header. Per sheet (the entities sheet's
  // keys: list_name, label, entity_id, create_if, update_if).
  std::map<std::string, int> survey_columns, choices_columns, external_choices_columns,
      entities_columns, osm_columns;
  // Translatable columns written without a language ("label", "hint", "image"), by
  // base key, per sheet: their texts are keyed by default_language, and pyxform
  // writes a text that only such a column gives inline rather than as itext.
  std::set<std::string> untranslated_survey_columns, untranslated_choices_columns,
      untranslated_osm_columns;

  // The questions named `name` (there can be several at different levels).
  const std::vector<int>& QuestionsNamed(std::string_view name) const;
  // The only question named `name`, or nullptr when none or several.
  const Question* FindQuestion(std::string_view name) const;
  const ChoiceList* FindChoiceList(std::string_view name) const;
  // The questions whose relevance decides whether `question` is asked: itself and
  // its enclosing groups and repeats, those with a relevance only, innermost first.
  std::vector<const Question*> RelevanceChain(const Question& question) const;
  // The innermost begin_repeat around `question` (never the question itself, even
  // when it is a begin_repeat), as an index into `questions`; -1 when no repeat
  // encloses it. A question answered once per submission has -1.
  int EnclosingRepeat(const Question& question) const;
  // As EnclosingRepeat, but a begin_loop (a group asked once per choice of its list)
  // counts as well: -1 when the question has one answer per submission.
  int EnclosingRepeatOrLoop(const Question& question) const;
  // The text in `lang`, else in the default language, else in any language; "".
  std::string Text(const Translations& texts, std::string_view lang = {}) const;
  // True when `lang` is a Language::code or name of this form.
  bool HasLanguage(std::string_view lang) const;
  // Language::code for a code or a name ("English" -> "en"), or "" when unknown.
  std::string LanguageCode(std::string_view lang) const;

  // The location of a survey / choices cell for diagnostics: `column_key` as in
  // survey_columns ("relevant", "label::en"); column 0 when the key is unknown.
  Location SurveyCell(int row, std::string_view column_key) const;
  Location ChoicesCell(int row, std::string_view column_key) const;
  Location EntitiesCell(int row, std::string_view column_key) const;
  // The ODK entities spec version the XForm declares: "" without entities,
  // "2025.1.0" for several lists or an entity inside a repeat, else "2024.1.0".
  std::string_view EntitiesVersion() const;

  // Internal index built by the loader (name -> question indexes).
  std::unordered_map<std::string, std::vector<int>> name_index;
};

struct LoadOptions {
  XlsxOptions xlsx;
  // When false, only the structure is checked (no expression parsing); the
  // fuzzer and callers that validate later use it.
  bool check_expressions = true;
};

// Builds the Form from a workbook and validates it, appending every problem to
// `diags` (never stops at the first). Returns an error only when there is no
// survey sheet (E001) or it has no "type" column (E002).
Result<Form> BuildForm(const Workbook& workbook, Diagnostics* diags,
                       const LoadOptions& options = {});

// ReadXlsx + BuildForm. `data` need only live during the call.
Result<Form> LoadForm(std::string_view data, const std::string& file_name, Diagnostics* diags,
                      const LoadOptions& options = {});

// ReadXlsxFile + BuildForm.
Result<Form> LoadFormFile(const std::string& path, Diagnostics* diags,
                          const LoadOptions& options = {});

}  // namespace ngosurvey::form
