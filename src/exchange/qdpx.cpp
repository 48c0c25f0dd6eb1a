#include "exchange/qdpx.h"

#include <expat.h>
#include <fmt/format.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "base/date.h"
#include "base/escape.h"
#include "base/text.h"
#include "base/xml_names.h"
#include "base/zip_archive.h"
#include "exchange/codings.h"

namespace ngosurvey::exchange {
namespace {

// A GUID made from what it stands for: the first 16 bytes of SHA-256("ngosurvey
// qdpx " + kind + " " + key), marked as a name-based UUID (version 5 bits, RFC 4122
// variant), in the 8-4-4-4-12 form the schema's GUIDType takes.
std::string Guid(std::string_view kind, std::string_view key) {
  std::string input = fmt::format("ngosurvey qdpx {} {}", kind, key);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

std::string Xml(std::string_view text) { return text::EscapeXmlKeepingPositions(text); }

std::string ThemeDescription(const form::Theme& theme, const std::string& lang,
                             const std::string& default_lang) {
  std::string out = theme.definition.Get(lang, default_lang);
  auto add = [&](const char* what, const form::LangText& text) {
    std::string t = text.Get(lang, default_lang);
    if (t.empty()) return;
    if (!out.empty()) out += "\n";
    out += std::string(what) + ": " + t;
  };
  add("Include", theme.inclusion);
  add("Exclude", theme.exclusion);
  add("Example", theme.example);
  return out;
}

void WriteCodes(const form::Codebook& codebook, std::string_view parent, const std::string& lang,
                const std::string& default_lang, int depth, std::string* out) {
  for (size_t index : codebook.Children(parent)) {
    const form::Theme& theme = codebook.themes[index];
    std::string indent(static_cast<size_t>(6 + 2 * depth), ' ');
    std::string name = theme.label.Get(lang, default_lang);
    if (name.empty()) name = theme.id;
    *out += fmt::format("{}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\">\n", indent,
                        Guid("code", theme.id), Xml(name));
    std::string description = ThemeDescription(theme, lang, default_lang);
    // The theme's id first, so that a project coming back names it.
    *out += fmt::format(
        "{}  <Description>{}</Description>\n", indent,
        Xml("ngosurvey theme: " + theme.id + (description.empty() ? "" : "\n" + description)));
    WriteCodes(codebook, theme.id, lang, default_lang, depth + 1, out);
    *out += indent + "</Code>\n";
  }
}

}  // namespace

Result<std::string> QdpxProjectXml(const store::Store& store, const form::Codebook& codebook,
                                   const QdpxExportOptions& options) {
  std::vector<OpenAnswer> answers = NGO_TRY(ListOpenAnswers(store, options.question));
  std::vector<store::AnswerCoding> codings = NGO_TRY(store.ListCodings(options.question));
  std::string default_lang = codebook.languages.empty() ? "" : codebook.languages[0];
  std::string lang = options.language.empty() ? default_lang : options.language;

  std::set<std::string> coders;
  // instance id -> segment (start, end, code) -> coders who applied it
  std::map<std::string, std::map<std::tuple<int64_t, int64_t, std::string>, std::set<std::string>>>
      selections;
  std::map<std::string, size_t> lengths;
  for (const OpenAnswer& a : answers) lengths[a.instance_id] = text::CodePointCount(a.text);
  for (const store::AnswerCoding& coding : codings) {
    auto length = lengths.find(coding.instance_id);
    if (length == lengths.end()) continue;                  // not a completed main-wave answer
    if (coding.coder == store::kReconciledCoder) continue;  // as the CSV export
    for (const store::CodedSegment& segment : coding.segments) {
      if (segment.code.empty()) continue;  // "read, no code": no REFI-QDA form
      int64_t start = segment.start.value_or(0);
      int64_t end = segment.end.value_or(static_cast<int64_t>(length->second));
      selections[coding.instance_id][{start, end, segment.code}].insert(coding.coder);
      coders.insert(coding.coder);
    }
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  std::string name =
      options.project_name.empty() ? "ngosurvey: " + options.question : options.project_name;
  out += fmt::format("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"ngosurvey\"",
                     Xml(name));
  if (options.created_at_ms > 0) {
    out +=
        fmt::format(" creationDateTime=\"{}\"", date::FormatIsoDateTimeUtc(options.created_at_ms));
  }
  out += ">\n";
  if (!coders.empty()) {
    out += "  <Users>\n";
    for (const std::string& coder : coders) {
      out += fmt::format("    <User guid=\"{}\" name=\"{}\"/>\n", Guid("user", coder), Xml(coder));
    }
    out += "  </Users>\n";
  }
  if (!codebook.themes.empty()) {
    out += "  <CodeBook>\n    <Codes>\n";
    WriteCodes(codebook, "", lang, default_lang, 0, &out);
    out += "    </Codes>\n  </CodeBook>\n";
  }
  if (!answers.empty()) {
    out += "  <Sources>\n";
    for (const OpenAnswer& a : answers) {
      out += fmt::format("    <TextSource guid=\"{}\" name=\"{}\">\n",
                         Guid("source", a.instance_id), Xml(a.instance_id));
      std::string description = "ngosurvey question: " + options.question;
      if (!a.org_id.empty()) description += "\norganisation: " + a.org_id;
      out += fmt::format("      <Description>{}</Description>\n", Xml(description));
      out += fmt::format("      <PlainTextContent>{}</PlainTextContent>\n", Xml(a.text));
      auto found = selections.find(a.instance_id);
      if (found != selections.end()) {
        for (const auto& [segment, by] : found->second) {
          const auto& [start, end, code] = segment;
          std::string key = fmt::format("{} {} {} {}", a.instance_id, start, end, code);
          out += fmt::format(
              "      <PlainTextSelection guid=\"{}\" startPosition=\"{}\" endPosition=\"{}\">\n",
              Guid("selection", key), start, end);
          for (const std::string& coder : by) {
            out += fmt::format("        <Coding guid=\"{}\" creatingUser=\"{}\">\n",
                               Guid("coding", key + " " + coder), Guid("user", coder));
            out += fmt::format("          <CodeRef targetGUID=\"{}\"/>\n", Guid("code", code));
            out += "        </Coding>\n";
          }
          out += "      </PlainTextSelection>\n";
        }
      }
      out += "    </TextSource>\n";
    }
    out += "  </Sources>\n";
  }
  out += "</Project>\n";
  return out;
}

Result<std::string> ExportQdpx(const store::Store& store, const form::Codebook& codebook,
                               const QdpxExportOptions& options) {
  std::string project = NGO_TRY(QdpxProjectXml(store, codebook, options));
  return WriteZip({{"project.qde", std::move(project)}});
}

namespace {

using xml::Attribute;

class ProjectReader {
 public:
  explicit ProjectReader(std::string file) : file_(std::move(file)) {}

  Result<QdpxProject> Run(std::string_view xml) {
    XML_Parser parser = XML_ParserCreate("UTF-8");
    if (parser == nullptr) return MakeError("QDP001", "cannot create an XML parser", {file_});
    parser_ = parser;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &ProjectReader::OnStart, &ProjectReader::OnEnd);
    XML_SetCharacterDataHandler(parser, &ProjectReader::OnText);
    XML_SetStartDoctypeDeclHandler(parser, &ProjectReader::OnDoctype);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_Status status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    if (!failed_ && status == XML_STATUS_ERROR) {
      Fail(std::string("not well-formed XML: ") + XML_ErrorString(XML_GetErrorCode(parser)));
    }
    if (!failed_ && !saw_project_) Fail("no Project element (is this a REFI-QDA project?)");
    XML_ParserFree(parser);
    parser_ = nullptr;
    if (failed_) return tl::unexpected(error_);
    return std::move(out_);
  }

 private:
  static void XMLCALL OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* r = static_cast<ProjectReader*>(self);
    if (!r->failed_) r->Start(xml::LocalName(name), attrs);
  }
  static void XMLCALL OnEnd(void* self, const XML_Char* name) {
    auto* r = static_cast<ProjectReader*>(self);
    if (!r->failed_) r->End(xml::LocalName(name));
  }
  static void XMLCALL OnText(void* self, const XML_Char* data, int len) {
    auto* r = static_cast<ProjectReader*>(self);
    if (r->failed_ || r->text_ == nullptr) return;
    if (r->text_->size() + static_cast<size_t>(len) > kMaxTextBytes) {
      r->Fail("a text of more than " + std::to_string(kMaxTextBytes) + " bytes");
      return;
    }
    r->text_->append(data, static_cast<size_t>(len));
  }
  static void XMLCALL OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                int) {
    static_cast<ProjectReader*>(self)->Fail(
        "a DOCTYPE is not allowed in a project (entities are refused)");
  }

  int Line() const { return parser_ ? static_cast<int>(XML_GetCurrentLineNumber(parser_)) : 0; }

  void Fail(const std::string& why) {
    if (failed_) return;
    failed_ = true;
    error_ = Error{"QDP001", why, Location{.file = file_, .row = Line()}};
    if (parser_) XML_StopParser(parser_, XML_FALSE);
  }

  std::string Required(const char** attrs, std::string_view element, std::string_view name) {
    const char* value = Attribute(attrs, name);
    if (value == nullptr || *value == '\0') {
      Fail(fmt::format("{} has no {}", element, name));
      return {};
    }
    return value;
  }

  void Start(std::string_view name, const char** attrs) {
    if (++depth_ > kMaxDepth) return Fail("elements nested more than 200 deep");
    stack_.emplace_back(name);
    if (name == "Project") {
      saw_project_ = true;
    } else if (name == "User") {
      std::string guid = Required(attrs, "User", "guid");
      const char* user = Attribute(attrs, "name");
      out_.users[guid] = user != nullptr && *user != '\0' ? user : guid;
    } else if (name == "Code" && Inside("Codes")) {
      QdpxCode code;
      code.guid = Required(attrs, "Code", "guid");
      if (const char* n = Attribute(attrs, "name")) code.name = n;
      code.line = Line();
      out_.codes.push_back(std::move(code));
      codes_.push_back(out_.codes.size() - 1);
    } else if (name == "TextSource") {
      QdpxSource source;
      source.guid = Required(attrs, "TextSource", "guid");
      if (const char* n = Attribute(attrs, "name")) source.name = n;
      if (const char* p = Attribute(attrs, "plainTextPath")) source.plain_text_path = p;
      source.line = Line();
      out_.sources.push_back(std::move(source));
    } else if (name == "PlainTextContent" && !out_.sources.empty() && Parent() == "TextSource") {
      text_ = &out_.sources.back().text;
    } else if (name == "Description" && Parent() == "Code" && !codes_.empty()) {
      text_ = &out_.codes[codes_.back()].description;
    } else if (name == "PlainTextSelection" && !out_.sources.empty()) {
      QdpxSelection selection;
      selection.line = Line();
      for (auto [attr, slot] : {std::pair{"startPosition", &selection.start},
                                std::pair{"endPosition", &selection.end}}) {
        std::string value = Required(attrs, "PlainTextSelection", attr);
        if (failed_) return;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), *slot);
        if (ec != std::errc() || ptr != value.data() + value.size() || *slot < 0) {
          return Fail(
              fmt::format("PlainTextSelection's {} is not a whole number: \"{}\"", attr, value));
        }
      }
      out_.sources.back().selections.push_back(selection);
      in_selection_ = true;
    } else if (name == "Coding" && !out_.sources.empty()) {
      QdpxCoding coding;
      coding.line = Line();
      if (const char* user = Attribute(attrs, "creatingUser")) coding.user_guid = user;
      QdpxSource& source = out_.sources.back();
      if (in_selection_) {
        source.selections.back().codings.push_back(std::move(coding));
      } else {
        source.codings.push_back(std::move(coding));  // the whole source
      }
    } else if (name == "CodeRef" && Parent() == "Coding" && !out_.sources.empty()) {
      QdpxSource& source = out_.sources.back();
      auto& codings = in_selection_ && !source.selections.empty() ? source.selections.back().codings
                                                                  : source.codings;
      if (!codings.empty()) codings.back().code_guid = Required(attrs, "CodeRef", "targetGUID");
    }
  }

  void End(std::string_view name) {
    --depth_;
    if (!stack_.empty()) stack_.pop_back();
    if (name == "PlainTextContent" || name == "Description") text_ = nullptr;
    if (name == "PlainTextSelection") in_selection_ = false;
    if (name == "Code" && !codes_.empty()) codes_.pop_back();
  }

  bool Inside(std::string_view name) const {
    return std::find(stack_.begin(), stack_.end(), name) != stack_.end();
  }
  std::string_view Parent() const {
    return stack_.size() >= 2 ? std::string_view(stack_[stack_.size() - 2]) : std::string_view();
  }

  static constexpr size_t kMaxTextBytes = size_t{16} << 20;
  static constexpr int kMaxDepth = 200;

  std::string file_;
  XML_Parser parser_ = nullptr;
  QdpxProject out_;
  std::vector<std::string> stack_;
  std::vector<size_t> codes_;  // the open Code elements, innermost last
  std::string* text_ = nullptr;
  bool in_selection_ = false;
  bool saw_project_ = false;
  bool failed_ = false;
  int depth_ = 0;
  Error error_;
};

}  // namespace

Result<QdpxProject> ReadQdpxProject(std::string_view project_qde, const std::string& file) {
  return ProjectReader(file).Run(project_qde);
}

Result<CodingImportResult> ImportQdpx(store::Store& store, std::string_view qdpx,
                                      const std::string& file, const CodingImportOptions& options) {
  if (options.codebook == nullptr) {
    return MakeError("COD004", "no codebook to check the codes against");
  }
  auto archive = NGO_TRY(ZipArchive::Open(qdpx, file, ZipLimits{}, "REFI-QDA project (.qdpx)"));
  std::optional<size_t> entry = archive->Find("project.qde");
  if (!entry) {
    return MakeError("QDP001", "the archive has no project.qde: is it a REFI-QDA project?", {file});
  }
  std::string qde_name = file + "!project.qde";
  std::string xml = NGO_TRY(archive->ReadEntry(*entry));
  QdpxProject project = NGO_TRY(ReadQdpxProject(xml, qde_name));

  // Themes by the code's GUID: the id our export writes first in the Description,
  // else a theme whose id or label (any language) is the code's name, else the name
  // (which ImportCodings then refuses as not in the codebook, COD004).
  std::map<std::string, std::string> theme_of;
  for (const QdpxCode& code : project.codes) {
    std::string id;
    constexpr std::string_view kPrefix = "ngosurvey theme: ";
    if (code.description.rfind(kPrefix, 0) == 0) {
      id = code.description.substr(kPrefix.size(), code.description.find('\n') - kPrefix.size());
    }
    if (id.empty() || options.codebook->Find(id) == nullptr) {
      id = code.name;
      for (const form::Theme& theme : options.codebook->themes) {
        bool named = theme.id == code.name;
        for (const auto& [lang, label] : theme.label.texts) named = named || label == code.name;
        if (named) {
          id = theme.id;
          break;
        }
      }
    }
    theme_of[code.guid] = id;
  }

  std::map<std::string, std::string> stored_text;
  for (const OpenAnswer& a : NGO_TRY(ListOpenAnswers(store, options.question))) {
    stored_text[a.instance_id] = a.text;
  }
  // The codings as the codings CSV would give them, each row remembering its element's
  // line so that a refusal names the place in project.qde.
  std::string csv = std::string(kCodingsHeader) + "\n";
  std::vector<int> row_lines = {0, 0};  // CSV line -> XML line (line 1 is the header)
  auto where = [&](int line) { return Location{.file = qde_name, .row = line}; };
  for (const QdpxSource& source : project.sources) {
    auto stored = stored_text.find(source.name);
    if (stored == stored_text.end()) {
      return MakeError("QDP002",
                       fmt::format("the source \"{}\" is not a completed answer to '{}' in the "
                                   "store (sources are named by instance id)",
                                   source.name, options.question),
                       where(source.line));
    }
    if (!source.plain_text_path.empty() && source.text.empty()) {
      return MakeError("QDP003",
                       fmt::format("the source \"{}\" keeps its text in a file ({}); ngosurvey "
                                   "reads sources whose text is in the project",
                                   source.name, source.plain_text_path),
                       where(source.line));
    }
    if (source.text != stored->second) {
      return MakeError("QDP003",
                       fmt::format("the text of source \"{}\" is not the stored answer: its "
                                   "positions would point elsewhere",
                                   source.name),
                       where(source.line));
    }
    int64_t length = static_cast<int64_t>(text::CodePointCount(stored->second));
    auto add = [&](const QdpxCoding& coding,
                   std::optional<std::pair<int64_t, int64_t>> range) -> Status {
      auto user = project.users.find(coding.user_guid);
      if (coding.user_guid.empty() || user == project.users.end()) {
        return MakeError("QDP004",
                         "a Coding without a creatingUser of the project's Users: the coder "
                         "must be known",
                         where(coding.line));
      }
      auto theme = theme_of.find(coding.code_guid);
      if (theme == theme_of.end()) {
        return MakeError("QDP004",
                         fmt::format("a Coding whose CodeRef \"{}\" is no Code of the project",
                                     coding.code_guid),
                         where(coding.line));
      }
      std::string start, end;
      if (range && !(range->first == 0 && range->second == length)) {
        start = std::to_string(range->first);
        end = std::to_string(range->second);
      }
      for (const std::string& field :
           {source.name, options.question, user->second, theme->second}) {
        text::AppendCsvField(field, &csv);
        csv += ',';
      }
      csv += start + "," + end + "\n";
      row_lines.push_back(coding.line);
      return Ok();
    };
    for (const QdpxCoding& coding : source.codings) NGO_TRY(add(coding, std::nullopt));
    for (const QdpxSelection& selection : source.selections) {
      for (const QdpxCoding& coding : selection.codings) {
        NGO_TRY(add(coding, std::pair{selection.start, selection.end}));
      }
    }
  }
  auto imported = ImportCodings(store, csv, qde_name, options);
  if (!imported) {
    Error error = imported.error();
    int line = error.where.row;
    if (error.where.file == qde_name && line > 0 && static_cast<size_t>(line) < row_lines.size()) {
      error.where = where(row_lines[static_cast<size_t>(line)]);
    }
    return tl::unexpected(error);
  }
  return imported;
}

}  // namespace ngosurvey::exchange
