// RFC 4180 reading. Grammar (per record):
//   record  = field *(DELIM field) (CRLF | LF | CR | EOF)
//   field   = quoted | bare
//   quoted  = DQUOTE *(any byte except DQUOTE | DQUOTE DQUOTE) DQUOTE
//   bare    = *(any byte except DELIM, DQUOTE, CR, LF)
// A quote inside a bare field (a"b) is an error rather than a guess, since it
// usually means a broken export.
#include "base/csv.h"

#include <functional>

#include "base/escape.h"
#include "base/file.h"
#include "base/text.h"

namespace ngosurvey::csv {
namespace {

Location At(const std::string& file, int line, int column) {
  Location where;
  where.file = file;
  where.row = line;
  where.column = column;
  return where;
}

// CSV006 at the second of two equal column names of the header row (line `line`).
Status CheckUniqueHeader(const std::vector<std::string>& header, const std::string& file,
                         int line) {
  for (size_t i = 0; i < header.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (header[i] == header[j]) {
        return MakeError(
            "CSV006",
            "duplicate column name '" + header[i] + "' (also column " + std::to_string(j + 1) + ")",
            At(file, line, static_cast<int>(i) + 1));
      }
    }
  }
  return Ok();
}

// First invalid UTF-8 byte as (line, column in code points), or nullopt. `scanned`,
// when set, is told every few MiB how many bytes of `data` are behind the scan.
std::optional<std::pair<int, int>> FirstInvalidUtf8(
    std::string_view data, const std::function<void(size_t)>& scanned = {}) {
  constexpr size_t kReportEvery = size_t{8} << 20;
  size_t next_report = kReportEvery;
  int line = 1;
  int column = 1;
  for (size_t pos = 0; pos < data.size();) {
    if (pos >= next_report) {
      if (scanned) scanned(pos);
      next_report = pos + kReportEvery;
    }
    unsigned char byte = static_cast<unsigned char>(data[pos]);
    if (byte < 0x80) {  // ASCII: the common case, without decoding
      ++pos;
      if (byte == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      continue;
    }
    size_t before = pos;
    char32_t cp = text::DecodeOne(data, &pos);
    if (cp == 0xFFFD && pos - before != 3) return std::make_pair(line, column);
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> NormalizeEncoding(std::string_view data, const std::string& file_name) {
  if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") return std::string(data.substr(3));
  bool little = data.size() >= 2 && data[0] == '\xFF' && data[1] == '\xFE';
  bool big = data.size() >= 2 && data[0] == '\xFE' && data[1] == '\xFF';
  if (!little && !big) return std::string(data);
  if (data.size() % 2 != 0) {
    return MakeError("CSV007", "UTF-16 file has an odd number of bytes (truncated?)",
                     At(file_name, 0, 0));
  }
  std::string out;
  out.reserve(data.size());
  int line = 1;
  auto unit_at = [&](size_t i) -> char16_t {
    auto lo = static_cast<unsigned char>(data[i + (little ? 0 : 1)]);
    auto hi = static_cast<unsigned char>(data[i + (little ? 1 : 0)]);
    return static_cast<char16_t>(lo | (hi << 8));
  };
  for (size_t i = 2; i < data.size(); i += 2) {
    char32_t cp = unit_at(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 2 >= data.size()) {
        return MakeError("CSV007", "UTF-16 text ends inside a surrogate pair",
                         At(file_name, line, 0));
      }
      char32_t low = unit_at(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        return MakeError("CSV007", "invalid UTF-16 surrogate pair", At(file_name, line, 0));
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return MakeError("CSV007", "invalid UTF-16 surrogate", At(file_name, line, 0));
    }
    if (cp == '\n') ++line;
    text::AppendUtf8(cp, &out);
  }
  return out;
}

RowReader::RowReader(std::string_view data, std::string file_name, Options options)
    : data_(data), file_(std::move(file_name)), options_(options) {}

Result<bool> RowReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  const char delim = options_.delimiter;
  const size_t n = data_.size();
  while (true) {
    if (fields->size() >= options_.max_fields_per_row) {
      return MakeError(
          "CSV004",
          "more than " + std::to_string(options_.max_fields_per_row) + " fields in one row",
          At(file_, record_line_, static_cast<int>(fields->size()) + 1));
    }
    std::string& field = fields->emplace_back();
    int column = static_cast<int>(fields->size());
    if (pos_ < n && data_[pos_] == '"') {
      int open_line = line_;
      ++pos_;
      while (true) {
        size_t quote = data_.find('"', pos_);
        if (quote == std::string_view::npos) {
          return MakeError("CSV002", "quoted field is never closed", At(file_, open_line, column));
        }
        std::string_view chunk = data_.substr(pos_, quote - pos_);
        for (char c : chunk) line_ += (c == '\n');
        if (field.size() + chunk.size() > options_.max_field_bytes) {
          return MakeError(
              "CSV003", "field longer than " + std::to_string(options_.max_field_bytes) + " bytes",
              At(file_, open_line, column));
        }
        field.append(chunk);
        pos_ = quote + 1;
        if (pos_ < n && data_[pos_] == '"') {  // doubled quote
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < n && data_[pos_] != delim && data_[pos_] != '\n' && data_[pos_] != '\r') {
        return MakeError("CSV008", "text after the closing quote of a quoted field",
                         At(file_, line_, column));
      }
    } else {
      size_t end = pos_;
      while (end < n && data_[end] != delim && data_[end] != '\n' && data_[end] != '\r') {
        if (data_[end] == '"') {
          return MakeError("CSV008", "quote inside an unquoted field (quote the whole field)",
                           At(file_, line_, column));
        }
        ++end;
      }
      if (end - pos_ > options_.max_field_bytes) {
        return MakeError("CSV003",
                         "field longer than " + std::to_string(options_.max_field_bytes) + " bytes",
                         At(file_, line_, column));
      }
      field.assign(data_.substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ >= n) return true;
    char c = data_[pos_];
    if (c == delim) {
      ++pos_;
      continue;
    }
    // End of record: \r\n, \n or a lone \r.
    ++pos_;
    if (c == '\r' && pos_ < n && data_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

std::optional<size_t> Table::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

Location Table::Where(size_t row_idx, size_t column_idx) const {
  if (column_idx >= first_borrowed && column_idx - first_borrowed < borrowed.size()) {
    const BorrowedColumn& column = borrowed[column_idx - first_borrowed];
    const Origin& origin = origins[column.origin];
    int line = row_idx < origin.row_lines.size() ? origin.row_lines[row_idx] : 0;
    return At(origin.file, line, column.file_column + 1);
  }
  int column =
      column_idx < file_columns.size() ? file_columns[column_idx] : static_cast<int>(column_idx);
  return At(file, row_idx < row_lines.size() ? row_lines[row_idx] : 0, column + 1);
}

Result<Table> ParseTable(std::string_view raw, const std::string& file_name,
                         const Options& options) {
  std::string data = NGO_TRY(NormalizeEncoding(raw, file_name));
  if (auto bad = FirstInvalidUtf8(data)) {
    return MakeError("CSV007",
                     "not UTF-8 text (a spreadsheet saved it in another encoding, such as "
                     "Windows-1252?); save it as 'CSV UTF-8' and try again",
                     At(file_name, bad->first, bad->second));
  }
  Table table;
  table.file = file_name;
  RowReader reader(data, file_name, options);
  std::vector<std::string> fields;
  bool have_header = false;
  while (true) {
    bool more = NGO_TRY(reader.Next(&fields));
    if (!more) break;
    // A blank line (one empty field) is skipped; it is what editors leave at the end.
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (!have_header) {
      table.header = fields;
      have_header = true;
      if (options.require_unique_header)
        NGO_TRY(CheckUniqueHeader(fields, file_name, reader.line()));
      continue;
    }
    if (fields.size() != table.header.size()) {
      if (options.require_rectangular) {
        return MakeError("CSV005",
                         "row has " + std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(table.header.size()),
                         At(file_name, reader.line(),
                            static_cast<int>(std::min(fields.size(), table.header.size())) + 1));
      }
      if (fields.size() < table.header.size()) fields.resize(table.header.size());
    }
    table.rows.push_back(fields);
    table.row_lines.push_back(reader.line());
  }
  if (!have_header) return MakeError("CSV001", "empty file: no header row", At(file_name, 0, 0));
  return table;
}

Result<Table> ReadTable(const std::string& path, const Options& options) {
  std::string data = NGO_TRY(ReadFile(path));
  return ParseTable(data, path, options);
}

void AppendRow(const std::vector<std::string>& fields, std::string* out, char delimiter) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(delimiter);
    text::AppendCsvField(fields[i], out, delimiter);
  }
  out->push_back('\n');
}

TableReader::TableReader(std::string_view data, std::string file_name, Options options)
    : data_(data), file_(std::move(file_name)), options_(options) {}

Status TableReader::Start(const std::function<void(size_t)>& scanned) {
  std::string_view data = data_;
  bool utf16 = data.size() >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
                                    (data[0] == '\xFE' && data[1] == '\xFF'));
  if (utf16) {
    converted_ = NGO_TRY(NormalizeEncoding(data, file_));
    data = converted_;
  } else if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") {
    skipped_ = 3;
    data = data.substr(3);
  }
  // Offsets of data_ (the caller's bytes); converted UTF-16 is not the caller's.
  std::function<void(size_t)> scanned_of_input;
  if (scanned && !utf16) scanned_of_input = [&](size_t pos) { scanned(skipped_ + pos); };
  if (auto bad = FirstInvalidUtf8(data, scanned_of_input)) {
    return MakeError("CSV007",
                     "not UTF-8 text (a spreadsheet saved it in another encoding, such as "
                     "Windows-1252?); save it as 'CSV UTF-8' and try again",
                     At(file_, bad->first, bad->second));
  }
  reader_.emplace(data, file_, options_);
  while (true) {
    bool more = NGO_TRY(reader_->Next(&fields_));
    if (!more) return MakeError("CSV001", "empty file: no header row", At(file_, 0, 0));
    if (fields_.size() == 1 && fields_[0].empty()) continue;
    header_ = fields_;
    break;
  }
  if (options_.require_unique_header) NGO_TRY(CheckUniqueHeader(header_, file_, reader_->line()));
  return Ok();
}

Result<bool> TableReader::Next(size_t max, Table* chunk) {
  chunk->file = file_;
  if (chunk->header != header_) chunk->header = header_;
  chunk->row_lines.clear();
  size_t used = 0;
  while (used < max) {
    bool more = NGO_TRY(reader_->Next(&fields_));
    if (!more) break;
    if (fields_.size() == 1 && fields_[0].empty()) continue;
    if (fields_.size() != header_.size()) {
      if (options_.require_rectangular) {
        return MakeError("CSV005",
                         "row has " + std::to_string(fields_.size()) + " fields, the header has " +
                             std::to_string(header_.size()),
                         At(file_, reader_->line(),
                            static_cast<int>(std::min(fields_.size(), header_.size())) + 1));
      }
      if (fields_.size() < header_.size()) fields_.resize(header_.size());
    }
    // Reuse the chunk's row vectors and their strings' storage.
    if (used < chunk->rows.size()) {
      chunk->rows[used].swap(fields_);
    } else {
      chunk->rows.push_back(fields_);
    }
    chunk->row_lines.push_back(reader_->line());
    ++used;
  }
  chunk->rows.resize(used);
  return used > 0;
}

size_t TableReader::consumed() const {
  if (!converted_.empty() || !reader_) return 0;
  return skipped_ + reader_->offset();
}

}  // namespace ngosurvey::csv
