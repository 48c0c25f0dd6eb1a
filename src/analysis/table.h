// Tables: what a table spec asks for (TableSpec, read from TOML by
// ParseTableSpecs; docs/formats/table-spec.md) and what tabulation computes
// (TableResult). A TableResult knows nothing of formats: src/report renders it as
// Markdown, CSV, HTML, XLSX or LaTeX.
//
// Every percentage comes with its count and base, four binomial intervals, the
// nonresponse of its item by kind, between-group Fisher tests and disclosure flags,
// because the tables of a study with 13 and 14 respondents per column must let a
// reader tell one organisation from a finding.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/stats.h"
#include "analysis/survey_design.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/words.h"

namespace ngosurvey::analysis {

// Who counts in the base of a percentage.
enum class DenominatorRule {
  kAnswered,  // respondents who answered (refused, don't know, missing, not asked excluded)
  kAll,       // every respondent in the column ("% of NGOs surveyed")
  kEligible,  // respondents for whom the `eligible` expression is true
};

// "answered", "all", "eligible".
std::string_view DenominatorRuleName(DenominatorRule rule);

// One row block of a table: an item (select_one, select_multiple, numeric) or a
// derived variable.
struct RowSpec {
  std::string item;   // column name; for derived rows, the new name
  std::string label;  // shown label; empty = the column's label
  std::map<std::string, std::string> label_by_language;  // `label = { en = ..., vi = ... }`
  std::vector<std::string> options;                      // options to show, in order; empty = all
  std::string derived;                                   // expression: a derived yes/no variable
  bool derived_number = false;  // `derived` is a number (spec key `number`): numeric item
  std::string filter;           // expression: only respondents for whom it is true
  DenominatorRule denominator = DenominatorRule::kAnswered;
  std::string eligible;  // expression, with DenominatorRule::kEligible
  // Numeric items: the statistics to show (n, mean, sd, median, min, max); empty =
  // all six. With `bins`, the item is shown as the share in each bin instead.
  std::vector<std::string> statistics;
  std::vector<double> bins;  // edges e0 < e1 < ...: bins [e0,e1), [e1,e2), ...
  bool mentions = false;     // select_multiple: add "% of mentions"
  std::string coder;         // a theme item (themes.h): whose codes count (empty: the agreed ones)
  int quotes = 0;            // a theme item in a report: quotes shown under each theme (themes.h)
  uint64_t quote_seed = 1;   // which quotes: the seed of the draw (SelectQuotes)
  int line = 0;              // spec line, for error locations
};

// The sampling design of the data (docs/statistics.md, "Weighted, stratified and clustered
// samples"): column names, empty when not used. Any key set makes the table design-based:
// weighted percentages with linearised standard errors, design effects and design-based
// intervals, and Rao-Scott tests between groups instead of Fisher's.
struct DesignSpec {
  std::string weight;   // a numeric column of sampling weights (empty: every weight 1)
  std::string strata;   // a single-choice or numeric column
  std::string cluster;  // the PSU: a single-choice or numeric column, nested in the strata
  std::string fpc;      // a numeric column: PSUs in the stratum's population, or the fraction
  LonelyPsu lonely_psu = LonelyPsu::kAdjust;
  ProportionInterval interval = ProportionInterval::kLogit;
  bool used() const {
    return !weight.empty() || !strata.empty() || !cluster.empty() || !fpc.empty();
  }
};

struct TableSpec {
  std::string file;  // for error locations
  int line = 0;
  std::string id;
  std::string title;
  std::vector<std::string> notes;
  // The spec's texts by language when it gives them per language (`title = { en = "...",
  // vi = "..." }`): `title`, `notes` and each row's `label` hold the English until
  // UseLanguage picks another.
  std::map<std::string, std::string> title_by_language;
  std::map<std::string, std::vector<std::string>> notes_by_language;
  std::vector<std::string> by;  // grouping columns, outermost first; empty = one column
  std::string unit;    // a repeat's name: the table counts its instances (empty: from the items)
  bool total = false;  // add a Total column
  int percent_decimals = 1;
  double level = 0.95;                                       // confidence level of the intervals
  DenominatorRule denominator = DenominatorRule::kAnswered;  // default for rows
  std::string filter;     // applies to every row, and'ed with the row's
  int min_count = 3;      // disclosure: flag cells with 0 < count < min_count
  int min_base = 0;       // disclosure: flag cells whose base < min_base
  bool suppress = false;  // suppress flagged cells (with complementary cells)
  DesignSpec design;      // weights, strata, clusters, fpc (none: a census or SRS)
  std::vector<RowSpec> rows;
};

// Reads every [[table]] of a TOML spec (docs/formats/table-spec.md). Errors name the
// file and line: "TS001" TOML syntax, "TS002" a missing or mistyped key, "TS003" a
// value out of range.
Result<std::vector<TableSpec>> ParseTableSpecs(std::string_view toml_text, const std::string& file);
Result<std::vector<TableSpec>> ReadTableSpecs(const std::string& path);

// The spec's title, notes and row labels in `language` (a code of the form, as the
// spec's per-language tables name it) where the spec gives them; the English otherwise.
void UseLanguage(std::string_view language, TableSpec* spec);

// --- Results --------------------------------------------------------------------

// One column of a table: a group (or combination of groups) or the Total.
struct ColumnHeader {
  std::string key;    // machine key: "KH", "KH/female", "total"
  std::string label;  // shown label: "Cambodia", "Total"
  bool is_total = false;
};

// One percentage cell.
// A cell's design-based figures (a table with a DesignSpec): Cell::prop and Cell::percent
// are then the weighted proportion, and the binomial intervals are absent.
struct DesignCell {
  double n_weighted = 0;  // the weighted base
  double weighted_count = 0;
  double se = 0;                     // of the proportion
  std::optional<double> deff;        // against SRS without replacement
  std::optional<Interval> interval;  // design-based (logit or Korn-Graubard)
};

struct Cell {
  uint64_t count = 0;          // unweighted, also in a weighted table
  uint64_t base = 0;           // unweighted n
  std::optional<double> prop;  // count / base (weighted: the weighted share)
  std::string percent;         // half-up text; "" when base == 0
  std::optional<Interval> wilson, clopper_pearson, jeffreys, agresti_coull;
  std::optional<DesignCell> design;  // set in a weighted table
  bool small_count = false;          // 0 < count < min_count
  bool small_base = false;           // base < min_base
  bool suppressed = false;           // hidden; primary or complementary
};

// Item nonresponse in one column, by kind (form/answer.h).
struct Nonresponse {
  uint64_t total = 0;  // respondents in the column (after the row's filter)
  uint64_t answered = 0, refused = 0, dont_know = 0, not_asked = 0, missing = 0;
};

// A test between two columns (or across all group columns when `groups` has more
// than two): p-values raw and adjusted across the options of the item.
struct GroupTest {
  std::vector<std::string> groups;  // column keys compared
  std::optional<double> p;          // none: not computed (see note)
  std::optional<double> p_holm, p_bh;
  std::string note;  // why no p, e.g. "no test: one group answered"
  // The note as a word of the tool's catalogue with its argument (base/words.h), for
  // renderers that say it in another language; `note` is its English.
  std::optional<words::Word> note_word;
  std::string note_arg;
  void SetNote(words::Word word, std::string arg = {}) {
    note = words::Text(word, "en", {arg});
    note_word = word;
    note_arg = std::move(arg);
  }
  // How p was obtained: always exact for a 2x2 pair; an item's r x c test beyond
  // the exact budget is a Monte Carlo estimate from `replicates` random tables or
  // the asymptotic chi-square p (stats.h, docs/statistics.md).
  FisherMethod method = FisherMethod::kExact;
  int64_t replicates = 0;
  bool rao_scott = false;  // a weighted table: svychisq's Rao-Scott F p
};

// One option of a select item, one bin of a binned numeric, or the "yes" of a
// derived variable.
struct OptionRow {
  std::string option;  // option name ("" for a derived yes)
  std::string label;
  std::vector<Cell> cells;          // one per ColumnHeader
  std::vector<Cell> mention_cells;  // select_multiple with mentions: share of mentions
  std::vector<GroupTest> tests;     // 2x2 Fisher per pair of group columns
};

// The summary statistics of a numeric item in one column.
struct NumericCell {
  uint64_t n = 0;
  std::optional<double> mean, sd, median, min, max;  // weighted table: weighted mean, sd, median
  std::optional<double> mean_se;                     // weighted table: the mean's linearised se
  std::optional<double> n_weighted;                  // weighted table: the weighted n
  bool small_base = false;
  bool suppressed = false;
};

enum class ItemKind { kSingle, kMulti, kNumeric, kDerived };

struct ItemResult {
  std::string item;
  std::string label;
  ItemKind kind = ItemKind::kSingle;
  DenominatorRule denominator = DenominatorRule::kAnswered;
  std::string filter;  // as written, for footnotes
  std::vector<OptionRow> options;
  std::vector<NumericCell> numeric;      // kNumeric without bins: one per column
  std::vector<std::string> statistics;   // kNumeric: which statistics to show
  std::vector<Nonresponse> nonresponse;  // one per column
  std::vector<uint64_t> mentions_total;  // kMulti: options chosen, per column
  std::optional<GroupTest> item_test;    // r x c Fisher over the group columns
};

struct TableResult {
  std::string id;
  std::string title;
  std::vector<std::string> notes;
  std::vector<std::string> by;
  std::vector<ColumnHeader> columns;
  std::vector<ItemResult> items;
  int percent_decimals = 1;
  double level = 0.95;
  int min_count = 3;
  int min_base = 0;
  bool suppress = false;
  DesignSpec design;  // used() when the figures are design-based
};

// The interval a table shows for a cell: the design-based one in a weighted table, else
// Wilson's.
inline const std::optional<Interval>& ShownInterval(const Cell& cell) {
  return cell.design ? cell.design->interval : cell.wilson;
}

// Computes a table from a dataset. Errors: "T002" an unknown item or grouping
// column (with the spec line), an expression that does not compile (the engine's
// E040-E059, with its caret and the spec line), "T004" a grouping with more than
// 250 combined groups, "T005" an item whose kind does not fit the row (bins on a
// select, mentions on a select_one) or a design column of the wrong kind, the design's
// SVY001-SVY007 (a bad weight names the data row). A weighted table of many rows computes
// its items' estimates on `threads` threads (0: one per core; 1: the calling thread only);
// the result does not depend on it.
Result<TableResult> Tabulate(const Dataset& data, const TableSpec& spec,
                             Progress& progress = NullProgress::Instance(), unsigned threads = 0);

}  // namespace ngosurvey::analysis
