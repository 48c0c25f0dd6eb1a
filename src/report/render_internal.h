// Helpers shared by the table renderers of src/report (HTML, XLSX, LaTeX): the
// numbers they print and the footnotes they explain, worded once so every format
// says the same thing. Private to report/: other modules include table_render.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/table.h"
#include "base/words.h"
#include "report/table_render.h"

namespace ngosurvey::report::internal {

// The footnote symbols of every format (table_render.cpp's Markdown uses the same).
inline constexpr std::string_view kSmallCountMark = "†";
inline constexpr std::string_view kSmallBaseMark = "‡";
inline constexpr std::string_view kSuppressedMark = "s";

// PValueText (table_render.h) is shared with the study report.
using report::PValueText;

// The catalogue's language of the options (words::CatalogueLanguage).
std::string_view Language(const RenderOptions& options);

// The tool's word in `language` (base/words.h), "{}" filled in order.
std::string Say(words::Word word, std::string_view language,
                std::initializer_list<std::string_view> args = {});

// Why a test has no p, in `language` (GroupTest::note_word, else its note as written);
// `fallback` when it has no note.
std::string TestNote(const analysis::GroupTest& test, std::string_view language,
                     std::string_view fallback);

// A statistic's name for people ("mean", "sd"... in `language`); other names as given.
std::string StatisticName(std::string_view name, std::string_view language);

// The denominator rule's name for people ("answered", "all", "eligible").
std::string RuleName(analysis::DenominatorRule rule, std::string_view language);

// The respondent unit, singular and plural: the options' own, else the catalogue's
// "organisation(s)" in the options' language.
std::string UnitOne(const RenderOptions& options);
std::string UnitOther(const RenderOptions& options);
// What a small count could identify: "an organisation" in English, the unit alone in
// languages without articles.
std::string UnitWithArticle(const RenderOptions& options);

// An identifier for HTML ids and LaTeX labels: ASCII letters and digits and the
// characters of `also_kept` stay, every other byte becomes '-'.
std::string IdentifierText(std::string_view input, std::string_view also_kept);

// Columns that are groups (not the Total).
size_t GroupColumnCount(const analysis::TableResult& table);

// The number of respondents in a column: the largest item total (nonresponse
// `total`, which counts everyone the row's filter keeps) over the table's items.
// 0 for a table without items.
uint64_t ColumnN(const analysis::TableResult& table, size_t column);

// 100 * prop with `decimals` places ("21.4"); used for interval bounds, which are
// not exact rationals (the cell's own percent is Cell::percent).
std::string PercentText(double prop, int decimals);

// A summary statistic: up to two decimals, trailing zeros dropped ("7.5", "4.18",
// "1288"); "" for none.
std::string NumberText(const std::optional<double>& value);

// The statistics of a numeric item in display order; an empty list means all six.
std::vector<std::string> NumericStatistics(const analysis::ItemResult& item);

// The statistic `name` ("n", "mean", "sd", "median", "min", "max") of a cell.
std::optional<double> NumericValue(const analysis::NumericCell& cell, std::string_view name);

// "13 of 14 answered; refused 1, don't know 0 ..." shortened to the kinds that
// occur: "13 of 14 answered · refused 1". `separator` joins the parts.
std::string NonresponseText(const analysis::Nonresponse& nr, std::string_view separator,
                            std::string_view language = "en");

// The markers of a cell, in order († small count, ‡ small base); empty for a
// suppressed cell (it prints "s" instead) or an unflagged one.
std::vector<std::string_view> CellMarks(const analysis::Cell& cell);

// True when a cell of the option (or of any option of the item) is suppressed: its
// tests are then hidden as well, because a p-value with known margins can give
// the hidden count away.
bool HidesTests(const analysis::OptionRow& option);
bool HidesTests(const analysis::ItemResult& item);

// "Cambodia vs Viet Nam" for a test, naming columns by their labels.
std::string TestColumnsText(const analysis::TableResult& table, const analysis::GroupTest& test,
                            std::string_view language = "en");

// What a footnote explains; renderers draw the marker in their own syntax.
enum class FootnoteKind {
  kCells,
  kSmallCount,
  kSmallBase,
  kSuppressed,
  kTests,
  kTestMethod,
  kNonresponse,
  kNumeric,
  kDenominator,
  kFilter,
  kNote
};

struct Footnote {
  FootnoteKind kind;
  std::string marker;  // "†", "‡", "s" or "" (plain text)
  std::string text;    // plain UTF-8 text: escape it for the target format
};

// One sentence per method other than exact used by the items' r x c tests (Monte
// Carlo, asymptotic), naming the items: "Whole-item p of Q1, Q2: a Monte Carlo
// estimate from 10,000 random tables ...". Empty when every test was exact.
std::vector<std::string> TestMethodNotes(const analysis::TableResult& table,
                                         std::string_view language = "en");

// The design in words for notes: "weight w, strata region, clusters village, lonely PSU:
// adjust".
std::string DesignText(const analysis::DesignSpec& design, std::string_view language = "en");

// The footnotes a table needs, in order: how to read a cell, the disclosure
// symbols (the small-base one only when the table sets min_base or flags a cell,
// the suppression one only when a cell is suppressed or suppression is on), the
// tests (when there are at least two group columns), the tests that were not
// exact (TestMethodNotes), nonresponse, numeric items,
// bases other than "answered", item filters, then the spec's notes.
// "a" or "an" before an English noun: "an" before a vowel letter ("an organisation",
// "a household"); good enough for the units a study names (study.toml `unit`).
std::string_view Article(std::string_view noun);

std::vector<Footnote> TableFootnotes(const analysis::TableResult& table,
                                     const RenderOptions& options);

// A valid, unique Excel sheet name made from `wanted`: the characters []:*?/\ and
// control characters become '_', leading and trailing apostrophes are dropped,
// "History" (reserved) gets a '_', an empty name becomes "Table", and the result
// is cut to 31 UTF-16 units without splitting a character. When the name is taken
// (ASCII case-insensitively, as Excel compares) " (2)", " (3)"... is appended within
// the 31 units.
std::string XlsxSheetName(std::string_view wanted, const std::vector<std::string>& taken);

}  // namespace ngosurvey::report::internal
