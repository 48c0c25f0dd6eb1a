// .xlsx reading. The parts this reads, in order (ECMA-376 part 1):
//   _rels/.rels                     -> the workbook part ("officeDocument" relation)
//   xl/workbook.xml                 -> <sheet name r:id>, <workbookPr date1904>
//   xl/_rels/workbook.xml.rels      -> sheet, sharedStrings and styles part names
//   xl/sharedStrings.xml            -> <si> (<t> | <r><t>)* with <rPh> ignored
//   xl/styles.xml                   -> <numFmts><numFmt>, <cellXfs><xf numFmtId>
//   xl/worksheets/sheetN.xml        -> <sheetData><row r><c r t s>(<v>|<is>)
// Every part is decompressed whole (within the archive's limits). The worksheets and
// the shared strings, nearly all of a workbook's bytes, are first scanned where they
// lie (ScanXml: no document, no copy of a cell's text but into the cell); a part the
// scan does not read through (XML it leaves to pugixml, or a refused cell) and the
// small parts are parsed in place by pugixml, their cells read from the tree, so that
// every error keeps its message and place.
#include "form/xlsx_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <unordered_set>

#include "base/date.h"
#include "base/file.h"
#include "base/text.h"
#include "base/xml_names.h"
#include "base/zip_archive.h"
#include "form/number_format_internal.h"
#include "form/xlsx_reader_paths.h"

namespace ngosurvey::form {
namespace {

constexpr int kMaxRow = 1048576;
constexpr int kMaxColumn = 16384;

using xml::LocalName;

// Decodes OOXML's "_xHHHH_" escapes (control characters in shared strings).
std::string DecodeEscapes(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
      unsigned code = 0;
      auto [end, ec] = std::from_chars(text.data() + i + 2, text.data() + i + 6, code, 16);
      if (ec == std::errc() && end == text.data() + i + 6) {
        text::AppendUtf8(static_cast<char32_t>(code), &out);
        i += 7;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Parses "AB12" into column 28, row 12. Returns false for malformed references.
// Plain loops over ASCII: every cell has a reference, and isalpha, toupper and
// from_chars were calls (the program runs in the C locale, where they mean the same).
bool ParseCellRef(std::string_view ref, int* row, int* column) {
  size_t i = 0;
  int col = 0;
  while (i < ref.size() && ((ref[i] | 0x20) >= 'a' && (ref[i] | 0x20) <= 'z')) {
    col = col * 26 + ((ref[i] | 0x20) - 'a' + 1);
    if (col > kMaxColumn) return false;
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  int r = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return false;
    r = r * 10 + (ref[i] - '0');
    if (r > kMaxRow) return false;
  }
  if (r < 1) return false;
  *row = r;
  *column = col;
  return true;
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// Resolves a relationship target against the folder of the part that names it.
std::string ResolveTarget(const std::string& base_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                           : base_dir + std::string(target);
  std::vector<std::string> parts;
  for (std::string_view piece : text::Split(joined, '/')) {
    if (piece.empty() || piece == ".") continue;
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.emplace_back(piece);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// ---- Whole parts parsed in place ------------------------------------------------

struct ReadContext {
  std::string file;
  const XlsxOptions* options = nullptr;
  ZipArchive* zip = nullptr;
};

// The archive's errors in the workbook's codes: X004 for a part (or the whole)
// past its decompressed limit, X001 for anything else the archive refuses.
Error AsWorkbookError(Error error) {
  error.code = error.code == "ZIP002" ? "X004" : "X001";
  return error;
}

// True when the archive holds `part` (case-insensitive match).
bool HasPart(const ReadContext& ctx, const std::string& part) {
  return ctx.zip->Find(part).has_value();
}

// Escapes and character references decoded, line ends normalised and attribute
// whitespace converted as XML requires (expat did the same); whitespace-only text
// kept (a cell may hold " "); the DOCTYPE and the declaration kept as nodes so that
// they can be checked; comments and processing instructions skipped.
constexpr unsigned kParseFlags =
    pugi::parse_escapes | pugi::parse_eol | pugi::parse_wconv_attribute | pugi::parse_cdata |
    pugi::parse_ws_pcdata | pugi::parse_doctype | pugi::parse_declaration;

// The offset of the first byte that XML 1.0 in UTF-8 does not allow (a control
// character other than tab, line feed and carriage return, a malformed or overlong
// UTF-8 sequence, a surrogate, U+FFFE or U+FFFF), or npos. pugixml checks none of
// this; expat did, and a cell value must be valid text.
size_t FirstInvalidByte(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size(), i = 0;
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  while (i < size) {
    // Eight printable ASCII bytes at a time (most of SpreadsheetML's markup and text).
    if (i + 8 <= size) {
      uint64_t word = 0;
      std::memcpy(&word, bytes + i, 8);
      if (((word - kOnes * 0x20) | word) & kHigh) {
        // a byte under 0x20 or over 0x7F in these eight: check them one by one
      } else {
        i += 8;
        continue;
      }
    }
    unsigned char c = bytes[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || c > 0xF4 || i + length > size) return i;
    char32_t code = c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE ||
        code == 0xFFFF) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// "PART line L, column C: WHAT" at byte `offset` of the part's text: lines end at
// LF, CR LF or CR, columns count characters from 1 (as expat counted them).
std::string AtOffset(const std::string& part, std::string_view text, size_t offset,
                     std::string_view what) {
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != '\r') {
      ++column;  // not a UTF-8 continuation byte: a character
    }
  }
  return fmt::format("{} line {}, column {}: {}", part, line, column, what);
}

// The line of byte `offset` in `part`, read again from the archive: the text parsed
// in place no longer has its original bytes (only error messages need this).
int LineAt(const ReadContext& ctx, const std::string& part, ptrdiff_t offset) {
  std::optional<size_t> index = ctx.zip->Find(part);
  if (!index || offset < 0) return 0;
  Result<std::string> text = ctx.zip->ReadEntry(*index);
  if (!text) return 0;
  std::string where = AtOffset(part, *text, static_cast<size_t>(offset), "");
  size_t at = where.rfind(" line ");
  return std::atoi(where.c_str() + at + 6);
}

// A well-formedness fault: where (byte offset) and what, in expat's words (the
// messages users and tests know).
struct Fault {
  size_t offset = std::string_view::npos;
  std::string_view what;
};

void KeepFirst(Fault* first, Fault candidate) {
  if (candidate.offset < first->offset) *first = candidate;
}

// True when `c` is a character XML 1.0 allows.
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// What CodePointOf gives for a number that is no character: none is this large.
constexpr uint32_t kNotACodePoint = 0x110000;

// The number a character reference writes in `digits` (hexadecimal with `hex`), or
// kNotACodePoint when `digits` is empty, holds anything but digits of its base or
// writes a number past Unicode's last. A loop, not from_chars: the Khmer and
// Vietnamese labels of a workbook are mostly references (94,000 in a 10,000-row
// form), and from_chars cost 100 instructions a call.
uint32_t CodePointOf(std::string_view digits, bool hex) {
  if (digits.empty()) return kNotACodePoint;
  uint32_t code = 0;
  if (!hex) {
    for (char c : digits) {
      if (c < '0' || c > '9') return kNotACodePoint;
      code = code * 10 + static_cast<uint32_t>(c - '0');
      if (code >= kNotACodePoint) return kNotACodePoint;  // and no overflow below
    }
    return code;
  }
  for (char c : digits) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      digit = static_cast<uint32_t>((c | 0x20) - 'a' + 10);
    } else {
      return kNotACodePoint;
    }
    code = code * 16 + digit;
    if (code >= kNotACodePoint) return kNotACodePoint;
  }
  return code;
}

bool IsDigitOf(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// Whether byte `offset` lies in a CDATA section, a comment or a processing instruction,
// where '&' is plain text. Scans on from where the previous call stopped, so a part
// is scanned at most once (and only when it has a suspicious '&').
class MarkupScanner {
 public:
  explicit MarkupScanner(std::string_view text) : text_(text) {}
  bool InLiteral(size_t offset) {
    while (pos_ < offset) {
      if (!close_.empty()) {
        size_t end = text_.find(close_, pos_);
        if (end == std::string_view::npos || end >= offset) return true;
        pos_ = end + close_.size();
        close_ = {};
        continue;
      }
      size_t open = text_.find('<', pos_);
      if (open == std::string_view::npos || open >= offset) {
        pos_ = offset;
        break;
      }
      std::string_view rest = text_.substr(open);
      if (rest.substr(0, 9) == "<![CDATA[") {
        close_ = "]]>";
        pos_ = open + 9;
      } else if (rest.substr(0, 4) == "<!--") {
        close_ = "-->";
        pos_ = open + 4;
      } else if (rest.substr(0, 2) == "<?") {
        close_ = "?>";
        pos_ = open + 2;
      } else {
        pos_ = open + 1;
      }
    }
    return !close_.empty();
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  std::string_view close_;
};

// The first entity or character reference that expat refused: a named entity other
// than the five XML predefines (no DTD can define one here), or a character number
// XML does not allow. pugixml leaves the first as it is and decodes the second.
Fault FirstBadReference(std::string_view text) {
  MarkupScanner scanner(text);
  constexpr std::string_view kNotName = " \t\r\n<>&\"';=/?!#";
  for (size_t amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
    Fault fault;
    if (amp + 1 < text.size() && text[amp + 1] == '#') {
      bool hex = amp + 2 < text.size() && text[amp + 2] == 'x';
      size_t digits = amp + (hex ? 3 : 2);
      size_t end = digits;
      while (end < text.size() && IsDigitOf(text[end], hex)) ++end;
      if (end == digits || end >= text.size() || text[end] != ';') {
        fault = {end, "not well-formed (invalid token)"};
      } else if (!IsXmlChar(CodePointOf(text.substr(digits, end - digits), hex))) {
        fault = {amp, "reference to invalid character number"};
      }
    } else {
      size_t end = std::min(text.find_first_of(kNotName, amp + 1), text.size());
      std::string_view ref = text.substr(amp + 1, end - amp - 1);
      if (ref.empty() || end >= text.size() || text[end] != ';') {
        fault = {end, "not well-formed (invalid token)"};
      } else if (ref != "lt" && ref != "gt" && ref != "amp" && ref != "apos" && ref != "quot") {
        fault = {amp, "undefined entity"};
      }
    }
    if (fault.offset == std::string_view::npos || scanner.InLiteral(amp)) continue;
    // In an attribute value expat reported the tag, at its '<'.
    size_t tag = text.find_last_of("<>", amp);
    if (fault.what == "undefined entity" && tag != std::string_view::npos && text[tag] == '<') {
      fault.offset = tag;
    }
    return fault;
  }
  return {};
}

// Text before the first markup or after the last ('>'), which expat refused.
Fault JunkOutsideRoot(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  size_t first = text.find_first_not_of(kSpace, start);
  if (first != std::string_view::npos && text[first] != '<') {
    size_t end = std::min(text.find_first_of("< \t\r\n", first), text.size());
    if (end < text.size() && text[end] == '<') return {end, "not well-formed (invalid token)"};
    return {first, "syntax error"};
  }
  size_t last = text.rfind('>');
  if (last != std::string_view::npos) {
    size_t after = text.find_first_not_of(kSpace, last + 1);
    if (after != std::string_view::npos) return {after, "junk after document element"};
  }
  return {};
}

// Where expat reported a DOCTYPE that starts at `start`: the '[' of its internal
// subset or its closing '>'.
size_t DoctypeReported(std::string_view text, size_t start) {
  char quote = 0;
  for (size_t i = start + 9; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '>') {
      return i;
    }
  }
  return text.size();
}

bool HasDoctype(const pugi::xml_document& doc) {
  for (pugi::xml_node node = doc.first_child(); node; node = node.next_sibling()) {
    if (node.type() == pugi::node_doctype) return true;
  }
  return false;
}

// pugixml's parse faults in expat's words, at expat's place where they differ.
Fault ParseFault(const pugi::xml_parse_result& parsed, size_t size) {
  auto offset = static_cast<size_t>(std::max<ptrdiff_t>(0, parsed.offset));
  switch (parsed.status) {
    case pugi::status_ok:
      return {};
    case pugi::status_no_document_element:
      return {size, "no element found"};
    case pugi::status_end_element_mismatch:
      // The text ended with elements open: expat saw its end, not a wrong tag.
      if (offset + 1 >= size) return {size, "no element found"};
      return {offset, "mismatched tag"};
    case pugi::status_out_of_memory:
      return {offset, "out of memory"};
    default:
      return {offset, "not well-formed (invalid token)"};
  }
}

// Calls `visit` with every node under `root`, in document order, without recursion
// (a fuzzed part may nest a million deep).
template <typename Visit>
void ForEachNode(pugi::xml_node root, const Visit& visit) {
  pugi::xml_node node = root.first_child();
  while (node) {
    visit(node);
    if (pugi::xml_node child = node.first_child()) {
      node = child;
      continue;
    }
    while (node != root && !node.next_sibling()) node = node.parent();
    if (node == root) break;
    node = node.next_sibling();
  }
}

template <typename Visit>
void ForEachElement(pugi::xml_node root, const Visit& visit) {
  ForEachNode(root, [&](pugi::xml_node node) {
    if (node.type() == pugi::node_element) visit(node);
  });
}

// The second of two attributes of `node` with the same name (expat refused it), or
// an empty attribute.
pugi::xml_attribute DuplicateAttribute(pugi::xml_node node) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    for (pugi::xml_attribute b = a.next_attribute(); b; b = b.next_attribute()) {
      if (std::strcmp(a.name(), b.name()) == 0) return b;
    }
  }
  return {};
}

// X003 at byte `offset` of `part`, whose text is read again (it was parsed in place).
Error MalformedAt(const ReadContext& ctx, const std::string& part, size_t offset,
                  std::string_view what) {
  std::optional<size_t> index = ctx.zip->Find(part);
  Result<std::string> pristine =
      index ? ctx.zip->ReadEntry(*index) : Result<std::string>(std::string());
  if (!pristine) return AsWorkbookError(pristine.error());
  return Error{"X003", AtOffset(part, *pristine, offset, what), {ctx.file}};
}

// One part of the workbook, decompressed whole and parsed in place: the document's
// strings point into `text`.
struct Part {
  std::string text;
  pugi::xml_document doc;
};

// The faults of `text` that pugixml does not see and expat did: bytes that are not
// UTF-8 or not XML's characters, references other than XML's own, text outside the
// root. The first of them, or none.
Fault TextFault(std::string_view text) {
  Fault fault;
  if (size_t bad = FirstInvalidByte(text); bad != std::string_view::npos) {
    fault = {bad, "not well-formed (invalid token)"};
  }
  KeepFirst(&fault, FirstBadReference(text));
  KeepFirst(&fault, JunkOutsideRoot(text));
  return fault;
}

// The bytes of part `name`, decompressed whole (within the archive's limits against
// zip bombs). X002 when the archive has no such part.
Result<std::string> ReadPartText(const ReadContext& ctx, const std::string& name) {
  std::optional<size_t> index = ctx.zip->Find(name);
  if (!index) {
    return MakeError("X002", fmt::format("the workbook has no part {}", name), {ctx.file});
  }
  Result<std::string> text = ctx.zip->ReadEntry(*index);
  if (!text) return tl::unexpected(AsWorkbookError(text.error()));
  return text;
}

// Parses `text`, the bytes of part `name`, in place into `part`. X003 for text that
// is not well-formed XML or holds a DTD (Office never writes one; refusing it rules
// out entity-expansion attacks), with the part's name, line and column of the first
// fault, as expat found them: pugixml does not check what the checks around it do
// (UTF-8, references, text outside the root, a second root, the declaration). With
// `every_attribute`, every element's attributes are checked for duplicates here; the
// sheet reader checks those of the elements it reads (rows and cells).
Status ParsePart(const ReadContext& ctx, const std::string& name, std::string text, Part* part,
                 bool every_attribute = true) {
  part->text = std::move(text);
  Fault fault = TextFault(part->text);
  size_t size = part->text.size();
  pugi::xml_parse_result parsed = part->doc.load_buffer_inplace(
      part->text.data(), part->text.size(), kParseFlags, pugi::encoding_utf8);
  KeepFirst(&fault, ParseFault(parsed, size));
  // The nodes before the root element: a DOCTYPE, a declaration not at the start.
  bool doctype = parsed.status == pugi::status_bad_doctype;
  int roots = 0;
  for (pugi::xml_node node = part->doc.first_child(); node; node = node.next_sibling()) {
    auto at = static_cast<size_t>(std::max<ptrdiff_t>(0, node.offset_debug()));
    if (node.type() == pugi::node_doctype) doctype = true;
    if (node.type() == pugi::node_declaration && node != part->doc.first_child()) {
      KeepFirst(&fault, {at - 2, "XML or text declaration not at start of entity"});
    } else if (node.type() == pugi::node_declaration && at != 2 && at != 5) {
      KeepFirst(&fault, {at - 2, "XML or text declaration not at start of entity"});
    }
    if (node.type() == pugi::node_element && ++roots == 2) {
      KeepFirst(&fault, {at - 1, "junk after document element"});
    }
  }
  if (fault.offset == std::string_view::npos && !doctype) {
    if (!every_attribute) return Ok();
    pugi::xml_attribute duplicate;
    ForEachElement(part->doc, [&](pugi::xml_node node) {
      if (!duplicate) duplicate = DuplicateAttribute(node);
    });
    if (!duplicate) return Ok();
    return tl::unexpected(MalformedAt(ctx, name,
                                      static_cast<size_t>(duplicate.name() - part->text.data()),
                                      "duplicate attribute"));
  }
  // The text was changed in place: read it again for the line and column.
  std::string pristine = NGO_TRY(ReadPartText(ctx, name));
  if (doctype) {
    size_t start = pristine.find("<!DOCTYPE");
    if (start != std::string::npos && start <= fault.offset) {
      // A DTD at the top is refused; one inside an element is just malformed.
      fault =
          parsed.status == pugi::status_bad_doctype && !HasDoctype(part->doc)
              ? Fault{start + 2, "not well-formed (invalid token)"}
              : Fault{DoctypeReported(pristine, start), "a DTD is not allowed in a workbook part"};
    }
  }
  return MakeError("X003", AtOffset(name, pristine, fault.offset, fault.what), {ctx.file});
}

// Decompresses part `name` and parses it into `part` (ReadPartText, ParsePart).
Status LoadPart(const ReadContext& ctx, const std::string& name, Part* part) {
  std::string text = NGO_TRY(ReadPartText(ctx, name));
  return ParsePart(ctx, name, std::move(text), part);
}

// The element's name without its namespace prefix ("x:c" -> "c").
std::string_view Local(pugi::xml_node node) { return LocalName(node.name()); }

// Whether `name` is `local`, with or without a prefix; no strlen on the usual path.
bool NameIs(const char* name, std::string_view local) {
  size_t i = 0;
  while (i < local.size() && name[i] == local[i]) ++i;
  if (i == local.size() && name[i] == '\0') return true;
  const char* colon = std::strrchr(name, ':');
  return colon != nullptr && std::string_view(colon + 1) == local;
}

bool IsElement(pugi::xml_node node, std::string_view local) {
  return node.type() == pugi::node_element && NameIs(node.name(), local);
}

// The value of the attribute of `node` whose local name is `local` (any prefix), or
// nullptr. With `prefixed`, only a prefixed name counts ("r:id", not "id").
const char* Attr(pugi::xml_node node, std::string_view local, bool prefixed = false) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    if (prefixed && name.find(':') == std::string_view::npos) continue;
    if (LocalName(a.name()) == local) return a.value();
  }
  return nullptr;
}

bool IsText(pugi::xml_node node) {
  return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

// Appends the character data inside `node` (nested elements' too, as expat's reader
// collected it) to `out`.
void AppendText(pugi::xml_node node, std::string* out) {
  ForEachNode(node, [&](pugi::xml_node child) {
    if (IsText(child)) out->append(child.value());
  });
}

// ---- Relationships and the workbook ---------------------------------------------

struct Relationship {
  std::string id, type, target;
};

std::vector<Relationship> ReadRels(const Part& part) {
  std::vector<Relationship> rels;
  ForEachElement(part.doc, [&](pugi::xml_node node) {
    if (Local(node) != "Relationship") return;
    Relationship rel;
    if (const char* v = Attr(node, "Id")) rel.id = v;
    if (const char* v = Attr(node, "Type")) rel.type = v;
    if (const char* v = Attr(node, "Target")) rel.target = v;
    rels.push_back(std::move(rel));
  });
  return rels;
}

bool TypeEndsWith(const std::string& type, std::string_view suffix) {
  return type.size() >= suffix.size() &&
         type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct WorkbookXml {
  struct SheetRef {
    std::string name, rel_id;
  };
  std::vector<SheetRef> sheets;
  bool date1904 = false;
};

WorkbookXml ReadWorkbookXml(const Part& part) {
  WorkbookXml out;
  ForEachElement(part.doc, [&](pugi::xml_node node) {
    std::string_view name = Local(node);
    if (name == "sheet") {
      WorkbookXml::SheetRef ref;
      if (const char* v = Attr(node, "name")) ref.name = v;
      if (const char* v = Attr(node, "id", /*prefixed=*/true)) ref.rel_id = v;
      out.sheets.push_back(std::move(ref));
    } else if (name == "workbookPr") {
      const char* v = Attr(node, "date1904");
      out.date1904 = v != nullptr && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  });
  return out;
}

// ---- Parts scanned without a document ----------------------------------------------

// An attribute as the part writes it: views of its name and of its value.
struct RawAttribute {
  std::string_view name, value;
};

// What ScanXml made of a part: read through, or left to the document path.
enum class Scan { kRead, kFallBack };

// The classes of bytes the scan tests, one table lookup each instead of a chain of
// compares per byte of every name and attribute value.
enum ByteClass : uint8_t {
  kNameStart = 1,  // ASCII letters and '_'
  kNameChar = 2,   // those, digits, '-', '.', ':'
  kSpace = 4,      // XML's whitespace
  kValueStop = 8,  // what ends a plain attribute value or refuses it: quotes, '<', '&', tab, LF, CR
};

constexpr std::array<uint8_t, 256> kByteClasses = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter || c == '_') table[c] |= kNameStart | kNameChar;
    if ((c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':') table[c] |= kNameChar;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') table[c] |= kSpace;
    if (c == '"' || c == '\'' || c == '<' || c == '&' || c == '\t' || c == '\n' || c == '\r') {
      table[c] |= kValueStop;
    }
  }
  return table;
}();

bool Is(char c, ByteClass byte_class) {
  return (kByteClasses[static_cast<unsigned char>(c)] & byte_class) != 0;
}

bool IsNameStart(char c) { return Is(c, kNameStart); }

bool IsNameChar(char c) { return Is(c, kNameChar); }

bool IsXmlSpace(char c) { return Is(c, kSpace); }

// The ASCII name at `*at` (moved past it), or an empty view.
std::string_view ScanName(std::string_view text, size_t* at) {
  size_t start = *at;
  if (start >= text.size() || !IsNameStart(text[start])) return {};
  size_t end = start + 1;
  while (end < text.size() && IsNameChar(text[end])) ++end;
  *at = end;
  // Not substr: its range check made it a call, on every name of the part.
  return {text.data() + start, end - start};
}

// The attributes of a tag from `*at` to its end ('>', '/' or '?', where `*at` is
// left), each `name="value"` after whitespace. False for anything else: a value
// with a reference, '<' or whitespace other than spaces (which the document path
// decodes or converts), a duplicate name, spaces around '='.
bool ScanAttributes(std::string_view text, size_t* at, std::vector<RawAttribute>* out) {
  out->clear();
  while (true) {
    size_t before = *at;
    while (*at < text.size() && IsXmlSpace(text[*at])) ++*at;
    if (*at >= text.size()) return false;
    char c = text[*at];
    if (c == '>' || c == '/' || c == '?') return true;
    if (*at == before) return false;  // attributes are separated by whitespace
    std::string_view name = ScanName(text, at);
    if (name.empty() || *at + 1 >= text.size() || text[*at] != '=') return false;
    char quote = text[*at + 1];
    if (quote != '"' && quote != '\'') return false;
    // A loop, not find_first_of: libstdc++'s calls memchr once per byte of the value.
    size_t end = *at + 2;
    while (true) {
      while (end < text.size() && !Is(text[end], kValueStop)) ++end;
      if (end >= text.size() || text[end] == quote) break;
      if (text[end] != '"' && text[end] != '\'') return false;
      ++end;  // the other quote, plain text here
    }
    if (end >= text.size()) return false;
    std::string_view value(text.data() + *at + 2, end - *at - 2);
    for (const RawAttribute& seen : *out) {
      if (seen.name == name) return false;
    }
    out->push_back({name, value});
    *at = end + 1;
  }
}

// The character that reference `ref` (the text between '&' and ';') stands for: one
// of XML's five entities or a character's number. False for anything else.
bool DecodeReference(std::string_view ref, char32_t* decoded) {
  if (!ref.empty() && ref[0] == '#') {  // nearly every reference: a character's number
    bool hex = ref.size() > 2 && ref[1] == 'x';
    uint32_t code = CodePointOf(ref.substr(hex ? 2 : 1), hex);
    *decoded = static_cast<char32_t>(code);
    return IsXmlChar(code);
  }
  if (ref == "lt") {
    *decoded = '<';
  } else if (ref == "gt") {
    *decoded = '>';
  } else if (ref == "amp") {
    *decoded = '&';
  } else if (ref == "apos") {
    *decoded = '\'';
  } else if (ref == "quot") {
    *decoded = '"';
  } else {
    return false;
  }
  return true;
}

// Whether every reference in `raw`, character data the reader skips, is one
// DecodeReference knows (the scan then stands for FirstBadReference's check).
bool ReferencesValid(std::string_view raw) {
  for (size_t amp = raw.find('&'); amp != std::string_view::npos; amp = raw.find('&', amp + 1)) {
    size_t semi = raw.find(';', amp);
    char32_t decoded = 0;
    if (semi == std::string_view::npos ||
        !DecodeReference(raw.substr(amp + 1, semi - amp - 1), &decoded)) {
      return false;
    }
    amp = semi;
  }
  return true;
}

// Writes the UTF-8 encoding of `code` (a Unicode scalar value) at `out`; returns
// the end of it.
char* PutUtf8(char32_t code, char* out) {
  if (code < 0x80) {
    *out++ = static_cast<char>(code);
  } else if (code < 0x800) {
    *out++ = static_cast<char>(0xC0 | (code >> 6));
    *out++ = static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (code >> 12));
    *out++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (code & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (code >> 18));
    *out++ = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

// Appends `raw`, character data as the part writes it, to `out` with XML's five
// entities and character references decoded, in one pass over it. False for a CR
// (the document path normalises line ends) or a reference it does not know. The
// text is written in place: a reference is never shorter than its character's
// UTF-8 ("&lt;" is 4 bytes for 1, "&#2048;" 7 for 3, "&#65536;" 8 for 4), so
// `raw`'s size is room enough, and no append call is made per character.
bool AppendDecoded(std::string_view raw, std::string* out) {
  size_t base = out->size();
  out->resize(base + raw.size());
  char* into = out->data() + base;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r') return false;
    if (c != '&') {
      *into++ = c;
      continue;
    }
    // A decimal character reference, nearly every one (the Khmer and Vietnamese
    // labels: 20,000 in the reference instrument), decoded here in one pass; the
    // same references as DecodeReference's are refused.
    if (i + 2 < raw.size() && raw[i + 1] == '#' && raw[i + 2] != 'x') {
      size_t at = i + 2;
      uint32_t code = 0;
      while (at < raw.size() && raw[at] >= '0' && raw[at] <= '9') {
        code = code * 10 + static_cast<uint32_t>(raw[at] - '0');
        if (code >= kNotACodePoint) return false;
        ++at;
      }
      if (at == i + 2 || at == raw.size() || raw[at] != ';' || !IsXmlChar(code)) return false;
      into = PutUtf8(static_cast<char32_t>(code), into);
      i = at;
      continue;
    }
    size_t semi = i + 1;
    while (semi < raw.size() && raw[semi] != ';') ++semi;
    char32_t decoded = 0;
    if (semi == raw.size() || !DecodeReference(raw.substr(i + 1, semi - i - 1), &decoded)) {
      return false;
    }
    into = PutUtf8(decoded, into);
    i = semi;
  }
  out->resize(static_cast<size_t>(into - out->data()));
  return true;
}

// Reads `text`, a part's XML, without building a document and without changing it:
// handler.Start(name, attributes, offset of the name), handler.Text(raw character
// data) and handler.End(), in document order. Only the plain XML that spreadsheet
// programs write is read: an optional declaration at the start, elements with
// ASCII names and attributes as ScanAttributes reads them, end tags written as
// their start tags were, character data. Anything else (a comment, CDATA, a
// processing instruction, a DTD, a second root, `</a >`...) or a handler's false
// gives kFallBack, and the caller reads the part through the document path, which
// accepts it or refuses it as expat did. The caller checks FirstInvalidByte first:
// this trusts that the bytes are UTF-8 and XML's characters. The handler's Text must
// refuse a reference DecodeReference does not know (decoding it or ReferencesValid):
// with that, a part read through has none of TextFault's faults (the scan itself
// refuses text outside the root and every '&' outside character data), so the
// caller need not run TextFault's other checks, and a part that has one of them
// falls back to the document path, which reports it.
template <typename Handler>
Scan ScanXml(std::string_view text, Handler* handler) {
  constexpr size_t kMaxDepth = 256;  // deeper parts are left to the document path
  std::vector<RawAttribute> attributes;
  size_t at = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (text.substr(at, 6) == "<?xml ") {
    at += 5;
    if (!ScanAttributes(text, &at, &attributes) || text.substr(at, 2) != "?>") {
      return Scan::kFallBack;
    }
    at += 2;
  }
  std::vector<std::string_view> open;  // the names of the elements open
  bool root_seen = false;
  while (at < text.size()) {
    // The next tag: a loop, short distances being the rule, where memchr's call costs.
    size_t lt = at;
    while (lt < text.size() && text[lt] != '<') ++lt;
    if (lt > at) {
      std::string_view raw(text.data() + at, lt - at);
      if (open.empty()) {
        if (raw.find_first_not_of(" \t\r\n") != std::string_view::npos) return Scan::kFallBack;
      } else if (!handler->Text(raw)) {
        return Scan::kFallBack;
      }
    }
    if (lt == text.size()) break;
    at = lt + 1;
    if (at < text.size() && text[at] == '/') {
      if (open.empty()) return Scan::kFallBack;
      std::string_view name = open.back();
      if (at + 1 + name.size() >= text.size() || text[at + 1 + name.size()] != '>') {
        return Scan::kFallBack;
      }
      // A loop, not memcmp: names are a letter or two, and a call cost more.
      for (size_t i = 0; i < name.size(); ++i) {
        if (text[at + 1 + i] != name[i]) return Scan::kFallBack;
      }
      at += name.size() + 2;
      open.pop_back();
      if (!handler->End()) return Scan::kFallBack;
      continue;
    }
    if (open.empty() && root_seen) return Scan::kFallBack;  // a second root
    std::string_view name = ScanName(text, &at);
    if (name.empty() || !ScanAttributes(text, &at, &attributes)) return Scan::kFallBack;
    bool empty = text[at] == '/';
    if (empty && (at + 1 >= text.size() || text[at + 1] != '>')) return Scan::kFallBack;
    if (!empty && text[at] != '>') return Scan::kFallBack;
    at += empty ? 2 : 1;
    if (open.size() >= kMaxDepth) return Scan::kFallBack;
    root_seen = true;
    if (!handler->Start(name, attributes, static_cast<ptrdiff_t>(lt + 1))) return Scan::kFallBack;
    if (empty) {
      if (!handler->End()) return Scan::kFallBack;
    } else {
      open.push_back(name);
    }
  }
  return root_seen && open.empty() ? Scan::kRead : Scan::kFallBack;
}

// Whether `name` is `local` (a literal name without a colon), with or without a
// prefix: the text after the last colon, so `name` ends with `local` after a colon or
// nothing. The literal's length is known here, so the compare is a few inlined byte
// tests: the scan asks this of nearly every element and attribute of a sheet.
template <size_t N>
bool LocalNameIs(std::string_view name, const char (&local)[N]) {
  constexpr size_t kSize = N - 1;
  if (name.size() < kSize) return false;
  const char* tail = name.data() + name.size() - kSize;
  for (size_t i = 0; i < kSize; ++i) {
    if (tail[i] != local[i]) return false;
  }
  return name.size() == kSize || tail[-1] == ':';
}

// Whether `text` is the literal `literal`: compared inline, where string_view's ==
// with a literal was a call on every cell.
template <size_t N>
bool Equals(std::string_view text, const char (&literal)[N]) {
  if (text.size() != N - 1) return false;
  for (size_t i = 0; i + 1 < N; ++i) {
    if (text[i] != literal[i]) return false;
  }
  return true;
}

// Where an element sits in a worksheet or the shared strings, for a scan's handler:
// which elements' character data is a cell's or a string's text.
enum class Place : uint8_t {
  kRoot,       // the document element
  kSheetData,  // <sheetData> in the root
  kRow,        // <row> in sheetData
  kCell,       // <c> in a row
  kRich,       // a cell's <is>, or <si> in the shared strings: <t> and runs <r>
  kRun,        // <r> in kRich: its <t>
  kText,       // <v> in a cell, <t> in kRich or kRun, and all inside: their text counts
  kOther,      // anything else, with all inside
};

// The place of an element named `name` (any prefix) in `parent`.
Place PlaceIn(Place parent, std::string_view name) {
  switch (parent) {
    case Place::kRoot:
      return LocalNameIs(name, "sheetData") ? Place::kSheetData : Place::kOther;
    case Place::kSheetData:
      return LocalNameIs(name, "row") ? Place::kRow : Place::kOther;
    case Place::kRow:
      return LocalNameIs(name, "c") ? Place::kCell : Place::kOther;
    case Place::kCell:
      return LocalNameIs(name, "v")    ? Place::kText
             : LocalNameIs(name, "is") ? Place::kRich
                                       : Place::kOther;
    case Place::kRich:
      return LocalNameIs(name, "t")   ? Place::kText
             : LocalNameIs(name, "r") ? Place::kRun
                                      : Place::kOther;
    case Place::kRun:
      return LocalNameIs(name, "t") ? Place::kText : Place::kOther;
    case Place::kText:
      return Place::kText;
    case Place::kOther:
      return Place::kOther;
  }
  return Place::kOther;
}

// The text of a cell or a string as a scan meets it: a view of the part when it is
// one piece without references (nearly always), else decoded into a buffer.
class TextCollector {
 public:
  void Clear() {
    pieces_ = 0;
    view_ = {};
    buffer_.clear();
  }
  bool Add(std::string_view raw) {
    if (++pieces_ == 1 &&
        std::none_of(raw.begin(), raw.end(), [](char c) { return c == '&' || c == '\r'; })) {
      view_ = raw;
      return true;
    }
    if (pieces_ == 2 && !view_.empty()) buffer_.assign(view_);
    view_ = {};
    return AppendDecoded(raw, &buffer_);
  }
  std::string_view text() const { return pieces_ == 1 && !view_.empty() ? view_ : buffer_; }

 private:
  int pieces_ = 0;
  std::string_view view_;
  std::string buffer_;
};

// ---- Shared strings -------------------------------------------------------------

struct SharedStrings {
  std::vector<std::string> strings;
  std::unordered_set<size_t> too_long;  // indexes of strings over the cell limit
};

// One <si>'s text: kept, or marked too long (X005 when a cell uses it).
void AddString(std::string_view text, size_t max_bytes, SharedStrings* out) {
  if (text.size() > max_bytes) {
    out->too_long.insert(out->strings.size());
    out->strings.emplace_back();
  } else {
    out->strings.push_back(DecodeEscapes(text));
  }
}

// <sst><si>: the text of its <t>, or of the <t> of its rich-text runs <r>; phonetic
// runs <rPh> are not part of the text.
SharedStrings ReadSharedStrings(const Part& part, size_t max_bytes) {
  SharedStrings out;
  pugi::xml_node sst = part.doc.document_element();
  std::string text;
  for (pugi::xml_node si = sst.first_child(); si; si = si.next_sibling()) {
    if (!IsElement(si, "si")) continue;
    // The usual <si><t>text</t></si>: read where it lies.
    pugi::xml_node only = si.first_child();
    if (only && !only.next_sibling() && IsElement(only, "t")) {
      pugi::xml_node piece = only.first_child();
      if (piece && !piece.next_sibling() && IsText(piece)) {
        AddString(piece.value(), max_bytes, &out);
        continue;
      }
    }
    text.clear();
    for (pugi::xml_node child = si.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = Local(child);
      if (name == "t") {
        AppendText(child, &text);
      } else if (name == "r") {
        for (pugi::xml_node t = child.first_child(); t; t = t.next_sibling()) {
          if (t.type() == pugi::node_element && Local(t) == "t") AppendText(t, &text);
        }
      }
    }
    AddString(text, max_bytes, &out);
  }
  return out;
}

// The same strings from a scan of the part's text (ScanXml's handler): each <si> in
// the root is read as a cell's <is> is.
class SharedStringsScan {
 public:
  SharedStringsScan(size_t max_bytes, SharedStrings* out) : max_bytes_(max_bytes), out_(*out) {}

  bool Start(std::string_view name, const std::vector<RawAttribute>& /*attributes*/,
             ptrdiff_t /*offset*/) {
    Place place = Place::kRoot;
    if (places_.size() == 1) {
      place = LocalNameIs(name, "si") ? Place::kRich : Place::kOther;
      text_collector_.Clear();
    } else if (!places_.empty()) {
      place = PlaceIn(places_.back(), name);
    }
    places_.push_back(place);
    return true;
  }
  bool Text(std::string_view raw) {
    return places_.back() == Place::kText ? text_collector_.Add(raw) : ReferencesValid(raw);
  }
  bool End() {
    Place place = places_.back();
    places_.pop_back();
    if (places_.size() == 1 && place == Place::kRich) {
      AddString(text_collector_.text(), max_bytes_, &out_);
    }
    return true;
  }

 private:
  size_t max_bytes_;
  SharedStrings& out_;
  std::vector<Place> places_;
  TextCollector text_collector_;
};

// ---- Styles: which cell styles are dates ------------------------------------------

// numFmt (anywhere in the part, as before) -> the kind of its custom format;
// cellXfs' xf -> its numFmtId; the result: cell style index -> date kind.
std::vector<DateStyle> ReadStyles(const Part& part) {
  std::map<int, DateStyle> custom;  // numFmtId -> kind, for custom formats
  std::vector<int> xf_formats;      // cellXfs index -> numFmtId
  ForEachElement(part.doc, [&](pugi::xml_node node) {
    std::string_view name = Local(node);
    if (name == "numFmt") {
      const char* id = Attr(node, "numFmtId");
      const char* code = Attr(node, "formatCode");
      if (id != nullptr && code != nullptr) custom[std::atoi(id)] = ClassifyFormatCode(code);
    } else if (name == "xf") {
      bool in_cell_xfs = false;
      for (pugi::xml_node up = node.parent(); up && !in_cell_xfs; up = up.parent()) {
        in_cell_xfs = up.type() == pugi::node_element && Local(up) == "cellXfs";
      }
      if (!in_cell_xfs) return;
      const char* id = Attr(node, "numFmtId");
      xf_formats.push_back(id == nullptr ? 0 : std::atoi(id));
    }
  });
  std::vector<DateStyle> out;
  out.reserve(xf_formats.size());
  for (int id : xf_formats) {
    auto it = custom.find(id);
    out.push_back(it != custom.end() ? it->second : ClassifyBuiltin(id));
  }
  return out;
}

// ---- Worksheets -----------------------------------------------------------------

// std::atoi of a view (a style index as the document path read it).
int AtoiOf(std::string_view value) { return std::atoi(std::string(value).c_str()); }

// Puts a row's cells in column order (a part may list them in any order).
void SortCells(Row* row) {
  auto by_column = [](const Cell& a, const Cell& b) { return a.column < b.column; };
  if (!std::is_sorted(row->cells.begin(), row->cells.end(), by_column)) {
    std::stable_sort(row->cells.begin(), row->cells.end(), by_column);
  }
}

// <worksheet><sheetData><row r><c r t s>(<v>|<is>) into `sheet.rows`, from a scan of
// the part's text (Scan) or from its document (Read): the same cells either way. A
// cell's text is read where it lies in the part and copied once, into the cell.
class SheetReader {
 public:
  SheetReader(const ReadContext& ctx, Sheet* sheet, const SharedStrings& strings,
              const std::vector<DateStyle>& styles, bool date1904)
      : ctx_(ctx), sheet_(*sheet), strings_(strings), styles_(styles), date1904_(date1904) {}

  // kFallBack when the part is not the plain XML ScanXml reads or a cell or row is
  // refused: the caller then reads the part through the document (Read), which
  // gives the error at its place.
  Scan ScanText(std::string_view text) {
    Scan scan = ScanXml(text, this);
    if (scan == Scan::kRead && !HandOverRow().has_value()) return Scan::kFallBack;
    return scan;
  }

  Status Read(const Part& part) {
    text_ = part.text.data();
    for (pugi::xml_node data = part.doc.document_element().first_child(); data;
         data = data.next_sibling()) {
      if (!IsElement(data, "sheetData")) continue;
      for (pugi::xml_node row = data.first_child(); row; row = row.next_sibling()) {
        if (!IsElement(row, "row")) continue;
        NGO_TRY(CheckAttributes(row));
        const char* r = Attr(row, "r");
        NGO_TRY(StartRow(r == nullptr ? std::nullopt : std::optional<std::string_view>(r),
                         row.offset_debug()));
        for (pugi::xml_node c = row.first_child(); c; c = c.next_sibling()) {
          if (IsElement(c, "c")) NGO_TRY(ReadCell(c));
        }
      }
    }
    return HandOverRow();
  }

  // ScanXml's handler.
  bool Start(std::string_view name, const std::vector<RawAttribute>& attributes, ptrdiff_t offset) {
    Place place = places_.empty() ? Place::kRoot : PlaceIn(places_.back(), name);
    places_.push_back(place);
    if (place == Place::kRow) {
      std::optional<std::string_view> r;
      for (const RawAttribute& a : attributes) {
        if (LocalNameIs(a.name, "r")) {
          r = a.value;
          break;
        }
      }
      return StartRow(r, offset).has_value();
    }
    if (place == Place::kCell) {
      cell_ = CellAttributes{};
      cell_.offset = offset;
      for (const RawAttribute& a : attributes) {
        if (LocalNameIs(a.name, "r")) {
          cell_.ref = a.value;
        } else if (LocalNameIs(a.name, "t")) {
          cell_.type = a.value;
        } else if (LocalNameIs(a.name, "s")) {
          cell_.style = AtoiOf(a.value);
        }
      }
      text_collector_.Clear();
    }
    return true;
  }
  bool Text(std::string_view raw) {
    return places_.back() == Place::kText ? text_collector_.Add(raw) : ReferencesValid(raw);
  }
  bool End() {
    Place place = places_.back();
    places_.pop_back();
    if (place != Place::kCell) return true;
    int row = 0, column = 0;
    return PlaceCell(cell_, &row, &column).has_value() &&
           AddCell(row, column, cell_, text_collector_.text()).has_value();
  }

 private:
  // What a <c> says of itself: its reference, type and style.
  struct CellAttributes {
    std::optional<std::string_view> ref;
    std::string_view type = "n";
    int style = 0;
    ptrdiff_t offset = 0;  // of the element's name in the part, for messages
  };

  Location Where(int row, int column) const {
    Location where{ctx_.file};
    where.sheet = sheet_.name;
    where.row = row;
    where.column = column;
    return where;
  }

  Status CheckAttributes(pugi::xml_node node) const {
    pugi::xml_attribute duplicate = DuplicateAttribute(node);
    if (!duplicate) return Ok();
    return tl::unexpected(MalformedAt(
        ctx_, sheet_.part, static_cast<size_t>(duplicate.name() - text_), "duplicate attribute"));
  }

  // A <row> with its `r` (when it has one) starts at byte `offset` of the part.
  Status StartRow(std::optional<std::string_view> r, ptrdiff_t offset) {
    int number = row_ + 1;
    if (r) {
      const char* last = r->data() + r->size();
      auto [end, ec] = std::from_chars(r->data(), last, number);
      if (ec != std::errc() || end != last || number < 1 || number > kMaxRow) {
        return MakeError("X006",
                         fmt::format("bad row number \"{}\" in {} line {}", *r, sheet_.part,
                                     LineAt(ctx_, sheet_.part, offset)),
                         Where(0, 0));
      }
    }
    row_ = number;
    column_ = 0;
    return Ok();
  }

  Status TooLong(int row, int column) const {
    return MakeError("X005",
                     fmt::format("cell value is longer than {} bytes (a spreadsheet cell holds at "
                                 "most 32,767 characters)",
                                 ctx_.options->max_cell_bytes),
                     Where(row, column));
  }

  // The cell's text: its <v>, or the <t> of its inline string <is> (rich-text runs
  // concatenated, phonetic runs not). A view of the part's buffer when it is one
  // piece of text (nearly always), else built in `scratch_`.
  std::string_view CellText(pugi::xml_node c) {
    pugi::xml_node first = c.first_child();
    if (first && !first.next_sibling() && first.type() == pugi::node_element) {
      pugi::xml_node text = first.first_child();
      if (text && !text.next_sibling() && IsText(text) && NameIs(first.name(), "v")) {
        return text.value();
      }
    }
    scratch_.clear();
    for (pugi::xml_node child = c.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = Local(child);
      if (name == "v") {
        AppendText(child, &scratch_);
      } else if (name == "is") {
        for (pugi::xml_node run = child.first_child(); run; run = run.next_sibling()) {
          if (run.type() != pugi::node_element) continue;
          std::string_view run_name = Local(run);
          if (run_name == "t") {
            AppendText(run, &scratch_);
          } else if (run_name == "r") {
            for (pugi::xml_node t = run.first_child(); t; t = t.next_sibling()) {
              if (t.type() == pugi::node_element && Local(t) == "t") AppendText(t, &scratch_);
            }
          }
        }
      }
    }
    return scratch_;
  }

  Status ReadCell(pugi::xml_node c) {
    NGO_TRY(CheckAttributes(c));
    CellAttributes attributes;
    attributes.offset = c.offset_debug();
    for (pugi::xml_attribute a = c.first_attribute(); a; a = a.next_attribute()) {
      const char* name = a.name();
      if (NameIs(name, "r")) {
        attributes.ref = a.value();
      } else if (NameIs(name, "t")) {
        attributes.type = a.value();
      } else if (NameIs(name, "s")) {
        attributes.style = std::atoi(a.value());
      }
    }
    int row = 0, column = 0;
    NGO_TRY(PlaceCell(attributes, &row, &column));
    return AddCell(row, column, attributes, CellText(c));
  }

  // The cell's row and column: its reference's, or the next column of the row. X006
  // for a reference that is not one.
  Status PlaceCell(const CellAttributes& attributes, int* row, int* column) {
    *row = row_ == 0 ? 1 : row_;
    *column = column_ + 1;
    if (attributes.ref && !ParseCellRef(*attributes.ref, row, column)) {
      return MakeError("X006",
                       fmt::format("bad cell reference \"{}\" in {} line {}", *attributes.ref,
                                   sheet_.part, LineAt(ctx_, sheet_.part, attributes.offset)),
                       Where(0, 0));
    }
    if (row_ == 0) row_ = *row;
    column_ = *column;
    return Ok();
  }

  // The cell at (row, column) whose text is `value`, as its type and style make it;
  // not stored when it is empty.
  Status AddCell(int row, int column, const CellAttributes& attributes, std::string_view value) {
    if (value.size() > ctx_.options->max_cell_bytes) return TooLong(row, column);
    std::string_view type = attributes.type;
    int style = attributes.style;
    Cell cell;
    cell.row = row;
    cell.column = column;
    if (Equals(type, "s")) {
      size_t index = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec != std::errc() || index >= strings_.strings.size()) {
        return MakeError("X006", fmt::format("shared string index \"{}\" does not exist", value),
                         Where(row, column));
      }
      if (strings_.too_long.count(index) != 0) return TooLong(row, column);
      cell.value = strings_.strings[index];
    } else if (Equals(type, "inlineStr") || Equals(type, "str")) {
      cell.value = DecodeEscapes(value);
    } else if (Equals(type, "b")) {
      cell.kind = CellKind::kBoolean;
      std::string_view v = text::Trim(value);
      if (v.empty()) return Ok();
      cell.number = v == "1" || v == "true" ? 1 : 0;
      cell.value = cell.number != 0 ? "TRUE" : "FALSE";
    } else if (Equals(type, "e")) {
      cell.kind = CellKind::kError;
      cell.value = value;
    } else if (Equals(type, "d")) {
      cell.kind = CellKind::kDate;
      cell.value = text::Trim(value);
    } else {  // "n" or absent: a number
      std::string_view v = text::Trim(value);
      if (v.empty()) return Ok();
      double number = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
      if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(number)) {
        cell.value = v;  // not a number after all: keep the text
      } else {
        cell.number = number;
        DateStyle date = style >= 0 && static_cast<size_t>(style) < styles_.size()
                             ? styles_[static_cast<size_t>(style)]
                             : DateStyle::kNone;
        if (date != DateStyle::kNone && number >= 0 && number < 2958466) {
          cell.kind = CellKind::kDate;
          cell.value = SerialToIso(number, date1904_, date == DateStyle::kTime);
        } else {
          cell.kind = CellKind::kNumber;
          cell.value = FormatNumber(number);
        }
      }
    }
    if (cell.value.empty()) return Ok();
    std::vector<Row>& rows = sheet_.rows;
    if (rows.empty() || rows.back().number != cell.row) {
      // Rows of a sheet are alike: room for as many cells as the row before had.
      size_t expected = rows.empty() ? handed_over_cells_ : rows.back().cells.size();
      NGO_TRY(HandOverRow());
      rows.push_back(Row{cell.row, {}});
      rows.back().cells.reserve(expected);
    }
    rows.back().cells.push_back(std::move(cell));
    return Ok();
  }

  // With XlsxOptions::on_row, the row read so far goes to it rather than staying in
  // the sheet (a no-op without it).
  Status HandOverRow() {
    if (!ctx_.options->on_row || sheet_.rows.empty()) return Ok();
    Row row = std::move(sheet_.rows.back());
    sheet_.rows.clear();
    handed_over_cells_ = row.cells.size();
    SortCells(&row);
    return ctx_.options->on_row(sheet_, std::move(row));
  }

  const ReadContext& ctx_;
  Sheet& sheet_;
  const SharedStrings& strings_;
  const std::vector<DateStyle>& styles_;
  bool date1904_;
  int row_ = 0, column_ = 0;
  size_t handed_over_cells_ = 0;  // of the last row given to on_row
  std::string scratch_;
  const char* text_ = nullptr;  // the part's text, where the offsets of names count from
  // The scan's state: the places of the elements open, the cell being read.
  std::vector<Place> places_;
  CellAttributes cell_;
  TextCollector text_collector_;
};

// Puts rows and cells in order and merges rows a file listed twice (allowed by
// nothing, but cheap to tolerate).
void Normalize(std::vector<Row>* rows) {
  auto by_number = [](const Row& a, const Row& b) { return a.number < b.number; };
  if (!std::is_sorted(rows->begin(), rows->end(), by_number)) {
    std::stable_sort(rows->begin(), rows->end(), by_number);
  }
  std::vector<Row> merged;
  bool need_merge = false;
  for (size_t i = 1; i < rows->size(); ++i) {
    if ((*rows)[i].number == (*rows)[i - 1].number) need_merge = true;
  }
  if (need_merge) {
    for (Row& row : *rows) {
      if (!merged.empty() && merged.back().number == row.number) {
        for (Cell& cell : row.cells) merged.back().cells.push_back(std::move(cell));
      } else {
        merged.push_back(std::move(row));
      }
    }
    *rows = std::move(merged);
  }
  for (Row& row : *rows) SortCells(&row);
}

}  // namespace

std::string FormatNumber(double value) {
  if (value == 0) return "0";
  if (std::trunc(value) == value && std::fabs(value) < 1e15) {
    return fmt::format("{:.0f}", value);
  }
  return fmt::format("{}", value);
}

std::string SerialToIso(double serial, bool date1904, bool time_only) {
  double whole = std::floor(serial);
  auto seconds = static_cast<int64_t>(std::llround((serial - whole) * 86400.0));
  auto days = static_cast<int64_t>(whole);
  if (seconds >= 86400) {
    days += 1;
    seconds -= 86400;
  }
  int hh = static_cast<int>(seconds / 3600), mm = static_cast<int>(seconds / 60 % 60),
      ss = static_cast<int>(seconds % 60);
  if (time_only) return fmt::format("{:02}:{:02}:{:02}", hh, mm, ss);
  // Days since 1970-01-01. The 1900 system counts 1900-02-29, which never existed
  // (Lotus 1-2-3's bug kept for compatibility): serials below 60 are one day later.
  int64_t z = date1904 ? days - 24107 : days - 25569 + (days < 60 ? 1 : 0);
  std::string day = date::FormatIsoDate(z);
  if (seconds == 0) return day;  // whole days (after rounding to the second)
  return fmt::format("{}T{:02}:{:02}:{:02}", day, hh, mm, ss);
}

const Cell* Sheet::Find(int row, int column) const {
  auto row_it = std::lower_bound(rows.begin(), rows.end(), row,
                                 [](const Row& r, int number) { return r.number < number; });
  if (row_it == rows.end() || row_it->number != row) return nullptr;
  auto cell_it = std::lower_bound(row_it->cells.begin(), row_it->cells.end(), column,
                                  [](const Cell& c, int col) { return c.column < col; });
  if (cell_it == row_it->cells.end() || cell_it->column != column) return nullptr;
  return &*cell_it;
}

const Sheet* Workbook::FindSheet(std::string_view name) const {
  std::string wanted = text::AsciiLower(name);
  for (const Sheet& sheet : sheets) {
    if (text::AsciiLower(sheet.name) == wanted) return &sheet;
  }
  return nullptr;
}

namespace {

// ReadXlsx, or with `document_only` ReadXlsxDocumentOnly.
Result<Workbook> ReadWorkbookParts(std::string_view data, const std::string& file_name,
                                   const XlsxOptions& options, bool document_only) {
  ReadContext ctx;
  ctx.file = file_name;
  ctx.options = &options;
  ZipLimits limits{.max_entry_bytes = options.max_part_bytes,
                   .max_total_bytes = options.max_total_bytes};
  auto zip = ZipArchive::Open(data, file_name, limits, ".xlsx workbook");
  if (!zip) return tl::unexpected(AsWorkbookError(zip.error()));
  ctx.zip = zip->get();

  // Where the workbook part is.
  std::string workbook_part = "xl/workbook.xml";
  if (HasPart(ctx, "_rels/.rels")) {
    Part root_rels;
    NGO_TRY(LoadPart(ctx, "_rels/.rels", &root_rels));
    for (const Relationship& rel : ReadRels(root_rels)) {
      if (TypeEndsWith(rel.type, "/officeDocument")) {
        workbook_part = ResolveTarget("", rel.target);
        break;
      }
    }
  }
  if (!HasPart(ctx, workbook_part)) {
    return MakeError("X002",
                     fmt::format("not an .xlsx workbook: the archive has no {}", workbook_part),
                     {file_name});
  }
  WorkbookXml workbook_xml;
  {
    Part part;
    NGO_TRY(LoadPart(ctx, workbook_part, &part));
    workbook_xml = ReadWorkbookXml(part);
  }

  std::string base = DirName(workbook_part);
  std::string rels_part = base + "_rels/" + workbook_part.substr(base.size()) + ".rels";
  std::map<std::string, std::string> targets;  // relationship id -> part
  std::string shared_part, styles_part;
  if (HasPart(ctx, rels_part)) {
    Part part;
    NGO_TRY(LoadPart(ctx, rels_part, &part));
    for (const Relationship& rel : ReadRels(part)) {
      std::string target = ResolveTarget(base, rel.target);
      targets[rel.id] = target;
      if (TypeEndsWith(rel.type, "/sharedStrings")) shared_part = target;
      if (TypeEndsWith(rel.type, "/styles")) styles_part = target;
    }
  }
  if (shared_part.empty() && HasPart(ctx, base + "sharedStrings.xml")) {
    shared_part = base + "sharedStrings.xml";
  }
  if (styles_part.empty() && HasPart(ctx, base + "styles.xml")) styles_part = base + "styles.xml";

  Workbook workbook;
  workbook.file = file_name;
  for (size_t i = 0; i < workbook_xml.sheets.size(); ++i) {
    Sheet sheet;
    sheet.name = workbook_xml.sheets[i].name;
    auto it = targets.find(workbook_xml.sheets[i].rel_id);
    sheet.part =
        it != targets.end() ? it->second : fmt::format("{}worksheets/sheet{}.xml", base, i + 1);
    workbook.sheets.push_back(std::move(sheet));
  }

  bool lone = options.read_lone_sheet && workbook.sheets.size() == 1;
  auto wanted = [&](const Sheet& sheet) {
    return lone || !options.want_sheet || options.want_sheet(sheet.name);
  };
  bool any_wanted = false;
  for (const Sheet& sheet : workbook.sheets) {
    if (wanted(sheet)) any_wanted = true;
  }
  if (!any_wanted) return workbook;

  SharedStrings strings;
  if (!shared_part.empty() && HasPart(ctx, shared_part)) {
    std::string text = NGO_TRY(ReadPartText(ctx, shared_part));
    SharedStringsScan scan(options.max_cell_bytes, &strings);
    if (document_only || FirstInvalidByte(text) != std::string_view::npos ||
        ScanXml(text, &scan) != Scan::kRead) {
      strings = {};
      Part part;
      NGO_TRY(ParsePart(ctx, shared_part, std::move(text), &part));
      strings = ReadSharedStrings(part, options.max_cell_bytes);
    }
  }
  std::vector<DateStyle> styles;
  if (!styles_part.empty() && HasPart(ctx, styles_part)) {
    Part part;
    NGO_TRY(LoadPart(ctx, styles_part, &part));
    styles = ReadStyles(part);
  }

  for (Sheet& sheet : workbook.sheets) {
    if (!wanted(sheet)) continue;
    std::string text = NGO_TRY(ReadPartText(ctx, sheet.part));
    if (options.on_sheet) NGO_TRY(options.on_sheet(sheet));
    if (document_only || FirstInvalidByte(text) != std::string_view::npos ||
        SheetReader(ctx, &sheet, strings, styles, workbook_xml.date1904).ScanText(text) !=
            Scan::kRead) {
      sheet.rows.clear();
      if (options.on_sheet) NGO_TRY(options.on_sheet(sheet));
      Part part;
      NGO_TRY(ParsePart(ctx, sheet.part, std::move(text), &part, /*every_attribute=*/false));
      NGO_TRY(SheetReader(ctx, &sheet, strings, styles, workbook_xml.date1904).Read(part));
    }
    Normalize(&sheet.rows);
    sheet.loaded = true;
  }
  return workbook;
}

}  // namespace

Result<Workbook> ReadXlsx(std::string_view data, const std::string& file_name,
                          const XlsxOptions& options) {
  return ReadWorkbookParts(data, file_name, options, /*document_only=*/false);
}

Result<Workbook> ReadXlsxDocumentOnly(std::string_view data, const std::string& file_name,
                                      const XlsxOptions& options) {
  return ReadWorkbookParts(data, file_name, options, /*document_only=*/true);
}

bool SameWorkbook(const Workbook& a, const Workbook& b) {
  auto same_cell = [](const Cell& x, const Cell& y) {
    return x.row == y.row && x.column == y.column && x.kind == y.kind && x.value == y.value &&
           x.number == y.number;
  };
  auto same_row = [&](const Row& x, const Row& y) {
    return x.number == y.number &&
           std::equal(x.cells.begin(), x.cells.end(), y.cells.begin(), y.cells.end(), same_cell);
  };
  auto same_sheet = [&](const Sheet& x, const Sheet& y) {
    return x.name == y.name && x.part == y.part && x.loaded == y.loaded &&
           std::equal(x.rows.begin(), x.rows.end(), y.rows.begin(), y.rows.end(), same_row);
  };
  return a.file == b.file &&
         std::equal(a.sheets.begin(), a.sheets.end(), b.sheets.begin(), b.sheets.end(), same_sheet);
}

Result<Workbook> ReadXlsxFile(const std::string& path, const XlsxOptions& options) {
  std::string data = NGO_TRY(ReadFile(path));
  return ReadXlsx(data, path, options);
}

}  // namespace ngosurvey::form
