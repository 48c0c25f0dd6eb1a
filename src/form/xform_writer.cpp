// Form -> ODK XForm. The writer first builds pyxform's element tree from the Form
// (adding the elements pyxform generates: NAME_other after an or_other select,
// NAME_count before a repeat whose count is an expression, meta/instanceID and
// meta/instanceName), then writes the model (itext, instances, binds) and the body
// from that tree. The rules follow pyxform 4.x (survey.py, survey_element.py,
// question.py, section.py, xls2json.py); docs/xform.md lists the differences.
#include "form/xform_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "base/text.h"
#include "form/diagnostics.h"

namespace ngosurvey::form {
namespace {

// ---- XML text -------------------------------------------------------------------

// The replacement for a character that XML text (or an attribute value) cannot hold
// as itself, or nullptr.
const char* EscapeOf(char c, bool attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#13;";
    case '"':
      return attribute ? "&quot;" : nullptr;
    case '\n':
      return attribute ? "&#10;" : nullptr;
    case '\t':
      return attribute ? "&#9;" : nullptr;
    default:
      return nullptr;
  }
}

// Appends `text` escaped, copying the runs between escapes whole.
void AppendEscaped(std::string* out, std::string_view text, bool attribute) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escape = EscapeOf(text[i], attribute);
    if (escape == nullptr) continue;
    out->append(text.data() + run, i - run);
    out->append(escape);
    run = i + 1;
  }
  out->append(text.data() + run, text.size() - run);
}

std::string Escape(std::string_view text, bool attribute = false) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(&out, text, attribute);
  return out;
}

using Attrs = std::vector<std::pair<std::string, std::string>>;

// ---- pyxform's element tree -----------------------------------------------------

// A text that pyxform keeps as a plain string (one untranslated column) or as a
// dictionary of languages (itext). `texts` is keyed by Language::code.
struct Text {
  Translations texts;
  bool plain = false;  // one text, from a column without a language
  bool empty() const { return texts.empty(); }
  const std::string& only() const { return texts.begin()->second; }
};

struct Elem {
  const Question* q = nullptr;  // the survey row, nullptr for generated elements
  QuestionType type = QuestionType::kText;
  std::string name;
  std::string path;
  int parent = -1;  // index in Tree::elems, -1: the survey root
  std::vector<int> children;
  bool meta_group = false;  // the generated "meta" group: no body
  bool is_group = false, is_repeat = false;

  Text label, hint, guidance, constraint_msg, required_msg;
  // Media of the label: kind ("image", "audio", "video", "big-image") -> texts.
  std::vector<std::pair<std::string, Text>> media;
  // Bind attributes from the row, in pyxform's order, before conversions and ${}.
  Attrs bind;
  // Body (control) attributes from the row: appearance, jr:count, body:: columns.
  Attrs control;
  std::string default_value;
  bool dynamic_default = false;
  std::string list_name;  // selects: the choice list (or_other already applied)
  std::string choice_filter;
  std::string trigger;      // the ${name} whose change recomputes the calculation
  std::string calculation;  // kept aside for trigger
  std::map<std::string, std::string> parameters;
};

struct Tree {
  std::vector<Elem> elems;
  std::vector<int> roots;
  std::unordered_map<std::string, int> by_name;  // -2: several elements
};

// pyxform's clean_text_values: "smart" quotes become plain ones in every cell, and
// in the survey sheet (unless settings clean_text_values is no) runs of spaces
// become one space.
std::string Clean(std::string_view value, bool collapse_spaces) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\xE2' && i + 2 < value.size() && value[i + 1] == '\x80') {
      char third = value[i + 2];
      if (third == '\x98' || third == '\x99') {
        out += '\'';
        i += 2;
        continue;
      }
      if (third == '\x9C' || third == '\x9D') {
        out += '"';
        i += 2;
        continue;
      }
    }
    if (collapse_spaces && c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

// Whether pyxform keeps `texts` as a plain string: one text in the default
// language, from a column without a language.
Text MakeText(const Form& form, const Translations& texts, std::string_view key,
              const std::set<std::string>& untranslated, bool collapse_spaces) {
  Text text;
  for (const auto& [lang, value] : texts) text.texts[lang] = Clean(value, collapse_spaces);
  text.plain = texts.size() == 1 && texts.begin()->first == form.default_language &&
               untranslated.count(std::string(key)) != 0;
  return text;
}

bool HasReference(std::string_view text) {
  size_t open = text.find("${");
  return open != std::string_view::npos && text.find('}', open) != std::string_view::npos;
}

// pyxform's BINDING_CONVERSIONS for relevant/required/readonly/constraint/calculate.
std::string ConvertBinding(const std::string& value) {
  static const std::array<std::string_view, 6> kTrue = {"yes",  "Yes",  "YES",
                                                        "true", "True", "TRUE"};
  static const std::array<std::string_view, 6> kFalse = {"no",    "No",    "NO",
                                                         "false", "False", "FALSE"};
  if (std::find(kTrue.begin(), kTrue.end(), value) != kTrue.end()) return "true()";
  if (std::find(kFalse.begin(), kFalse.end(), value) != kFalse.end()) return "false()";
  return value;
}

// pyxform's parameters cell: "a=1 b=2", "a=1, b=2", "a=1;b=2"; keys lowercase.
std::map<std::string, std::string> ParseParameters(std::string_view cell) {
  std::map<std::string, std::string> out;
  std::string normal;
  for (char c : cell) normal += (c == ',' || c == ';' || c == '\t' || c == '\n') ? ' ' : c;
  // "a = 1" -> "a=1"
  std::string compact;
  for (size_t i = 0; i < normal.size(); ++i) {
    if (normal[i] == ' ') {
      size_t j = i;
      while (j < normal.size() && normal[j] == ' ') ++j;
      bool before_eq = j < normal.size() && normal[j] == '=';
      bool after_eq = !compact.empty() && compact.back() == '=';
      if (!before_eq && !after_eq && !compact.empty()) compact += ' ';
      i = j - 1;
      continue;
    }
    compact += normal[i];
  }
  size_t pos = 0;
  while (pos < compact.size()) {
    size_t end = compact.find(' ', pos);
    if (end == std::string::npos) end = compact.size();
    std::string_view item(compact.data() + pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      out[text::AsciiLower(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    }
    pos = end + 1;
  }
  return out;
}

// pyxform's default_is_dynamic: a default with an operator, a bracket, a function
// call or a ${reference} is an expression evaluated when the form loads.
bool DefaultIsDynamic(std::string_view value, QuestionType type) {
  if (value.empty()) return false;
  bool hyphen_is_literal = type == QuestionType::kDate || type == QuestionType::kDateTime ||
                           type == QuestionType::kGeopoint || type == QuestionType::kGeotrace ||
                           type == QuestionType::kGeoshape;
  bool in_string = false;
  char quote = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (in_string) {
      if (c == quote) in_string = false;
      continue;
    }
    if (c == '\'' || c == '"') {
      in_string = true;
      quote = c;
      continue;
    }
    if (c == '+' || c == '*' || c == '|' || c == '[' || c == '(' || c == '{') return true;
    if (c == '$' && i + 1 < value.size() && value[i + 1] == '{') return true;
    if (c == '-' && !hyphen_is_literal) return true;
  }
  // " div " and " mod " as operators between operands.
  for (std::string_view op : {" div ", " mod "}) {
    if (value.find(op) != std::string_view::npos) return true;
  }
  return false;
}

struct TypeInfo {
  std::string_view bind_type;  // "" for no type attribute
  std::string_view control;    // "" for no body control
  std::string_view mediatype;
  std::string_view preload, preload_params;
};

TypeInfo InfoFor(QuestionType type) {
  switch (type) {
    case QuestionType::kText:
      return {"string", "input", "", "", ""};
    case QuestionType::kInteger:
      return {"int", "input", "", "", ""};
    case QuestionType::kDecimal:
      return {"decimal", "input", "", "", ""};
    case QuestionType::kRange:
      return {"int", "range", "", "", ""};
    case QuestionType::kDate:
      return {"date", "input", "", "", ""};
    case QuestionType::kTime:
      return {"time", "input", "", "", ""};
    case QuestionType::kDateTime:
      return {"dateTime", "input", "", "", ""};
    case QuestionType::kSelectOne:
      return {"string", "select1", "", "", ""};
    case QuestionType::kSelectMultiple:
      return {"string", "select", "", "", ""};
    case QuestionType::kSelectOneFromFile:
      return {"string", "select1", "", "", ""};
    case QuestionType::kSelectMultipleFromFile:
      return {"string", "select", "", "", ""};
    case QuestionType::kRank:
      return {"odk:rank", "odk:rank", "", "", ""};
    case QuestionType::kNote:
      return {"string", "input", "", "", ""};
    case QuestionType::kCalculate:
      return {"string", "", "", "", ""};
    case QuestionType::kHidden:
      return {"string", "", "", "", ""};
    case QuestionType::kAcknowledge:
      return {"string", "trigger", "", "", ""};
    case QuestionType::kGeopoint:
      return {"geopoint", "input", "", "", ""};
    case QuestionType::kGeotrace:
      return {"geotrace", "input", "", "", ""};
    case QuestionType::kGeoshape:
      return {"geoshape", "input", "", "", ""};
    case QuestionType::kImage:
      return {"binary", "upload", "image/*", "", ""};
    case QuestionType::kAudio:
      return {"binary", "upload", "audio/*", "", ""};
    case QuestionType::kVideo:
      return {"binary", "upload", "video/*", "", ""};
    case QuestionType::kFile:
      return {"binary", "upload", "application/*", "", ""};
    case QuestionType::kBarcode:
      return {"barcode", "input", "", "", ""};
    case QuestionType::kBackgroundAudio:
      return {"binary", "", "", "", ""};
    case QuestionType::kXmlExternal:
      return {"", "", "", "", ""};
    case QuestionType::kCsvExternal:
      return {"", "", "", "", ""};
    case QuestionType::kStart:
      return {"dateTime", "", "", "timestamp", "start"};
    case QuestionType::kEnd:
      return {"dateTime", "", "", "timestamp", "end"};
    case QuestionType::kToday:
      return {"date", "", "", "date", "today"};
    case QuestionType::kDeviceId:
      return {"string", "", "", "property", "deviceid"};
    case QuestionType::kSubscriberId:
      return {"string", "", "", "property", "subscriberid"};
    case QuestionType::kSimSerial:
      return {"string", "", "", "property", "simserial"};
    case QuestionType::kPhoneNumber:
      return {"string", "", "", "property", "phonenumber"};
    case QuestionType::kUsername:
      return {"string", "", "", "property", "username"};
    case QuestionType::kEmail:
      return {"string", "", "", "property", "email"};
    case QuestionType::kAudit:
      return {"binary", "", "", "", ""};
    case QuestionType::kStartGeopoint:
      return {"geopoint", "", "", "", ""};
    case QuestionType::kOsm:
      return {"binary", "upload", "osm/*", "", ""};
    // An input whose `query` names the external_choices list (the client builds it
    // from itemsets.csv, which the form's author ships beside the XForm).
    case QuestionType::kSelectOneExternal:
      return {"string", "input", "", "", ""};
    // Refused by Writer::Write before any output (not written yet, docs/xform.md).
    case QuestionType::kBackgroundGeopoint:
    case QuestionType::kBeginLoop:
    case QuestionType::kBeginGroup:
    case QuestionType::kBeginRepeat:
      return {"", "", "", "", ""};
  }
  return {"string", "input", "", "", ""};
}

bool IsExternal(QuestionType type) {
  return type == QuestionType::kXmlExternal || type == QuestionType::kCsvExternal;
}

class Writer {
 public:
  Writer(const Form& form, const XFormOptions& options) : form_(form), options_(options) {}
  Result<std::string> Write();

 private:
  // Tree building.
  void BuildTree();
  size_t ElemRoom() const;
  void ReadSettings();
  int AddElem(Elem elem, int parent);
  int TableListGroup(Elem group, int row, int parent);
  void TableListRow(Elem* select, int row, int group, bool* header_written);
  void ExpandLoop(const Question& loop, int parent, std::vector<int>* elem_of);
  Elem FromQuestion(const Question& q);
  Status PrepareChoiceLists();

  // ${name} rewriting.
  Result<std::string> InsertXpaths(std::string_view text, int context, bool use_current = false);
  Result<std::string> ReferencePath(std::string_view name, bool last_saved, int context,
                                    bool use_current, std::string_view whole, size_t at);
  Result<std::string> InsertOutputs(std::string_view text, int context);
  // InsertOutputs appending to `out` (which holds a partial text when it fails).
  Status AppendOutputs(std::string* out, std::string_view text, int context);
  std::string RelativeTo(int elem, int ancestor) const;
  Location Where(int elem, std::string_view column) const;

  // Output.
  std::string LangText(const std::string& code) const;
  Status WriteItext();
  Status WriteInstance(int elem, int depth, bool template_copy, bool in_repeat_copy);
  void WriteSecondaryInstances();
  Status WriteBinds();
  Status WriteBody(int elem, int depth);
  Status WriteLabelHint(int elem, int depth, bool hint_too);
  void Line(int depth, std::string_view text);
  std::string Open(std::string_view tag, const Attrs& attrs, bool close) const;

  const Form& form_;
  const XFormOptions& options_;
  Tree tree_;
  std::string root_name_ = "data";
  std::string default_lang_;  // pyxform's default_language: a Language::code
  std::string out_;
  bool last_saved_ = false;
  // Choice lists as pyxform sees them: or_other adds "other"; itext when any label
  // is translated or has media or a ${reference}.
  struct ListInfo {
    const ChoiceList* list = nullptr;
    bool add_other = false;
    bool other_translated = false;
    bool itext = false;
  };
  std::vector<ListInfo> lists_;
  std::map<std::string, size_t> list_index_;
  // Triggers: the triggering element's index -> (target element, value).
  std::multimap<int, int> triggered_by_;
  // Table-list groups (TableListGroup) -> whether their header select is written.
  std::map<int, bool> table_lists_;
  // The rows of a loop's questions as written for each choice (ExpandLoop): the
  // elements point at them. A deque: its elements never move.
  std::deque<Question> loop_rows_;
  std::vector<int> preorder_;
  bool collapse_ = true;  // settings clean_text_values (default yes)
};

Location Writer::Where(int elem, std::string_view column) const {
  const Elem& e = tree_.elems[static_cast<size_t>(elem)];
  if (e.q == nullptr) return Location{form_.file, form_.survey_sheet};
  return form_.SurveyCell(e.q->row, column);
}

bool HasAppearanceWord(std::string_view appearance, std::string_view word) {
  for (size_t pos = 0; pos < appearance.size();) {
    size_t end = appearance.find(' ', pos);
    if (end == std::string_view::npos) end = appearance.size();
    if (appearance.substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

// pyxform's table-list (xls2json.py): the group is a field-list (its other appearance
// words kept after it), and its label and hint move to a generated note, the group's
// first child, named after the group's row. Returns the group's index.
int Writer::TableListGroup(Elem group, int row, int parent) {
  std::string appearance = "field-list";
  for (auto& [key, value] : group.control) {
    if (key != "appearance") continue;
    for (size_t pos = 0; pos < value.size();) {
      size_t end = value.find(' ', pos);
      if (end == std::string::npos) end = value.size();
      std::string_view word = std::string_view(value).substr(pos, end - pos);
      if (!word.empty() && word != "table-list") appearance += " " + std::string(word);
      pos = end + 1;
    }
    value = appearance;
  }
  Elem note;
  if (!group.label.empty() || !group.hint.empty()) {
    note.type = QuestionType::kNote;
    note.name = "generated_table_list_label_" + std::to_string(row);
    note.label = std::exchange(group.label, Text{});
    note.hint = std::exchange(group.hint, Text{});
  }
  int index = AddElem(std::move(group), parent);
  if (!note.name.empty()) AddElem(std::move(note), index);
  return index;
}

// A select of a table-list group: the first one is preceded by a generated select of
// the same list that shows the choices' labels once, as the table's header (appearance
// "label", a label of one space); each shows its choices without their labels.
void Writer::TableListRow(Elem* select, int row, int group, bool* header_written) {
  if (!*header_written) {
    Elem header;
    header.type = select->type;
    header.name = "reserved_name_for_field_list_labels_" + std::to_string(row);
    header.list_name = select->list_name;
    header.control = {{"appearance", "label"}};
    header.label.texts[form_.default_language] = " ";
    header.label.plain = true;
    AddElem(std::move(header), group);
    *header_written = true;
  }
  auto appearance = std::find_if(select->control.begin(), select->control.end(),
                                 [](const auto& attr) { return attr.first == "appearance"; });
  if (appearance != select->control.end())
    appearance->second = "list-nolabel";
  else
    select->control.emplace(select->control.begin(), "appearance", "list-nolabel");
}

// Python's "%" formatting of pyxform's loops: %(name)s and %(label)s replaced, "%%"
// is "%"; anything else is kept as written (where pyxform would stop).
std::string LoopSubstitute(std::string_view text, std::string_view name, std::string_view label) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("%(name)s")) {
      out += name;
      i += 7;
    } else if (rest.starts_with("%(label)s")) {
      out += label;
      i += 8;
    } else if (rest.starts_with("%%")) {
      out += '%';
      i += 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

// pyxform's "begin loop over LIST" (builder.py, _create_loop_from_dict): a group
// named and labelled as the loop's row, holding for each choice of LIST but "none" a
// group named after the choice and labelled with its label, which holds the loop's
// questions with %(name)s and %(label)s in their cells replaced by the choice's name
// and label (in the cell's language). Only the loop's direct children are
// substituted, as pyxform does; deeper rows are copied as written.
void Writer::ExpandLoop(const Question& loop, int parent, std::vector<int>* elem_of) {
  Elem group = FromQuestion(loop);
  group.type = QuestionType::kBeginGroup;
  group.is_group = true;
  group.list_name.clear();
  const int loop_index = AddElem(std::move(group), parent);
  const ChoiceList* list = form_.FindChoiceList(loop.list_name);
  if (list == nullptr) return;        // the reader reports the unknown list
  std::vector<const Question*> rows;  // the loop's rows in sheet order
  for (size_t i = static_cast<size_t>(loop.index) + 1; i < form_.questions.size(); ++i) {
    const Question& q = form_.questions[i];
    bool inside = false;
    for (int up = q.parent; up >= 0; up = form_.questions[static_cast<size_t>(up)].parent) {
      if (up == loop.index) inside = true;
    }
    if (!inside) break;
    rows.push_back(&q);
  }
  const auto& plain_choice = form_.untranslated_choices_columns;
  std::vector<Choice> choices = list->choices;
  // pyxform adds "other" to a list that an or_other select uses, for the loop too.
  const bool or_other =
      std::any_of(form_.questions.begin(), form_.questions.end(),
                  [&](const Question& q) { return q.or_other && q.list_name == loop.list_name; });
  if (or_other && list->Find("other") == nullptr) {
    Choice other;
    other.name = "other";
    other.label[form_.default_language] = "Other";
    choices.push_back(std::move(other));
  }
  for (const Choice& choice : choices) {
    if (choice.name == "none") continue;
    Elem column;
    column.type = QuestionType::kBeginGroup;
    column.is_group = true;
    column.name = choice.name;
    column.label = MakeText(form_, choice.label, "label", plain_choice, collapse_);
    const int column_index = AddElem(std::move(column), loop_index);
    std::map<int, int> copy_of;  // a row's index -> its element under this choice
    copy_of[loop.index] = column_index;
    for (const Question* row : rows) {
      auto parent_elem = copy_of.find(row->parent);
      if (parent_elem == copy_of.end() || row->name.empty() || IsExternal(row->type)) continue;
      Question copy = *row;
      if (row->parent == loop.index) {
        auto label_in = [&](const std::string& lang) {
          auto it = choice.label.find(lang);
          if (it != choice.label.end()) return it->second;
          return choice.label.empty() ? choice.name : choice.label.begin()->second;
        };
        auto sub = [&](std::string* cell) {
          *cell = LoopSubstitute(*cell, choice.name, label_in(form_.default_language));
        };
        auto sub_texts = [&](Translations* texts) {
          for (auto& [lang, value] : *texts)
            value = LoopSubstitute(value, choice.name, label_in(lang));
        };
        for (std::string* cell :
             {&copy.name, &copy.relevant, &copy.constraint, &copy.calculation, &copy.required,
              &copy.read_only, &copy.default_value, &copy.appearance, &copy.parameters,
              &copy.choice_filter, &copy.repeat_count, &copy.trigger}) {
          sub(cell);
        }
        for (Translations* texts :
             {&copy.label, &copy.hint, &copy.guidance_hint, &copy.constraint_message,
              &copy.required_message, &copy.image, &copy.audio, &copy.video}) {
          sub_texts(texts);
        }
      }
      loop_rows_.push_back(std::move(copy));
      Elem e = FromQuestion(loop_rows_.back());
      copy_of[row->index] = AddElem(std::move(e), parent_elem->second);
    }
  }
  // The loop's rows are written only through their copies: BuildTree skips the rows
  // of a container without an element.
  (*elem_of)[static_cast<size_t>(loop.index)] = -1;
}

int Writer::AddElem(Elem elem, int parent) {
  elem.parent = parent;
  std::string parent_path =
      parent < 0 ? "/" + root_name_ : tree_.elems[static_cast<size_t>(parent)].path;
  elem.path = parent_path + "/" + elem.name;
  int index = static_cast<int>(tree_.elems.size());
  tree_.elems.push_back(std::move(elem));
  if (parent < 0)
    tree_.roots.push_back(index);
  else
    tree_.elems[static_cast<size_t>(parent)].children.push_back(index);
  return index;
}

Elem Writer::FromQuestion(const Question& q) {
  const auto& plain = form_.untranslated_survey_columns;
  auto C = [this](const std::string& value) { return Clean(value, collapse_); };
  Elem e;
  e.q = &q;
  e.type = q.type;
  e.name = q.name;
  e.is_group = q.is_group();
  e.is_repeat = q.is_repeat();
  e.label = MakeText(form_, q.label, "label", plain, collapse_);
  e.hint = MakeText(form_, q.hint, "hint", plain, collapse_);
  if (q.hint_from_type) e.hint.plain = true;  // pyxform's type dictionary: a plain string
  e.guidance = MakeText(form_, q.guidance_hint, "guidance_hint", plain, collapse_);
  e.constraint_msg = MakeText(form_, q.constraint_message, "constraint_message", plain, collapse_);
  e.required_msg = MakeText(form_, q.required_message, "required_message", plain, collapse_);
  for (auto [kind, texts] : {std::pair<const char*, const Translations*>{"image", &q.image},
                             {"audio", &q.audio},
                             {"video", &q.video}}) {
    if (!texts->empty())
      e.media.emplace_back(kind, MakeText(form_, *texts, kind, plain, collapse_));
  }
  if (const std::string* big = q.ExtraColumn("big-image")) {
    Text text;
    text.texts[form_.default_language] = *big;
    text.plain = true;
    e.media.emplace_back("big-image", text);
  }
  TypeInfo info = InfoFor(q.type);
  // Bind attributes in the order pyxform's row dictionary has them does not
  // matter; keep a readable one.
  if (!q.required.empty()) e.bind.emplace_back("required", C(q.required));
  if (!q.relevant.empty()) e.bind.emplace_back("relevant", C(q.relevant));
  if (!q.constraint.empty()) e.bind.emplace_back("constraint", C(q.constraint));
  if (!q.read_only.empty()) e.bind.emplace_back("readonly", C(q.read_only));
  if (!q.calculation.empty() && !e.is_group && !e.is_repeat) {
    if (q.trigger.empty()) e.bind.emplace_back("calculate", C(q.calculation));
  }
  e.calculation = C(q.calculation);
  // pyxform reads `trigger` on questions only: on a group or repeat it is ignored.
  if (!e.is_group && !e.is_repeat) e.trigger = C(q.trigger);
  for (const auto& [header, value] : q.extra_columns) {
    std::string lower = text::AsciiLower(header);
    if (lower.rfind("bind::", 0) == 0)
      e.bind.emplace_back(header.substr(6), C(value));
    else if (lower.rfind("body::", 0) == 0)
      e.control.emplace_back(header.substr(6), C(value));
    else if (lower.rfind("control::", 0) == 0)
      e.control.emplace_back(header.substr(9), C(value));
  }
  if (!q.appearance.empty()) e.control.emplace(e.control.begin(), "appearance", C(q.appearance));
  if (info.preload.empty() && !q.default_value.empty()) {
    e.default_value = C(q.default_value);
    e.dynamic_default = DefaultIsDynamic(e.default_value, q.type);
  }
  e.list_name = q.list_name;
  e.choice_filter = C(q.choice_filter);
  e.parameters = ParseParameters(C(q.parameters));
  if (q.type == QuestionType::kRange) {
    // pyxform: start=1 end=10 step=1 unless given; decimal when any has a fraction.
    for (auto [key, fallback] :
         {std::pair<const char*, const char*>{"start", "1"}, {"end", "10"}, {"step", "1"}}) {
      if (e.parameters.count(key) == 0) e.parameters[key] = fallback;
    }
  }
  return e;
}

// Room for every row and the elements pyxform adds, so that the tree never moves
// (an Elem is copied, not moved, when the vector grows). A table-list group adds two
// elements (TableListGroup); a loop a group and a copy of its rows per choice
// (ExpandLoop).
size_t Writer::ElemRoom() const {
  size_t room = 3 * form_.questions.size() + 16;
  for (const Question& q : form_.questions) {
    if (q.parent < 0 || !form_.questions[static_cast<size_t>(q.parent)].is_loop()) continue;
    const ChoiceList* list =
        form_.FindChoiceList(form_.questions[static_cast<size_t>(q.parent)].list_name);
    if (list != nullptr) room += 2 * list->choices.size();  // a child, or a choice's group
  }
  return room;
}

// settings clean_text_values and name.
void Writer::ReadSettings() {
  auto clean = form_.settings.values.find("clean_text_values");
  if (clean != form_.settings.values.end()) {
    std::string value = text::AsciiLower(clean->second);
    collapse_ = !(value == "no" || value == "false" || value == "false()");
  }
  auto it = form_.settings.values.find("name");
  if (it != form_.settings.values.end() && !it->second.empty()) root_name_ = it->second;
}

void Writer::BuildTree() {
  tree_.elems.reserve(ElemRoom());
  // Questions in sheet order: parents come before their children.
  std::vector<int> elem_of(form_.questions.size(), -1);
  int meta = -1;
  for (const Question& q : form_.questions) {
    if (q.name.empty() || IsExternal(q.type)) continue;
    int parent = q.parent < 0 ? -1 : elem_of[static_cast<size_t>(q.parent)];
    if (q.parent >= 0 && parent < 0) continue;  // inside a skipped container
    if (q.is_repeat() && !q.repeat_count.empty()) {
      // pyxform: a count that is not one ${reference} gets a calculate of its own.
      std::string count = Clean(text::Trim(q.repeat_count), collapse_);
      bool single_ref = count.size() > 3 && count.rfind("${", 0) == 0 && count.back() == '}' &&
                        count.find("${", 2) == std::string::npos;
      if (!single_ref) {
        Elem gen;
        gen.type = QuestionType::kCalculate;
        gen.name = q.name + "_count";
        gen.bind = {{"readonly", "true()"}, {"calculate", count}};
        AddElem(std::move(gen), parent);
        count = "${" + q.name + "_count}";
      }
      Elem e = FromQuestion(q);
      e.control.emplace_back("jr:count", count);
      elem_of[static_cast<size_t>(q.index)] = AddElem(std::move(e), parent);
      continue;
    }
    if (q.is_loop()) {
      ExpandLoop(q, parent, &elem_of);
      continue;
    }
    Elem e = FromQuestion(q);
    if (q.type == QuestionType::kAudit) {
      // pyxform puts the audit in the meta group, always named "audit".
      e.name = "audit";
      if (meta < 0) {
        Elem group;
        group.type = QuestionType::kBeginGroup;
        group.is_group = true;
        group.meta_group = true;
        group.name = "meta";
        meta = AddElem(std::move(group), -1);
      }
      elem_of[static_cast<size_t>(q.index)] = AddElem(std::move(e), meta);
      continue;
    }
    if (q.is_group() && HasAppearanceWord(q.appearance, "table-list")) {
      int group = TableListGroup(std::move(e), q.row, parent);
      elem_of[static_cast<size_t>(q.index)] = group;
      table_lists_.emplace(group, false);
      continue;
    }
    if (auto table = table_lists_.find(parent);
        table != table_lists_.end() &&
        (q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple)) {
      TableListRow(&e, q.row, parent, &table->second);
    }
    int index = AddElem(std::move(e), parent);
    elem_of[static_cast<size_t>(q.index)] = index;
    if (q.is_group() && q.name == "meta" && q.parent < 0 && meta < 0) meta = index;
    if (q.or_other &&
        (q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple)) {
      Elem other;
      other.type = QuestionType::kText;
      other.name = q.name + "_other";
      other.label.texts[form_.default_language] = "Specify other.";
      other.label.plain = true;
      other.bind = {{"relevant", fmt::format("selected(../{}, 'other')", q.name)}};
      AddElem(std::move(other), parent);
    }
  }
  // meta/instanceID and meta/instanceName.
  std::string omit = text::AsciiLower(form_.settings.values.count("omit_instanceid")
                                          ? form_.settings.values.at("omit_instanceid")
                                          : "");
  bool omit_id = omit == "yes" || omit == "true" || omit == "true()";
  std::string instance_name = Clean(form_.settings.instance_name, false);
  if (!omit_id || !instance_name.empty()) {
    if (meta < 0) {
      Elem group;
      group.type = QuestionType::kBeginGroup;
      group.is_group = true;
      group.meta_group = true;
      group.name = "meta";
      meta = AddElem(std::move(group), -1);
    } else {
      tree_.elems[static_cast<size_t>(meta)].meta_group = true;
    }
    if (!omit_id) {
      Elem id;
      id.type = QuestionType::kCalculate;
      id.name = "instanceID";
      auto preload = form_.settings.values.find("instance_id");
      id.bind = {{"readonly", "true()"},
                 {"jr:preload", preload != form_.settings.values.end() && !preload->second.empty()
                                    ? preload->second
                                    : "uid"}};
      AddElem(std::move(id), meta);
    }
    if (!instance_name.empty()) {
      Elem name;
      name.type = QuestionType::kCalculate;
      name.name = "instanceName";
      name.bind = {{"calculate", instance_name}};
      AddElem(std::move(name), meta);
    }
  }
  // Pre-order (pyxform's iter_descendants) and the name index.
  std::vector<int> stack(tree_.roots.rbegin(), tree_.roots.rend());
  while (!stack.empty()) {
    int index = stack.back();
    stack.pop_back();
    preorder_.push_back(index);
    const Elem& e = tree_.elems[static_cast<size_t>(index)];
    auto [slot, fresh] = tree_.by_name.emplace(e.name, index);
    if (!fresh) slot->second = -2;
    for (auto child = e.children.rbegin(); child != e.children.rend(); ++child) {
      stack.push_back(*child);
    }
  }
}

Status Writer::PrepareChoiceLists() {
  const auto& plain = form_.untranslated_choices_columns;
  for (const ChoiceList& list : form_.choice_lists) {
    ListInfo info;
    info.list = &list;
    for (const Choice& choice : list.choices) {
      Text label = MakeText(form_, choice.label, "label", plain, false);
      bool media = !choice.image.empty() || !choice.audio.empty() || !choice.video.empty();
      if (media || (!label.empty() && !label.plain) ||
          (label.plain && HasReference(label.only()))) {
        info.itext = true;
      }
    }
    list_index_[list.name] = lists_.size();
    lists_.push_back(info);
  }
  for (const Question& q : form_.questions) {
    if (!q.or_other || q.name.empty()) continue;
    auto it = list_index_.find(q.list_name);
    if (it == list_index_.end()) continue;
    ListInfo& info = lists_[it->second];
    if (info.list->Find("other") != nullptr) continue;
    info.add_other = true;
    // pyxform labels the added choice in every language when some label is a
    // dictionary of languages.
    for (const Choice& choice : info.list->choices) {
      if (!MakeText(form_, choice.label, "label", plain, false).plain && !choice.label.empty()) {
        info.other_translated = true;
      }
    }
  }
  return Ok();
}

// ---- ${name} ----------------------------------------------------------------------

// The path of `elem` below `ancestor` ("/group/name"); the absolute path when
// ancestor is -1.
std::string Writer::RelativeTo(int elem, int ancestor) const {
  std::vector<const std::string*> names;
  for (int at = elem; at != ancestor && at >= 0; at = tree_.elems[static_cast<size_t>(at)].parent) {
    names.push_back(&tree_.elems[static_cast<size_t>(at)].name);
  }
  std::string path;
  if (ancestor < 0) path = "/" + root_name_;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + **it;
  return path;
}

Result<std::string> Writer::ReferencePath(std::string_view name, bool last_saved, int context,
                                          bool use_current, std::string_view whole, size_t at) {
  auto found = tree_.by_name.find(std::string(name));
  if (found == tree_.by_name.end()) {
    return MakeError(code::kUnknownReference,
                     fmt::format("${{{}}}: there is no element named '{}'", name, name),
                     context >= 0 ? Where(context, "name") : Location{form_.file});
  }
  if (found->second == -2) {
    return MakeError(code::kAmbiguousReference,
                     fmt::format("${{{}}}: several elements are named '{}'", name, name),
                     context >= 0 ? Where(context, "name") : Location{form_.file});
  }
  int target = found->second;
  bool relative = !last_saved && context >= 0;
  if (relative) {
    // pyxform: inside indexed-repeat(), the arguments 1, 2, 4 and 6 (the repeat
    // and its positions' names) stay absolute.
    size_t call = whole.rfind("indexed-repeat(", at);
    if (call != std::string_view::npos) {
      size_t close = whole.find(')', call);
      if (close != std::string_view::npos && at < close) {
        int arg = 0;
        for (size_t i = call + 15; i < at; ++i) {
          if (whole[i] == ',') ++arg;
        }
        relative = !(arg == 0 || arg == 1 || arg == 3 || arg == 5);
      }
    }
  }
  if (relative) {
    // The lowest repeat that contains both the context and the target.
    std::map<int, int> context_steps;
    int steps = 1;
    for (int a = tree_.elems[static_cast<size_t>(context)].parent; a >= 0;
         a = tree_.elems[static_cast<size_t>(a)].parent, ++steps) {
      context_steps.emplace(a, steps);
    }
    int lcar = -1;
    for (int a = tree_.elems[static_cast<size_t>(target)].parent; a >= 0;
         a = tree_.elems[static_cast<size_t>(a)].parent) {
      if (tree_.elems[static_cast<size_t>(a)].is_repeat && context_steps.count(a) != 0) {
        lcar = a;
        break;
      }
    }
    if (lcar >= 0) {
      // pyxform: a ${} inside a predicate of an instance() path is relative to current().
      if (!use_current && whole.find("instance(") != std::string_view::npos) {
        size_t open = whole.rfind('[', at);
        size_t close = whole.find(']', at);
        if (open != std::string_view::npos && close != std::string_view::npos &&
            whole.find(']', open) == close) {
          use_current = true;
        }
      }
      std::string ups;
      for (int i = 0; i < context_steps[lcar]; ++i) ups += i == 0 ? ".." : "/..";
      return fmt::format(" {}{}{} ", use_current ? "current()/" : "", ups,
                         RelativeTo(target, lcar));
    }
  }
  return fmt::format(" {}{} ", last_saved ? "instance('__last-saved')" : "",
                     RelativeTo(target, -1));
}

Result<std::string> Writer::InsertXpaths(std::string_view text, int context, bool use_current) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("${", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 2, close - open - 2);
    bool last_saved = false;
    if (name.rfind("last-saved#", 0) == 0) {
      last_saved = true;
      last_saved_ = true;
      name.remove_prefix(11);
    }
    out.append(text.substr(pos, open - pos));
    std::string path = NGO_TRY(ReferencePath(name, last_saved, context, use_current, text, open));
    out += path;
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

// A text for people: escaped, each ${name} an <output value="..."/>.
Result<std::string> Writer::InsertOutputs(std::string_view text, int context) {
  std::string out;
  NGO_TRY(AppendOutputs(&out, text, context));
  return out;
}

Status Writer::AppendOutputs(std::string* out_text, std::string_view text, int context) {
  std::string& out = *out_text;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("${", pos);
    size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    AppendEscaped(&out, text.substr(pos, open - pos), false);
    std::string_view name = text.substr(open + 2, close - open - 2);
    bool last_saved = name.rfind("last-saved#", 0) == 0;
    if (last_saved) {
      last_saved_ = true;
      name.remove_prefix(11);
    }
    std::string path = NGO_TRY(ReferencePath(name, last_saved, context, false, text, open));
    out += "<output value=\"";
    AppendEscaped(&out, path, true);
    out += "\"/>";
    pos = close + 1;
  }
  AppendEscaped(&out, text.substr(pos), false);
  return Ok();
}

// ---- Output -------------------------------------------------------------------------

// The language as pyxform names it: the column header's text after "::".
std::string Writer::LangText(const std::string& code) const {
  if (code == form_.default_language && !form_.settings.default_language.empty()) {
    return std::string(text::Trim(form_.settings.default_language));
  }
  for (const Language& language : form_.languages) {
    if (language.code == code) {
      if (!language.written.empty()) return language.written;  // as pyxform names it
      return language.name != language.code ? language.name + " (" + language.code + ")"
                                            : language.code;
    }
  }
  return code;
}

void Writer::Line(int depth, std::string_view text) {
  out_.append(static_cast<size_t>(depth) * 2, ' ');
  out_ += text;
  out_ += '\n';
}

std::string Writer::Open(std::string_view tag, const Attrs& attrs, bool close) const {
  size_t size = tag.size() + 3;
  for (const auto& [key, value] : attrs) size += key.size() + value.size() + 4;
  std::string s;
  s.reserve(size);
  s += '<';
  s += tag;
  for (const auto& [key, value] : attrs) {
    s += ' ';
    s += key;
    s += "=\"";
    AppendEscaped(&s, value, true);
    s += '"';
  }
  s += close ? "/>" : ">";
  return s;
}

// Long on purpose: pyxform's itext in its order, one pass over the translations.
// NOLINTNEXTLINE(readability-function-size)
Status Writer::WriteItext() {
  // id -> form ("long", "guidance", "image", ...) -> language code -> (value, context)
  // Texts are not copied: they stay in the elements' Texts, or in `kept` for the
  // choices' (a deque, so that they do not move).
  struct Value {
    const std::string* text = nullptr;
    int context = -1;  // element for ${} in the text; -1: absolute paths
    bool is_media = false;
  };
  // Language code -> value: a handful of languages, searched in order.
  struct ByLang {
    std::vector<std::pair<std::string_view, Value>> values;
    void Set(std::string_view lang, Value value) {
      for (auto& [l, v] : values) {
        if (l == lang) {
          v = value;
          return;
        }
      }
      values.emplace_back(lang, value);
    }
    const Value* Find(std::string_view lang) const {
      for (const auto& [l, v] : values) {
        if (l == lang) return &v;
      }
      return nullptr;
    }
  };
  struct Entry {
    std::string id;
    std::vector<std::pair<std::string, ByLang>> forms;
    ByLang& Form(const std::string& kind) {
      for (auto& [k, v] : forms) {
        if (k == kind) return v;
      }
      forms.emplace_back(kind, ByLang{});
      return forms.back().second;
    }
  };
  std::deque<Text> kept;
  std::vector<Entry> entries;
  std::vector<std::string> langs;  // codes, in order of first use
  auto use_lang = [&](const std::string& code) {
    if (std::find(langs.begin(), langs.end(), code) == langs.end()) langs.push_back(code);
  };
  auto add = [&](Entry& entry, const std::string& kind, const Text& text, int context, bool media) {
    auto& values = entry.Form(kind);
    for (const auto& [lang, value] : text.texts) {
      values.Set(lang, Value{&value, context, media});
      use_lang(lang);
    }
  };
  // Choices of lists that need itext, in list order.
  for (const ListInfo& info : lists_) {
    if (!info.itext) continue;
    const auto& plain = form_.untranslated_choices_columns;
    size_t idx = 0;
    auto add_choice = [&](const Translations& label, const Choice* choice) {
      Entry entry;
      entry.id = fmt::format("{}-{}", info.list->name, idx++);
      const Text& text = kept.emplace_back(MakeText(form_, label, "label", plain, false));
      if (!text.empty()) add(entry, "long", text, -1, false);
      if (choice != nullptr) {
        for (auto [kind, texts] :
             {std::pair<const char*, const Translations*>{"image", &choice->image},
              {"audio", &choice->audio},
              {"video", &choice->video}}) {
          if (!texts->empty()) {
            add(entry, kind, kept.emplace_back(MakeText(form_, *texts, kind, plain, false)), -1,
                true);
          }
        }
      }
      if (!entry.forms.empty()) entries.push_back(std::move(entry));
    };
    for (const Choice& choice : info.list->choices) add_choice(choice.label, &choice);
    if (info.add_other) {
      Translations other;
      if (info.other_translated) {
        for (const Choice& choice : info.list->choices) {
          for (const auto& [lang, text] : choice.label) other[lang] = "Other";
        }
      } else {
        other[form_.default_language] = "Other";
      }
      add_choice(other, nullptr);
    }
  }
  for (int index : preorder_) {
    const Elem& e = tree_.elems[static_cast<size_t>(index)];
    bool needs_itext = (!e.label.empty() && !e.label.plain) || !e.media.empty();
    // Ids are made only for the entries kept (most rows have no hint, say).
    if (!e.constraint_msg.empty() &&
        (!e.constraint_msg.plain || HasReference(e.constraint_msg.only()))) {
      Entry constraint{e.path + ":jr:constraintMsg", {}};
      add(constraint, "long", e.constraint_msg, index, false);
      entries.push_back(std::move(constraint));
    }
    if (!e.required_msg.empty() && (!e.required_msg.plain || HasReference(e.required_msg.only()))) {
      Entry required{e.path + ":jr:requiredMsg", {}};
      add(required, "long", e.required_msg, index, false);
      entries.push_back(std::move(required));
    }
    Entry label;
    if (!e.label.empty() && needs_itext) add(label, "long", e.label, index, false);
    for (const auto& [kind, texts] : e.media) add(label, kind, texts, -1, true);
    if (!label.forms.empty()) {
      label.id = e.path + ":label";
      entries.push_back(std::move(label));
    }
    Entry hint;
    if (!e.hint.empty() && (!e.hint.plain || !e.guidance.empty())) {
      add(hint, "long", e.hint, index, false);
    }
    if (!e.guidance.empty()) add(hint, "guidance", e.guidance, index, false);
    if (!hint.forms.empty()) {
      hint.id = e.path + ":hint";
      entries.push_back(std::move(hint));
    }
  }
  if (entries.empty()) return Ok();
  Line(3, "<itext>");
  for (const std::string& lang : langs) {
    Attrs attrs = {{"lang", LangText(lang)}};
    // pyxform marks its default_language: settings' default_language, else "default"
    // (texts from columns without a language). A form whose every column names a
    // language has no default translation (ODK clients then start with the first).
    if (lang == form_.default_language &&
        (lang == "default" || !form_.settings.default_language.empty())) {
      attrs.emplace_back("default", "true()");
    }
    Line(4, Open("translation", attrs, false));
    // Each entry's line written in place: Line(5, "<text id=...>" + values + "</text>").
    for (const Entry& entry : entries) {
      out_.append(10, ' ');
      out_ += "<text id=\"";
      AppendEscaped(&out_, entry.id, true);
      out_ += "\">";
      for (const auto& [kind, by_lang] : entry.forms) {
        const Value* it = by_lang.Find(lang);
        bool media = kind != "long" && kind != "guidance";
        if (it == nullptr) {
          // pyxform's _add_empty_translations: "-" where another language has a text.
          if (!media) {
            out_ += kind == "guidance" ? "<value form=\"guidance\">-</value>" : "<value>-</value>";
          }
          continue;
        }
        if (media) {
          out_ += "<value form=\"";
          out_ += kind;
          out_ += "\">jr://";
          out_ += kind == "image" || kind == "big-image" ? std::string_view("images")
                                                         : std::string_view(kind);
          out_ += '/';
          AppendEscaped(&out_, *it->text, false);
          out_ += "</value>";
          continue;
        }
        out_ += kind == "guidance" ? "<value form=\"guidance\">" : "<value>";
        if (*it->text == "-") {
          out_ += '-';
        } else {
          NGO_TRY(AppendOutputs(&out_, *it->text, it->context));
        }
        out_ += "</value>";
      }
      out_ += "</text>\n";
    }
    Line(4, "</translation>");
  }
  Line(3, "</itext>");
  return Ok();
}

// pyxform's Section.xml_instance: a repeat outside a repeat's own copy is written as
// a jr:template followed by one instance; inside a template every nested repeat is
// a template too; inside the plain copy nested repeats have no template.
Status Writer::WriteInstance(int index, int depth, bool template_copy, bool in_repeat_copy) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  Attrs attrs;
  if (e.q != nullptr) {
    for (const auto& [header, value] : e.q->extra_columns) {
      if (text::AsciiLower(header).rfind("instance::", 0) == 0) {
        std::string v = NGO_TRY(InsertXpaths(value, index));
        attrs.emplace_back(header.substr(10), v);
      }
    }
  }
  if (e.is_group || e.is_repeat) {
    auto write_children = [&](bool as_template, bool in_copy) -> Status {
      for (int child : e.children) NGO_TRY(WriteInstance(child, depth + 1, as_template, in_copy));
      return Ok();
    };
    if (e.is_repeat && !in_repeat_copy && !template_copy) {
      Attrs template_attrs = attrs;
      template_attrs.emplace_back("jr:template", "");
      Line(depth, Open(e.name, template_attrs, e.children.empty()));
      if (!e.children.empty()) {
        NGO_TRY(write_children(true, false));
        Line(depth, "</" + e.name + ">");
      }
      Line(depth, Open(e.name, attrs, e.children.empty()));
      if (!e.children.empty()) {
        NGO_TRY(write_children(false, true));
        Line(depth, "</" + e.name + ">");
      }
      return Ok();
    }
    if (e.is_repeat && template_copy) attrs.emplace_back("jr:template", "");
    Line(depth, Open(e.name, attrs, e.children.empty()));
    if (!e.children.empty()) {
      NGO_TRY(write_children(template_copy, in_repeat_copy || e.is_repeat));
      Line(depth, "</" + e.name + ">");
    }
    return Ok();
  }
  if (!e.default_value.empty() && !e.dynamic_default) {
    Line(depth, Open(e.name, attrs, false) + Escape(e.default_value) + "</" + e.name + ">");
  } else {
    Line(depth, Open(e.name, attrs, true));
  }
  return Ok();
}

void Writer::WriteSecondaryInstances() {
  // select_one_from_file and external instances first, as pyxform yields them.
  std::set<std::string> seen;
  for (const Question& q : form_.questions) {
    // pulldata('file', ...) in an expression: the CSV file as an instance.
    for (const std::string* expr : {&q.calculation, &q.constraint, &q.relevant, &q.required,
                                    &q.read_only, &q.choice_filter, &q.default_value}) {
      size_t pos = 0;
      while ((pos = expr->find("pulldata", pos)) != std::string::npos) {
        pos += 8;
        size_t open = expr->find_first_not_of(" \t", pos);
        if (open == std::string::npos || (*expr)[open] != '(') continue;
        size_t comma = expr->find(',', open);
        if (comma == std::string::npos) break;
        std::string file;
        for (char c : std::string_view(*expr).substr(open + 1, comma - open - 1)) {
          if (c != '\'' && c != '"') file += c;
        }
        file = std::string(text::Trim(file));
        if (file.empty() || !seen.insert(file).second) continue;
        Line(3, Open("instance", {{"id", file}, {"src", "jr://file-csv/" + file + ".csv"}}, true));
      }
    }
    std::string id, src;
    if (q.type == QuestionType::kSelectOneFromFile ||
        q.type == QuestionType::kSelectMultipleFromFile) {
      size_t dot = q.list_name.rfind('.');
      if (dot == std::string::npos) continue;
      id = q.list_name.substr(0, dot);
      std::string ext = text::AsciiLower(q.list_name.substr(dot + 1));
      src = (ext == "xml" || ext == "geojson" ? "jr://file/" : "jr://file-" + ext + "/") +
            q.list_name;
    } else if (IsExternal(q.type) && !q.name.empty()) {
      id = q.name;
      src = q.type == QuestionType::kCsvExternal ? "jr://file-csv/" + q.name + ".csv"
                                                 : "jr://file/" + q.name + ".xml";
    } else {
      continue;
    }
    if (!seen.insert(id).second) continue;
    Line(3, Open("instance", {{"id", id}, {"src", src}}, true));
  }
  if (last_saved_) {
    Line(3, Open("instance", {{"id", "__last-saved"}, {"src", "jr://instance/last-saved"}}, true));
  }
  for (const ListInfo& info : lists_) {
    if (seen.count(info.list->name) != 0) continue;
    Line(3, Open("instance", {{"id", info.list->name}}, false));
    Line(4, "<root>");
    const auto& plain = form_.untranslated_choices_columns;
    size_t idx = 0;
    auto item = [&](const Choice* choice, const std::string& name, const Translations& label) {
      std::string s = "<item>";
      if (info.itext) s += fmt::format("<itextId>{}-{}</itextId>", Escape(info.list->name), idx);
      ++idx;
      s += "<name>" + Escape(Clean(name, false)) + "</name>";
      Text text = MakeText(form_, label, "label", plain, false);
      if (!info.itext && text.plain) s += "<label>" + Escape(text.only()) + "</label>";
      if (choice != nullptr) {
        for (const auto& [header, value] : choice->extra_columns) {
          s += "<" + header + ">" + Escape(Clean(value, false)) + "</" + header + ">";
        }
      }
      s += "</item>";
      Line(5, s);
    };
    for (const Choice& choice : info.list->choices) item(&choice, choice.name, choice.label);
    if (info.add_other) {
      Translations other;
      if (info.other_translated) {
        for (const Choice& choice : info.list->choices) {
          for (const auto& [lang, text] : choice.label) other[lang] = "Other";
        }
      } else {
        other[form_.default_language] = "Other";
      }
      item(nullptr, "other", other);
    }
    Line(4, "</root>");
    Line(3, "</instance>");
  }
}

Status Writer::WriteBinds() {
  for (int index : preorder_) {
    const Elem& e = tree_.elems[static_cast<size_t>(index)];
    TypeInfo info = InfoFor(e.type);
    Attrs attrs = {{"nodeset", e.path}};
    bool container = e.is_group || e.is_repeat;
    // pyxform's "trigger" type (unlike "acknowledge") has no bind type.
    const bool trigger_type = e.q != nullptr && text::Trim(e.q->type_text) == "trigger";
    if (!container) {
      std::string_view type = info.bind_type;
      if (e.type == QuestionType::kRange) {
        for (const char* key : {"start", "end", "step", "tick_interval", "placeholder"}) {
          auto it = e.parameters.find(key);
          if (it == e.parameters.end()) continue;
          size_t dot = it->second.find('.');
          if (dot != std::string::npos &&
              it->second.find_first_not_of('0', dot + 1) != std::string::npos) {
            type = "decimal";
          }
        }
      }
      if (trigger_type) type = "";
      if (!type.empty()) attrs.emplace_back("type", std::string(type));
      if (e.type == QuestionType::kNote) attrs.emplace_back("readonly", "true()");
      if (!info.preload.empty()) {
        attrs.emplace_back("jr:preload", std::string(info.preload));
        attrs.emplace_back("jr:preloadParams", std::string(info.preload_params));
      }
      if (e.type == QuestionType::kImage) {
        auto it = e.parameters.find("max-pixels");
        if (it != e.parameters.end()) attrs.emplace_back("orx:max-pixels", it->second);
      }
      if (e.type == QuestionType::kAudio) {
        auto it = e.parameters.find("quality");
        if (it != e.parameters.end()) attrs.emplace_back("odk:quality", it->second);
      }
    }
    // A named pair, not a structured binding: clang 14 (tools/tidy) cannot capture a
    // binding in the lambda below.
    for (const auto& entry : e.bind) {
      const std::string& key = entry.first;
      std::string value = entry.second;
      if (key == "required" || key == "relevant" || key == "readonly" || key == "constraint" ||
          key == "calculate") {
        value = ConvertBinding(value);
      }
      std::string bound = NGO_TRY(InsertXpaths(value, index));
      auto existing =
          std::find_if(attrs.begin(), attrs.end(), [&](const auto& a) { return a.first == key; });
      if (existing != attrs.end())
        existing->second = bound;
      else
        attrs.emplace_back(key, bound);
    }
    auto message = [&](const Text& text, const char* attr) -> Status {
      if (text.empty()) return Ok();
      if (!text.plain || HasReference(text.only())) {
        attrs.emplace_back(attr, fmt::format("jr:itext('{}:{}')", e.path, attr));
      } else {
        attrs.emplace_back(attr, text.only());
      }
      return Ok();
    };
    NGO_TRY(message(e.constraint_msg, "jr:constraintMsg"));
    NGO_TRY(message(e.required_msg, "jr:requiredMsg"));
    // Groups, repeats and "trigger" rows have a bind only when the row gives one.
    if (!(attrs.size() == 1 && (container || trigger_type))) Line(3, Open("bind", attrs, true));
    // Actions of the model: dynamic defaults, start-geopoint, background-audio.
    if (!e.default_value.empty() && e.dynamic_default) {
      std::string value = NGO_TRY(InsertXpaths(e.default_value, index));
      Line(3,
           Open("setvalue",
                {{"ref", e.path}, {"event", "odk-instance-first-load"}, {"value", value}}, true));
    }
    if (e.type == QuestionType::kStartGeopoint) {
      Line(3,
           Open("odk:setgeopoint", {{"ref", e.path}, {"event", "odk-instance-first-load"}}, true));
    }
    if (e.type == QuestionType::kBackgroundAudio) {
      Attrs action = {{"ref", e.path}, {"event", "odk-instance-load"}};
      auto it = e.parameters.find("quality");
      if (it != e.parameters.end()) action.emplace_back("odk:quality", it->second);
      Line(3, Open("odk:recordaudio", action, true));
    }
  }
  return Ok();
}

Status Writer::WriteLabelHint(int index, int depth, bool hint_too) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  bool needs_itext = (!e.label.empty() && !e.label.plain) || !e.media.empty();
  bool has_hint = hint_too && (!e.hint.empty() || !e.guidance.empty());
  if (!e.label.empty() || !e.media.empty() || has_hint) {
    if (needs_itext) {
      Line(depth, fmt::format("<label ref=\"jr:itext('{}:label')\"/>", Escape(e.path, true)));
    } else if (!e.label.empty()) {
      std::string text = NGO_TRY(InsertOutputs(e.label.only(), index));
      Line(depth, "<label>" + text + "</label>");
    } else {
      Line(depth, "<label/>");
    }
  }
  if (has_hint) {
    if (!e.hint.plain || !e.guidance.empty()) {
      Line(depth, fmt::format("<hint ref=\"jr:itext('{}:hint')\"/>", Escape(e.path, true)));
    } else {
      std::string text = NGO_TRY(InsertOutputs(e.hint.only(), index));
      Line(depth, "<hint>" + text + "</hint>");
    }
  }
  return Ok();
}

// Long on purpose: each body element kind as pyxform writes it, in one recursive writer.
// NOLINTNEXTLINE(readability-function-size)
Status Writer::WriteBody(int index, int depth) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  if (e.meta_group) return Ok();
  Attrs control;
  for (const auto& [key, value] : e.control) {
    std::string v =
        NGO_TRY(key == "appearance" ? Result<std::string>(value) : InsertXpaths(value, index));
    control.emplace_back(key, v);
  }
  if (e.is_group) {
    Attrs attrs = control;
    attrs.emplace_back("ref", e.path);
    bool empty = e.label.empty() && e.media.empty() && e.children.empty();
    Line(depth, Open("group", attrs, empty));
    if (empty) return Ok();
    if (!e.label.empty() || !e.media.empty()) NGO_TRY(WriteLabelHint(index, depth + 1, false));
    for (int child : e.children) NGO_TRY(WriteBody(child, depth + 1));
    Line(depth, "</group>");
    return Ok();
  }
  if (e.is_repeat) {
    Line(depth, Open("group", {{"ref", e.path}}, false));
    // pyxform always gives the repeat's group a label element, empty if need be.
    if (!e.label.empty() || !e.media.empty()) {
      NGO_TRY(WriteLabelHint(index, depth + 1, false));
    } else {
      Line(depth + 1, "<label/>");
    }
    Attrs attrs = {{"nodeset", e.path}};
    attrs.insert(attrs.end(), control.begin(), control.end());
    Line(depth + 1, Open("repeat", attrs, false));
    for (int child : e.children) NGO_TRY(WriteBody(child, depth + 2));
    // Dynamic defaults of the repeat's own questions run again for each new repeat.
    for (int child : preorder_) {
      const Elem& c = tree_.elems[static_cast<size_t>(child)];
      if (c.is_group || c.is_repeat || c.default_value.empty() || !c.dynamic_default) continue;
      int car = c.parent;
      while (car >= 0 && !tree_.elems[static_cast<size_t>(car)].is_repeat) {
        car = tree_.elems[static_cast<size_t>(car)].parent;
      }
      if (car != index) continue;
      std::string value = NGO_TRY(InsertXpaths(c.default_value, child));
      Line(depth + 2, Open("setvalue",
                           {{"ref", c.path}, {"event", "odk-new-repeat"}, {"value", value}}, true));
    }
    Line(depth + 1, "</repeat>");
    Line(depth, "</group>");
    return Ok();
  }
  TypeInfo info = InfoFor(e.type);
  if (info.control.empty()) return Ok();
  bool has_text = !e.label.empty() || !e.hint.empty();
  bool calculated = std::any_of(e.bind.begin(), e.bind.end(),
                                [](const auto& a) { return a.first == "calculate"; });
  if ((calculated || !e.trigger.empty()) && !has_text) return Ok();
  Attrs attrs = {{"ref", e.path}};
  if (!info.mediatype.empty()) attrs.emplace_back("mediatype", std::string(info.mediatype));
  if (e.type == QuestionType::kRange) {
    for (const auto& [key, value] : e.parameters) {
      if (key == "start" || key == "end" || key == "step")
        attrs.emplace_back(key, value);
      else if (key == "tick_interval")
        attrs.emplace_back("odk:tick-interval", value);
      else if (key == "placeholder")
        attrs.emplace_back("odk:placeholder", value);
    }
  }
  if (e.type == QuestionType::kSelectOneExternal) {
    // As pyxform: the list's items, filtered by the choice filter with the paths of
    // the form (not current()/, which only an itemset's predicate needs).
    std::string query = "instance('" + e.list_name + "')/root/item";
    if (!e.choice_filter.empty()) {
      query += "[" + NGO_TRY(InsertXpaths(e.choice_filter, index)) + "]";
    }
    attrs.emplace_back("query", std::move(query));
  }
  if (e.type == QuestionType::kText) {
    auto it = e.parameters.find("rows");
    if (it != e.parameters.end()) attrs.emplace_back("rows", it->second);
  }
  attrs.insert(attrs.end(), control.begin(), control.end());
  std::string tag(info.control);
  Line(depth, Open(tag, attrs, false));
  NGO_TRY(WriteLabelHint(index, depth + 1, true));
  bool select = e.type == QuestionType::kSelectOne || e.type == QuestionType::kSelectMultiple ||
                e.type == QuestionType::kRank || e.type == QuestionType::kSelectOneFromFile ||
                e.type == QuestionType::kSelectMultipleFromFile;
  if (select) {
    std::string nodeset, value_ref = "name", label_ref = "label";
    bool from_file = e.type == QuestionType::kSelectOneFromFile ||
                     e.type == QuestionType::kSelectMultipleFromFile;
    if (from_file) {
      size_t dot = e.list_name.rfind('.');
      std::string stem = dot == std::string::npos ? e.list_name : e.list_name.substr(0, dot);
      if (text::AsciiLower(e.list_name).size() > 8 &&
          text::AsciiLower(e.list_name).ends_with(".geojson")) {
        value_ref = "id";
        label_ref = "title";
      }
      if (auto it = e.parameters.find("value"); it != e.parameters.end()) value_ref = it->second;
      if (auto it = e.parameters.find("label"); it != e.parameters.end()) label_ref = it->second;
      nodeset = "instance('" + stem + "')/root/item";
    } else {
      auto it = list_index_.find(e.list_name);
      if (it != list_index_.end() && lists_[it->second].itext) label_ref = "jr:itext(itextId)";
      nodeset = "instance('" + e.list_name + "')/root/item";
    }
    if (!e.choice_filter.empty()) {
      std::string filter = NGO_TRY(InsertXpaths(e.choice_filter, index, true));
      nodeset += "[" + filter + "]";
    }
    auto randomize = e.parameters.find("randomize");
    if (randomize != e.parameters.end() && randomize->second == "true") {
      auto seed = e.parameters.find("seed");
      if (seed != e.parameters.end()) {
        std::string s = NGO_TRY(InsertXpaths(seed->second, index));
        nodeset = fmt::format("randomize({}, {})", nodeset, text::Trim(s));
      } else {
        nodeset = "randomize(" + nodeset + ")";
      }
    }
    Line(depth + 1, Open("itemset", {{"nodeset", nodeset}}, false));
    Line(depth + 2, Open("value", {{"ref", value_ref}}, true));
    Line(depth + 2, Open("label", {{"ref", label_ref}}, true));
    Line(depth + 1, "</itemset>");
  }
  // setvalue for the calculations that this question triggers.
  auto [first, last] = triggered_by_.equal_range(index);
  for (auto it = first; it != last; ++it) {
    const Elem& target = tree_.elems[static_cast<size_t>(it->second)];
    Attrs action = {{"ref", target.path}, {"event", "xforms-value-changed"}};
    if (!target.calculation.empty()) {
      std::string value = NGO_TRY(InsertXpaths(target.calculation, index));
      action.emplace_back("value", value);
    }
    Line(depth + 1, Open("setvalue", action, true));
  }
  Line(depth, "</" + tag + ">");
  return Ok();
}

Result<std::string> Writer::Write() {
  for (const Question& q : form_.questions) {
    if (q.type == QuestionType::kBackgroundGeopoint) {
      return MakeError(code::kUnknownType,
                       fmt::format("type \"{}\" is not written to ODK XForms yet (docs/xform.md)",
                                   TypeName(q.type)),
                       form_.SurveyCell(q.row, "type"));
    }
  }
  ReadSettings();
  BuildTree();
  NGO_TRY(PrepareChoiceLists());
  // Triggers: "${a}" or "${a} ${b}"... names the questions whose change runs it.
  for (int index : preorder_) {
    const Elem& e = tree_.elems[static_cast<size_t>(index)];
    if (e.trigger.empty()) continue;
    size_t pos = 0;
    while ((pos = e.trigger.find("${", pos)) != std::string::npos) {
      size_t close = e.trigger.find('}', pos);
      if (close == std::string::npos) break;
      std::string name = e.trigger.substr(pos + 2, close - pos - 2);
      auto found = tree_.by_name.find(name);
      if (found == tree_.by_name.end() || found->second < 0) {
        return MakeError(
            code::kUnknownReference,
            fmt::format("trigger ${{{}}}: there is no single element named '{}'", name, name),
            Where(index, "trigger"));
      }
      triggered_by_.emplace(found->second, index);
      pos = close + 1;
    }
  }
  std::string id = form_.settings.form_id;
  if (id.empty()) id = options_.fallback_id.empty() ? "data" : options_.fallback_id;
  std::string title =
      form_.settings.form_title.empty() ? id : Clean(form_.settings.form_title, false);

  out_.reserve(4096 + form_.questions.size() * 512);
  out_ += "<?xml version=\"1.0\"?>\n";
  Attrs ns = {{"xmlns", "http://www.w3.org/2002/xforms"},
              {"xmlns:h", "http://www.w3.org/1999/xhtml"},
              {"xmlns:ev", "http://www.w3.org/2001/xml-events"},
              {"xmlns:xsd", "http://www.w3.org/2001/XMLSchema"},
              {"xmlns:jr", "http://openrosa.org/javarosa"},
              {"xmlns:orx", "http://openrosa.org/xforms"},
              {"xmlns:odk", "http://www.opendatakit.org/xforms"}};
  Line(0, Open("h:html", ns, false));
  Line(1, "<h:head>");
  Line(2, "<h:title>" + Escape(title) + "</h:title>");
  Line(2, "<model odk:xforms-version=\"1.0.0\">");
  const auto& values = form_.settings.values;
  auto setting = [&](const char* key) {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  };
  Attrs submission;
  if (!form_.settings.submission_url.empty()) {
    submission.emplace_back("action", form_.settings.submission_url);
    submission.emplace_back("method", "post");
  }
  if (!form_.settings.public_key.empty()) {
    // A key pasted from a PEM file keeps its line breaks in the cell. pyxform writes
    // them raw into the attribute, where every XML parser reads them as spaces (XML
    // 1.0 section 3.3.3): write that value rather than escaped line breaks, which
    // would reach ODK's base64 decoder as line breaks.
    std::string key = form_.settings.public_key;
    key.erase(std::remove(key.begin(), key.end(), '\r'), key.end());  // CR LF is one break
    std::replace_if(
        key.begin(), key.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
    submission.emplace_back("base64RsaPublicKey", key);
  }
  if (!setting("auto_send").empty()) submission.emplace_back("orx:auto-send", setting("auto_send"));
  if (!setting("auto_delete").empty()) {
    submission.emplace_back("orx:auto-delete", setting("auto_delete"));
  }
  if (!submission.empty()) Line(3, Open("submission", submission, true));
  NGO_TRY(WriteItext());
  Line(3, "<instance>");
  Attrs root = {{"id", id}};
  if (!form_.settings.version.empty()) root.emplace_back("version", form_.settings.version);
  Line(4, Open(root_name_, root, false));
  for (int index : tree_.roots) NGO_TRY(WriteInstance(index, 5, false, false));
  Line(4, "</" + root_name_ + ">");
  Line(3, "</instance>");
  // Binds first into a side buffer: they decide whether __last-saved is needed,
  // and the secondary instances come before them.
  std::string head = std::move(out_);
  out_ = std::string();
  out_.reserve(head.size());
  NGO_TRY(WriteBinds());
  std::string binds = std::move(out_);
  out_ = std::string();
  out_.reserve(head.size() * 2);
  Line(1, "</h:head>");
  Attrs body;
  if (!form_.settings.style.empty()) body.emplace_back("class", form_.settings.style);
  Line(1, Open("h:body", body, false));
  for (int index : tree_.roots) NGO_TRY(WriteBody(index, 2));
  Line(1, "</h:body>");
  Line(0, "</h:html>");
  std::string tail = std::move(out_);
  out_ = std::move(head);
  WriteSecondaryInstances();
  out_.reserve(out_.size() + binds.size() + tail.size() + 64);
  out_ += binds;
  Line(2, "</model>");
  out_ += tail;
  return std::move(out_);
}

}  // namespace

Result<std::string> WriteXForm(const Form& form, const XFormOptions& options) {
  Writer writer(form, options);
  return writer.Write();
}

}  // namespace ngosurvey::form
