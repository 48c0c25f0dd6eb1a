#include "exchange/xlsx_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

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

tl::unexpected<Error> Refused(const std::string& file, const form::Sheet& sheet, int row,
                              int column, const std::string& message) {
  Location where;
  where.file = file;
  where.sheet = sheet.name;
  where.row = row;
  where.column = column;
  return MakeError("IMP043", message, where);
}

// Whether every non-empty cell of `row` is an HXL hashtag (#adm1, #affected+f).
bool IsHashtagRow(const form::Row& row) {
  return !row.cells.empty() && std::all_of(row.cells.begin(), row.cells.end(),
                                           [](const form::Cell& c) { return c.value[0] == '#'; });
}

// The sheet as a table: its first row is the header, every later row a data row as wide.
// The cells' texts are moved out of `sheet`.
Result<csv::Table> SheetTable(form::Sheet& sheet, const std::string& file) {
  csv::Table table;
  table.file = file + "!" + sheet.name;
  if (sheet.rows.empty()) return table;
  const form::Row& head = sheet.rows.front();
  int width = head.cells.back().column;
  table.header.assign(static_cast<size_t>(width), "");
  std::map<std::string_view, int> seen;
  for (const form::Cell& cell : head.cells) {
    auto [it, fresh] = seen.emplace(cell.value, cell.column);
    if (!fresh) {
      return Refused(
          file, sheet, head.number, cell.column,
          fmt::format("duplicate column name '{}' (also column {})", cell.value, it->second));
    }
    table.header[static_cast<size_t>(cell.column - 1)] = cell.value;
  }
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i].empty()) {
      return Refused(file, sheet, head.number, static_cast<int>(i) + 1,
                     "the header row has an empty cell");
    }
  }
  size_t first = 1;
  if (sheet.rows.size() > 1 && IsHashtagRow(sheet.rows[1])) first = 2;
  table.rows.reserve(sheet.rows.size() - first);
  for (size_t r = first; r < sheet.rows.size(); ++r) {
    form::Row& row = sheet.rows[r];
    std::vector<std::string> values(static_cast<size_t>(width));
    for (form::Cell& cell : row.cells) {
      if (cell.column > width) {
        return Refused(file, sheet, row.number, cell.column,
                       fmt::format("a cell right of the header's last column ({})", width));
      }
      values[static_cast<size_t>(cell.column - 1)] = std::move(cell.value);
    }
    // The row's cells are freed as the table grows, so that the workbook and the table
    // are not both whole in memory at once.
    std::vector<form::Cell>().swap(row.cells);
    table.rows.push_back(std::move(values));
    table.row_lines.push_back(row.number);
  }
  return table;
}

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

Result<XlsxExport> ReadXlsxExport(std::string_view data, const std::string& file,
                                  const form::Form& form, XlsxExportLimits limits) {
  form::XlsxOptions options;
  options.max_part_bytes = limits.max_part_bytes;
  options.max_total_bytes = limits.max_total_bytes;
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
  out.main = NGO_TRY(SheetTable(book.sheets.front(), file));
  for (size_t s = 1; s < book.sheets.size(); ++s) {
    form::Sheet& sheet = book.sheets[s];
    if (s + 1 == book.sheets.size() && sheet.name == "codebook" && !codebook_repeat) continue;
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
    out.repeats.push_back({matches.front()->name, NGO_TRY(SheetTable(sheet, file))});
  }
  return out;
}

}  // namespace ngosurvey::exchange
