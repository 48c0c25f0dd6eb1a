// XLSX workbooks of TableResults through libxlsxwriter: one sheet per table.
//
// Sheet layout (rows from the top):
//   title; banner (when set); a blank row;
//   two header rows (frozen, with the label column): per table column the merged
//     "label (N = n)" over count | base | % | Wilson lo | Wilson hi | flags, then per
//     compared pair of group columns "p" | "Holm p";
//   per item a bold heading row (its r x c p in the first p column), then per option
//     a row of numbers: counts as integers, the percentage as the proportion with a
//     percent number format, p-values with 0.000 ("<0.001" below it), a dash where
//     no test was possible (the reason in the cell's comment);
//     suppressed cells write "s" as the count and leave the rest blank;
//   "Numeric items": per column those of n | mean | sd | median | min | max that some
//     numeric item shows;
//   "Item nonresponse": per column N | answered | refused | don't know | not asked |
//     missing;
//   the footnotes, one per row, each wrapped across the table's width.
// Printing (or a PDF) gives landscape A4 pages one table wide, with the labels and the
// column headings repeated.
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "base/file.h"
#include "base/text.h"
#include "report/render_internal.h"
#include "report/table_render.h"

namespace ngosurvey::report {

namespace internal {

std::string XlsxSheetName(std::string_view wanted, const std::vector<std::string>& taken) {
  constexpr size_t kMaxUnits = 31;  // Excel's limit, in UTF-16 code units
  std::string clean;
  size_t pos = 0;
  while (pos < wanted.size()) {
    size_t start = pos;
    char32_t cp = text::DecodeOne(wanted, &pos);
    if (cp < 0x20 || cp == 0x7F || cp == 0xFFFD ||
        std::u32string_view(U"[]:*?/\\").find(cp) != std::u32string_view::npos) {
      clean += '_';
    } else {
      clean.append(wanted.substr(start, pos - start));
    }
  }
  while (!clean.empty() && clean.front() == '\'') clean.erase(clean.begin());
  while (!clean.empty() && clean.back() == '\'') clean.pop_back();
  if (clean.empty()) clean = "Table";
  if (text::AsciiLower(clean) == "history") clean += '_';

  // Cuts to `units` UTF-16 units at a character boundary.
  auto cut = [](const std::string& s, size_t units) {
    std::string out;
    size_t used = 0, at = 0;
    while (at < s.size()) {
      size_t start = at;
      char32_t cp = text::DecodeOne(s, &at);
      size_t need = cp > 0xFFFF ? 2 : 1;
      if (used + need > units) break;
      used += need;
      out.append(s, start, at - start);
    }
    return out;
  };
  auto is_taken = [&](const std::string& name) {
    std::string lower = text::AsciiLower(name);
    return std::any_of(taken.begin(), taken.end(),
                       [&](const std::string& t) { return text::AsciiLower(t) == lower; });
  };
  std::string name = cut(clean, kMaxUnits);
  for (int n = 2; is_taken(name); ++n) {
    std::string suffix = fmt::format(" ({})", n);
    name = cut(clean, kMaxUnits - suffix.size()) + suffix;
  }
  return name;
}

}  // namespace internal

namespace {

using analysis::Cell;
using analysis::ItemKind;
using analysis::ItemResult;
using analysis::TableResult;
namespace in = internal;
using words::Word;

constexpr int kSubColumns = 6;      // per table column: count base % lo hi flags
constexpr double kLineHeight = 15;  // points per line of the default 11-point font
constexpr double kFigureWidth = 9;  // characters: fits "Wilson lo", "answered", "100.0%"
constexpr double kFlagsWidth = 14;
constexpr double kLabelWidth = 46;

struct Formats {
  lxw_format* title;
  lxw_format* banner;
  lxw_format* header;
  lxw_format* header_left;
  lxw_format* item;
  lxw_format* option;
  lxw_format* percent;
  lxw_format* p;
  lxw_format* number;
  lxw_format* n_small_base;
  lxw_format* block;
  lxw_format* note;
  lxw_format* wrapped;
  lxw_format* centered;
};

Formats MakeFormats(lxw_workbook* book, int percent_decimals) {
  Formats f;
  f.title = workbook_add_format(book);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.banner = workbook_add_format(book);
  format_set_bold(f.banner);
  format_set_font_color(f.banner, 0xB00020);
  f.header = workbook_add_format(book);
  format_set_bold(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_text_wrap(f.header);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.header_left = workbook_add_format(book);
  format_set_bold(f.header_left);
  format_set_bottom(f.header_left, LXW_BORDER_THIN);
  f.item = workbook_add_format(book);
  format_set_bold(f.item);
  f.option = workbook_add_format(book);
  format_set_indent(f.option, 1);
  f.percent = workbook_add_format(book);
  std::string percent_format =
      percent_decimals > 0 ? "0." + std::string(std::min(percent_decimals, 9), '0') + "%" : "0%";
  format_set_num_format(f.percent, percent_format.c_str());
  f.p = workbook_add_format(book);
  format_set_num_format(f.p, "[<0.001]\"<0.001\";0.000");
  f.number = workbook_add_format(book);
  format_set_num_format(f.number, "0.00");
  f.n_small_base = workbook_add_format(book);
  format_set_num_format(f.n_small_base, "0\" ‡\"");
  f.block = workbook_add_format(book);
  format_set_bold(f.block);
  format_set_font_size(f.block, 12);
  f.note = workbook_add_format(book);
  format_set_italic(f.note);
  f.wrapped = workbook_add_format(book);
  format_set_text_wrap(f.wrapped);
  format_set_align(f.wrapped, LXW_ALIGN_VERTICAL_TOP);
  f.centered = workbook_add_format(book);
  format_set_align(f.centered, LXW_ALIGN_CENTER);
  return f;
}

// Writes one sheet, remembering the first libxlsxwriter error.
class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet, const Formats& formats) : sheet_(sheet), f_(formats) {}

  void Text(int row, int col, std::string_view value, lxw_format* format = nullptr) {
    Check(worksheet_write_string(sheet_, row, col, std::string(value).c_str(), format));
  }
  void Number(int row, int col, double value, lxw_format* format = nullptr) {
    Check(worksheet_write_number(sheet_, row, col, value, format));
  }
  void Merge(int row, int first_col, int last_col, std::string_view value, lxw_format* format) {
    if (first_col == last_col) return Text(row, first_col, value, format);
    Check(worksheet_merge_range(sheet_, row, first_col, row, last_col, std::string(value).c_str(),
                                format));
  }
  void Comment(int row, int col, std::string_view text) {
    Check(worksheet_write_comment(sheet_, row, col, std::string(text).c_str()));
  }
  void Width(int first_col, int last_col, double width) {
    Check(worksheet_set_column(sheet_, first_col, last_col, width, nullptr));
  }
  // Spreadsheets do not grow a row for wrapped text written by a program: a row of
  // wrapped headings or notes gets its height here, in lines of the default font.
  void Lines(int row, int lines) {
    Check(worksheet_set_row(sheet_, row, kLineHeight * lines, nullptr));
  }
  lxw_worksheet* sheet() { return sheet_; }
  const Formats& f() const { return f_; }
  lxw_error error() const { return error_; }

 private:
  void Check(lxw_error error) {
    if (error != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = error;
  }
  lxw_worksheet* sheet_;
  const Formats& f_;
  lxw_error error_ = LXW_NO_ERROR;
};

// The pairs (or sets) of group columns the options' tests compare, in order of
// first appearance: each gets a "p" and a "Holm p" column.
std::vector<std::vector<std::string>> TestGroups(const TableResult& table) {
  std::vector<std::vector<std::string>> out;
  for (const ItemResult& item : table.items) {
    for (const analysis::OptionRow& option : item.options) {
      for (const analysis::GroupTest& test : option.tests) {
        if (std::find(out.begin(), out.end(), test.groups) == out.end()) out.push_back(test.groups);
      }
    }
  }
  return out;
}

std::string FlagsText(const Cell& cell, std::string_view lang) {
  std::string text;
  auto add = [&](bool on, std::string_view mark, Word what) {
    if (on) text += fmt::format("{}{} {}", text.empty() ? "" : "; ", mark, in::Say(what, lang));
  };
  add(cell.suppressed, in::kSuppressedMark, Word::kCellSuppressed);
  add(!cell.suppressed && cell.small_count, in::kSmallCountMark, Word::kCellSmallCount);
  add(!cell.suppressed && cell.small_base, in::kSmallBaseMark, Word::kCellSmallBase);
  return text;
}

void WriteCell(SheetWriter& w, int row, int col, const Cell& cell, std::string_view lang) {
  const Formats& f = w.f();
  w.Number(row, col + 1, static_cast<double>(cell.base));
  std::string flags = FlagsText(cell, lang);
  if (!flags.empty()) w.Text(row, col + 5, flags);
  if (cell.suppressed) {
    w.Text(row, col, in::kSuppressedMark);
    return;
  }
  w.Number(row, col, static_cast<double>(cell.count));
  if (cell.prop) w.Number(row, col + 2, *cell.prop, f.percent);
  if (const auto& ci = analysis::ShownInterval(cell)) {
    w.Number(row, col + 3, ci->lower, f.percent);
    w.Number(row, col + 4, ci->upper, f.percent);
  }
}

void WriteTest(SheetWriter& w, int row, int col, const analysis::GroupTest& test,
               std::string_view lang) {
  if (test.p) {
    w.Number(row, col, *test.p, w.f().p);
    if (test.p_holm) w.Number(row, col + 1, *test.p_holm, w.f().p);
  } else {
    // A dash, as the notes say, with the reason in the cell's comment (the HTML puts it
    // in a tooltip): a long reason in the cell would widen the printed page.
    w.Text(row, col, "–", w.f().centered);
    w.Comment(row, col, in::TestNote(test, lang, in::Say(Word::kTestNone, lang)));
  }
}

// Returns the next free row.
int WritePercentBlock(SheetWriter& w, const TableResult& table,
                      const std::vector<std::vector<std::string>>& pairs, std::string_view lang,
                      int row) {
  const Formats& f = w.f();
  const int test_col = 1 + kSubColumns * static_cast<int>(table.columns.size());
  // Two header rows.
  w.Text(row, 0, in::Say(Word::kXlsxItemOption, lang), f.header_left);
  w.Text(row + 1, 0, "", f.header_left);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    int col = 1 + kSubColumns * static_cast<int>(c);
    w.Merge(row, col, col + kSubColumns - 1,
            fmt::format("{} (N = {})", table.columns[c].label, in::ColumnN(table, c)), f.header);
    std::string sub[kSubColumns] = {in::Say(Word::kXlsxCount, lang),
                                    in::Say(Word::kXlsxBase, lang),
                                    "%",
                                    in::Say(Word::kXlsxWilsonLo, lang),
                                    in::Say(Word::kXlsxWilsonHi, lang),
                                    in::Say(Word::kXlsxFlags, lang)};
    if (table.design.used()) {  // design-based
      sub[3] = in::Say(Word::kXlsxCiLo, lang);
      sub[4] = in::Say(Word::kXlsxCiHi, lang);
    }
    for (int s = 0; s < kSubColumns; ++s) w.Text(row + 1, col + s, sub[s], f.header);
  }
  w.Lines(row, 2);  // "Cambodia (N = 14)" over a narrow group, "Fisher: A vs B" over two
  for (size_t t = 0; t < pairs.size(); ++t) {
    int col = test_col + 2 * static_cast<int>(t);
    std::string label;
    for (const std::string& key : pairs[t]) {
      std::string name = key;
      for (const auto& column : table.columns) {
        if (column.key == key) name = column.label;
      }
      label = label.empty() ? name : in::Say(Word::kTableVersus, lang, {label, name});
    }
    w.Merge(
        row, col, col + 1,
        in::Say(table.design.used() ? Word::kXlsxRaoScottOf : Word::kXlsxFisherOf, lang, {label}),
        f.header);
    w.Text(row + 1, col, "p", f.header);
    w.Text(row + 1, col + 1, in::Say(Word::kXlsxHolmP, lang), f.header);
  }
  worksheet_freeze_panes(w.sheet(), row + 2, 1);
  row += 2;

  for (const ItemResult& item : table.items) {
    if (item.options.empty()) continue;
    std::string heading = item.label;
    if (item.denominator != analysis::DenominatorRule::kAnswered) {
      heading += " " + in::Say(Word::kTableBaseRule, lang, {in::RuleName(item.denominator, lang)});
    }
    w.Text(row, 0, heading, f.item);
    if (item.item_test && !pairs.empty()) {
      if (in::HidesTests(item))
        w.Text(row, test_col, in::kSuppressedMark);
      else
        WriteTest(w, row, test_col, *item.item_test, lang);
    }
    ++row;
    for (const analysis::OptionRow& option : item.options) {
      w.Text(row, 0, option.label, f.option);
      for (size_t c = 0; c < option.cells.size() && c < table.columns.size(); ++c) {
        WriteCell(w, row, 1 + kSubColumns * static_cast<int>(c), option.cells[c], lang);
      }
      for (const analysis::GroupTest& test : option.tests) {
        auto at = std::find(pairs.begin(), pairs.end(), test.groups);
        int col = test_col + 2 * static_cast<int>(at - pairs.begin());
        if (in::HidesTests(option))
          w.Text(row, col, in::kSuppressedMark);
        else
          WriteTest(w, row, col, test, lang);
      }
      ++row;
    }
    bool mentions = std::any_of(item.options.begin(), item.options.end(),
                                [](const auto& o) { return !o.mention_cells.empty(); });
    if (mentions) {
      w.Text(row++, 0, in::Say(Word::kXlsxMentions, lang), f.note);
      for (const analysis::OptionRow& option : item.options) {
        w.Text(row, 0, option.label, f.option);
        for (size_t c = 0; c < option.mention_cells.size() && c < table.columns.size(); ++c) {
          WriteCell(w, row, 1 + kSubColumns * static_cast<int>(c), option.mention_cells[c], lang);
        }
        ++row;
      }
    }
  }
  return row;
}

// The numeric statistics any numeric item of the table shows, in the block's order:
// a column nobody asked for is left out rather than printed empty.
std::vector<std::string> NumericColumns(const TableResult& table) {
  static const char* const kOrder[kSubColumns] = {"n", "mean", "sd", "median", "min", "max"};
  std::vector<std::string> columns;
  for (const char* name : kOrder) {
    bool shown = std::any_of(table.items.begin(), table.items.end(), [&](const ItemResult& item) {
      if (item.kind != ItemKind::kNumeric || !item.options.empty()) return false;
      std::vector<std::string> stats = in::NumericStatistics(item);
      return std::find(stats.begin(), stats.end(), name) != stats.end();
    });
    if (shown) columns.emplace_back(name);
  }
  return columns;
}

int WriteNumericBlock(SheetWriter& w, const TableResult& table, std::string_view lang, int row) {
  const Formats& f = w.f();
  const std::vector<std::string> stats = NumericColumns(table);
  if (stats.empty()) return row;
  ++row;
  w.Text(row++, 0, in::Say(Word::kXlsxNumericItems, lang), f.block);
  const int n_stats = static_cast<int>(stats.size());
  w.Text(row, 0, in::Say(Word::kTableItem, lang), f.header_left);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    // Groups keep the percent block's stride so that a group's figures stay under its
    // heading; only the statistics shown get a sub-column.
    int col = 1 + kSubColumns * static_cast<int>(c);
    w.Merge(row, col, col + n_stats - 1, table.columns[c].label, f.header);
    for (int s = 0; s < n_stats; ++s)
      w.Text(row + 1, col + s, in::StatisticName(stats[s], lang), f.header);
  }
  w.Lines(row + 1, 1);
  w.Text(row + 1, 0, "", f.header_left);
  row += 2;
  for (const ItemResult& item : table.items) {
    if (item.kind != ItemKind::kNumeric || !item.options.empty()) continue;
    w.Text(row, 0, item.label, f.item);
    std::vector<std::string> shown = in::NumericStatistics(item);
    for (size_t c = 0; c < item.numeric.size() && c < table.columns.size(); ++c) {
      const analysis::NumericCell& cell = item.numeric[c];
      int col = 1 + kSubColumns * static_cast<int>(c);
      if (cell.suppressed) {
        w.Text(row, col, in::kSuppressedMark);
        continue;
      }
      for (int s = 0; s < n_stats; ++s) {
        if (std::find(shown.begin(), shown.end(), stats[s]) == shown.end()) continue;
        std::optional<double> value = in::NumericValue(cell, stats[s]);
        if (!value) continue;
        if (stats[s] == "n")
          w.Number(row, col + s, *value, cell.small_base ? f.n_small_base : nullptr);
        else
          w.Number(row, col + s, *value, f.number);
      }
    }
    ++row;
  }
  return row;
}

int WriteNonresponseBlock(SheetWriter& w, const TableResult& table, std::string_view lang,
                          int row) {
  const Formats& f = w.f();
  ++row;
  w.Text(row++, 0, in::Say(Word::kReportItemNonresponse, lang), f.block);
  const std::string kinds[kSubColumns] = {"N",
                                          in::Say(Word::kXlsxAnswered, lang),
                                          in::Say(Word::kWordRefused, lang),
                                          in::Say(Word::kWordDontKnow, lang),
                                          in::Say(Word::kWordNotAsked, lang),
                                          in::Say(Word::kTableMissing, lang)};
  w.Text(row, 0, in::Say(Word::kTableItem, lang), f.header_left);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    int col = 1 + kSubColumns * static_cast<int>(c);
    w.Merge(row, col, col + kSubColumns - 1, table.columns[c].label, f.header);
    for (int s = 0; s < kSubColumns; ++s) w.Text(row + 1, col + s, kinds[s], f.header);
  }
  w.Lines(row + 1, 2);  // "don't know", "not asked" wrap in a figure-wide column
  w.Text(row + 1, 0, "", f.header_left);
  row += 2;
  for (const ItemResult& item : table.items) {
    w.Text(row, 0, item.label, f.option);
    for (size_t c = 0; c < item.nonresponse.size() && c < table.columns.size(); ++c) {
      const analysis::Nonresponse& nr = item.nonresponse[c];
      const uint64_t values[kSubColumns] = {nr.total,     nr.answered,  nr.refused,
                                            nr.dont_know, nr.not_asked, nr.missing};
      int col = 1 + kSubColumns * static_cast<int>(c);
      for (int s = 0; s < kSubColumns; ++s) w.Number(row, col + s, static_cast<double>(values[s]));
    }
    ++row;
  }
  return row;
}

lxw_error WriteSheet(lxw_workbook* book, lxw_worksheet* sheet, const TableResult& table,
                     const RenderOptions& options) {
  Formats formats = MakeFormats(book, table.percent_decimals);
  SheetWriter w(sheet, formats);
  const auto pairs = TestGroups(table);
  int row = 0;
  w.Text(row++, 0, table.title.empty() ? table.id : table.title, formats.title);
  if (!options.banner.empty()) w.Text(row++, 0, options.banner, formats.banner);
  ++row;
  w.Width(0, 0, kLabelWidth);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    int col = 1 + kSubColumns * static_cast<int>(c);
    w.Width(col, col + 4, kFigureWidth);
    w.Width(col + 5, col + 5, kFlagsWidth);
  }
  const int test_col = 1 + kSubColumns * static_cast<int>(table.columns.size());
  const int last_col = test_col + 2 * static_cast<int>(pairs.size()) - 1;
  if (!pairs.empty()) w.Width(test_col, last_col, kFigureWidth);
  // Printed (or made a PDF) as the reader sees it: landscape, one page wide, the labels
  // and the column headings on every page.
  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, 9);  // A4
  worksheet_fit_to_pages(sheet, 1, 0);
  worksheet_repeat_columns(sheet, 0, 0);
  const int header_row = row;
  worksheet_repeat_rows(sheet, header_row, header_row + 1);

  const std::string_view lang = in::Language(options);
  row = WritePercentBlock(w, table, pairs, lang, row);
  row = WriteNumericBlock(w, table, lang, row);
  row = WriteNonresponseBlock(w, table, lang, row);
  ++row;
  w.Text(row++, 0, in::Say(Word::kXlsxNotes, lang), formats.block);
  // Each note wraps across the table's width, its row as high as its lines.
  const int notes_last_col = std::max(last_col, test_col - 1);
  double width_chars = kLabelWidth + (kSubColumns - 1) * kFigureWidth * table.columns.size() +
                       kFlagsWidth * table.columns.size() + 2 * kFigureWidth * pairs.size();
  for (const in::Footnote& note : in::TableFootnotes(table, options)) {
    std::string line = note.marker.empty() ? note.text : note.marker + "  " + note.text;
    w.Merge(row, 0, notes_last_col, line, formats.wrapped);
    size_t chars = text::DisplayWidth(line);
    w.Lines(row, std::max(1, static_cast<int>(std::ceil(chars * 1.1 / width_chars))));
    ++row;
  }
  return w.error();
}

Error XlsxError(const std::string& path, lxw_error error, std::string_view what) {
  return Error{"R003", fmt::format("cannot write xlsx ({}): {}", what, lxw_strerror(error)),
               Location{.file = path}};
}

}  // namespace

Status WriteXlsx(const std::vector<TableResult>& tables, const std::string& path,
                 const RenderOptions& options) {
  // libxlsxwriter reports a file it cannot create on stderr as well as in its
  // return value; a missing folder, the usual cause, is caught here first.
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    return MakeError("R003", "cannot write xlsx: no folder " + parent.string(),
                     Location{.file = path});
  }
  return WriteFileAtomicWith(path, [&](const std::string& temp) -> Status {
    lxw_workbook* book = workbook_new(temp.c_str());
    if (book == nullptr) {
      return MakeError("R003", "cannot write xlsx: cannot create the workbook",
                       Location{.file = path});
    }
    std::vector<std::string> names;
    for (const TableResult& table : tables) {
      std::string name = in::XlsxSheetName(table.id.empty() ? table.title : table.id, names);
      lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
      if (sheet == nullptr) {
        lxw_workbook_free(book);
        return MakeError("R003", "cannot write xlsx: sheet name '" + name + "' refused",
                         Location{.file = path});
      }
      names.push_back(name);
      lxw_error error = WriteSheet(book, sheet, table, options);
      if (error != LXW_NO_ERROR) {
        lxw_workbook_free(book);
        return tl::unexpected(XlsxError(path, error, "sheet " + name));
      }
    }
    if (tables.empty()) {
      // A workbook needs a sheet; say why it is empty rather than write an invalid file.
      std::string_view lang = in::Language(options);
      lxw_worksheet* sheet =
          workbook_add_worksheet(book, in::Say(Word::kTableTables, lang).c_str());
      if (sheet != nullptr) {
        worksheet_write_string(sheet, 0, 0, in::Say(Word::kXlsxNoTables, lang).c_str(), nullptr);
      }
    }
    lxw_error closed = workbook_close(book);
    if (closed != LXW_NO_ERROR) return tl::unexpected(XlsxError(path, closed, "closing"));
    return Ok();
  });
}

}  // namespace ngosurvey::report
