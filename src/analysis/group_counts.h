// The tabulation kernel: one pass over the dataset that counts, for every
// requested column and every group of a grouping column, how many respondents
// gave each byte code (options, option bit patterns, non-answer states) and, for
// numeric columns, the count, sum, sum of squares, minimum and maximum of the
// answered values. Everything a table shows about a column is derived from these
// counts (group_counts.cpp's accessors). Byte planes are counted several at a time
// (one increment per row counts a pack of planes: their joint histogram), numeric
// columns with AVX-512 where the CPU has it; both cores split the rows.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/dataset.h"
#include "base/progress.h"

namespace ngosurvey::analysis {

// Counts of one byte column (one plane) by group: count(group, code).
struct PlaneCounts {
  std::vector<uint64_t> counts;  // groups * 256, row-major by group
  uint64_t at(int group, int code) const { return counts[static_cast<size_t>(group) * 256 + code]; }
};

struct NumberSummary {
  uint64_t n = 0;  // answered values
  double sum = 0;
  double sum_squares = 0;
  double min = 0, max = 0;                  // meaningful when n > 0
  uint64_t state_counts[4] = {0, 0, 0, 0};  // not asked, don't know, refused, missing
};

// The kernel's result for one column.
struct ColumnCounts {
  int column = -1;
  std::vector<PlaneCounts> planes;     // kSingle of one byte, kMulti
  std::vector<NumberSummary> numbers;  // kNumber: one per group
  // A kSingle column of 16- or 32-bit codes: count(group, digit) at
  // group * wide_stride + digit, where the digit of option i is i + 4 and of the
  // non-answers 0..3 (not asked, don't know, refused, missing); wide_stride is the
  // options + 4.
  std::vector<uint64_t> wide;
  size_t wide_stride = 0;
};

// The result of CountByGroup. Group g in 0..group_count-1 is option g of the
// grouping column; group `group_count` collects rows whose group is not answered
// (so nothing is silently dropped). With no grouping column there is one group.
struct GroupedCounts {
  int group_count = 1;
  std::vector<ColumnCounts> columns;  // in the order requested
};

// Counts `columns` (indexes into `data`) by the kSingle column `group_column`
// (-1 for no grouping), using up to `threads` threads (0 = hardware threads).
// Errors "T001": a bad column index, or a grouping column that is not a kSingle
// column of one byte.
// Thread-safe with respect to `data` (read only).
Result<GroupedCounts> CountByGroup(const Dataset& data, int group_column,
                                   const std::vector<int>& columns, unsigned threads = 0,
                                   Progress& progress = NullProgress::Instance());

// The same with group codes computed by the caller (e.g. the product of several
// grouping columns, or a filter that sends excluded rows to a slot of their own):
// `group_codes` has one byte per row, each < `slots`; the result has
// group_count == slots and no implicit "no group" slot. Error "T001" when
// group_codes has the wrong length, slots is not in 1..256 or a code is not below
// slots.
Result<GroupedCounts> CountBySlots(const Dataset& data, const std::vector<uint8_t>& group_codes,
                                   int slots, const std::vector<int>& columns, unsigned threads = 0,
                                   Progress& progress = NullProgress::Instance());

// For tests: run the portable numeric kernel even where the CPU has AVX-512 (so that
// both paths are compared); false restores the default.
void DisableWideVectorsForTesting(bool disable);

// Derived counts, for one group of one column's counts.
// kSingle: respondents who chose option `option`.
uint64_t SingleOptionCount(const ColumnCounts& counts, int group, int option);
// kMulti: respondents who chose option `option` (among others, maybe).
uint64_t MultiOptionCount(const ColumnCounts& counts, int group, int option);
// kMulti: total options chosen, over all respondents of the group.
uint64_t MultiMentions(const ColumnCounts& counts, int group);
// Respondents of the group in each state (kAnswered counts answered respondents;
// for kMulti an answer with no option ticked counts as answered).
uint64_t StateCount(const ColumnCounts& counts, ColumnKind kind, int group,
                    form::AnswerState state);

}  // namespace ngosurvey::analysis
