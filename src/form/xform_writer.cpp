// Form -> ODK XForm. The writer first builds pyxform's element tree from the Form
// (adding the elements pyxform generates: NAME_other after an or_other select,
// NAME_count before a repeat whose count is an expression, meta/instanceID and
// meta/instanceName), then writes the model (itext, instances, binds) and the body
// from that tree. The rules follow pyxform 4.x (survey.py, survey_element.py,
// question.py, section.py, xls2json.py); docs/xform.md lists the differences.
//
// Speed (bench/README.md, 10,000 rows in tens of milliseconds): the tree holds views
// of the Form's cells (a copy only where pyxform's cleaning changes a cell, kept in
// the writer's deque), names are found through hash maps and indices built once, and
// every element is written straight into one output buffer.
#include "form/xform_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/text.h"
#include "form/appearance.h"
#include "form/diagnostics.h"
#include "form/loops.h"
#include "form/parameters.h"
#include "form/pulldata.h"

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

// Which bytes EscapeOf replaces: bit 1 in text, bit 2 in an attribute value.
constexpr std::array<uint8_t, 256> kEscaped = [] {
  std::array<uint8_t, 256> table{};
  for (unsigned char c : {'&', '<', '>', '\r'}) table[c] = 3;
  for (unsigned char c : {'"', '\n', '\t'}) table[c] = 2;
  return table;
}();

#ifdef __SSE2__
// Bit k set when byte k of `bytes` is one EscapeOf replaces.
int EscapeMask(__m128i bytes, bool attribute) {
  __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('&')),
                                           _mm_cmpeq_epi8(bytes, _mm_set1_epi8('<'))),
                              _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('>')),
                                           _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'))));
  if (attribute) {
    hits =
        _mm_or_si128(hits, _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                        _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n')),
                                                     _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\t')))));
  }
  return _mm_movemask_epi8(hits);
}
#endif

// The offset of the first byte at or after `from` in `text` that EscapeOf replaces,
// or text.size(). Sixteen bytes at a time with SSE2 (x86-64's baseline), the last
// sixteen of a text loaded again rather than tested one by one: the writer escapes
// every text and attribute value of the XForm (128,000 texts of 25 bytes on average
// for a 10,000-row form), nearly none with a byte to replace, and the byte-by-byte
// switch cost 5-6 instructions a byte.
size_t NextEscape(std::string_view text, size_t from, bool attribute) {
  size_t i = from;
#ifdef __SSE2__
  if (text.size() >= 16) {
    for (; i + 16 <= text.size(); i += 16) {
      int mask =
          EscapeMask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)), attribute);
      if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
    if (i == text.size()) return i;
    // The last 16 bytes, of which those before `i` were tested already.
    size_t last = text.size() - 16;
    unsigned mask =
        static_cast<unsigned>(EscapeMask(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + last)), attribute)) >>
        (i - last);
    return mask != 0 ? i + static_cast<size_t>(__builtin_ctz(mask)) : text.size();
  }
#endif
  uint8_t bit = attribute ? 2 : 1;
  while (i < text.size() && (kEscaped[static_cast<unsigned char>(text[i])] & bit) == 0) ++i;
  return i;
}

// Appends `text` escaped, copying the runs between escapes whole.
void AppendEscaped(std::string* out, std::string_view text, bool attribute) {
  size_t run = 0;
  for (size_t i = NextEscape(text, 0, attribute); i < text.size();
       i = NextEscape(text, i + 1, attribute)) {
    out->append(text.data() + run, i - run);
    out->append(EscapeOf(text[i], attribute));
    run = i + 1;
  }
  out->append(text.data() + run, text.size() - run);
}

// Attributes of an element: name and unescaped value, views of the Form, of the
// tree, of literals or of strings the writer keeps (Writer::Keep).
using Attrs = std::vector<std::pair<std::string_view, std::string_view>>;

// Hash and equality that find a std::string key from a string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// ---- pyxform's element tree -----------------------------------------------------

// A text that pyxform keeps as a plain string (one untranslated column) or as a
// dictionary of languages (itext). `texts` holds (Language::code, text) in the
// order of the codes, as Translations does.
struct Text {
  std::vector<std::pair<std::string_view, std::string_view>> texts;
  bool plain = false;  // one text, from a column without a language
  bool empty() const { return texts.empty(); }
  std::string_view only() const { return texts.front().second; }
};

// Views (std::string_view) point into the Form or strings
// the writer keeps: all outlive the tree.
struct Elem {
  const Question* q = nullptr;  // the survey row, nullptr for generated elements
  QuestionType type = QuestionType::kText;
  std::string name;
  std::string path;
  int parent = -1;  // index in Tree::elems, -1: the survey root
  std::vector<int> children;
  bool meta_group = false;  // the generated "meta" group: no body
  bool is_group = false, is_repeat = false;
  // ODK entities: the meta/entity element of this declaration; its children are its
  // attributes with a bind (`attribute`: written on the entity, path ".../@name") and
  // its label. None of them is a name ${} can refer to (`entity_part`).
  const EntityDeclaration* entity = nullptr;
  bool attribute = false;
  bool entity_part = false;

  Text label, hint, guidance, constraint_msg, required_msg;
  // Media of the label: kind ("image", "audio", "video", "big-image") -> texts.
  std::vector<std::pair<std::string_view, Text>> media;
  // Bind attributes from the row, in pyxform's order, before conversions and ${}.
  Attrs bind;
  // Body (control) attributes from the row: appearance, jr:count, body:: columns.
  Attrs control;
  std::string_view default_value;
  bool dynamic_default = false;
  std::string_view list_name;  // selects: the choice list (or_other already applied)
  std::string_view choice_filter;
  std::string_view trigger;      // the ${name} whose change recomputes the calculation
  std::string_view calculation;  // kept aside for trigger
  Parameters parameters;         // form/parameters.h
};

struct Tree {
  std::vector<Elem> elems;
  std::vector<int> roots;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> by_name;  // -2: several
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

// Whether Clean would change `value`: a "smart" quote, or two spaces in a row.
bool NeedsClean(std::string_view value, bool collapse_spaces) {
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    if (value[i] == '\xE2' && value[i + 1] == '\x80') return true;
    if (collapse_spaces && value[i] == ' ' && value[i + 1] == ' ') return true;
  }
  return false;
}

bool HasReference(std::string_view text) {
  size_t open = text.find("${");
  return open != std::string_view::npos && text.find('}', open) != std::string_view::npos;
}

// pyxform's BINDING_CONVERSIONS for relevant/required/readonly/constraint/calculate.
std::string_view ConvertBinding(std::string_view value) {
  static const std::array<std::string_view, 6> kTrue = {"yes",  "Yes",  "YES",
                                                        "true", "True", "TRUE"};
  static const std::array<std::string_view, 6> kFalse = {"no",    "No",    "NO",
                                                         "false", "False", "FALSE"};
  if (std::find(kTrue.begin(), kTrue.end(), value) != kTrue.end()) return "true()";
  if (std::find(kFalse.begin(), kFalse.end(), value) != kFalse.end()) return "false()";
  return value;
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

// pyxform keeps the `uri:` of a metadata type in its preload parameter
// (`uri:deviceid` -> jr:preloadParams="uri:deviceid"); ODK Collect reads both spellings.
std::string_view PreloadParams(const Elem& e, std::string_view params) {
  static constexpr std::array<std::string_view, 6> kUriSpelled = {
      "uri:deviceid",    "uri:subscriberid", "uri:simserial",
      "uri:phonenumber", "uri:username",     "uri:email"};
  if (e.q == nullptr || !text::AsciiLower(text::Trim(e.q->type_text)).starts_with("uri:")) {
    return params;
  }
  for (std::string_view spelled : kUriSpelled) {
    if (spelled.substr(4) == params) return spelled;
  }
  return params;
}

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
  // Strings the tree and the attributes point at.
  std::string_view Keep(std::string value) { return kept_.emplace_back(std::move(value)); }
  std::string_view CleanView(std::string_view value, bool collapse_spaces) {
    return NeedsClean(value, collapse_spaces) ? Keep(Clean(value, collapse_spaces)) : value;
  }
  // pyxform's text of `texts`, and whether it keeps it as a plain string: one text
  // in the default language, from a column without a language.
  Text MakeText(const Translations& texts, std::string_view key,
                const std::set<std::string>& untranslated, bool collapse_spaces);

  // Tree building.
  void BuildTree();
  size_t ElemRoom() const;
  void ReadSettings();
  int AddElem(Elem elem, int parent);
  int TableListGroup(Elem group, int row, int parent);
  void TableListRow(Elem* select, int row, int group, bool* header_written);
  // A group that a loop became (form/loops.h), or a choice's group in it, as pyxform
  // writes them (-1 when `q` is neither).
  int AddLoopGroup(const Question& q, int parent);
  // The meta/entity element of `entity` and its attributes' and label's elements,
  // under the meta group `meta`; `first`: as the meta group's first child.
  void AddEntity(const EntityDeclaration& entity, int meta, bool first);
  int AddMetaGroup(int parent);
  // Every placed entity (EntityDeclaration::container), `elem_of` giving the element of
  // each question; `meta`: the survey's meta group, made when needed.
  void AddEntities(const std::vector<int>& elem_of, int* meta);
  Elem FromQuestion(const Question& q);
  Status PrepareChoiceLists();

  // ${name} rewriting.
  Result<std::string> InsertXpaths(std::string_view text, int context, bool use_current = false);
  // InsertXpaths as a view: `text` itself when it has no ${name}, else the result,
  // kept in `scratch_` until the next ClearScratch.
  Result<std::string_view> XpathsView(std::string_view text, int context, bool use_current = false);
  void ClearScratch() { scratch_.clear(); }
  // How many steps up from element `from` its ancestor `ancestor` is, 0 if none.
  int AncestorDistance(int from, int ancestor) const;
  // Appends the path that replaces ${name}, with a space either side; `escape`:
  // escaped for an attribute.
  Status AppendReference(std::string* out, std::string_view name, bool last_saved, int context,
                         bool use_current, std::string_view whole, size_t at, bool escape);
  // A text for people appended to `out` (which holds a partial text when it
  // fails): escaped, each ${name} an <output value="..."/>.
  Status AppendOutputs(std::string* out, std::string_view text, int context);
  Location Where(int elem, std::string_view column) const;

  // Output, appended to out_.
  std::string LangText(std::string_view code) const;
  // From the XML declaration to the model's start tag.
  void WriteHead(std::string_view title);
  Status WriteItext();
  Status WriteInstance(int elem, int depth, bool template_copy, bool in_repeat_copy);
  // <entity dataset="..." create="1" ... id=""> with its label element.
  Status WriteEntityInstance(int elem, int depth);
  void WriteSecondaryInstances();
  Status WriteBinds();
  Status WriteBody(int elem, int depth);
  Status WriteLabelHint(int elem, int depth, bool hint_too);
  // An `osm LIST` question's tags, as pyxform writes them in its upload control.
  Status WriteOsmTags(int elem, int depth);
  // The osm sheet's list an `osm LIST` question names (nullptr: none).
  const ChoiceList* OsmList(const Elem& e) const;
  void Indent(int depth) { out_.append(static_cast<size_t>(depth) * 2, ' '); }
  void Line(int depth, std::string_view text);
  // <tag a="v"...> or <tag a="v".../> on a line of its own.
  void OpenLine(int depth, std::string_view tag, const Attrs& attrs, bool close);
  // <tag a="v"...>, without indentation or line break.
  void Open(std::string_view tag, const Attrs& attrs, bool close);
  // </tag> and the line break.
  void CloseLine(std::string_view tag);

  const Form& form_;
  const XFormOptions& options_;
  Tree tree_;
  std::string root_name_ = "data";
  std::string root_path_;     // "/" + root_name_
  std::string default_lang_;  // pyxform's default_language: a Language::code
  std::string out_;
  // Strings the tree points at (a deque: they never move).
  std::deque<std::string> kept_;
  // Strings an element's attributes point at while it is written (ClearScratch).
  std::deque<std::string> scratch_;
  Attrs attrs_;          // the attributes of the element being written, reused
  std::string nodeset_;  // an itemset's nodeset, reused
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
  std::unordered_map<std::string_view, size_t> list_index_;
  // The "Other" labels of lists that an or_other select extends, by list index.
  std::deque<Translations> other_labels_;
  // Triggers: the triggering element's index -> (target element, value).
  std::multimap<int, int> triggered_by_;
  // Table-list groups (TableListGroup) -> whether their header select is written.
  std::map<int, bool> table_lists_;
  std::vector<int> preorder_;
  bool collapse_ = true;  // settings clean_text_values (default yes)
};

Text Writer::MakeText(const Translations& texts, std::string_view key,
                      const std::set<std::string>& untranslated, bool collapse_spaces) {
  Text text;
  text.texts.reserve(texts.size());
  for (const auto& [lang, value] : texts) {
    text.texts.emplace_back(lang, CleanView(value, collapse_spaces));
  }
  text.plain = texts.size() == 1 && texts.begin()->first == form_.default_language &&
               untranslated.count(std::string(key)) != 0;
  return text;
}

Location Writer::Where(int elem, std::string_view column) const {
  const Elem& e = tree_.elems[static_cast<size_t>(elem)];
  if (e.q == nullptr) return Location{form_.file, form_.survey_sheet};
  return form_.SurveyCell(e.q->row, column);
}

// pyxform's table-list (xls2json.py): the group is a field-list (its other appearance
// words kept after it), and its label and hint move to a generated note, the group's
// first child, named after the group's row. Returns the group's index.
int Writer::TableListGroup(Elem group, int row, int parent) {
  std::string appearance = "field-list";
  for (auto& [key, value] : group.control) {
    if (key != "appearance") continue;
    for (std::string_view word : AppearanceWords(value)) {
      if (word != "table-list") appearance.append(" ").append(word);
    }
    value = Keep(appearance);
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
    header.label.texts = {{form_.default_language, " "}};
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

// pyxform writes a loop's group (form/loops.h) from its row alone (no jr:count, no
// table-list), a choice's group with the choice's name and label only (a label in the
// choices sheet's columns: inline or itext as they are), and the rows inside a loop
// as plain elements.
int Writer::AddLoopGroup(const Question& q, int parent) {
  if (IsLoopGroup(q)) {
    Elem group = FromQuestion(q);
    group.list_name = {};
    return AddElem(std::move(group), parent);
  }
  bool in_loop = false;
  for (int up = q.parent; up >= 0 && !in_loop; up = form_.questions[static_cast<size_t>(up)].parent)
    in_loop = IsLoopGroup(form_.questions[static_cast<size_t>(up)]);
  if (!in_loop) return -1;
  if (IsLoopGroup(form_.questions[static_cast<size_t>(q.parent)])) {
    Elem column;
    column.type = QuestionType::kBeginGroup;
    column.is_group = true;
    column.name = q.name;
    column.label = MakeText(q.label, "label", form_.untranslated_choices_columns, collapse_);
    return AddElem(std::move(column), parent);
  }
  return AddElem(FromQuestion(q), parent);
}

int Writer::AddElem(Elem elem, int parent) {
  elem.parent = parent;
  const std::string& parent_path =
      parent < 0 ? root_path_ : tree_.elems[static_cast<size_t>(parent)].path;
  elem.path.reserve(parent_path.size() + 1 + elem.name.size());
  elem.path.append(parent_path).append(1, '/').append(elem.name);
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
  auto C = [this](std::string_view value) { return CleanView(value, collapse_); };
  Elem e;
  e.q = &q;
  e.type = q.type;
  e.name = q.name;
  e.is_group = q.is_group();
  e.is_repeat = q.is_repeat();
  e.label = MakeText(q.label, "label", plain, collapse_);
  e.hint = MakeText(q.hint, "hint", plain, collapse_);
  if (q.hint_from_type) e.hint.plain = true;  // pyxform's type dictionary: a plain string
  e.guidance = MakeText(q.guidance_hint, "guidance_hint", plain, collapse_);
  e.constraint_msg = MakeText(q.constraint_message, "constraint_message", plain, collapse_);
  e.required_msg = MakeText(q.required_message, "required_message", plain, collapse_);
  for (auto [kind, texts] : {std::pair<const char*, const Translations*>{"image", &q.image},
                             {"audio", &q.audio},
                             {"video", &q.video}}) {
    if (!texts->empty()) e.media.emplace_back(kind, MakeText(*texts, kind, plain, collapse_));
  }
  if (const std::string* big = q.ExtraColumn("big-image")) {
    Text text;
    text.texts = {{form_.default_language, *big}};
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
      e.bind.emplace_back(std::string_view(header).substr(6), C(value));
    else if (lower.rfind("body::", 0) == 0)
      e.control.emplace_back(std::string_view(header).substr(6), C(value));
    else if (lower.rfind("control::", 0) == 0)
      e.control.emplace_back(std::string_view(header).substr(9), C(value));
    else if (lower == "autoplay" || lower == "rows")  // pyxform's aliases of control::
      e.control.emplace_back(lower == "rows" ? "rows" : "autoplay", C(value));
    else if (lower == "noapperrorstring" || lower == "no_app_error_string")
      e.bind.emplace_back("jr:noAppErrorString", C(value));
  }
  if (!q.appearance.empty()) e.control.emplace(e.control.begin(), "appearance", C(q.appearance));
  if (info.preload.empty() && !q.default_value.empty()) {
    e.default_value = C(q.default_value);
    e.dynamic_default = DefaultIsDynamic(e.default_value, q.type);
  }
  e.list_name = q.list_name;
  e.choice_filter = C(q.choice_filter);
  // The form check refused a cell that does not parse: none is no parameter here.
  if (!q.parameters.empty()) e.parameters = ParseParameters(C(q.parameters)).value_or(Parameters{});
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
// elements (TableListGroup).
size_t Writer::ElemRoom() const {
  // An entity: a meta group, the entity, six attributes and a label.
  size_t room = 3 * form_.questions.size() + 16 + 9 * form_.entities.size();
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
  root_path_ = "/" + root_name_;
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
    if (int group = AddLoopGroup(q, parent); group >= 0) {
      elem_of[static_cast<size_t>(q.index)] = group;
      continue;
    }
    // jr:count: pyxform writes repeat_count on any row's control, not only a repeat's
    // (ODK clients ignore it elsewhere; the reader warns, W112). On a repeat or a group
    // a count that is not one ${reference} gets a calculate of its own before it.
    std::string_view count;
    if (!q.repeat_count.empty()) {
      std::string cleaned = Clean(text::Trim(q.repeat_count), collapse_);
      bool single_ref = cleaned.size() > 3 && cleaned.rfind("${", 0) == 0 &&
                        cleaned.back() == '}' && cleaned.find("${", 2) == std::string::npos;
      if (q.is_container() && !single_ref) {
        Elem gen;
        gen.type = QuestionType::kCalculate;
        gen.name = q.name + "_count";
        gen.bind = {{"readonly", "true()"}, {"calculate", Keep(cleaned)}};
        AddElem(std::move(gen), parent);
        cleaned = "${" + q.name + "_count}";
      }
      count = Keep(cleaned);
    }
    Elem e = FromQuestion(q);
    if (!count.empty()) e.control.emplace_back("jr:count", count);
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
    if (q.or_other && (q.type == QuestionType::kSelectOne ||
                       q.type == QuestionType::kSelectMultiple || q.type == QuestionType::kRank)) {
      Elem other;
      other.type = QuestionType::kText;
      other.name = q.name + "_other";
      other.label.texts = {{form_.default_language, "Specify other."}};
      other.label.plain = true;
      other.bind = {{"relevant", Keep(fmt::format("selected(../{}, 'other')", q.name))}};
      AddElem(std::move(other), parent);
    }
  }
  AddEntities(elem_of, &meta);
  // meta/instanceID and meta/instanceName.
  std::string omit = text::AsciiLower(form_.settings.values.count("omit_instanceid")
                                          ? form_.settings.values.at("omit_instanceid")
                                          : "");
  bool omit_id = omit == "yes" || omit == "true" || omit == "true()";
  std::string instance_name = Clean(form_.settings.instance_name, false);
  if (!omit_id || !instance_name.empty()) {
    if (meta < 0) {
      meta = AddMetaGroup(-1);
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
                                    ? std::string_view(preload->second)
                                    : std::string_view("uid")}};
      AddElem(std::move(id), meta);
    }
    if (!instance_name.empty()) {
      Elem name;
      name.type = QuestionType::kCalculate;
      name.name = "instanceName";
      name.bind = {{"calculate", Keep(instance_name)}};
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
    if (!e.entity_part) {
      auto [slot, fresh] = tree_.by_name.emplace(e.name, index);
      if (!fresh) slot->second = -2;
    }
    for (auto child = e.children.rbegin(); child != e.children.rend(); ++child) {
      stack.push_back(*child);
    }
  }
}

// meta/entity in the survey's meta (first, as pyxform adds it before instanceID) or in
// a meta group of its own at the end of its group or repeat.
void Writer::AddEntities(const std::vector<int>& elem_of, int* meta) {
  for (const EntityDeclaration& entity : form_.entities) {
    if (entity.container == EntityDeclaration::kNoContainer) continue;
    if (entity.container == EntityDeclaration::kRootContainer) {
      if (*meta < 0) *meta = AddMetaGroup(-1);
      AddEntity(entity, *meta, true);
      continue;
    }
    int container = elem_of[static_cast<size_t>(entity.container)];
    if (container < 0) continue;
    int group = AddMetaGroup(container);
    tree_.elems[static_cast<size_t>(group)].entity_part = true;
    AddEntity(entity, group, false);
  }
}

int Writer::AddMetaGroup(int parent) {
  Elem group;
  group.type = QuestionType::kBeginGroup;
  group.is_group = true;
  group.meta_group = true;
  group.name = "meta";
  return AddElem(std::move(group), parent);
}

// pyxform's entity declaration: dataset and, by mode, create="1" (create_if as its
// calculation), update="1" (update_if), the version attributes read from the list's
// instance, the id (a new uuid() when creating, else entity_id) and the label.
void Writer::AddEntity(const EntityDeclaration& entity, int meta, bool first) {
  Elem e;
  e.type = QuestionType::kBeginGroup;
  e.name = "entity";
  e.entity = &entity;
  e.entity_part = true;
  const int index = AddElem(std::move(e), meta);
  if (first) {
    std::vector<int>& siblings = tree_.elems[static_cast<size_t>(meta)].children;
    std::rotate(siblings.begin(), siblings.end() - 1, siblings.end());
  }
  auto add = [&](std::string_view name, std::string_view calculation) {
    Elem attribute;
    attribute.type = QuestionType::kCalculate;
    attribute.name = name;
    attribute.attribute = name.starts_with('@');
    attribute.entity_part = true;
    attribute.bind = {{"readonly", "true()"}};
    if (!calculation.empty()) attribute.bind.emplace_back("calculate", calculation);
    return AddElem(std::move(attribute), index);
  };
  if (!entity.create_if.empty() && entity.creates()) add("@create", entity.create_if);
  if (!entity.update_if.empty() && entity.updates()) add("@update", entity.update_if);
  if (entity.updates()) {
    std::string item =
        fmt::format("instance('{}')/root/item[name={}]/", entity.list_name, entity.entity_id);
    add("@baseVersion", Keep(item + "__version"));
    add("@trunkVersion", Keep(item + "__trunkVersion"));
    add("@branchId", Keep(item + "__branchId"));
  }
  const int id = add("@id", entity.entity_id);
  if (entity.entity_id.empty()) {
    // A new entity's id, set when the form opens and in each new repeat instance.
    tree_.elems[static_cast<size_t>(id)].default_value = "uuid()";
    tree_.elems[static_cast<size_t>(id)].dynamic_default = true;
  }
  if (!entity.label.empty()) add("label", entity.label);
}

Status Writer::PrepareChoiceLists() {
  const auto& plain = form_.untranslated_choices_columns;
  for (const ChoiceList& list : form_.choice_lists) {
    ListInfo info;
    info.list = &list;
    for (const Choice& choice : list.choices) {
      Text label = MakeText(choice.label, "label", plain, false);
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
      if (!MakeText(choice.label, "label", plain, false).plain && !choice.label.empty()) {
        info.other_translated = true;
      }
    }
  }
  return Ok();
}

// ---- ${name} ----------------------------------------------------------------------

// How many steps up from element `from` its ancestor `ancestor` is (1: the parent), or
// 0 when it is not an ancestor.
int Writer::AncestorDistance(int from, int ancestor) const {
  int steps = 1;
  for (int c = tree_.elems[static_cast<size_t>(from)].parent; c >= 0;
       c = tree_.elems[static_cast<size_t>(c)].parent, ++steps) {
    if (c == ancestor) return steps;
  }
  return 0;
}

Status Writer::AppendReference(std::string* out, std::string_view name, bool last_saved,
                               int context, bool use_current, std::string_view whole, size_t at,
                               bool escape) {
  auto found = tree_.by_name.find(name);
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
  const int target = found->second;
  const std::string& target_path = tree_.elems[static_cast<size_t>(target)].path;
  auto append = [&](std::string_view text) {
    if (escape)
      AppendEscaped(out, text, true);
    else
      out->append(text);
  };
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
    // The lowest repeat that contains both the context and the target, and the
    // steps up from the context to it.
    int lcar = -1;
    int lcar_steps = 0;
    for (int a = tree_.elems[static_cast<size_t>(target)].parent; a >= 0 && lcar < 0;
         a = tree_.elems[static_cast<size_t>(a)].parent) {
      if (!tree_.elems[static_cast<size_t>(a)].is_repeat) continue;
      int steps = AncestorDistance(context, a);
      if (steps > 0) {
        lcar = a;
        lcar_steps = steps;
      }
    }
    if (lcar >= 0) {
      // The path itself goes up only to the lowest group or repeat that holds both
      // (pyxform's get_path_relative_to_lcar): ` ../a ` from /data/r/g/b to /data/r/g/a.
      int lca = lcar;
      int lca_steps = lcar_steps;
      for (int a = tree_.elems[static_cast<size_t>(target)].parent; a != lcar;
           a = tree_.elems[static_cast<size_t>(a)].parent) {
        int steps = AncestorDistance(context, a);
        if (steps > 0) {
          lca = a;
          lca_steps = steps;
          break;
        }
      }
      // pyxform: a ${} inside a predicate of an instance() path is relative to current().
      if (!use_current && whole.find("instance(") != std::string_view::npos) {
        size_t open = whole.rfind('[', at);
        size_t close = whole.find(']', at);
        if (open != std::string_view::npos && close != std::string_view::npos &&
            whole.find(']', open) == close) {
          use_current = true;
        }
      }
      *out += ' ';
      if (use_current) *out += "current()/";
      for (int i = 0; i < lca_steps; ++i) *out += i == 0 ? ".." : "/..";
      // The target's path below that ancestor (its path starts with the ancestor's).
      append(
          std::string_view(target_path).substr(tree_.elems[static_cast<size_t>(lca)].path.size()));
      *out += ' ';
      return Ok();
    }
  }
  *out += ' ';
  if (last_saved) append("instance('__last-saved')");
  append(target_path);
  *out += ' ';
  return Ok();
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
    NGO_TRY(AppendReference(&out, name, last_saved, context, use_current, text, open, false));
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

Result<std::string_view> Writer::XpathsView(std::string_view text, int context, bool use_current) {
  size_t open = text.find("${");
  if (open == std::string_view::npos || text.find('}', open + 2) == std::string_view::npos) {
    return text;
  }
  std::string out = NGO_TRY(InsertXpaths(text, context, use_current));
  return std::string_view(scratch_.emplace_back(std::move(out)));
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
    out += "<output value=\"";
    NGO_TRY(AppendReference(&out, name, last_saved, context, false, text, open, true));
    out += "\"/>";
    pos = close + 1;
  }
  AppendEscaped(&out, text.substr(pos), false);
  return Ok();
}

// ---- Output -------------------------------------------------------------------------

// The language as pyxform names it: the column header's text after "::".
std::string Writer::LangText(std::string_view code) const {
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
  return std::string(code);
}

void Writer::Line(int depth, std::string_view text) {
  Indent(depth);
  out_ += text;
  out_ += '\n';
}

void Writer::Open(std::string_view tag, const Attrs& attrs, bool close) {
  out_ += '<';
  out_ += tag;
  for (const auto& [key, value] : attrs) {
    out_ += ' ';
    out_ += key;
    out_ += "=\"";
    AppendEscaped(&out_, value, true);
    out_ += '"';
  }
  out_ += close ? "/>" : ">";
}

void Writer::OpenLine(int depth, std::string_view tag, const Attrs& attrs, bool close) {
  Indent(depth);
  Open(tag, attrs, close);
  out_ += '\n';
}

void Writer::CloseLine(std::string_view tag) {
  out_ += "</";
  out_ += tag;
  out_ += ">\n";
}

// Long on purpose: pyxform's itext in its order, one pass over the translations.
// NOLINTNEXTLINE(readability-function-size)
Status Writer::WriteItext() {
  // The entries in pyxform's order, flat: an entry's forms ("long", "guidance",
  // "image"...) in the order they were added, a form's texts by language. Texts are
  // views of the tree's, or of the Form's choices; languages are indexes in `langs`,
  // in order of first use; the ids are escaped once, into `ids`.
  struct Value {
    size_t lang = 0;
    std::string_view text;
    int context = -1;  // element for ${} in the text; -1: absolute paths
  };
  struct FormValues {
    std::string_view kind;
    bool media = false, guidance = false;
    size_t begin = 0, end = 0;  // in `values`
  };
  struct Entry {
    size_t id_begin = 0, id_end = 0;        // in `ids`
    size_t forms_begin = 0, forms_end = 0;  // in `forms`
  };
  std::vector<std::string_view> langs;  // codes
  std::vector<Value> values;
  std::vector<FormValues> forms;
  std::vector<Entry> entries;
  std::string ids;
  values.reserve(preorder_.size() * 4);
  forms.reserve(preorder_.size() * 2);
  entries.reserve(preorder_.size() * 2);
  ids.reserve(preorder_.size() * 64);
  auto lang_index = [&](std::string_view code) {
    for (size_t i = 0; i < langs.size(); ++i) {
      if (langs[i] == code) return i;
    }
    langs.push_back(code);
    return langs.size() - 1;
  };
  auto add = [&](std::string_view kind, const Text& text, int context) {
    FormValues form{kind, kind != "long" && kind != "guidance", kind == "guidance", values.size(),
                    0};
    for (const auto& [lang, value] : text.texts) {
      values.push_back(Value{lang_index(lang), value, context});
    }
    form.end = values.size();
    forms.push_back(form);
  };
  // An entry made of the forms added since `forms_begin`, if any, with the id that
  // `write_id` appends.
  auto finish = [&](size_t forms_begin, auto write_id) {
    if (forms.size() == forms_begin) return;
    Entry entry;
    entry.id_begin = ids.size();
    write_id();
    entry.id_end = ids.size();
    entry.forms_begin = forms_begin;
    entry.forms_end = forms.size();
    entries.push_back(entry);
  };
  // Choices of lists that need itext, in list order.
  const auto& plain = form_.untranslated_choices_columns;
  for (size_t list_idx = 0; list_idx < lists_.size(); ++list_idx) {
    const ListInfo& info = lists_[list_idx];
    if (!info.itext) continue;
    size_t idx = 0;
    auto add_choice = [&](const Translations& label, const Choice* choice) {
      size_t begin = forms.size();
      Text text = MakeText(label, "label", plain, false);
      if (!text.empty()) add("long", text, -1);
      if (choice != nullptr) {
        for (auto [kind, texts] :
             {std::pair<const char*, const Translations*>{"image", &choice->image},
              {"audio", &choice->audio},
              {"video", &choice->video}}) {
          if (!texts->empty()) add(kind, MakeText(*texts, kind, plain, false), -1);
        }
      }
      finish(begin, [&] { AppendEscaped(&ids, fmt::format("{}-{}", info.list->name, idx), true); });
      ++idx;
    };
    for (const Choice& choice : info.list->choices) add_choice(choice.label, &choice);
    if (info.add_other) {
      // Kept: the entries point at its texts.
      Translations& other = other_labels_.emplace_back();
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
    auto id = [&](std::string_view suffix) {
      return [&e, &ids, suffix] {
        AppendEscaped(&ids, e.path, true);
        ids += suffix;
      };
    };
    bool needs_itext = (!e.label.empty() && !e.label.plain) || !e.media.empty();
    if (!e.constraint_msg.empty() &&
        (!e.constraint_msg.plain || HasReference(e.constraint_msg.only()))) {
      size_t begin = forms.size();
      add("long", e.constraint_msg, index);
      finish(begin, id(":jr:constraintMsg"));
    }
    if (!e.required_msg.empty() && (!e.required_msg.plain || HasReference(e.required_msg.only()))) {
      size_t begin = forms.size();
      add("long", e.required_msg, index);
      finish(begin, id(":jr:requiredMsg"));
    }
    size_t label_begin = forms.size();
    if (!e.label.empty() && needs_itext) add("long", e.label, index);
    for (const auto& [kind, texts] : e.media) add(kind, texts, -1);
    finish(label_begin, id(":label"));
    size_t hint_begin = forms.size();
    if (!e.hint.empty() && (!e.hint.plain || !e.guidance.empty())) {
      add("long", e.hint, index);
    }
    if (!e.guidance.empty()) add("guidance", e.guidance, index);
    finish(hint_begin, id(":hint"));
  }
  // The texts of the osm tags' translated labels ("/NAME:label", WriteOsmTags), each
  // name once.
  std::set<std::string_view> tag_ids;
  for (int index : preorder_) {
    const ChoiceList* list = OsmList(tree_.elems[static_cast<size_t>(index)]);
    if (list == nullptr) continue;
    for (const Choice& tag : list->choices) {
      Text label = MakeText(tag.label, "label", form_.untranslated_osm_columns, collapse_);
      if (label.empty() || label.plain || !tag_ids.insert(tag.name).second) continue;
      size_t begin = forms.size();
      add("long", label, -1);
      finish(begin, [&ids, &tag] {
        ids += '/';
        AppendEscaped(&ids, tag.name, true);
        ids += ":label";
      });
    }
  }
  if (entries.empty()) return Ok();
  Line(3, "<itext>");
  for (size_t lang = 0; lang < langs.size(); ++lang) {
    std::string name = LangText(langs[lang]);
    Attrs attrs = {{"lang", name}};
    // pyxform marks its default_language: settings' default_language, else "default"
    // (texts from columns without a language). A form whose every column names a
    // language has no default translation (ODK clients then start with the first).
    if (langs[lang] == form_.default_language &&
        (langs[lang] == "default" || !form_.settings.default_language.empty())) {
      attrs.emplace_back("default", "true()");
    }
    OpenLine(4, "translation", attrs, false);
    for (const Entry& entry : entries) {
      out_.append(10, ' ');
      out_ += "<text id=\"";
      out_.append(ids, entry.id_begin, entry.id_end - entry.id_begin);
      out_ += "\">";
      // pyxform's _add_empty_translations: "-" where another language has a text, added
      // after the language's own values (so after its media, too).
      std::string_view placeholders[2];  // the text's and the guidance's, when missing
      for (size_t f = entry.forms_begin; f < entry.forms_end; ++f) {
        const FormValues& form = forms[f];
        const Value* it = nullptr;
        for (size_t v = form.begin; v < form.end; ++v) {
          if (values[v].lang == lang) {
            it = &values[v];
            break;
          }
        }
        if (it == nullptr) {
          if (!form.media) {
            placeholders[form.guidance ? 1 : 0] =
                form.guidance ? "<value form=\"guidance\">-</value>" : "<value>-</value>";
          }
          continue;
        }
        if (form.media) {
          out_ += "<value form=\"";
          out_ += form.kind;
          out_ += "\">jr://";
          out_ += form.kind == "image" || form.kind == "big-image" ? std::string_view("images")
                                                                   : form.kind;
          out_ += '/';
          AppendEscaped(&out_, it->text, false);
          out_ += "</value>";
          continue;
        }
        out_ += form.guidance ? "<value form=\"guidance\">" : "<value>";
        if (it->text == "-") {
          out_ += '-';
        } else {
          NGO_TRY(AppendOutputs(&out_, it->text, it->context));
        }
        out_ += "</value>";
      }
      for (std::string_view placeholder : placeholders) out_ += placeholder;
      out_ += "</text>\n";
    }
    Line(4, "</translation>");
  }
  Line(3, "</itext>");
  return Ok();
}

// pyxform's Section.xml_instance: a repeat outside a repeat's own copy is written as
// a jr:template followed by one instance; inside a template a nested repeat is a
// template too, but a group of the template is written as outside any repeat (its
// repeats get a template and an instance); inside the plain copy nested repeats have
// no template.
Status Writer::WriteInstance(int index, int depth, bool template_copy, bool in_repeat_copy) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  if (e.entity != nullptr) return WriteEntityInstance(index, depth);
  Attrs attrs;
  if (e.q != nullptr) {
    for (const auto& [header, value] : e.q->extra_columns) {
      if (text::AsciiLower(header).rfind("instance::", 0) == 0) {
        std::string_view v = NGO_TRY(XpathsView(value, index));
        attrs.emplace_back(std::string_view(header).substr(10), v);
      }
    }
  }
  if (e.is_group || e.is_repeat) {
    auto write_children = [&](bool as_template, bool in_copy) -> Status {
      for (int child : e.children) NGO_TRY(WriteInstance(child, depth + 1, as_template, in_copy));
      return Ok();
    };
    // pyxform's generate_repeating_template: a template carries jr:template only, no
    // instance:: attributes (the instance copy has them).
    if (e.is_repeat && !in_repeat_copy && !template_copy) {
      Attrs template_attrs = {{"jr:template", ""}};
      OpenLine(depth, e.name, template_attrs, e.children.empty());
      if (!e.children.empty()) {
        NGO_TRY(write_children(true, false));
        Indent(depth);
        CloseLine(e.name);
      }
      OpenLine(depth, e.name, attrs, e.children.empty());
      if (!e.children.empty()) {
        NGO_TRY(write_children(false, true));
        Indent(depth);
        CloseLine(e.name);
      }
      return Ok();
    }
    if (e.is_repeat && template_copy) attrs = {{"jr:template", ""}};
    OpenLine(depth, e.name, attrs, e.children.empty());
    if (!e.children.empty()) {
      if (template_copy && !e.is_repeat) {
        // pyxform writes a group inside a template as it writes one outside any repeat,
        // so a repeat in it gets a template and an instance again.
        NGO_TRY(write_children(false, false));
      } else {
        NGO_TRY(write_children(template_copy, in_repeat_copy || e.is_repeat));
      }
      Indent(depth);
      CloseLine(e.name);
    }
    return Ok();
  }
  Indent(depth);
  if (!e.default_value.empty() && !e.dynamic_default) {
    Open(e.name, attrs, false);
    AppendEscaped(&out_, e.default_value, false);
    CloseLine(e.name);
  } else {
    Open(e.name, attrs, true);
    out_ += '\n';
  }
  return Ok();
}

Status Writer::WriteEntityInstance(int index, int depth) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  const EntityDeclaration& entity = *e.entity;
  Attrs attrs = {{"dataset", entity.list_name}};
  if (entity.creates()) attrs.emplace_back("create", "1");
  if (entity.updates()) {
    attrs.emplace_back("update", "1");
    attrs.emplace_back("baseVersion", "");
    attrs.emplace_back("trunkVersion", "");
    attrs.emplace_back("branchId", "");
  }
  attrs.emplace_back("id", "");
  const bool labelled = !entity.label.empty();
  OpenLine(depth, "entity", attrs, !labelled);
  if (labelled) {
    Line(depth + 1, "<label/>");
    Indent(depth);
    CloseLine("entity");
  }
  return Ok();
}

void Writer::WriteSecondaryInstances() {
  // select_one_from_file and external instances first, as pyxform yields them.
  std::set<std::string, std::less<>> seen;
  for (const Question& q : form_.questions) {
    // pulldata('file', ...) in an expression: the CSV file as an instance.
    for (const std::string& file : PulldataFiles(q)) {
      if (!seen.insert(file).second) continue;
      std::string src = "jr://file-csv/" + file + ".csv";
      OpenLine(3, "instance", {{"id", file}, {"src", src}}, true);
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
    OpenLine(3, "instance", {{"id", id}, {"src", src}}, true);
  }
  if (last_saved_) {
    OpenLine(3, "instance", {{"id", "__last-saved"}, {"src", "jr://instance/last-saved"}}, true);
  }
  const auto& plain = form_.untranslated_choices_columns;
  for (const ListInfo& info : lists_) {
    if (seen.count(info.list->name) != 0) continue;
    OpenLine(3, "instance", {{"id", info.list->name}}, false);
    Line(4, "<root>");
    size_t idx = 0;
    auto item = [&](const Choice* choice, std::string_view name, const Translations& label) {
      Indent(5);
      out_ += "<item>";
      if (info.itext) {
        out_ += "<itextId>";
        AppendEscaped(&out_, info.list->name, false);
        fmt::format_to(std::back_inserter(out_), "-{}</itextId>", idx);
      }
      ++idx;
      out_ += "<name>";
      AppendEscaped(&out_, CleanView(name, false), false);
      out_ += "</name>";
      Text text = MakeText(label, "label", plain, false);
      if (!info.itext && text.plain) {
        out_ += "<label>";
        AppendEscaped(&out_, text.only(), false);
        out_ += "</label>";
      }
      if (choice != nullptr) {
        for (const auto& [header, value] : choice->extra_columns) {
          out_ += '<';
          out_ += header;
          out_ += '>';
          AppendEscaped(&out_, CleanView(value, false), false);
          out_ += "</";
          out_ += header;
          out_ += '>';
        }
      }
      out_ += "</item>\n";
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

// Long on purpose: the bind's attributes in pyxform's rules, then the model's actions.
// NOLINTNEXTLINE(readability-function-size)
Status Writer::WriteBinds() {
  Attrs& attrs = attrs_;
  for (int index : preorder_) {
    const Elem& e = tree_.elems[static_cast<size_t>(index)];
    if (e.entity != nullptr) continue;  // its attributes and label have the binds
    ClearScratch();
    TypeInfo info = InfoFor(e.type);
    attrs.clear();
    attrs.emplace_back("nodeset", e.path);
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
      if (!type.empty()) attrs.emplace_back("type", type);
      if (e.type == QuestionType::kNote) attrs.emplace_back("readonly", "true()");
      if (!info.preload.empty()) {
        attrs.emplace_back("jr:preload", info.preload);
        attrs.emplace_back("jr:preloadParams", PreloadParams(e, info.preload_params));
      }
      if (e.type == QuestionType::kImage) {
        auto it = e.parameters.find("max-pixels");
        if (it != e.parameters.end()) attrs.emplace_back("orx:max-pixels", it->second);
      }
      if (e.type == QuestionType::kAudio) {
        auto it = e.parameters.find("quality");
        if (it != e.parameters.end()) attrs.emplace_back("odk:quality", it->second);
      }
      if (e.type == QuestionType::kGeopoint || e.type == QuestionType::kGeoshape ||
          e.type == QuestionType::kGeotrace) {
        auto it = e.parameters.find("allow-mock-accuracy");
        if (it != e.parameters.end()) attrs.emplace_back("odk:allow-mock-accuracy", it->second);
      }
    }
    for (const auto& [key, cell] : e.bind) {
      std::string_view value = cell;
      if (key == "required" || key == "relevant" || key == "readonly" || key == "constraint" ||
          key == "calculate") {
        value = ConvertBinding(value);
      }
      std::string_view bound = NGO_TRY(XpathsView(value, index));
      auto existing = std::find_if(attrs.begin(), attrs.end(),
                                   [key = key](const auto& a) { return a.first == key; });
      if (existing != attrs.end())
        existing->second = bound;
      else
        attrs.emplace_back(key, bound);
    }
    auto message = [&](const Text& text, std::string_view attr) {
      if (text.empty()) return;
      if (!text.plain || HasReference(text.only())) {
        attrs.emplace_back(attr,
                           scratch_.emplace_back(fmt::format("jr:itext('{}:{}')", e.path, attr)));
      } else {
        attrs.emplace_back(attr, text.only());
      }
    };
    message(e.constraint_msg, "jr:constraintMsg");
    message(e.required_msg, "jr:requiredMsg");
    if (e.q != nullptr && !e.q->save_to.empty())
      attrs.emplace_back("entities:saveto", e.q->save_to);
    // Groups, repeats and "trigger" rows have a bind only when the row gives one.
    if (!(attrs.size() == 1 && (container || trigger_type))) OpenLine(3, "bind", attrs, true);
    // Actions of the model: dynamic defaults, start-geopoint, background-audio.
    if (!e.default_value.empty() && e.dynamic_default) {
      std::string value = NGO_TRY(InsertXpaths(e.default_value, index));
      OpenLine(3, "setvalue",
               {{"ref", e.path}, {"event", "odk-instance-first-load"}, {"value", value}}, true);
    }
    if (e.type == QuestionType::kStartGeopoint) {
      OpenLine(3, "odk:setgeopoint", {{"ref", e.path}, {"event", "odk-instance-first-load"}}, true);
    }
    if (e.type == QuestionType::kBackgroundAudio) {
      Attrs action = {{"ref", e.path}, {"event", "odk-instance-load"}};
      auto it = e.parameters.find("quality");
      if (it != e.parameters.end()) action.emplace_back("odk:quality", it->second);
      OpenLine(3, "odk:recordaudio", action, true);
    }
  }
  ClearScratch();
  return Ok();
}

Status Writer::WriteLabelHint(int index, int depth, bool hint_too) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  bool needs_itext = (!e.label.empty() && !e.label.plain) || !e.media.empty();
  bool has_hint = hint_too && (!e.hint.empty() || !e.guidance.empty());
  if (!e.label.empty() || !e.media.empty() || has_hint) {
    Indent(depth);
    if (needs_itext) {
      out_ += "<label ref=\"jr:itext('";
      AppendEscaped(&out_, e.path, true);
      out_ += ":label')\"/>\n";
    } else if (!e.label.empty()) {
      out_ += "<label>";
      NGO_TRY(AppendOutputs(&out_, e.label.only(), index));
      out_ += "</label>\n";
    } else {
      out_ += "<label/>\n";
    }
  }
  if (has_hint) {
    Indent(depth);
    if (!e.hint.plain || !e.guidance.empty()) {
      out_ += "<hint ref=\"jr:itext('";
      AppendEscaped(&out_, e.path, true);
      out_ += ":hint')\"/>\n";
    } else {
      out_ += "<hint>";
      NGO_TRY(AppendOutputs(&out_, e.hint.only(), index));
      out_ += "</hint>\n";
    }
  }
  return Ok();
}

const ChoiceList* Writer::OsmList(const Elem& e) const {
  if (e.type != QuestionType::kOsm || e.list_name.empty()) return nullptr;
  for (const ChoiceList& list : form_.osm_lists) {
    if (list.name == e.list_name) return &list;
  }
  return nullptr;
}

// <tag key="NAME"><label>LABEL</label></tag> per row of the list, as pyxform's Tag
// writes them: duplicates and rows without a label (<label/>) kept. A label with a
// language is an itext reference, "/NAME:label" (the tag's path outside the survey,
// as pyxform names it); WriteItext adds those texts, which pyxform leaves out.
Status Writer::WriteOsmTags(int index, int depth) {
  const ChoiceList* list = OsmList(tree_.elems[static_cast<size_t>(index)]);
  if (list == nullptr) return Ok();
  for (const Choice& tag : list->choices) {
    Indent(depth);
    out_ += "<tag key=\"";
    AppendEscaped(&out_, tag.name, true);
    out_ += "\">\n";
    Indent(depth + 1);
    Text label = MakeText(tag.label, "label", form_.untranslated_osm_columns, collapse_);
    if (label.empty()) {
      out_ += "<label/>\n";
    } else if (label.plain) {
      out_ += "<label>";
      NGO_TRY(AppendOutputs(&out_, label.only(), index));
      out_ += "</label>\n";
    } else {
      out_ += "<label ref=\"jr:itext('/";
      AppendEscaped(&out_, tag.name, true);
      out_ += ":label')\"/>\n";
    }
    Indent(depth);
    out_ += "</tag>\n";
  }
  return Ok();
}

// Long on purpose: each body element kind as pyxform writes it, in one recursive writer.
// NOLINTNEXTLINE(readability-function-size)
Status Writer::WriteBody(int index, int depth) {
  const Elem& e = tree_.elems[static_cast<size_t>(index)];
  if (e.meta_group) return Ok();
  // attrs_ holds this element's attributes until its start tag is written, before
  // its children are.
  Attrs& attrs = attrs_;
  attrs.clear();
  for (const auto& [key, value] : e.control) {
    std::string_view v = key == "appearance" ? value : NGO_TRY(XpathsView(value, index));
    attrs.emplace_back(key, v);
  }
  if (e.is_group) {
    attrs.emplace_back("ref", e.path);
    bool empty = e.label.empty() && e.media.empty() && e.children.empty();
    OpenLine(depth, "group", attrs, empty);
    if (empty) return Ok();
    if (!e.label.empty() || !e.media.empty()) NGO_TRY(WriteLabelHint(index, depth + 1, false));
    for (int child : e.children) NGO_TRY(WriteBody(child, depth + 1));
    Indent(depth);
    CloseLine("group");
    return Ok();
  }
  if (e.is_repeat) {
    attrs.emplace(attrs.begin(), "nodeset", e.path);
    OpenLine(depth, "group", {{"ref", e.path}}, false);
    // pyxform always gives the repeat's group a label element, empty if need be.
    if (!e.label.empty() || !e.media.empty()) {
      NGO_TRY(WriteLabelHint(index, depth + 1, false));
    } else {
      Line(depth + 1, "<label/>");
    }
    OpenLine(depth + 1, "repeat", attrs, false);
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
      OpenLine(depth + 2, "setvalue",
               {{"ref", c.path}, {"event", "odk-new-repeat"}, {"value", value}}, true);
    }
    Indent(depth + 1);
    CloseLine("repeat");
    Indent(depth);
    CloseLine("group");
    return Ok();
  }
  TypeInfo info = InfoFor(e.type);
  if (info.control.empty()) return Ok();
  bool has_text = !e.label.empty() || !e.hint.empty();
  bool calculated = std::any_of(e.bind.begin(), e.bind.end(),
                                [](const auto& a) { return a.first == "calculate"; });
  if ((calculated || !e.trigger.empty()) && !has_text) return Ok();
  // The control's own attributes, then (rotated after them) the row's.
  const size_t control_count = attrs.size();
  attrs.emplace_back("ref", e.path);
  if (!info.mediatype.empty()) attrs.emplace_back("mediatype", info.mediatype);
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
    std::string query = fmt::format("instance('{}')/root/item", e.list_name);
    if (!e.choice_filter.empty()) {
      query += "[" + NGO_TRY(InsertXpaths(e.choice_filter, index)) + "]";
    }
    attrs.emplace_back("query", scratch_.emplace_back(std::move(query)));
  }
  if (e.type == QuestionType::kText) {
    auto it = e.parameters.find("rows");
    if (it != e.parameters.end()) attrs.emplace_back("rows", it->second);
  }
  if (e.type == QuestionType::kGeopoint) {  // pyxform's names of the accuracy parameters
    if (auto it = e.parameters.find("capture-accuracy"); it != e.parameters.end()) {
      attrs.emplace_back("accuracyThreshold", it->second);
    }
    if (auto it = e.parameters.find("warning-accuracy"); it != e.parameters.end()) {
      attrs.emplace_back("unacceptableAccuracyThreshold", it->second);
    }
  }
  if ((e.type == QuestionType::kGeoshape || e.type == QuestionType::kGeotrace) &&
      e.parameters.count("incremental") > 0) {
    attrs.emplace_back("incremental", "true");  // the check let only yes/true through
  }
  std::rotate(attrs.begin(), attrs.begin() + static_cast<std::ptrdiff_t>(control_count),
              attrs.end());
  const std::string_view tag = info.control;
  OpenLine(depth, tag, attrs, false);
  NGO_TRY(WriteLabelHint(index, depth + 1, true));
  bool select = e.type == QuestionType::kSelectOne || e.type == QuestionType::kSelectMultiple ||
                e.type == QuestionType::kRank || e.type == QuestionType::kSelectOneFromFile ||
                e.type == QuestionType::kSelectMultipleFromFile;
  // A range's tick labels are the items of the list its tick_labelset names.
  auto tick_labelset =
      e.type == QuestionType::kRange ? e.parameters.find("tick_labelset") : e.parameters.end();
  const bool range_labels = tick_labelset != e.parameters.end();
  if (select || range_labels) {
    std::string& nodeset = nodeset_;
    nodeset.clear();
    std::string_view value_ref = "name", label_ref = "label";
    bool from_file = e.type == QuestionType::kSelectOneFromFile ||
                     e.type == QuestionType::kSelectMultipleFromFile;
    if (from_file) {
      size_t dot = e.list_name.rfind('.');
      std::string_view stem = dot == std::string::npos ? e.list_name : e.list_name.substr(0, dot);
      if (text::AsciiLower(e.list_name).size() > 8 &&
          text::AsciiLower(e.list_name).ends_with(".geojson")) {
        value_ref = "id";
        label_ref = "title";
      }
      if (auto it = e.parameters.find("value"); it != e.parameters.end()) value_ref = it->second;
      if (auto it = e.parameters.find("label"); it != e.parameters.end()) label_ref = it->second;
      nodeset.append("instance('").append(stem).append("')/root/item");
    } else {
      const std::string_view list =
          range_labels ? std::string_view(tick_labelset->second) : e.list_name;
      auto it = list_index_.find(list);
      if (it != list_index_.end() && lists_[it->second].itext) label_ref = "jr:itext(itextId)";
      nodeset.append("instance('").append(list).append("')/root/item");
    }
    if (!e.choice_filter.empty()) {
      std::string filter = NGO_TRY(InsertXpaths(e.choice_filter, index, true));
      nodeset.append("[").append(filter).append("]");
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
    Indent(depth + 1);
    out_ += "<itemset nodeset=\"";
    AppendEscaped(&out_, nodeset, true);
    out_ += "\">\n";
    Indent(depth + 2);
    out_ += "<value ref=\"";
    AppendEscaped(&out_, value_ref, true);
    out_ += "\"/>\n";
    Indent(depth + 2);
    out_ += "<label ref=\"";
    AppendEscaped(&out_, label_ref, true);
    out_ += "\"/>\n";
    Indent(depth + 1);
    CloseLine("itemset");
  }
  // setvalue for the calculations that this question triggers.
  auto [first, last] = triggered_by_.equal_range(index);
  for (auto it = first; it != last; ++it) {
    const Elem& target = tree_.elems[static_cast<size_t>(it->second)];
    Attrs action = {{"ref", target.path}, {"event", "xforms-value-changed"}};
    std::string value;
    if (!target.calculation.empty()) {
      value = NGO_TRY(InsertXpaths(target.calculation, index));
      action.emplace_back("value", value);
    }
    OpenLine(depth + 1, "setvalue", action, true);
  }
  NGO_TRY(WriteOsmTags(index, depth + 1));  // pyxform appends them last
  Indent(depth);
  CloseLine(tag);
  return Ok();
}

void Writer::WriteHead(std::string_view title) {
  out_ += "<?xml version=\"1.0\"?>\n";
  Attrs ns = {{"xmlns", "http://www.w3.org/2002/xforms"},
              {"xmlns:h", "http://www.w3.org/1999/xhtml"},
              {"xmlns:ev", "http://www.w3.org/2001/xml-events"},
              {"xmlns:xsd", "http://www.w3.org/2001/XMLSchema"},
              {"xmlns:jr", "http://openrosa.org/javarosa"},
              {"xmlns:orx", "http://openrosa.org/xforms"},
              {"xmlns:odk", "http://www.opendatakit.org/xforms"}};
  const std::string_view entities_version = form_.EntitiesVersion();
  if (!entities_version.empty()) {
    ns.emplace_back("xmlns:entities", "http://www.opendatakit.org/xforms/entities");
  }
  OpenLine(0, "h:html", ns, false);
  Line(1, "<h:head>");
  Indent(2);
  out_ += "<h:title>";
  AppendEscaped(&out_, title, false);
  out_ += "</h:title>\n";
  if (entities_version.empty()) {
    Line(2, "<model odk:xforms-version=\"1.0.0\">");
  } else {
    OpenLine(2, "model",
             {{"odk:xforms-version", "1.0.0"}, {"entities:entities-version", entities_version}},
             false);
  }
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
      std::string_view name = e.trigger.substr(pos + 2, close - pos - 2);
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

  // Room for the whole document, so that the binds and the body are appended to the
  // head without a copy (pages reserved and never written cost nothing).
  out_.reserve(65536 + form_.questions.size() * 1024);
  WriteHead(title);
  const auto& values = form_.settings.values;
  auto setting = [&](const char* key) {
    auto it = values.find(key);
    return it == values.end() ? std::string_view() : std::string_view(it->second);
  };
  Attrs submission;
  std::string key;  // the public key, which `submission` points at
  if (!form_.settings.submission_url.empty()) {
    submission.emplace_back("action", form_.settings.submission_url);
    submission.emplace_back("method", "post");
  }
  if (!form_.settings.public_key.empty()) {
    // A key pasted from a PEM file keeps its line breaks in the cell. pyxform writes
    // them raw into the attribute, where every XML parser reads them as spaces (XML
    // 1.0 section 3.3.3): write that value rather than escaped line breaks, which
    // would reach ODK's base64 decoder as line breaks.
    key = form_.settings.public_key;
    key.erase(std::remove(key.begin(), key.end(), '\r'), key.end());  // CR LF is one break
    std::replace_if(
        key.begin(), key.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
    submission.emplace_back("base64RsaPublicKey", key);
  }
  if (!setting("auto_send").empty()) submission.emplace_back("orx:auto-send", setting("auto_send"));
  if (!setting("auto_delete").empty()) {
    submission.emplace_back("orx:auto-delete", setting("auto_delete"));
  }
  if (!submission.empty()) OpenLine(3, "submission", submission, true);
  NGO_TRY(WriteItext());
  Line(3, "<instance>");
  Attrs root = {{"id", id}};
  if (!form_.settings.version.empty()) root.emplace_back("version", form_.settings.version);
  OpenLine(4, root_name_, root, false);
  for (int index : tree_.roots) NGO_TRY(WriteInstance(index, 5, false, false));
  Indent(4);
  CloseLine(root_name_);
  Line(3, "</instance>");
  // Binds first into a side buffer: they decide whether __last-saved is needed,
  // and the secondary instances come before them.
  std::string head = std::move(out_);
  out_ = std::string();
  out_.reserve(4096 + preorder_.size() * 256);
  NGO_TRY(WriteBinds());
  std::string binds = std::move(out_);
  out_ = std::string();
  out_.reserve(4096 + preorder_.size() * 512);
  Line(1, "</h:head>");
  Attrs body;
  if (!form_.settings.style.empty()) body.emplace_back("class", form_.settings.style);
  OpenLine(1, "h:body", body, false);
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
