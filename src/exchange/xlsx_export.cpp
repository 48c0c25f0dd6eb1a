#include "exchange/xlsx_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include "base/text.h"
#include "base/zip_archive.h"
#include "form/xlsx_reader.h"

namespace ngosurvey::exchange {
namespace {

constexpr size_t kSheetNameLimit = 31;  // Excel's, in characters

// The first `count` characters (code points) of UTF-8 `s`.
std::string_view FirstChars(std::string_view s, size_t count) {
  size_t at = 0;
  for (size_t seen = 0; at < s.size() && seen < count; ++seen) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
  }
  return s.substr(0, at);
}

size_t CharCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// formpack's substitutions before the cut: []*?:\/ and a leading or trailing ' become _.
std::string SheetSafe(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (std::string_view("[]*?:\\/").find(c) != std::string_view::npos) c = '_';
  }
  if (!out.empty() && out.front() == '\'') out.front() = '_';
  if (!out.empty() && out.back() == '\'') out.back() = '_';
  return out;
}

// Whether `sheet` is the sheet of the repeat named `repeat`: its name as formpack writes
// it, or a cut of it (a sheet name that had to be shortened and made unique: "...",
// "... (2)", or Ona's number after the first 30 characters).
bool SheetOf(std::string_view sheet, std::string_view repeat) {
  std::string safe = SheetSafe(repeat);
  if (sheet == repeat || sheet == safe || sheet == KoboSheetName(repeat)) return true;
  if (CharCount(safe) <= kSheetNameLimit - 1) return false;  // never cut
  std::string_view stem = sheet;
  if (size_t dots = stem.rfind("..."); dots != std::string_view::npos && dots > 0) {
    stem = stem.substr(0, dots);
  } else {
    while (!stem.empty() && stem.back() >= '0' && stem.back() <= '9') stem.remove_suffix(1);
  }
  return !stem.empty() && std::string_view(safe).substr(0, stem.size()) == stem;
}

// Whether every non-empty cell of `row` is an HXL hashtag (#adm1, #affected+f).
bool IsHashtagRow(const form::Row& row) {
  return !row.cells.empty() && std::all_of(row.cells.begin(), row.cells.end(),
                                           [](const form::Cell& c) { return c.value[0] == '#'; });
}

// `table` (its file and header) with the rows of `rows` unpacked; `rows` freed.
csv::Table Unpacked(csv::Table table, PackedRows* rows) {
  table.rows.reserve(rows->size());
  table.row_lines.reserve(rows->size());
  for (size_t r = 0; r < rows->size(); ++r) {
    table.rows.push_back(rows->Unpack(r, table.header.size()));
    table.row_lines.push_back(rows->line(r));
  }
  *rows = {};
  return table;
}

// A sheet as the reader hands its rows over: the first row is the header, a second row
// of hashtags is skipped, every later row is packed, as wide as the header at most. The
// first fault is kept, not returned: it counts only if the sheet is one the import reads
// (ngosurvey's own codebook sheet is not).
class SheetRows {
 public:
  SheetRows(const form::Sheet* sheet, const std::string& file) : sheet_(sheet), file_(file) {
    header_.file = file + "!" + sheet->name;
  }

  const form::Sheet* sheet() const { return sheet_; }

  void Add(form::Row&& row) {
    if (fault_) return;
    ++rows_seen_;
    if (rows_seen_ > 1 && row.number <= last_row_) {
      fault_ = Refused(row.number, 0,
                       fmt::format("row {} is listed after row {}: a sheet lists its rows in order",
                                   row.number, last_row_));
      return;
    }
    last_row_ = row.number;
    if (rows_seen_ == 1) return ReadHeader(row);
    if (rows_seen_ == 2 && IsHashtagRow(row)) return;
    const size_t width = header_.header.size();
    values_.clear();
    for (const form::Cell& cell : row.cells) {
      if (static_cast<size_t>(cell.column) > width) {
        fault_ = Refused(row.number, cell.column,
                         fmt::format("a cell right of the header's last column ({})", width));
        return;
      }
      values_.emplace_back(static_cast<size_t>(cell.column - 1), cell.value);
    }
    rows_.Add(row.number, values_);
  }

  Status Fault() const {
    if (fault_) return tl::unexpected(*fault_);
    return Ok();
  }
  csv::Table& header() { return header_; }
  PackedRows& rows() { return rows_; }

  // The sheet as a whole table (its packed rows freed).
  csv::Table TakeTable() { return Unpacked(std::move(header_), &rows_); }

 private:
  Error Refused(int row, int column, const std::string& message) const {
    Location where;
    where.file = file_;
    where.sheet = sheet_->name;
    where.row = row;
    where.column = column;
    return Error{"IMP043", message, std::move(where)};
  }

  void ReadHeader(const form::Row& head) {
    const int width = head.cells.back().column;
    header_.header.assign(static_cast<size_t>(width), "");
    std::map<std::string_view, int> seen;
    for (const form::Cell& cell : head.cells) {
      auto [it, fresh] = seen.emplace(cell.value, cell.column);
      if (!fresh) {
        fault_ = Refused(
            head.number, cell.column,
            fmt::format("duplicate column name '{}' (also column {})", cell.value, it->second));
        return;
      }
      header_.header[static_cast<size_t>(cell.column - 1)] = cell.value;
    }
    for (size_t i = 0; i < header_.header.size(); ++i) {
      if (header_.header[i].empty()) {
        fault_ = Refused(head.number, static_cast<int>(i) + 1, "the header row has an empty cell");
        return;
      }
    }
  }

  const form::Sheet* sheet_;
  const std::string& file_;
  csv::Table header_;
  PackedRows rows_;
  std::optional<Error> fault_;
  int rows_seen_ = 0;
  int last_row_ = 0;
  std::vector<std::pair<size_t, std::string_view>> values_;  // the row being packed
};

}  // namespace

std::string KoboSheetName(std::string_view name) {
  std::string safe = SheetSafe(name);
  if (CharCount(safe) <= kSheetNameLimit) return safe;
  return std::string(FirstChars(safe, kSheetNameLimit - 3)) + "...";
}

bool IsXlsxWorkbook(std::string_view data, const std::string& file) {
  if (!LooksLikeZip(data)) return false;
  auto archive = ZipArchive::Open(data, file);
  return archive && (*archive)->Find("xl/workbook.xml").has_value();
}

void PackedRows::Add(int line, const std::vector<std::pair<size_t, std::string_view>>& values) {
  constexpr size_t kBlockBytes = size_t{1} << 20;
  size_t bytes = 0;
  for (const auto& value : values) bytes += 8 + value.second.size();
  if (blocks_.empty() || blocks_.back().size() + bytes > blocks_.back().capacity()) {
    blocks_.emplace_back();
    blocks_.back().reserve(std::max(kBlockBytes, bytes));
  }
  std::string& block = blocks_.back();
  rows_.push_back({static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(block.size()),
                   static_cast<uint32_t>(bytes), line});
  for (const auto& [column, text] : values) {
    // The column index and the text's length, 4 bytes each (a cell holds at most a MiB).
    uint32_t head[2] = {static_cast<uint32_t>(column), static_cast<uint32_t>(text.size())};
    block.append(reinterpret_cast<const char*>(head), sizeof head);
    block.append(text);
  }
}

std::vector<std::string> PackedRows::Unpack(size_t row, size_t width) const {
  std::vector<std::string> values(width);
  const Place& place = rows_[row];
  const char* at = blocks_[place.block].data() + place.offset;
  const char* end = at + place.bytes;
  while (at < end) {
    uint32_t head[2];
    std::memcpy(head, at, sizeof head);
    at += sizeof head;
    if (head[0] < width) values[head[0]].assign(at, head[1]);
    at += head[1];
  }
  return values;
}

RowSource MainRows(const XlsxExport& book, size_t max_chunk) {
  return [&book, max_chunk, next = size_t{0}](size_t max, csv::Table* out) mutable -> Result<bool> {
    out->rows.clear();
    out->row_lines.clear();
    const size_t limit = std::min(max, max_chunk);
    for (; next < book.main_rows.size() && out->rows.size() < limit; ++next) {
      out->rows.push_back(book.main_rows.Unpack(next, book.main.header.size()));
      out->row_lines.push_back(book.main_rows.line(next));
    }
    return !out->rows.empty();
  };
}

csv::Table TakeMainTable(XlsxExport* book) {
  return Unpacked(std::move(book->main), &book->main_rows);
}

Result<XlsxExport> ReadXlsxExport(std::string_view data, const std::string& file,
                                  const form::Form& form, XlsxExportLimits limits) {
  form::XlsxOptions options;
  options.max_part_bytes = limits.max_part_bytes;
  options.max_total_bytes = limits.max_total_bytes;
  std::vector<SheetRows> sheets;
  options.on_sheet = [&](const form::Sheet& sheet) -> Status {
    // Again from its start (the reader's document path): forget what the scan gave.
    if (!sheets.empty() && sheets.back().sheet() == &sheet) sheets.pop_back();
    sheets.emplace_back(&sheet, file);
    return Ok();
  };
  options.on_row = [&](const form::Sheet&, form::Row&& row) -> Status {
    sheets.back().Add(std::move(row));
    return Ok();
  };
  form::Workbook book = NGO_TRY(form::ReadXlsx(data, file, options));
  if (book.sheets.empty()) return MakeError("X002", "the workbook has no sheet", {file});

  std::vector<const form::Question*> repeats;
  for (const form::Question& q : form.questions) {
    if (q.is_repeat()) repeats.push_back(&q);
  }
  // ngosurvey's own XLSX export ends with its codebook (export.h): not data, unless the
  // form has a repeat of that name.
  const bool codebook_repeat =
      std::any_of(repeats.begin(), repeats.end(),
                  [](const form::Question* q) { return q->name == "codebook"; });
  XlsxExport out;
  NGO_TRY(sheets.front().Fault());
  out.main = std::move(sheets.front().header());
  out.main_rows = std::move(sheets.front().rows());
  for (size_t s = 1; s < sheets.size(); ++s) {
    const form::Sheet& sheet = *sheets[s].sheet();
    if (s + 1 == sheets.size() && sheet.name == "codebook" && !codebook_repeat) continue;
    std::vector<const form::Question*> matches;
    for (const form::Question* repeat : repeats) {
      if (SheetOf(sheet.name, repeat->name)) matches.push_back(repeat);
    }
    if (matches.size() != 1) {
      std::vector<std::string> names;
      for (const form::Question* q : matches.empty() ? repeats : matches) names.push_back(q->name);
      Location where{file};
      where.sheet = sheet.name;
      return MakeError(
          "IMP042",
          matches.empty()
              ? fmt::format(
                    "the sheet '{}' names no repeat of form '{}' (its repeats: {})", sheet.name,
                    form.settings.form_id,
                    names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", ")))
              : fmt::format("the sheet '{}' could be the sheet of the repeats {}", sheet.name,
                            fmt::join(names, ", ")),
          where);
    }
    NGO_TRY(sheets[s].Fault());
    out.repeats.push_back({matches.front()->name, sheets[s].TakeTable()});
  }
  return out;
}

}  // namespace ngosurvey::exchange
