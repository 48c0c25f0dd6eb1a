#include "exchange/qdpx.h"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <map>
#include <set>

#include "base/date.h"
#include "base/escape.h"
#include "base/text.h"
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
    if (length == lengths.end()) continue;  // not a completed main-wave answer
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

}  // namespace ngosurvey::exchange
