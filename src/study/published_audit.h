// Audit of published percentage tables: can the printed numbers have come from
// whole counts of the stated bases? Given a transcription of a report's tables
// (one printed cell per row) and a bases file (docs/formats/bases.md) that says
// over how many units each cell was computed, the audit checks every cell with
// exact rational arithmetic and looks for patterns that point at a cause:
// transposed cells, columns computed on another base, single-choice shares that
// add to more than 100, and means that no integer data could give.
//
// The printed precision is the number of decimals in the printed text ("50" has
// none, "50.0" one). A percentage p with d decimals fits base N when some count
// k in 0..N gives k*100/N rounded half-up to d decimals equal to p, computed on
// the exact fraction, never in binary floating point.
//
// The library computes results and renders them to strings; it never prints or
// writes files. None of these functions keep state; all are safe to call from
// several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/error.h"
#include "base/rounding.h"  // RoundHalfUpScaled, FormatScaled: how a printed value is made

namespace ngosurvey::study {

// ---------------------------------------------------------------------------
// Exact arithmetic on printed numbers.

// A non-negative decimal as printed: value = scaled / 10^decimals, `text` as given.
struct PrintedNumber {
  int64_t scaled = 0;
  int decimals = 0;
  std::string text;
};

// Limits on printed numbers, so that every product below fits in 128 bits.
inline constexpr int kMaxPrintedDecimals = 6;
inline constexpr int kMaxPrintedDigits = 15;

// Parses "43.8", "50", "0.0", "  7.7 " (ASCII blanks around the number are
// ignored). Refuses signs, exponents, thousands separators, a "%" sign, a bare
// "." and more than kMaxPrintedDecimals decimals or kMaxPrintedDigits digits:
// returns nullopt, and the caller reports where.
std::optional<PrintedNumber> ParsePrintedNumber(std::string_view text);

// How well a printed value fits a base: the count (for a percentage) or the
// total (for a mean) whose exact value lies nearest the printed value, ties going
// to the smaller count, and that count's value rounded at the printed precision.
struct Fit {
  bool consistent = false;  // some count gives the printed text at its precision
  int64_t nearest_count = 0;
  std::string nearest_value;  // nearest_count*100/base (or total/base), printed precision
};

// Percentage: counts k in 0..base. Requires base > 0.
Fit FitPercent(const PrintedNumber& value, int64_t base);

// Mean of `base` non-negative integers: totals S >= 0, value S/base (the GRIM
// test). Requires base > 0.
Fit FitMean(const PrintedNumber& value, int64_t base);

// The smallest count k (in 0..base) that gives the printed percentage, or nullopt.
std::optional<int64_t> SmallestCount(const PrintedNumber& value, int64_t base);

// ---------------------------------------------------------------------------
// The bases file (docs/formats/bases.md).

// What kind of answer an item's cells describe; decides which checks apply.
enum class ResponseKind {
  kBinary,    // one share per country ("runs a program": yes share); no sum check
  kSingle,    // options exclude each other: a country's shares add to <= 100
  kMultiple,  // several options per unit allowed: no sum check
  kMean,      // unit "mean": average of integer data over the base
};

std::string_view ResponseKindName(ResponseKind kind);

// Bases per country code ("KH" -> 14). An empty map inherits everything.
struct CountryBases {
  std::vector<std::pair<std::string, int64_t>> bases;
  std::optional<int64_t> Find(std::string_view country) const;
};

struct OptionBases {
  std::string option_id;
  CountryBases base;
};

struct ItemBases {
  std::string item_id;
  ResponseKind response = ResponseKind::kMultiple;
  CountryBases base;                 // overrides the table's base per country
  std::vector<OptionBases> options;  // override the item's base per option
  int line = 0;                      // line of the item's TOML table, for messages
};

struct TableBases {
  std::string table;  // as in the CSV's `table` column ("1", "10")
  CountryBases base;
  std::vector<ItemBases> items;
};

struct BasesSpec {
  std::string file;
  int64_t candidate_min = 10;  // range searched for other bases a value would fit
  int64_t candidate_max = 30;
  std::vector<TableBases> tables;

  const TableBases* FindTable(std::string_view table) const;
  const ItemBases* FindItem(std::string_view table, std::string_view item_id) const;
  // The base of one cell: option, then item, then table; nullopt if none is set.
  std::optional<int64_t> BaseFor(std::string_view table, std::string_view item_id,
                                 std::string_view option_id, std::string_view country) const;
};

// Parses a bases file. Errors carry the file and the TOML line and column:
//   AUD005 malformed TOML
//   AUD006 content error (unknown key, wrong type, base out of 1..1000000, bad
//          response kind, bad candidate range)
Result<BasesSpec> ParseBases(std::string_view toml_text, const std::string& file_name);
Result<BasesSpec> ReadBases(const std::string& path);

// ---------------------------------------------------------------------------
// The audit.

enum class Verdict {
  kConsistent,    // fits its base
  kInconsistent,  // no count of its base gives the printed text
  kNoResponse,    // empty value the table marks as "no response": not a number
};

std::string_view VerdictName(Verdict verdict);  // "consistent", "inconsistent", "no response"

// One printed cell and what the audit found about it.
struct CellAudit {
  std::string table, table_title, item_id, item_label, option_id, option_label, country;
  std::string unit;             // "pct" or "mean"
  std::string published_value;  // as printed; empty for no response
  ResponseKind response = ResponseKind::kMultiple;
  int64_t base = 0;
  Verdict verdict = Verdict::kConsistent;
  std::optional<PrintedNumber> value;  // absent for no response
  int64_t nearest_count = 0;
  std::string nearest_value;         // percentage or mean at the printed precision
  std::vector<int64_t> other_bases;  // candidate bases, except `base`, the value fits
  int line = 0;                      // line of the cell's row in the tables CSV
};

enum class FindingKind {
  kInconsistentCell,  // a value no count of its base gives
  kTransposed,        // two cells each fit the other's base and not their own
  kOtherBase,         // a value fits a neighbouring cell's base instead of its own
  kColumnBase,        // every value of a table's column fits one other base
  kSumOver100,        // shares of a single-choice item exceed 100 beyond rounding
  kImpossibleMean,    // no integer data with that base gives the printed mean
};

// The kind's name in `language` (base/words.h; English otherwise): "inconsistent cell".
std::string_view FindingKindName(FindingKind kind, std::string_view language = "en");

struct Finding {
  FindingKind kind = FindingKind::kInconsistentCell;
  std::string table, item_id, option_id, country;  // option_id/country empty when n/a
  std::string message;                             // one sentence, with the numbers
  std::vector<size_t> cells;                       // indices into AuditReport::cells
  // The same sentence in another language of the catalogue (base/words.h); `message`
  // is its English. Set by the audit; empty in a Finding made by hand.
  std::function<std::string(std::string_view language)> say;

  // The sentence in `language`: say(language) when set, else `message`.
  std::string Message(std::string_view language) const;
};

struct AuditReport {
  std::string tables_file, bases_file;
  int64_t candidate_min = 10, candidate_max = 30;
  std::vector<CellAudit> cells;   // in the order of the tables CSV
  std::vector<Finding> findings;  // grouped by kind, then in CSV order

  size_t CountVerdict(Verdict verdict) const;
  size_t CountFindings(FindingKind kind) const;
};

// Audits a parsed tables CSV (columns table, table_title, item_id, item_label,
// option_id, option_label, country, published_value, unit, base_note; extra
// columns are ignored) against bases. Errors name the CSV file, line and column:
//   AUD001 a required column is missing (line 1)
//   AUD002 published_value is not a number
//   AUD003 unknown item: (table, item_id) is not in the bases file
//   AUD004 no base for the cell's country (option, item and table all lack one)
//   AUD007 empty published_value without base_note "no response"
//   AUD008 unit is not "pct" or "mean", or disagrees with the item's response kind
//   AUD009 the same (table, item_id, option_id, country) printed twice
Result<AuditReport> AuditPublished(const csv::Table& tables, const BasesSpec& bases);

// Reads both files (csv::ReadTable's and ReadBases' errors) and audits.
Result<AuditReport> AuditPublishedFiles(const std::string& tables_path,
                                        const std::string& bases_path);

// ---------------------------------------------------------------------------
// Renderings. Each returns the whole document.

enum class AuditFormat { kMarkdown, kCsv, kHtml };

// "md", "csv" or "html"; nullopt otherwise.
std::optional<AuditFormat> ParseAuditFormat(std::string_view name);

// One row per cell with exactly the columns
//   table,item_id,option_id,country,published_value,base,consistent,
//   nearest_count,nearest_percent,consistent_bases
// `consistent` is yes, no or no_response; `consistent_bases` lists the other
// candidate bases the value fits, separated by ';'. For a mean, nearest_count is
// the nearest total and nearest_percent the nearest mean.
std::string RenderAuditCsv(const AuditReport& report);

// A findings summary, the findings, then every cell table by table.
std::string RenderAuditMarkdown(const AuditReport& report);

// The Markdown content as one self-contained HTML page (inline CSS, no scripts,
// no external requests).
std::string RenderAuditHtml(const AuditReport& report);

std::string RenderAudit(const AuditReport& report, AuditFormat format);

}  // namespace ngosurvey::study
