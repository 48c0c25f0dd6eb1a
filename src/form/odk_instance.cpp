// ODK instance XML -> OdkInstance in one pass over the elements: a stack of open
// elements, each knowing which question (or group, repeat, meta field) it is, and
// one path buffer from which each answer's path is cut. The elements come from
// pugixml's tree (the fast pass, Parser::RunTree) or from expat's events (the
// reference, Parser::Run); odk_instance.h and Parse below say when each is used. See odk_instance.h
// for the grammar and docs/formats/odk-instance.md for the format.
#include "form/odk_instance.h"

#include <expat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/date.h"
#include "base/xml_names.h"
#include "form/instance_xml.h"

namespace ngosurvey::form {
namespace {

using xml::Attribute;
using xml::LocalName;

// The default namespace declared on an element (xmlns="..."), or nullptr.
const char* DefaultNamespace(const char** attrs) {
  for (int i = 0; attrs[i]; i += 2) {
    if (std::strcmp(attrs[i], "xmlns") == 0) return attrs[i + 1];
  }
  return nullptr;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool Digits(std::string_view s, size_t n) {
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsIntegerText(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return !s.empty() && Digits(s, s.size());
}

bool IsNumberText(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' ||
          c == 'e' || c == 'E')) {
      return false;
    }
  }
  char buffer[65];
  std::memcpy(buffer, s.data(), s.size());
  buffer[s.size()] = '\0';
  char* end = nullptr;
  double value = std::strtod(buffer, &end);
  return end == buffer + s.size() && std::isfinite(value);
}

// "HH:MM[:SS[.sss]][Z|+hh:mm|-hh:mm]".
bool IsTimeText(std::string_view s) {
  if (!Digits(s, 2) || s.size() < 5 || s[2] != ':' || !Digits(s.substr(3), 2)) return false;
  int hh = (s[0] - '0') * 10 + (s[1] - '0'), mm = (s[3] - '0') * 10 + (s[4] - '0');
  if (hh > 24 || mm > 59) return false;
  s.remove_prefix(5);
  if (!s.empty() && s[0] == ':') {
    if (!Digits(s.substr(1), 2) || (s[1] - '0') * 10 + (s[2] - '0') > 60) return false;
    s.remove_prefix(3);
    if (!s.empty() && s[0] == '.') {
      size_t n = 1;
      while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
      if (n == 1) return false;
      s.remove_prefix(n);
    }
  }
  if (s.empty() || s == "Z") return true;
  if (s[0] != '+' && s[0] != '-') return false;
  s.remove_prefix(1);
  if (s.size() == 5) return Digits(s, 2) && s[2] == ':' && Digits(s.substr(3), 2);
  if (s.size() == 4 || s.size() == 2) return Digits(s, s.size());
  return false;
}

bool IsDateTimeText(std::string_view s) {
  if (s.size() < 10 || !date::IsIsoDate(s.substr(0, 10))) return false;
  if (s.size() == 10) return true;
  return (s[10] == 'T' || s[10] == ' ') && IsTimeText(s.substr(11));
}

// "lat lon [alt [acc]]", numbers, |lat| <= 90, |lon| <= 180.
bool IsGeopointText(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  if (parts.size() < 2 || parts.size() > 4) return false;
  for (std::string_view p : parts) {
    if (!IsNumberText(p)) return false;
  }
  double lat = std::strtod(std::string(parts[0]).c_str(), nullptr);
  double lon = std::strtod(std::string(parts[1]).c_str(), nullptr);
  return std::fabs(lat) <= 90 && std::fabs(lon) <= 180;
}

// Geotraces and geoshapes: geopoints separated by ';'.
bool IsGeoListText(std::string_view s) {
  size_t start = 0;
  int points = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view point = Trim(s.substr(start, end - start));
    if (!point.empty()) {
      if (!IsGeopointText(point)) return false;
      ++points;
    }
    start = end + 1;
  }
  return points > 0;
}

bool IsUpload(QuestionType type) {
  switch (type) {
    case QuestionType::kImage:
    case QuestionType::kAudio:
    case QuestionType::kVideo:
    case QuestionType::kFile:
    case QuestionType::kBackgroundAudio:
    case QuestionType::kAudit:
      return true;
    default:
      return false;
  }
}

// Types whose text is kept exactly as written; the others are trimmed.
bool KeepsWhitespace(QuestionType type) {
  return type == QuestionType::kText || type == QuestionType::kCalculate ||
         type == QuestionType::kHidden || type == QuestionType::kBarcode ||
         type == QuestionType::kNote;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using NameMap = std::unordered_map<std::string, int, StringHash, std::equal_to<>>;
// A choice list's names (views into the form, which outlives the reader).
using ChoiceNames = std::unordered_set<std::string_view>;

// Children of the synthetic meta group (when the form has no group named meta).
constexpr int kSyntheticMeta = -2;
// Markers in the index for elements that are not questions.
constexpr int kOtherText = -10;  // NAME_other of an or_other select: text
constexpr int kCountSkip = -11;  // NAME_count before a repeat: skipped

}  // namespace

namespace {

// The child elements of one container: a question index or a marker above, by name
// and in the form's order. Submissions list their elements in the form's order, so
// the reader first tries the element after the one it last found (one comparison)
// and looks the name up only when that is not it.
struct Children {
  NameMap position;                                        // name -> index in in_order
  std::vector<std::pair<std::string_view, int>> in_order;  // names are position's keys

  // Adds `name` unless the container has it already (the first one stays).
  void Add(std::string name, int element) {
    auto [it, added] = position.emplace(std::move(name), static_cast<int>(in_order.size()));
    if (added) in_order.emplace_back(it->first, element);
  }
};

}  // namespace

// For each container (question index; -1 the root; kSyntheticMeta), its child
// elements.
struct OdkInstanceReader::Index {
  std::unordered_map<int, Children> children;
  // By question index: the names of its choice list (selects and rank), nullptr when
  // the question has none or the form does not hold its list (nothing to check).
  std::vector<const ChoiceNames*> choices;
  std::vector<std::unique_ptr<ChoiceNames>> choice_sets;  // one per list used
  int meta_group = -1;                                    // the form's own top-level "meta" group
  int audit = -1;                                         // the audit question (an element of meta)
  std::string audit_path;                                 // its answer path
};

OdkInstanceReader::OdkInstanceReader(const Form& form)
    : form_(form), index_(std::make_unique<Index>()) {
  Index& index = *index_;
  for (const Question& q : form.questions) {
    if (q.type == QuestionType::kAudit) {
      index.audit = q.index;
      continue;
    }
    if (q.is_group() && q.name == "meta" && q.parent < 0 && index.meta_group < 0) {
      index.meta_group = q.index;
    }
    index.children[q.parent].Add(q.name, q.index);
  }
  // Each select's list once, as a set: the forms of large studies have long lists
  // (countries, districts) shared by many questions.
  index.choices.assign(form.questions.size(), nullptr);
  std::unordered_map<const ChoiceList*, const ChoiceNames*> set_of;
  for (const Question& q : form.questions) {
    if (q.type != QuestionType::kSelectOne && q.type != QuestionType::kSelectMultiple &&
        q.type != QuestionType::kRank) {
      continue;
    }
    const ChoiceList* list = form.FindChoiceList(q.list_name);
    if (!list) continue;
    const ChoiceNames*& names = set_of[list];
    if (!names) {
      auto set = std::make_unique<ChoiceNames>();
      for (const Choice& choice : list->choices) set->insert(choice.name);
      names = set.get();
      index.choice_sets.push_back(std::move(set));
    }
    index.choices[static_cast<size_t>(q.index)] = names;
  }
  // The elements pyxform generates, unless a question has the name already.
  for (const Question& q : form.questions) {
    Children& names = index.children[q.parent];
    if (q.or_other &&
        (q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple)) {
      names.Add(q.name + "_other", kOtherText);
    }
    if (q.is_repeat() && !q.repeat_count.empty()) names.Add(q.name + "_count", kCountSkip);
  }
  if (index.audit >= 0) {
    const std::string& path = form.questions[static_cast<size_t>(index.audit)].path;
    size_t slash = path.find('/', 1);
    index.audit_path = slash == std::string::npos ? path : path.substr(slash + 1);
    int meta = index.meta_group >= 0 ? index.meta_group : kSyntheticMeta;
    index.children[meta].Add("audit", index.audit);
  }
}

OdkInstanceReader::~OdkInstanceReader() = default;

namespace {

// An expat parser for one document: the calling thread's own, reset, when it has one
// that is not in use. Creating and freeing a parser per submission (its buffers and
// hash tables) was a tenth of the time of reading a typical submission. A parser that
// read a large document (over kKeepBytes) is freed rather than kept.
class ThreadParser {
 public:
  ThreadParser() = default;
  ThreadParser(const ThreadParser&) = delete;
  ThreadParser& operator=(const ThreadParser&) = delete;
  ~ThreadParser() {
    if (!parser_) return;
    Holder& slot = Slot();
    if (bytes_ <= kKeepBytes && !slot.parser) {
      slot.parser = parser_;  // back to the thread, reset on its next use
    } else {
      XML_ParserFree(parser_);
    }
  }

  // A parser ready for a document of `bytes` bytes, or nullptr (out of memory).
  XML_Parser Get(size_t bytes) {
    bytes_ = bytes;
    Holder& slot = Slot();
    if (slot.parser) {
      parser_ = std::exchange(slot.parser, nullptr);
      if (XML_ParserReset(parser_, "UTF-8")) return parser_;
      XML_ParserFree(parser_);
    }
    parser_ = XML_ParserCreate("UTF-8");
    return parser_;
  }

 private:
  static constexpr size_t kKeepBytes = size_t{1} << 20;
  struct Holder {
    XML_Parser parser = nullptr;
    ~Holder() {
      if (parser) XML_ParserFree(parser);
    }
  };
  static Holder& Slot() {
    thread_local Holder holder;
    return holder;
  }
  XML_Parser parser_ = nullptr;
  size_t bytes_ = 0;
};

enum class Kind {
  kRoot,
  kGroup,     // a group question, or meta
  kRepeat,    // one instance of a repeat
  kQuestion,  // a leaf question: its text is the value
  kOther,     // NAME_other text
  kMetaText,  // instanceID, deprecatedID, instanceName
  kSkip,      // skipped with everything inside
  kEnvelope,  // an element of an encrypted envelope whose text is kept
  kMedia,     // <media> of an envelope
};

struct Frame {
  Kind kind = Kind::kSkip;
  int question = -1;  // the question, or the container for groups (kSyntheticMeta)
  // kRoot, kGroup, kRepeat: the index's elements of this container (nullptr: none).
  const Children* children = nullptr;
  size_t next_child = 0;  // in children->in_order: the element expected next
  size_t path_len = 0;    // length of path_ (the answer path prefix) before this element
  size_t xml_len = 0;     // length of xml_path_ before this element
  int line = 0, column = 0;
  // In the parent's children->in_order: which element this is (-1: none there, as
  // meta when the form has none, or a skipped element).
  int slot = -1;
  // Where this frame's "already given" marks begin in Parser::seen_ (one per element
  // of children->in_order, for containers; none for the others).
  size_t seen_at = 0;
  std::string_view field;  // kMetaText / kEnvelope: which field
  // kRoot, kGroup, kRepeat: how many instances of each repeat so far.
  std::vector<std::pair<int, int>> repeat_counts;
};

// A read's working buffers, kept by the thread between reads (emptied, their
// capacity kept): allocating them afresh for each submission was, after the answers
// themselves, most of a read's calls to malloc.
struct Scratch {
  std::vector<Frame> stack;
  std::string path;                // the answer path of the open element ("programs[2]/name")
  std::string xml_path;            // the element path for messages ("/data/programs[2]/name")
  std::string text;                // the open leaf's text so far
  std::vector<const char*> attrs;  // RunTree: an element's attributes as expat gives them
  // The answers in document order, until Parser::Complete sorts them into the map.
  std::vector<std::pair<std::string, Answer>> answers;
  std::vector<char> seen;  // the open containers' "already given" marks (Frame::seen_at)

  void Clear() {
    stack.clear();
    path.clear();
    xml_path.clear();
    text.clear();
    attrs.clear();
    answers.clear();
    seen.clear();
  }
  size_t Capacity() const {
    return path.capacity() + xml_path.capacity() + text.capacity() + seen.capacity() +
           answers.capacity() * sizeof(answers[0]) + stack.capacity() * sizeof(Frame);
  }
};

// The calling thread's Scratch while no other read of the thread holds it, a new one
// otherwise. One that grew over 1 MiB (a large text value) is not kept.
class ScratchLease {
 public:
  ScratchLease() : scratch_(Slot() ? std::move(Slot()) : std::make_unique<Scratch>()) {}
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  ~ScratchLease() {
    scratch_->Clear();
    if (!Slot() && scratch_->Capacity() <= (size_t{1} << 20)) Slot() = std::move(scratch_);
  }
  Scratch& Get() { return *scratch_; }

 private:
  static std::unique_ptr<Scratch>& Slot() {
    thread_local std::unique_ptr<Scratch> slot;
    return slot;
  }
  std::unique_ptr<Scratch> scratch_;
};

class Parser {
 public:
  // `exact`: track each element's line, column and path for messages. The first pass
  // runs without (Parse below): a submission that fails is read again with them, so
  // that the error is the one an exact pass finds, where it finds it.
  Parser(const Form* form, const OdkInstanceReader::Index* index, const OdkInstanceOptions& options,
         bool head_only, bool exact)
      : form_(form), index_(index), options_(options), head_only_(head_only), exact_(exact) {}

  Result<OdkInstance> Run(std::string_view xml) {
    if (xml.size() > options_.max_bytes) {
      return MakeError("OI003",
                       "the submission is " + std::to_string(xml.size()) +
                           " bytes, over the limit of " + std::to_string(options_.max_bytes),
                       Location{.file = options_.file});
    }
    ThreadParser lease;
    XML_Parser parser = lease.Get(xml.size());
    if (!parser) return MakeError("OI001", "cannot create an XML parser");
    parser_ = parser;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &Parser::OnStart, &Parser::OnEnd);
    XML_SetCharacterDataHandler(parser, &Parser::OnText);
    XML_SetStartDoctypeDeclHandler(parser, &Parser::OnDoctype);
    XML_SetEntityDeclHandler(parser, &Parser::OnEntity);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_Status status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    Status result = Ok();
    if (failed_) {
      result = tl::unexpected(error_);
    } else if (status == XML_STATUS_ERROR && !stopped_head_) {
      result = Fail("OI001", std::string("not well-formed XML: ") +
                                 XML_ErrorString(XML_GetErrorCode(parser)));
    }
    parser_ = nullptr;
    if (!result) return tl::unexpected(result.error());
    return Complete();
  }

  // The same reading over pugixml's tree of a document IsFastPathBody accepted
  // (`body`: the document after its XML declaration). A refusal here is not final:
  // Parse reads the document again with Run.
  Result<OdkInstance> RunTree(std::string_view body) {
    pugi::xml_document document;
    constexpr unsigned kOptions = pugi::parse_escapes | pugi::parse_eol |
                                  pugi::parse_wconv_attribute | pugi::parse_ws_pcdata |
                                  pugi::parse_fragment;
    if (!document.load_buffer(body.data(), body.size(), kOptions, pugi::encoding_utf8)) {
      return NotFast();
    }
    // One element at the top, and only white space beside it (parse_fragment keeps
    // top-level text, which a whole-document parse would drop unseen).
    pugi::xml_node top;
    for (pugi::xml_node node : document.children()) {
      if (node.type() == pugi::node_element && !top) {
        top = node;
      } else if (node.type() != pugi::node_pcdata || !IsXmlSpace(node.value())) {
        return NotFast();
      }
    }
    if (!top) return NotFast();
    pugi::xml_node node = top;
    for (;;) {
      if (node.type() == pugi::node_element) {
        if (!StartTreeElement(node)) return NotFast();
        if (failed_) return tl::unexpected(error_);
        if (stopped_head_) break;
        if (pugi::xml_node child = node.first_child()) {
          node = child;
          continue;
        }
        End();
      } else if (node.type() == pugi::node_pcdata) {
        const char* text = node.value();
        Text(text, std::strlen(text));
      } else {
        return NotFast();
      }
      if (failed_) return tl::unexpected(error_);
      while (node != top && !node.next_sibling()) {
        node = node.parent();
        End();
        if (failed_) return tl::unexpected(error_);
      }
      if (node == top) break;
      node = node.next_sibling();
    }
    if (failed_) return tl::unexpected(error_);
    return Complete();
  }

 private:
  Result<OdkInstance> Complete() {
    if (head_only_) return std::move(out_);
    NGO_TRY(Finish());
    SortAnswers();
    return std::move(out_);
  }

  // RunTree's "not mine": an error never shown, since Parse then reads the document
  // with expat, whose result is the answer.
  static tl::unexpected<Error> NotFast() { return tl::unexpected(Error{}); }

  static bool IsXmlSpace(const char* text) {
    for (; *text; ++text) {
      if (!IsSpace(*text)) return false;
    }
    return true;
  }

  static bool IsAsciiName(const char* name) {
    for (; *name; ++name) {
      if (static_cast<unsigned char>(*name) >= 0x80) return false;
    }
    return true;
  }

  // Start for a tree element, after the checks pugixml does not make: ASCII names
  // (pugixml takes any byte over 127 as a name character), no attribute twice, no
  // '<' in a value. False when the element is outside the fast pass's subset.
  bool StartTreeElement(pugi::xml_node element) {
    if (!IsAsciiName(element.name())) return false;
    attrs_.clear();
    for (pugi::xml_attribute attribute = element.first_attribute(); attribute;
         attribute = attribute.next_attribute()) {
      const char* name = attribute.name();
      const char* value = attribute.value();
      if (!IsAsciiName(name) || std::strchr(value, '<')) return false;
      for (size_t i = 0; i < attrs_.size(); i += 2) {
        if (std::strcmp(attrs_[i], name) == 0) return false;
      }
      attrs_.push_back(name);
      attrs_.push_back(value);
    }
    attrs_.push_back(nullptr);
    Start(element.name(), attrs_.data());
    return true;
  }

  static void XMLCALL OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* p = static_cast<Parser*>(self);
    if (!p->failed_ && !p->stopped_head_) p->Start(name, attrs);
  }
  static void XMLCALL OnEnd(void* self, const XML_Char* /*name*/) {
    auto* p = static_cast<Parser*>(self);
    if (!p->failed_ && !p->stopped_head_) p->End();
  }
  static void XMLCALL OnText(void* self, const XML_Char* data, int len) {
    auto* p = static_cast<Parser*>(self);
    if (!p->failed_ && !p->stopped_head_) p->Text(data, static_cast<size_t>(len));
  }
  static void XMLCALL OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                int) {
    static_cast<Parser*>(self)->Stop(
        Error{"OI002", "a DOCTYPE is not allowed in a submission (entities are refused)", {}});
  }
  static void XMLCALL OnEntity(void* self, const XML_Char*, int, const XML_Char*, int,
                               const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) {
    static_cast<Parser*>(self)->Stop(
        Error{"OI002", "an entity declaration is not allowed in a submission", {}});
  }

  Location Here() const {
    Location where;
    where.file = options_.file;
    if (parser_) {
      where.row = static_cast<int>(XML_GetCurrentLineNumber(parser_));
      where.column = static_cast<int>(XML_GetCurrentColumnNumber(parser_)) + 1;
    }
    return where;
  }

  tl::unexpected<Error> Fail(std::string code, std::string message) const {
    return MakeError(std::move(code), std::move(message), Here());
  }

  // Records the first error and stops the parse.
  void Stop(Error error) {
    if (failed_) return;
    if (error.where.empty()) error.where = Here();
    failed_ = true;
    error_ = std::move(error);
    if (parser_) XML_StopParser(parser_, XML_FALSE);
  }
  void Stop(tl::unexpected<Error> error) { Stop(std::move(error).value()); }

  void Start(const char* raw_name, const char** attrs) {
    std::string_view name = LocalName(raw_name);
    if (static_cast<int>(stack_.size()) >= options_.max_depth) {
      Stop(Fail("OI004", "elements nested deeper than " + std::to_string(options_.max_depth) +
                             " at " + xml_path_));
      return;
    }
    Frame frame;
    frame.path_len = path_.size();
    frame.xml_len = xml_path_.size();
    if (exact_) {
      frame.line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
      frame.column = static_cast<int>(XML_GetCurrentColumnNumber(parser_)) + 1;
      xml_path_ += '/';
      xml_path_ += name;
    }
    if (stack_.empty()) {
      StartRoot(name, attrs, &frame);
      frame.children = ChildrenOf(frame.question);
      if (!failed_) Push(std::move(frame));
      return;
    }
    Frame& parent = stack_.back();
    switch (parent.kind) {
      case Kind::kSkip:
        frame.kind = Kind::kSkip;
        break;
      case Kind::kQuestion:
      case Kind::kOther:
      case Kind::kMetaText:
      case Kind::kEnvelope:
        Stop(Fail("OI006", "element " + xml_path_ + " inside a value"));
        return;
      case Kind::kMedia:
        if (name != "file") {
          Stop(Fail("OI011", "element " + xml_path_ + " in an encrypted envelope's media"));
          return;
        }
        frame.kind = Kind::kEnvelope;
        frame.field = "file";
        break;
      case Kind::kRoot:
      case Kind::kGroup:
      case Kind::kRepeat:
        if (out_.encrypted) {
          StartEnvelopeChild(name, &frame);
        } else {
          StartChild(name, attrs, &frame);
        }
        break;
    }
    if (frame.kind == Kind::kGroup || frame.kind == Kind::kRepeat) {
      frame.children = ChildrenOf(frame.question);
    }
    if (!failed_) Push(std::move(frame));
  }

  void Push(Frame frame) {
    frame.seen_at = seen_.size();
    if (frame.children) seen_.resize(seen_.size() + frame.children->in_order.size(), 0);
    stack_.push_back(std::move(frame));
  }

  const Children* ChildrenOf(int container) const {
    if (!index_) return nullptr;  // the head only
    auto it = index_->children.find(container);
    return it == index_->children.end() ? nullptr : &it->second;
  }

  void StartRoot(std::string_view name, const char** attrs, Frame* frame) {
    frame->kind = Kind::kRoot;
    frame->question = -1;
    out_.root = std::string(name);
    const char* id = Attribute(attrs, "id");
    if (!id || !*id) {
      Stop(Fail("OI005", "the root element <" + out_.root + "> has no id attribute (the form id)"));
      return;
    }
    out_.form_id = id;
    if (const char* version = Attribute(attrs, "version")) out_.version = version;
    const char* encrypted = Attribute(attrs, "encrypted");
    if (encrypted && std::string_view(encrypted) == "yes") {
      out_.encrypted.emplace();
      if (const char* ns = DefaultNamespace(attrs)) out_.encrypted->xmlns = ns;
    }
    if (head_only_) {
      stopped_head_ = true;
      if (parser_) XML_StopParser(parser_, XML_FALSE);
      return;
    }
    const Settings& settings = form_->settings;
    if (!settings.form_id.empty() && out_.form_id != settings.form_id) {
      Stop(Fail("OI005", "the submission is for form \"" + out_.form_id + "\", not \"" +
                             settings.form_id + "\""));
      return;
    }
    if (!settings.version.empty() && out_.version != settings.version) {
      Stop(Fail("OI005", "the submission is for version \"" + out_.version + "\" of form \"" +
                             out_.form_id + "\", not version \"" + settings.version + "\""));
      return;
    }
  }

  void StartEnvelopeChild(std::string_view name, Frame* frame) {
    const Frame& parent = stack_.back();
    if (parent.kind == Kind::kGroup) {  // inside meta
      if (name == "instanceID") {
        frame->kind = Kind::kMetaText;
        frame->field = "instanceID";
      } else {
        frame->kind = Kind::kSkip;
      }
      return;
    }
    if (name == "meta") {
      frame->kind = Kind::kGroup;
      frame->question = kSyntheticMeta;
    } else if (name == "media") {
      frame->kind = Kind::kMedia;
    } else if (name == "base64EncryptedKey" || name == "encryptedXmlFile" ||
               name == "base64EncryptedElementSignature") {
      frame->kind = Kind::kEnvelope;
      frame->field = name == "base64EncryptedKey" ? "key"
                     : name == "encryptedXmlFile" ? "xml"
                                                  : "signature";
    } else {
      Stop(Fail("OI011", "element " + xml_path_ + " is not part of an encrypted envelope"));
    }
  }

  bool IsMetaContainer(int container) const {
    return container == kSyntheticMeta || (container >= 0 && container == index_->meta_group);
  }

  void StartChild(std::string_view name, const char** attrs, Frame* frame) {
    Frame& parent = stack_.back();
    int container = parent.question;
    if (const char* t = Attribute(attrs, "template"); t != nullptr) {
      frame->kind = Kind::kSkip;  // a repeat's jr:template: never submitted data
      return;
    }
    if (IsMetaContainer(container) &&
        (name == "instanceID" || name == "deprecatedID" || name == "instanceName")) {
      frame->kind = Kind::kMetaText;
      frame->field = name == "instanceID"     ? "instanceID"
                     : name == "deprecatedID" ? "deprecatedID"
                                              : "instanceName";
      return;
    }
    int found = -3;
    if (const Children* children = parent.children) {
      size_t at = parent.next_child;
      if (at >= children->in_order.size() || !SameName(children->in_order[at].first, name)) {
        auto it = children->position.find(name);
        at = it == children->position.end() ? children->in_order.size()
                                            : static_cast<size_t>(it->second);
      }
      if (at < children->in_order.size()) {
        found = children->in_order[at].second;
        parent.next_child = at + 1;
        frame->slot = static_cast<int>(at);
      }
    }
    if (found == -3) {
      if (container == -1 && name == "meta" && index_->meta_group < 0) {
        frame->kind = Kind::kGroup;
        frame->question = kSyntheticMeta;
        if (std::exchange(synthetic_meta_seen_, true)) repeated_group_ = true;
        return;
      }
      if (IsMetaContainer(container) ||
          (container == -1 && (name == "formhub" || name.rfind("__version__", 0) == 0 ||
                               name.rfind("_version_", 0) == 0))) {
        frame->kind = Kind::kSkip;  // other metadata, KoboToolbox's own elements
        return;
      }
      Stop(Fail("OI006", "element " + xml_path_ + " is not a question of form \"" + FormId() +
                             "\" at this place"));
      return;
    }
    if (found == kCountSkip) {
      frame->kind = Kind::kSkip;
      return;
    }
    if (found == kOtherText) {
      frame->kind = Kind::kOther;
      AppendPathStep(name, 0);
      return;
    }
    const Question& q = form_->questions[static_cast<size_t>(found)];
    frame->question = found;
    if (q.is_loop()) {
      Stop(Fail("OI012", "element " + xml_path_ + " is a begin loop, which is not read yet"));
      return;
    }
    if (q.is_repeat()) {
      int count = 0;
      for (auto& [repeat, n] : parent.repeat_counts) {
        if (repeat == found) count = ++n;
      }
      if (count == 0) {
        parent.repeat_counts.emplace_back(found, 1);
        count = 1;
      }
      frame->kind = Kind::kRepeat;
      AppendPathStep(name, count);
      if (exact_) xml_path_ += '[' + std::to_string(count) + ']';
      return;
    }
    if (q.is_group()) {
      frame->kind = Kind::kGroup;
      AppendPathStep(name, 0);
      // A group given twice in one container gives its questions' paths twice:
      // from here on, AddAnswer looks for the path among the answers so far.
      if (char& seen = seen_[parent.seen_at + at_slot(*frame)]; seen) {
        repeated_group_ = true;
      } else {
        seen = 1;
      }
      return;
    }
    frame->kind = Kind::kQuestion;
    if (q.type == QuestionType::kAudit) {
      path_ = index_->audit_path;
    } else {
      AppendPathStep(name, 0);
    }
  }

  // a == b, inline: element names are short, and this runs once per element.
  static bool SameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  static size_t at_slot(const Frame& frame) { return static_cast<size_t>(frame.slot); }

  std::string FormId() const {
    return form_->settings.form_id.empty() ? out_.form_id : form_->settings.form_id;
  }

  void AppendPathStep(std::string_view name, int index) {
    if (!path_.empty()) path_ += '/';
    path_ += name;
    if (index > 0) {
      path_ += '[';
      path_ += std::to_string(index);
      path_ += ']';
    }
  }

  void Text(const char* data, size_t len) {
    if (stack_.empty()) return;
    Kind kind = stack_.back().kind;
    if (kind != Kind::kQuestion && kind != Kind::kOther && kind != Kind::kMetaText &&
        kind != Kind::kEnvelope) {
      return;
    }
    if (text_.size() + len > options_.max_text_bytes) {
      Stop(Fail("OI003", "the value of " + xml_path_ + " is over " +
                             std::to_string(options_.max_text_bytes) + " bytes"));
      return;
    }
    text_.append(data, len);
  }

  void End() {
    Frame& frame = stack_.back();
    switch (frame.kind) {
      case Kind::kQuestion:
        EndQuestion(frame);
        break;
      case Kind::kOther: {
        std::string_view value = text_;
        if (!value.empty()) AddAnswer(Answer::Answered(std::string(value)), frame);
        break;
      }
      case Kind::kMetaText:
        EndMeta(frame);
        break;
      case Kind::kEnvelope:
        EndEnvelopeField(frame);
        break;
      default:
        break;
    }
    text_.clear();
    if (failed_) return;
    path_.resize(frame.path_len);
    xml_path_.resize(frame.xml_len);
    seen_.resize(frame.seen_at);
    stack_.pop_back();
  }

  // Keeps the answer at path_ (sorted into out_.answers by Complete), or stops with
  // OI010 when that question was given already. `frame` is the top of the stack.
  void AddAnswer(Answer answer, const Frame& frame) {
    bool given;
    if (frame.slot >= 0 && !repeated_group_) {
      char& seen = seen_[stack_[stack_.size() - 2].seen_at + at_slot(frame)];
      given = seen != 0;
      seen = 1;
    } else {
      given = std::any_of(answers_.begin(), answers_.end(),
                          [&](const auto& earlier) { return earlier.first == path_; });
    }
    if (given) {
      Stop(MakeError("OI010", "question " + xml_path_ + " is given twice",
                     Location{.file = options_.file, .row = frame.line, .column = frame.column}));
      return;
    }
    answers_.emplace_back(path_, std::move(answer));
  }

  // Moves answers_ into out_.answers in key order, so that each insertion is at the
  // end (one comparison instead of a search from the root). The order: the path's
  // first eight bytes as one big-endian number (most paths differ there), then the
  // whole path.
  void SortAnswers() {
    struct Entry {
      uint64_t prefix;
      uint32_t index;
    };
    std::vector<Entry> order(answers_.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
      const std::string& path = answers_[i].first;
      uint64_t prefix = 0;
      for (size_t b = 0; b < 8; ++b) {
        prefix = (prefix << 8) | (b < path.size() ? static_cast<unsigned char>(path[b]) : 0);
      }
      order[i] = {prefix, i};
    }
    std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      return KeyLess(answers_[a.index].first, answers_[b.index].first);
    });
    for (const Entry& entry : order) {
      out_.answers.emplace_hint(out_.answers.end(), std::move(answers_[entry.index].first),
                                std::move(answers_[entry.index].second));
    }
    answers_.clear();
  }

  // std::string's order (bytes as unsigned char), inline: answer paths are short,
  // and a call to memcmp per comparison cost more than the comparison.
  static bool KeyLess(std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    }
    return a.size() < b.size();
  }

  tl::unexpected<Error> ValueError(const Frame& frame, std::string code,
                                   std::string message) const {
    return MakeError(std::move(code), std::move(message),
                     Location{.file = options_.file, .row = frame.line, .column = frame.column});
  }

  static bool Contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  }

  void EndQuestion(const Frame& frame) {
    const Question& q = form_->questions[static_cast<size_t>(frame.question)];
    std::string_view value = text_;
    if (!KeepsWhitespace(q.type)) value = Trim(value);
    if (value.empty() || (q.type == QuestionType::kNote && Trim(value).empty())) {
      AddAnswer(Answer::Missing(), frame);
      return;
    }
    if (Contains(options_.refused_codes, value)) {
      AddAnswer(Answer::Refused(), frame);
      return;
    }
    if (Contains(options_.dont_know_codes, value)) {
      AddAnswer(Answer::DontKnow(), frame);
      return;
    }
    if (auto problem = CheckValue(q, value, frame); !problem) {
      Stop(problem.error());
      return;
    }
    if (IsUpload(q.type)) {
      if (!IsPlainFileName(value)) {
        Stop(ValueError(frame, "OI013",
                        xml_path_ + ": attachment name \"" + std::string(value) +
                            "\" is not a plain file name"));
        return;
      }
      if (!Contains(out_.attachments, value)) out_.attachments.emplace_back(value);
    }
    AddAnswer(Answer::Answered(std::string(value)), frame);
  }

  Status CheckValue(const Question& q, std::string_view value, const Frame& frame) const {
    auto type_error = [&](std::string_view what) {
      return ValueError(
          frame, "OI007",
          xml_path_ + ": \"" + std::string(value.substr(0, 80)) + "\" is not " + std::string(what));
    };
    switch (q.type) {
      case QuestionType::kInteger:
        if (!IsIntegerText(value)) return type_error("an integer");
        break;
      case QuestionType::kDecimal:
      case QuestionType::kRange:
        if (!IsNumberText(value)) return type_error("a number");
        break;
      case QuestionType::kDate:
      case QuestionType::kToday:
        if (!date::IsIsoDate(value)) return type_error("a date (YYYY-MM-DD)");
        break;
      case QuestionType::kTime:
        if (!IsTimeText(value)) return type_error("a time (HH:MM:SS)");
        break;
      case QuestionType::kDateTime:
      case QuestionType::kStart:
      case QuestionType::kEnd:
        if (!IsDateTimeText(value)) return type_error("a date-time (YYYY-MM-DDTHH:MM:SS)");
        break;
      case QuestionType::kGeopoint:
      case QuestionType::kStartGeopoint:
      case QuestionType::kBackgroundGeopoint:
        if (!IsGeopointText(value)) return type_error("a geopoint (latitude longitude ...)");
        break;
      case QuestionType::kGeotrace:
      case QuestionType::kGeoshape:
        if (!IsGeoListText(value)) return type_error("a list of geopoints");
        break;
      case QuestionType::kSelectOne:
      case QuestionType::kSelectMultiple:
      case QuestionType::kRank:
        return CheckChoices(q, value, frame);
      default:
        break;
    }
    return Ok();
  }

  Status CheckChoices(const Question& q, std::string_view value, const Frame& frame) const {
    const ChoiceNames* list = index_->choices[static_cast<size_t>(q.index)];
    if (!list) return Ok();  // a list the form does not hold: nothing to check against
    bool multiple = q.type != QuestionType::kSelectOne;
    size_t start = 0;
    while (start < value.size()) {
      size_t end = multiple ? value.find(' ', start) : std::string_view::npos;
      if (end == std::string_view::npos) end = value.size();
      std::string_view name = value.substr(start, end - start);
      start = end + 1;
      if (name.empty()) continue;
      if (list->count(name) || (q.or_other && name == "other")) continue;
      return ValueError(frame, "OI008",
                        xml_path_ + ": \"" + std::string(name.substr(0, 80)) +
                            "\" is not a choice of list \"" + q.list_name + "\"");
    }
    return Ok();
  }

  void EndMeta(const Frame& frame) {
    std::string value(Trim(text_));
    if (frame.field == "instanceID") {
      out_.instance_id = std::move(value);
    } else if (frame.field == "deprecatedID") {
      out_.deprecated_id = std::move(value);
    } else {
      out_.instance_name = std::string(text_);
    }
  }

  void EndEnvelopeField(const Frame& frame) {
    std::string value(Trim(text_));
    EncryptedEnvelope& envelope = *out_.encrypted;
    if (frame.field == "file") {
      if (!IsPlainFileName(value)) {
        Stop(ValueError(frame, "OI011",
                        xml_path_ + ": media file name \"" + value.substr(0, 80) +
                            "\" is not a plain file name"));
        return;
      }
      envelope.media.push_back(std::move(value));
    } else if (frame.field == "key") {
      envelope.base64_encrypted_key = std::move(value);
    } else if (frame.field == "xml") {
      if (!IsPlainFileName(value)) {
        Stop(ValueError(frame, "OI011",
                        xml_path_ + ": encryptedXmlFile \"" + value.substr(0, 80) +
                            "\" is not a plain file name"));
        return;
      }
      envelope.encrypted_xml_file = std::move(value);
    } else {
      envelope.base64_signature = std::move(value);
    }
  }

  Status Finish() {
    Location file{.file = options_.file};
    std::string root = "/" + out_.root;
    if (out_.instance_id.empty()) {
      return MakeError("OI009", root + "/meta/instanceID is missing or empty", file);
    }
    if (!IsInstanceId(out_.instance_id)) {
      return MakeError("OI009",
                       root + "/meta/instanceID \"" + out_.instance_id.substr(0, 80) +
                           "\" is not \"uuid:\" followed by a UUID",
                       file);
    }
    if (!out_.deprecated_id.empty() && !IsInstanceId(out_.deprecated_id)) {
      return MakeError("OI009",
                       root + "/meta/deprecatedID \"" + out_.deprecated_id.substr(0, 80) +
                           "\" is not \"uuid:\" followed by a UUID",
                       file);
    }
    if (out_.encrypted) {
      const EncryptedEnvelope& e = *out_.encrypted;
      const char* missing = e.base64_encrypted_key.empty() ? "base64EncryptedKey"
                            : e.encrypted_xml_file.empty() ? "encryptedXmlFile"
                            : e.base64_signature.empty()   ? "base64EncryptedElementSignature"
                                                           : nullptr;
      if (missing) {
        return MakeError("OI011", "the encrypted envelope has no " + root + "/" + missing, file);
      }
    }
    return Ok();
  }

  const Form* form_;
  const OdkInstanceReader::Index* index_;
  const OdkInstanceOptions& options_;
  bool head_only_;
  bool exact_;
  XML_Parser parser_ = nullptr;
  bool failed_ = false;
  bool stopped_head_ = false;
  Error error_;
  ScratchLease scratch_;  // the buffers below (Scratch says what each holds)
  std::vector<Frame>& stack_ = scratch_.Get().stack;
  std::string& path_ = scratch_.Get().path;
  std::string& xml_path_ = scratch_.Get().xml_path;
  std::string& text_ = scratch_.Get().text;
  std::vector<const char*>& attrs_ = scratch_.Get().attrs;
  std::vector<std::pair<std::string, Answer>>& answers_ = scratch_.Get().answers;
  std::vector<char>& seen_ = scratch_.Get().seen;
  bool repeated_group_ = false;       // a group was given twice in one container
  bool synthetic_meta_seen_ = false;  // <meta> (not a group of the form) was opened
  OdkInstance out_;
};

// The XML declaration at the start of `xml`, when it is one the fast pass may skip:
// version 1.0, UTF-8 if an encoding is named, standalone yes or no, in that order.
// Returns its length (0 when there is no declaration), or npos for one to leave to
// expat (which checks the declaration's grammar itself).
size_t FastDeclarationLength(std::string_view xml) {
  constexpr size_t kNotFast = std::string_view::npos;
  if (xml.rfind("<?xml", 0) != 0 || xml.size() < 6 || !IsSpace(xml[5])) return 0;
  size_t at = 5;
  auto skip_space = [&] {
    size_t from = at;
    while (at < xml.size() && IsSpace(xml[at])) ++at;
    return at > from;
  };
  // ` NAME = 'VALUE'` (either quote), the value returned.
  auto pseudo_attribute = [&](std::string_view name) -> std::optional<std::string_view> {
    size_t from = at;
    if (!skip_space() || xml.substr(at, name.size()) != name) {
      at = from;
      return std::nullopt;
    }
    at += name.size();
    skip_space();
    if (at >= xml.size() || xml[at] != '=') return std::nullopt;
    ++at;
    skip_space();
    if (at >= xml.size() || (xml[at] != '"' && xml[at] != '\'')) return std::nullopt;
    char quote = xml[at++];
    size_t end = xml.find(quote, at);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view value = xml.substr(at, end - at);
    at = end + 1;
    return value;
  };
  auto version = pseudo_attribute("version");
  if (!version || *version != "1.0") return kNotFast;
  size_t before = at;
  if (auto encoding = pseudo_attribute("encoding")) {
    std::string lower(*encoding);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "utf-8") return kNotFast;
  } else if (at != before) {
    return kNotFast;
  }
  before = at;
  if (auto standalone = pseudo_attribute("standalone")) {
    if (*standalone != "yes" && *standalone != "no") return kNotFast;
  } else if (at != before) {
    return kNotFast;
  }
  skip_space();
  if (xml.substr(at, 2) != "?>") return kNotFast;
  return at + 2;
}

// Byte classes of the fast pass's scan.
enum : unsigned char { kPlain = 0, kRefuse, kMarkup, kReference, kBracket, kHigh };
constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> classes{};
  for (int c = 0; c < 0x20; ++c) classes[static_cast<size_t>(c)] = kRefuse;
  classes['\t'] = classes['\n'] = classes['\r'] = kPlain;
  classes['<'] = kMarkup;
  classes['&'] = kReference;
  classes[']'] = kBracket;
  for (int c = 0x80; c < 0x100; ++c) classes[static_cast<size_t>(c)] = kHigh;
  return classes;
}();

// The length of the UTF-8 sequence at `s` (n bytes left) if it encodes an XML
// character (not a surrogate, not U+FFFE or U+FFFF, not overlong), else 0.
size_t XmlCharLength(const unsigned char* s, size_t n) {
  auto continuation = [&](size_t i) { return i < n && (s[i] & 0xC0) == 0x80; };
  if (s[0] >= 0xC2 && s[0] <= 0xDF) return continuation(1) ? 2 : 0;
  if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (s[0] == 0xE0 && s[1] < 0xA0) return 0;                   // overlong
    if (s[0] == 0xED && s[1] >= 0xA0) return 0;                  // a surrogate
    if (s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE) return 0;  // U+FFFE, U+FFFF
    return 3;
  }
  if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (s[0] == 0xF0 && s[1] < 0x90) return 0;   // overlong
    if (s[0] == 0xF4 && s[1] >= 0x90) return 0;  // over U+10FFFF
    return 4;
  }
  return 0;
}

// True when `body` is inside the fast pass's subset as far as a scan of its bytes
// can tell (odk_instance.h): valid UTF-8 of XML characters, no markup that starts
// with "<!" or "<?", no reference but &amp; &lt; &gt; &quot; &apos;, no "]]>".
bool IsFastPathBody(std::string_view body) {
  const auto* s = reinterpret_cast<const unsigned char*>(body.data());
  size_t n = body.size();
  for (size_t i = 0; i < n;) {
    while (kByteClass[s[i]] == kPlain) {
      if (++i == n) return true;
    }
    switch (kByteClass[s[i]]) {
      case kRefuse:
        return false;
      case kMarkup:
        if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) return false;
        ++i;
        break;
      case kReference: {
        std::string_view rest = body.substr(i + 1, 5);
        if (rest.rfind("amp;", 0) == 0 || rest.rfind("quot;", 0) == 0 ||
            rest.rfind("apos;", 0) == 0) {
          i += rest[1] == 'm' ? 5 : 6;
        } else if (rest.rfind("lt;", 0) == 0 || rest.rfind("gt;", 0) == 0) {
          i += 4;
        } else {
          return false;
        }
        break;
      }
      case kBracket:
        if (body.substr(i, 3) == "]]>") return false;
        ++i;
        break;
      default: {
        size_t length = XmlCharLength(s + i, n - i);
        if (length == 0) return false;
        i += length;
      }
    }
  }
  return true;
}

// The fast pass when the document is within its subset (odk_instance.h), without
// positions; expat with positions (line, column, element path) when it is not or
// when the fast pass refuses it, so that every error is expat's, where expat finds it.
Result<OdkInstance> Parse(std::string_view xml, const Form* form,
                          const OdkInstanceReader::Index* index, const OdkInstanceOptions& options,
                          bool head_only, bool exact_only = false) {
  if (!exact_only && xml.size() <= options.max_bytes) {
    size_t declaration = FastDeclarationLength(xml);
    if (declaration != std::string_view::npos) {
      std::string_view body = xml.substr(declaration);
      if (IsFastPathBody(body)) {
        Parser fast(form, index, options, head_only, /*exact=*/false);
        Result<OdkInstance> read = fast.RunTree(body);
        if (read) return read;
      }
    }
  }
  Parser exact(form, index, options, head_only, /*exact=*/true);
  return exact.Run(xml);
}

}  // namespace

Result<OdkInstance> OdkInstanceReader::Read(std::string_view xml,
                                            const OdkInstanceOptions& options) const {
  return Parse(xml, &form_, index_.get(), options, /*head_only=*/false);
}

Result<OdkInstance> OdkInstanceReader::ReadExact(std::string_view xml,
                                                 const OdkInstanceOptions& options) const {
  return Parse(xml, &form_, index_.get(), options, /*head_only=*/false, /*exact_only=*/true);
}

Result<OdkInstance> ReadOdkInstance(std::string_view xml, const Form& form,
                                    const OdkInstanceOptions& options) {
  return OdkInstanceReader(form).Read(xml, options);
}

Result<OdkInstanceHead> ReadOdkInstanceHead(std::string_view xml,
                                            const OdkInstanceOptions& options) {
  OdkInstance instance = NGO_TRY(Parse(xml, nullptr, nullptr, options, /*head_only=*/true));
  if (instance.root.empty()) {
    return MakeError("OI001", "not well-formed XML: no root element",
                     Location{.file = options.file});
  }
  return OdkInstanceHead{instance.root, instance.form_id, instance.version,
                         instance.encrypted.has_value()};
}

bool IsPlainFileName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  return name.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos;
}

}  // namespace ngosurvey::form
