// The design-based part of Tabulate() (internal to src/analysis): when a table names a
// sampling design (TableSpec::design), each cell's proportion becomes the weighted one with
// its linearised standard error, design effect and design-based interval, numeric items get
// weighted means (with their se), standard deviations and medians, and the tests between
// groups become Rao-Scott F tests (svychisq) over the same domains the Fisher tests use:
// the option's base in the two columns of a pair, the answered rows of the groups for an
// item. Counts and bases stay unweighted. docs/statistics.md has the formulas; every figure
// is R survey's on the subset design of the cell's domain.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/survey_design.h"
#include "analysis/table.h"

namespace ngosurvey::analysis {

// The design of a table's data, or nullopt when the spec names none. Errors: T002 (an
// unknown column), T005 (a weight or fpc that is not numeric, strata or cluster that are
// neither single-choice nor numeric, a design value that is not answered), SVY001-SVY005
// (the row named is the data's row, 1 = the first respondent). The design reads the weights
// where a loaded column (a view) holds them, and strata and clusters in the column's own
// type: no copy of a column the size of the data, other than the PSU of each row.
Result<std::optional<Design>> MakeTableDesign(const Dataset& data, const TableSpec& spec);

// A base's per (slot, PSU) sums: every row of the slot, or its answered rows.
struct SlotBase {
  std::vector<double> weight;  // [slot][psu]: the sum of the rows' weights
  std::vector<int64_t> rows;   // [slot][psu]: the number of rows
};

// What a choice item's design-based cells and tests are made from: per (slot, PSU) sums of
// its two possible bases and of each kept option. Slots 0..groups (the excluded slot is not
// summed); options kept: all of them, or the shown ones beyond kMaxDesignOptions.
struct DesignOptionSums {
  int slots = 0, psus = 0, kept = 0;
  // Shared between items summed together; `answered` is `all_rows` itself when the item has
  // no unanswered row (the same rows in the same order: the same sums).
  std::shared_ptr<const SlotBase> all_rows, answered;
  std::vector<double> option_weight;  // [slot][psu][kept option]
  std::vector<int64_t> option_rows;   // [slot][kept option], over all PSUs
};

// Beyond this many options the per-PSU sums of every option (needed by the item's r x c
// test and by the weighted share of mentions) are not kept: only the shown options' are.
inline constexpr int kMaxDesignOptions = 64;

// The sums of many items that share the table's `slots` in one pass over the rows (a pass
// per item read the slots, PSUs and weights again each time): one entry per dataset column
// of `columns`, nullopt for those ApplyDesignToOptions sums itself (not single-choice,
// codes wider than a byte, more than kMaxDesignOptions options, or beyond a memory budget).
// The items are shared out between up to `threads` threads (0: one per core for large
// data); the sums do not depend on it.
std::vector<std::optional<DesignOptionSums>> SumOptionsTogether(const Design& design,
                                                                const Dataset& data,
                                                                const std::vector<int>& columns,
                                                                const std::vector<uint8_t>& slots,
                                                                int groups, unsigned threads = 0);

// Replaces the proportions of `item`'s shown options (`shown`: option indexes of `counted`,
// in the order of item->options) and its tests by design-based ones. `slots` as Tabulate
// made them for the row: 0..groups-1 a group, `groups` no group (Total only), above that
// excluded. `summed`: the item's sums from SumOptionsTogether, or nullptr to sum them here.
// Call before suppression.
Status ApplyDesignToOptions(const Design& design, const Column& counted,
                            const std::vector<uint8_t>& slots, int groups,
                            const std::vector<ColumnHeader>& columns, const std::vector<int>& shown,
                            const TableSpec& spec, const DesignOptionSums* summed,
                            ItemResult* item);

// The weighted mean (with its se), sd and median of a numeric item per column.
Status ApplyDesignToNumbers(const Design& design, const Column& counted,
                            const std::vector<uint8_t>& slots, int groups,
                            const std::vector<ColumnHeader>& columns, ItemResult* item);

// The weighted median of the domain's values: the smallest value whose cumulative share of
// the weight reaches 1/2 (svyquantile's default qrule = "math"). nullopt for no rows.
std::optional<double> WeightedMedian(std::vector<std::pair<double, double>> values_and_weights);

}  // namespace ngosurvey::analysis
