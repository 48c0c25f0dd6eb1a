// .xlsx reading. The parts this reads, in order (ECMA-376 part 1):
//   _rels/.rels                     -> the workbook part ("officeDocument" relation)
//   xl/workbook.xml                 -> <sheet name r:id>, <workbookPr date1904>
//   xl/_rels/workbook.xml.rels      -> sheet, sharedStrings and styles part names
//   xl/sharedStrings.xml            -> <si> (<t> | <r><t>)* with <rPh> ignored
//   xl/styles.xml                   -> <numFmts><numFmt>, <cellXfs><xf numFmtId>
//   xl/worksheets/sheetN.xml        -> <sheetData><row r><c r t s>(<v>|<is>)
// Every part is decompressed in chunks straight into expat.
#include "form/xlsx_reader.h"

#include <expat.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_set>

#include "base/date.h"
#include "base/file.h"
#include "base/text.h"
#include "base/xml_names.h"
#include "base/zip_archive.h"

namespace ngosurvey::form {
namespace {

constexpr int kMaxRow = 1048576;
constexpr int kMaxColumn = 16384;

using xml::Attribute;
using xml::LocalName;

// Decodes OOXML's "_xHHHH_" escapes (control characters in shared strings).
std::string DecodeEscapes(std::string text) {
  if (text.find("_x") == std::string::npos) return text;
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
bool ParseCellRef(std::string_view ref, int* row, int* column) {
  size_t i = 0;
  int col = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (col > kMaxColumn) return false;
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  int r = 0;
  auto [end, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || end != ref.data() + ref.size() || r < 1 || r > kMaxRow) return false;
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

// ---- Streaming XML over zip entries -------------------------------------------

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(const char* data, int len) {}

  // Stops the parse with `error` (reported instead of an XML error).
  void Fail(Error error) {
    if (!failed_) {
      failed_ = true;
      error_ = std::move(error);
      XML_StopParser(parser_, XML_FALSE);
    }
  }
  bool failed() const { return failed_; }
  const Error& error() const { return error_; }
  void set_parser(XML_Parser parser) { parser_ = parser; }
  int line() const { return static_cast<int>(XML_GetCurrentLineNumber(parser_)); }

 private:
  XML_Parser parser_ = nullptr;
  bool failed_ = false;
  Error error_;
};

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

void XMLCALL OnStart(void* user, const XML_Char* name, const XML_Char** attrs) {
  auto* handler = static_cast<XmlHandler*>(user);
  if (!handler->failed()) handler->Start(LocalName(name), attrs);
}
void XMLCALL OnEnd(void* user, const XML_Char* name) {
  auto* handler = static_cast<XmlHandler*>(user);
  if (!handler->failed()) handler->End(LocalName(name));
}
void XMLCALL OnText(void* user, const XML_Char* data, int len) {
  auto* handler = static_cast<XmlHandler*>(user);
  if (!handler->failed()) handler->Text(data, len);
}
void XMLCALL OnDoctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  // Office never writes a DTD; refusing one rules out entity-expansion attacks.
  static_cast<XmlHandler*>(user)->Fail(Error{"X003", "", {}});
}

struct ParserDeleter {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};
// True when the archive holds `part` (case-insensitive match).
bool HasPart(const ReadContext& ctx, const std::string& part) {
  return ctx.zip->Find(part).has_value();
}

// Streams the zip entry `part` through expat into `handler`.
Status StreamPart(ReadContext& ctx, const std::string& part, XmlHandler& handler) {
  std::optional<size_t> index = ctx.zip->Find(part);
  if (!index) {
    return MakeError("X002", fmt::format("the workbook has no part {}", part), {ctx.file});
  }
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate("UTF-8"));
  if (!parser) return MakeError("X003", "cannot create an XML parser", {ctx.file});
  XML_SetUserData(parser.get(), &handler);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  handler.set_parser(parser.get());

  auto xml_error = [&](std::string what) {
    return MakeError(
        "X003",
        fmt::format("{} line {}, column {}: {}", part, XML_GetCurrentLineNumber(parser.get()),
                    XML_GetCurrentColumnNumber(parser.get()) + 1, what),
        {ctx.file});
  };
  Status read = ctx.zip->ReadEntryChunks(*index, [&](std::string_view chunk, bool last) -> Status {
    if (XML_Parse(parser.get(), chunk.data(), static_cast<int>(chunk.size()), last ? 1 : 0) ==
        XML_STATUS_ERROR) {
      if (handler.failed()) {
        Error error = handler.error();
        if (error.message.empty()) return xml_error("a DTD is not allowed in a workbook part");
        return tl::unexpected(std::move(error));
      }
      return xml_error(XML_ErrorString(XML_GetErrorCode(parser.get())));
    }
    if (handler.failed()) return tl::unexpected(handler.error());
    return Ok();
  });
  if (!read && read.error().code.rfind("ZIP", 0) == 0) {
    return tl::unexpected(AsWorkbookError(read.error()));
  }
  return read;
}

// ---- Relationships and the workbook ---------------------------------------------

struct Relationship {
  std::string id, type, target;
};

class RelsHandler : public XmlHandler {
 public:
  std::vector<Relationship> rels;
  void Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    Relationship rel;
    if (const char* v = Attribute(attrs, "Id")) rel.id = v;
    if (const char* v = Attribute(attrs, "Type")) rel.type = v;
    if (const char* v = Attribute(attrs, "Target")) rel.target = v;
    rels.push_back(std::move(rel));
  }
  void End(std::string_view) override {}
};

bool TypeEndsWith(const std::string& type, std::string_view suffix) {
  return type.size() >= suffix.size() &&
         type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class WorkbookHandler : public XmlHandler {
 public:
  struct SheetRef {
    std::string name, rel_id;
  };
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  void Start(std::string_view name, const char** attrs) override {
    if (name == "sheet") {
      SheetRef ref;
      if (const char* v = Attribute(attrs, "name")) ref.name = v;
      if (const char* v = Attribute(attrs, "id", /*prefixed=*/true)) ref.rel_id = v;
      sheets.push_back(std::move(ref));
    } else if (name == "workbookPr") {
      const char* v = Attribute(attrs, "date1904");
      date1904 = v != nullptr && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  }
  void End(std::string_view) override {}
};

// ---- Shared strings -------------------------------------------------------------

class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(size_t max_bytes) : max_bytes_(max_bytes) {}
  std::vector<std::string> strings;
  std::unordered_set<size_t> too_long;  // indexes of strings over the cell limit

  void Start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
      over_ = false;
      text_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_si_ && phonetic_depth_ == 0) {
      in_t_ = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "si") {
      if (over_) too_long.insert(strings.size());
      strings.push_back(over_ ? std::string() : DecodeEscapes(std::move(text_)));
      text_ = std::string();
      in_si_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "t") {
      in_t_ = false;
    }
  }
  void Text(const char* data, int len) override {
    if (!in_t_ || over_) return;
    if (text_.size() + static_cast<size_t>(len) > max_bytes_) {
      over_ = true;
      text_ = std::string();
      return;
    }
    text_.append(data, static_cast<size_t>(len));
  }

 private:
  size_t max_bytes_;
  bool in_si_ = false, in_t_ = false, over_ = false;
  int phonetic_depth_ = 0;
  std::string text_;
};

// ---- Styles: which cell styles are dates ------------------------------------------

enum class DateStyle : uint8_t { kNone, kDate, kTime };

DateStyle ClassifyBuiltin(int id) {
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return DateStyle::kTime;
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
    return DateStyle::kDate;
  }
  return DateStyle::kNone;
}

// A custom number format is a date when, outside quoted text, escapes and [colour]
// or [$-locale] brackets, it uses d, m, y, h or s; it is time-only without d and y.
DateStyle ClassifyFormatCode(std::string_view code) {
  bool date = false, time = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string inner = text::AsciiLower(code.substr(i + 1, close - i - 1));
      if (!inner.empty() && (inner[0] == 'h' || inner[0] == 'm' || inner[0] == 's') &&
          inner.find_first_not_of(inner[0]) == std::string::npos) {
        time = true;  // elapsed time: [h], [mm], [ss]
      }
      i = close;
    } else if (c == ';') {
      break;  // only the first section decides
    } else {
      char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == 'd' || lower == 'y') date = true;
      if (lower == 'h' || lower == 's') time = true;
      if (lower == 'm') date = true;  // month or minute: either way a date/time format
    }
  }
  if (date && !time) return DateStyle::kDate;
  if (time && !date) return DateStyle::kTime;
  if (date && time) {
    // "h:mm" alone sets date via 'm'; treat it as time when there is no d or y.
    std::string lower = text::AsciiLower(code);
    bool has_dy = lower.find('d') != std::string::npos || lower.find('y') != std::string::npos;
    return has_dy ? DateStyle::kDate : DateStyle::kTime;
  }
  return DateStyle::kNone;
}

class StylesHandler : public XmlHandler {
 public:
  std::map<int, DateStyle> custom;  // numFmtId -> kind, for custom formats
  std::vector<int> xf_formats;      // cellXfs index -> numFmtId

  void Start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = Attribute(attrs, "numFmtId");
      const char* code = Attribute(attrs, "formatCode");
      if (id != nullptr && code != nullptr) custom[std::atoi(id)] = ClassifyFormatCode(code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = Attribute(attrs, "numFmtId");
      xf_formats.push_back(id == nullptr ? 0 : std::atoi(id));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

  std::vector<DateStyle> Resolve() const {
    std::vector<DateStyle> out;
    out.reserve(xf_formats.size());
    for (int id : xf_formats) {
      auto it = custom.find(id);
      out.push_back(it != custom.end() ? it->second : ClassifyBuiltin(id));
    }
    return out;
  }

 private:
  bool in_cell_xfs_ = false;
};

// ---- Worksheets -----------------------------------------------------------------

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(const ReadContext& ctx, const Sheet& sheet, const SharedStringsHandler& strings,
               const std::vector<DateStyle>& styles, bool date1904, std::vector<Row>* rows)
      : ctx_(ctx),
        sheet_(sheet),
        strings_(strings),
        styles_(styles),
        date1904_(date1904),
        rows_(rows) {}

  void Start(std::string_view name, const char** attrs) override {
    if (name == "sheetData") {
      in_data_ = true;
    } else if (!in_data_) {
      return;
    } else if (name == "row") {
      const char* r = Attribute(attrs, "r");
      int number = row_ + 1;
      if (r != nullptr) {
        auto [end, ec] = std::from_chars(r, r + std::strlen(r), number);
        if (ec != std::errc() || *end != '\0' || number < 1 || number > kMaxRow) {
          return Fail(Error{
              "X006", fmt::format("bad row number \"{}\" in {} line {}", r, sheet_.part, line()),
              Where(0, 0)});
        }
      }
      row_ = number;
      column_ = 0;
    } else if (name == "c") {
      const char* r = Attribute(attrs, "r");
      int row = row_ == 0 ? 1 : row_, column = column_ + 1;
      if (r != nullptr && !ParseCellRef(r, &row, &column)) {
        return Fail(Error{
            "X006", fmt::format("bad cell reference \"{}\" in {} line {}", r, sheet_.part, line()),
            Where(0, 0)});
      }
      if (row_ == 0) row_ = row;
      cell_row_ = row;
      column_ = column;
      const char* t = Attribute(attrs, "t");
      type_ = t == nullptr ? "n" : t;
      const char* s = Attribute(attrs, "s");
      style_ = s == nullptr ? 0 : std::atoi(s);
      value_.clear();
      in_cell_ = true;
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      collecting_ = true;
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_inline_ && phonetic_depth_ == 0) {
      collecting_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "sheetData") {
      in_data_ = false;
    } else if (name == "v" || name == "t") {
      collecting_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      FinishCell();
    }
  }

  void Text(const char* data, int len) override {
    if (!collecting_) return;
    if (value_.size() + static_cast<size_t>(len) > ctx_.options->max_cell_bytes) {
      TooLong();
      return;
    }
    value_.append(data, static_cast<size_t>(len));
  }

 private:
  Location Where(int row, int column) const {
    Location where{ctx_.file};
    where.sheet = sheet_.name;
    where.row = row;
    where.column = column;
    return where;
  }

  void TooLong() {
    Fail(Error{"X005",
               fmt::format("cell value is longer than {} bytes (a spreadsheet cell holds at "
                           "most 32,767 characters)",
                           ctx_.options->max_cell_bytes),
               Where(cell_row_, column_)});
  }

  void FinishCell() {
    Cell cell;
    cell.row = cell_row_;
    cell.column = column_;
    if (type_ == "s") {
      size_t index = 0;
      auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
      if (ec != std::errc() || index >= strings_.strings.size()) {
        return Fail(Error{"X006", fmt::format("shared string index \"{}\" does not exist", value_),
                          Where(cell_row_, column_)});
      }
      if (strings_.too_long.count(index) != 0) return TooLong();
      cell.value = strings_.strings[index];
    } else if (type_ == "inlineStr") {
      cell.value = DecodeEscapes(std::move(value_));
    } else if (type_ == "str") {
      cell.value = DecodeEscapes(std::move(value_));
    } else if (type_ == "b") {
      cell.kind = CellKind::kBoolean;
      std::string_view v = text::Trim(value_);
      if (v.empty()) return;
      cell.number = v == "1" || v == "true" ? 1 : 0;
      cell.value = cell.number != 0 ? "TRUE" : "FALSE";
    } else if (type_ == "e") {
      cell.kind = CellKind::kError;
      cell.value = value_;
    } else if (type_ == "d") {
      cell.kind = CellKind::kDate;
      cell.value = std::string(text::Trim(value_));
    } else {  // "n" or absent: a number
      std::string_view v = text::Trim(value_);
      if (v.empty()) return;
      double number = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
      if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(number)) {
        cell.value = std::string(v);  // not a number after all: keep the text
      } else {
        cell.number = number;
        DateStyle date = style_ >= 0 && static_cast<size_t>(style_) < styles_.size()
                             ? styles_[static_cast<size_t>(style_)]
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
    if (cell.value.empty()) return;
    if (rows_->empty() || rows_->back().number != cell.row) {
      // Rows of a sheet are alike: room for as many cells as the row before had.
      size_t expected = rows_->empty() ? 0 : rows_->back().cells.size();
      rows_->push_back(Row{cell.row, {}});
      rows_->back().cells.reserve(expected);
    }
    rows_->back().cells.push_back(std::move(cell));
  }

  const ReadContext& ctx_;
  const Sheet& sheet_;
  const SharedStringsHandler& strings_;
  const std::vector<DateStyle>& styles_;
  bool date1904_;
  std::vector<Row>* rows_;

  bool in_data_ = false, in_cell_ = false, in_inline_ = false, collecting_ = false;
  int phonetic_depth_ = 0;
  int row_ = 0, column_ = 0, cell_row_ = 0, style_ = 0;
  std::string type_;
  std::string value_;
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
  for (Row& row : *rows) {
    auto by_column = [](const Cell& a, const Cell& b) { return a.column < b.column; };
    if (!std::is_sorted(row.cells.begin(), row.cells.end(), by_column)) {
      std::stable_sort(row.cells.begin(), row.cells.end(), by_column);
    }
  }
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

Result<Workbook> ReadXlsx(std::string_view data, const std::string& file_name,
                          const XlsxOptions& options) {
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
    RelsHandler root_rels;
    if (Status status = StreamPart(ctx, "_rels/.rels", root_rels); !status)
      return tl::unexpected(status.error());
    for (const Relationship& rel : root_rels.rels) {
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
  WorkbookHandler workbook_xml;
  if (Status status = StreamPart(ctx, workbook_part, workbook_xml); !status)
    return tl::unexpected(status.error());

  std::string base = DirName(workbook_part);
  std::string rels_part = base + "_rels/" + workbook_part.substr(base.size()) + ".rels";
  std::map<std::string, std::string> targets;  // relationship id -> part
  std::string shared_part, styles_part;
  if (HasPart(ctx, rels_part)) {
    RelsHandler rels;
    if (Status status = StreamPart(ctx, rels_part, rels); !status)
      return tl::unexpected(status.error());
    for (const Relationship& rel : rels.rels) {
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

  SharedStringsHandler strings(options.max_cell_bytes);
  if (!shared_part.empty() && HasPart(ctx, shared_part)) {
    if (Status status = StreamPart(ctx, shared_part, strings); !status)
      return tl::unexpected(status.error());
  }
  StylesHandler styles_xml;
  if (!styles_part.empty() && HasPart(ctx, styles_part)) {
    if (Status status = StreamPart(ctx, styles_part, styles_xml); !status)
      return tl::unexpected(status.error());
  }
  std::vector<DateStyle> styles = styles_xml.Resolve();

  for (Sheet& sheet : workbook.sheets) {
    if (!wanted(sheet)) continue;
    SheetHandler handler(ctx, sheet, strings, styles, workbook_xml.date1904, &sheet.rows);
    if (Status status = StreamPart(ctx, sheet.part, handler); !status)
      return tl::unexpected(status.error());
    Normalize(&sheet.rows);
    sheet.loaded = true;
  }
  return workbook;
}

Result<Workbook> ReadXlsxFile(const std::string& path, const XlsxOptions& options) {
  std::string data = NGO_TRY(ReadFile(path));
  return ReadXlsx(data, path, options);
}

}  // namespace ngosurvey::form
