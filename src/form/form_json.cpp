// Grammar of the document (docs/formats/form-json.md has every field):
//   {"ngosurvey_form": 1, "file": S, "title": S, "default_language": S,
//    "languages": [{"code": S, "name": S, "written": S}], "settings": {...}, "sheets": {...},
//    "survey_columns": {S: N}, "choices_columns": {S: N},
//    "untranslated_survey_columns": [S], "untranslated_choices_columns": [S],
//    "questions": [{"row": N, "type": S, "name": S, ... "parent": N, "children": [N]}],
//    "choice_lists": [{"name": S, "row": N, "choices": [{"row": N, "name": S, ...}]}]}
// A question's index is its position in "questions". Absent texts are empty.
// Parsing never throws: nlohmann's parser runs with exceptions off and every value
// is type-checked before it is read.
#include "form/form_json.h"

#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace ngosurvey::form {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr int kMaxDepth = 32;  // the layout needs 6; deeper input is refused unparsed

// --- writing --------------------------------------------------------------------

void PutText(OrderedJson& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

void PutTranslations(OrderedJson& out, const char* key, const Translations& texts) {
  if (texts.empty()) return;
  OrderedJson obj = OrderedJson::object();
  for (const auto& [lang, text] : texts) obj[lang] = text;
  out[key] = std::move(obj);
}

void PutPairs(OrderedJson& out, const char* key,
              const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (pairs.empty()) return;
  OrderedJson arr = OrderedJson::array();
  for (const auto& [k, v] : pairs) arr.push_back(OrderedJson::array({k, v}));
  out[key] = std::move(arr);
}

void PutColumns(OrderedJson& out, const char* key, const std::map<std::string, int>& columns) {
  OrderedJson obj = OrderedJson::object();
  for (const auto& [k, v] : columns) obj[k] = v;
  out[key] = std::move(obj);
}

OrderedJson QuestionJson(const Question& q) {
  OrderedJson out = OrderedJson::object();
  out["row"] = q.row;
  out["type"] = std::string(TypeName(q.type));
  PutText(out, "type_text", q.type_text);
  PutText(out, "name", q.name);
  PutText(out, "list_name", q.list_name);
  if (q.or_other) out["or_other"] = true;
  PutText(out, "path", q.path);
  if (q.parent >= 0) out["parent"] = q.parent;
  if (!q.children.empty()) out["children"] = q.children;
  if (q.end_row != 0) out["end_row"] = q.end_row;
  PutTranslations(out, "label", q.label);
  PutTranslations(out, "hint", q.hint);
  PutTranslations(out, "guidance_hint", q.guidance_hint);
  PutTranslations(out, "constraint_message", q.constraint_message);
  PutTranslations(out, "required_message", q.required_message);
  PutTranslations(out, "image", q.image);
  PutTranslations(out, "audio", q.audio);
  PutTranslations(out, "video", q.video);
  PutText(out, "relevant", q.relevant);
  PutText(out, "constraint", q.constraint);
  PutText(out, "calculation", q.calculation);
  PutText(out, "required", q.required);
  PutText(out, "read_only", q.read_only);
  PutText(out, "default", q.default_value);
  PutText(out, "appearance", q.appearance);
  PutText(out, "parameters", q.parameters);
  PutText(out, "choice_filter", q.choice_filter);
  PutText(out, "repeat_count", q.repeat_count);
  PutText(out, "trigger", q.trigger);
  PutPairs(out, "extra_columns", q.extra_columns);
  return out;
}

OrderedJson ChoiceJson(const Choice& c) {
  OrderedJson out = OrderedJson::object();
  out["row"] = c.row;
  out["name"] = c.name;
  PutTranslations(out, "label", c.label);
  PutTranslations(out, "image", c.image);
  PutTranslations(out, "audio", c.audio);
  PutTranslations(out, "video", c.video);
  PutPairs(out, "extra_columns", c.extra_columns);
  return out;
}

// --- reading --------------------------------------------------------------------

// Reads fields of one JSON object; `where` names it in errors ("questions[3]").
class FieldReader {
 public:
  FieldReader(const Json& obj, std::string where, const std::string& file)
      : obj_(obj), where_(std::move(where)), file_(file) {}

  tl::unexpected<Error> Fail(std::string_view key, std::string_view what) const {
    std::string at = where_.empty() ? std::string(key) : where_ + "." + std::string(key);
    return MakeError("FJ003", at + ": " + std::string(what), Location{file_});
  }

  const Json* Get(std::string_view key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  Status Text(std::string_view key, std::string* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_string()) return Fail(key, "expected a string");
    *out = v->get_ref<const std::string&>();
    return Ok();
  }

  Status Int(std::string_view key, int* out, int min, int max) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_number_integer()) return Fail(key, "expected an integer");
    int64_t n = v->get<int64_t>();
    if (n < min || n > max) {
      return Fail(key, "out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
    }
    *out = static_cast<int>(n);
    return Ok();
  }

  Status Bool(std::string_view key, bool* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_boolean()) return Fail(key, "expected true or false");
    *out = v->get<bool>();
    return Ok();
  }

  Status Translated(std::string_view key, Translations* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_object()) return Fail(key, "expected an object of texts by language");
    for (const auto& [lang, text] : v->items()) {
      if (!text.is_string()) return Fail(std::string(key) + "." + lang, "expected a string");
      if (!text.get_ref<const std::string&>().empty()) (*out)[lang] = text.get<std::string>();
    }
    return Ok();
  }

  Status Pairs(std::string_view key, std::vector<std::pair<std::string, std::string>>* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_array()) return Fail(key, "expected an array of [header, value]");
    for (size_t i = 0; i < v->size(); ++i) {
      const Json& pair = (*v)[i];
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return Fail(std::string(key) + "[" + std::to_string(i) + "]",
                    "expected [header, value], two strings");
      }
      out->emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
    return Ok();
  }

  Status Columns(std::string_view key, std::map<std::string, int>* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_object()) return Fail(key, "expected an object of column numbers");
    for (const auto& [name, number] : v->items()) {
      if (!number.is_number_integer() || number.get<int64_t>() < 1 ||
          number.get<int64_t>() > 16384) {
        return Fail(std::string(key) + "." + name, "expected a column number (1 to 16384)");
      }
      (*out)[name] = static_cast<int>(number.get<int64_t>());
    }
    return Ok();
  }

  Status StringSet(std::string_view key, std::set<std::string>* out) const {
    const Json* v = Get(key);
    if (!v) return Ok();
    if (!v->is_array()) return Fail(key, "expected an array of strings");
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        return Fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a string");
      }
      out->insert((*v)[i].get<std::string>());
    }
    return Ok();
  }

  // The array at `key` (absent: empty), or an error when it is something else.
  Result<const Json*> Array(std::string_view key) const {
    static const Json kEmpty = Json::array();
    const Json* v = Get(key);
    if (!v) return &kEmpty;
    if (!v->is_array()) return Fail(key, "expected an array");
    return v;
  }

 private:
  const Json& obj_;
  std::string where_;
  const std::string& file_;
};

Result<QuestionType> TypeByName(std::string_view name) {
  for (int t = 0; t <= static_cast<int>(QuestionType::kBeginLoop); ++t) {  // the last type
    auto type = static_cast<QuestionType>(t);
    if (TypeName(type) == name) return type;
  }
  return MakeError("", "");
}

constexpr int kMaxRow = 1 << 20;  // a worksheet's row limit (1,048,576)

Result<Question> ReadQuestion(const Json& obj, int index, int count, const std::string& file) {
  std::string where = "questions[" + std::to_string(index) + "]";
  FieldReader r(obj, where, file);
  if (!obj.is_object()) return r.Fail("", "expected an object");
  Question q;
  q.index = index;
  NGO_TRY(r.Int("row", &q.row, 0, kMaxRow));
  std::string type;
  NGO_TRY(r.Text("type", &type));
  auto parsed = TypeByName(type);
  if (!parsed) return r.Fail("type", "unknown question type '" + type + "'");
  q.type = *parsed;
  NGO_TRY(r.Text("type_text", &q.type_text));
  NGO_TRY(r.Text("name", &q.name));
  NGO_TRY(r.Text("list_name", &q.list_name));
  NGO_TRY(r.Bool("or_other", &q.or_other));
  NGO_TRY(r.Text("path", &q.path));
  NGO_TRY(r.Int("parent", &q.parent, -1, count - 1));
  if (q.parent >= index) return r.Fail("parent", "must come before the question");
  NGO_TRY(r.Int("end_row", &q.end_row, 0, kMaxRow));
  const Json* children = NGO_TRY(r.Array("children"));
  for (const Json& child : *children) {
    if (!child.is_number_integer() || child.get<int64_t>() <= index ||
        child.get<int64_t>() >= count) {
      return r.Fail("children", "expected indexes of later questions");
    }
    q.children.push_back(static_cast<int>(child.get<int64_t>()));
  }
  NGO_TRY(r.Translated("label", &q.label));
  NGO_TRY(r.Translated("hint", &q.hint));
  NGO_TRY(r.Translated("guidance_hint", &q.guidance_hint));
  NGO_TRY(r.Translated("constraint_message", &q.constraint_message));
  NGO_TRY(r.Translated("required_message", &q.required_message));
  NGO_TRY(r.Translated("image", &q.image));
  NGO_TRY(r.Translated("audio", &q.audio));
  NGO_TRY(r.Translated("video", &q.video));
  NGO_TRY(r.Text("relevant", &q.relevant));
  NGO_TRY(r.Text("constraint", &q.constraint));
  NGO_TRY(r.Text("calculation", &q.calculation));
  NGO_TRY(r.Text("required", &q.required));
  NGO_TRY(r.Text("read_only", &q.read_only));
  NGO_TRY(r.Text("default", &q.default_value));
  NGO_TRY(r.Text("appearance", &q.appearance));
  NGO_TRY(r.Text("parameters", &q.parameters));
  NGO_TRY(r.Text("choice_filter", &q.choice_filter));
  NGO_TRY(r.Text("repeat_count", &q.repeat_count));
  NGO_TRY(r.Text("trigger", &q.trigger));
  NGO_TRY(r.Pairs("extra_columns", &q.extra_columns));
  return q;
}

Result<ChoiceList> ReadChoiceList(const Json& obj, int index, const std::string& file) {
  std::string where = "choice_lists[" + std::to_string(index) + "]";
  FieldReader r(obj, where, file);
  if (!obj.is_object()) return r.Fail("", "expected an object");
  ChoiceList list;
  NGO_TRY(r.Text("name", &list.name));
  NGO_TRY(r.Int("row", &list.row, 0, kMaxRow));
  const Json* choices = NGO_TRY(r.Array("choices"));
  for (size_t i = 0; i < choices->size(); ++i) {
    const Json& c = (*choices)[i];
    FieldReader cr(c, where + ".choices[" + std::to_string(i) + "]", file);
    if (!c.is_object()) return cr.Fail("", "expected an object");
    Choice choice;
    NGO_TRY(cr.Int("row", &choice.row, 0, kMaxRow));
    NGO_TRY(cr.Text("name", &choice.name));
    NGO_TRY(cr.Translated("label", &choice.label));
    NGO_TRY(cr.Translated("image", &choice.image));
    NGO_TRY(cr.Translated("audio", &choice.audio));
    NGO_TRY(cr.Translated("video", &choice.video));
    NGO_TRY(cr.Pairs("extra_columns", &choice.extra_columns));
    list.choices.push_back(std::move(choice));
  }
  return list;
}

// The deepest nesting of arrays and objects, counted outside strings, so that
// hostile nesting is refused before a parser (or a recursive destructor) sees it.
bool NestingWithin(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

std::string FormToJson(const Form& form) {
  OrderedJson doc = OrderedJson::object();
  doc["ngosurvey_form"] = kFormJsonVersion;
  doc["file"] = form.file;
  doc["title"] = form.title;
  doc["default_language"] = form.default_language;
  OrderedJson languages = OrderedJson::array();
  for (const Language& l : form.languages) {
    OrderedJson language = {{"code", l.code}, {"name", l.name}};
    if (!l.written.empty()) language["written"] = l.written;  // the XForm names it so
    languages.push_back(std::move(language));
  }
  doc["languages"] = std::move(languages);

  const Settings& s = form.settings;
  OrderedJson settings = OrderedJson::object();
  PutText(settings, "form_id", s.form_id);
  PutText(settings, "form_title", s.form_title);
  PutText(settings, "version", s.version);
  PutText(settings, "default_language", s.default_language);
  PutText(settings, "instance_name", s.instance_name);
  PutText(settings, "public_key", s.public_key);
  PutText(settings, "submission_url", s.submission_url);
  PutText(settings, "style", s.style);
  if (s.allow_choice_duplicates) settings["allow_choice_duplicates"] = true;
  if (!s.values.empty()) {
    OrderedJson values = OrderedJson::object();
    for (const auto& [k, v] : s.values) values[k] = v;
    settings["values"] = std::move(values);
  }
  doc["settings"] = std::move(settings);
  doc["sheets"] = {{"survey", form.survey_sheet},
                   {"choices", form.choices_sheet},
                   {"settings", form.settings_sheet}};
  PutColumns(doc, "survey_columns", form.survey_columns);
  PutColumns(doc, "choices_columns", form.choices_columns);
  if (!form.untranslated_survey_columns.empty()) {
    doc["untranslated_survey_columns"] = OrderedJson(form.untranslated_survey_columns);
  }
  if (!form.untranslated_choices_columns.empty()) {
    doc["untranslated_choices_columns"] = OrderedJson(form.untranslated_choices_columns);
  }
  OrderedJson questions = OrderedJson::array();
  for (const Question& q : form.questions) questions.push_back(QuestionJson(q));
  doc["questions"] = std::move(questions);
  OrderedJson lists = OrderedJson::array();
  for (const ChoiceList& list : form.choice_lists) {
    OrderedJson l = OrderedJson::object();
    l["name"] = list.name;
    l["row"] = list.row;
    OrderedJson choices = OrderedJson::array();
    for (const Choice& c : list.choices) choices.push_back(ChoiceJson(c));
    l["choices"] = std::move(choices);
    lists.push_back(std::move(l));
  }
  doc["choice_lists"] = std::move(lists);
  // Invalid UTF-8 cannot come from a workbook (the xlsx reader checks it); replace
  // rather than throw if a caller built such a form by hand.
  return doc.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

// Long on purpose: the format's fields in docs/formats/form-json.md's order, each checked where
// read.
// NOLINTNEXTLINE(readability-function-size)
Result<Form> FormFromJson(std::string_view json, const std::string& file_name, size_t max_bytes) {
  Location where{file_name};
  if (json.size() > max_bytes) {
    return MakeError(
        "FJ001", "the form model is larger than " + std::to_string(max_bytes) + " bytes", where);
  }
  if (!NestingWithin(json, kMaxDepth)) {
    return MakeError(
        "FJ001", "the form model is nested deeper than " + std::to_string(kMaxDepth) + " levels",
        where);
  }
  // Exceptions off: a syntax error gives a discarded value. Its offset comes from a
  // second pass with a SAX handler that records where parsing stopped.
  Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    struct Where : nlohmann::json_sax<Json> {
      size_t offset = 0;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t position, const std::string&,
                       const nlohmann::detail::exception&) override {
        offset = position;
        return false;
      }
    } sax;
    Json::sax_parse(json.begin(), json.end(), &sax, nlohmann::detail::input_format_t::json,
                    /*strict=*/true);
    return MakeError("FJ001", "not JSON (byte " + std::to_string(sax.offset) + ")", where);
  }
  if (!doc.is_object()) return MakeError("FJ002", "not a form model (expected an object)", where);
  auto version = doc.find("ngosurvey_form");
  if (version == doc.end() || !version->is_number_integer()) {
    return MakeError("FJ002", "not a form model (no \"ngosurvey_form\" version)", where);
  }
  if (version->get<int64_t>() != kFormJsonVersion) {
    return MakeError("FJ002",
                     "form model version " + version->dump() + " (this library reads version " +
                         std::to_string(kFormJsonVersion) + ")",
                     where);
  }

  Form form;
  FieldReader r(doc, "", file_name);
  NGO_TRY(r.Text("file", &form.file));
  NGO_TRY(r.Text("title", &form.title));
  NGO_TRY(r.Text("default_language", &form.default_language));
  const Json* languages = NGO_TRY(r.Array("languages"));
  for (size_t i = 0; i < languages->size(); ++i) {
    FieldReader lr((*languages)[i], "languages[" + std::to_string(i) + "]", file_name);
    if (!(*languages)[i].is_object()) return lr.Fail("", "expected an object");
    Language l;
    NGO_TRY(lr.Text("code", &l.code));
    NGO_TRY(lr.Text("name", &l.name));
    NGO_TRY(lr.Text("written", &l.written));
    form.languages.push_back(std::move(l));
  }
  if (const Json* settings = r.Get("settings")) {
    if (!settings->is_object()) return r.Fail("settings", "expected an object");
    FieldReader sr(*settings, "settings", file_name);
    Settings& s = form.settings;
    NGO_TRY(sr.Text("form_id", &s.form_id));
    NGO_TRY(sr.Text("form_title", &s.form_title));
    NGO_TRY(sr.Text("version", &s.version));
    NGO_TRY(sr.Text("default_language", &s.default_language));
    NGO_TRY(sr.Text("instance_name", &s.instance_name));
    NGO_TRY(sr.Text("public_key", &s.public_key));
    NGO_TRY(sr.Text("submission_url", &s.submission_url));
    NGO_TRY(sr.Text("style", &s.style));
    NGO_TRY(sr.Bool("allow_choice_duplicates", &s.allow_choice_duplicates));
    if (const Json* values = sr.Get("values")) {
      if (!values->is_object()) return sr.Fail("values", "expected an object");
      for (const auto& [k, v] : values->items()) {
        if (!v.is_string()) return sr.Fail("values." + k, "expected a string");
        s.values[k] = v.get<std::string>();
      }
    }
  }
  if (const Json* sheets = r.Get("sheets")) {
    if (!sheets->is_object()) return r.Fail("sheets", "expected an object");
    FieldReader shr(*sheets, "sheets", file_name);
    NGO_TRY(shr.Text("survey", &form.survey_sheet));
    NGO_TRY(shr.Text("choices", &form.choices_sheet));
    NGO_TRY(shr.Text("settings", &form.settings_sheet));
  }
  NGO_TRY(r.Columns("survey_columns", &form.survey_columns));
  NGO_TRY(r.Columns("choices_columns", &form.choices_columns));
  NGO_TRY(r.StringSet("untranslated_survey_columns", &form.untranslated_survey_columns));
  NGO_TRY(r.StringSet("untranslated_choices_columns", &form.untranslated_choices_columns));

  const Json* questions = NGO_TRY(r.Array("questions"));
  int count = static_cast<int>(questions->size());
  form.questions.reserve(questions->size());
  for (int i = 0; i < count; ++i) {
    form.questions.push_back(NGO_TRY(ReadQuestion((*questions)[i], i, count, file_name)));
  }
  // The nesting must be one tree: a parent is a container and lists its children
  // exactly, in order.
  std::vector<std::vector<int>> expected(form.questions.size());
  for (const Question& q : form.questions) {
    if (q.parent < 0) continue;
    if (!form.questions[q.parent].is_container()) {
      return r.Fail("questions[" + std::to_string(q.index) + "].parent",
                    "is not a group or repeat");
    }
    expected[q.parent].push_back(q.index);
  }
  for (const Question& q : form.questions) {
    if (q.children != expected[q.index]) {
      return r.Fail("questions[" + std::to_string(q.index) + "].children",
                    "differ from the questions that name it as parent");
    }
  }
  const Json* lists = NGO_TRY(r.Array("choice_lists"));
  for (size_t i = 0; i < lists->size(); ++i) {
    form.choice_lists.push_back(
        NGO_TRY(ReadChoiceList((*lists)[i], static_cast<int>(i), file_name)));
  }
  for (const Question& q : form.questions) {
    if (!q.name.empty()) form.name_index[q.name].push_back(q.index);
  }
  return form;
}

}  // namespace ngosurvey::form
