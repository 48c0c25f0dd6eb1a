// Units of analysis: a table counts either the form's submissions (one row per
// submission: a household) or the instances of one repeat group (one row per instance:
// a household's members). An instance carries the fields of every level around it, so
// that the join is implicit: a member's `province` is its household's, and so are its
// weight, stratum and cluster (the design comes from the parent, as R's survey package
// sees a members file merged with its households).
//
// A level is a repeat's question index in the form, or kTopLevel. A table's level is
// the innermost level of its items and of the names its expressions use; every plain
// item of a table is at that level (a table counts one unit), and every grouping
// column, design column and expression name at that level or around it.
//
// Repeat CSV files are read in the layouts `import` reads (exchange/import.h): rows
// linked to their parent row by PARENT_KEY (ODK Central, ngosurvey's own export:
// the parent's KEY, or its instance id at the top level) or by _parent_index (Kobo:
// the parent's _index).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/table.h"
#include "base/csv.h"
#include "base/error.h"
#include "form/form.h"

namespace ngosurvey::analysis {

inline constexpr int kTopLevel = -1;

// The innermost begin_repeat around `q` (q itself when it is a begin_repeat), or
// kTopLevel.
int LevelOf(const form::Form& form, const form::Question& q);

// True when `outer` is `inner` or a level around it (kTopLevel is around every level).
bool LevelEncloses(const form::Form& form, int outer, int inner);

// For messages: "the top level" or "repeat 'members'".
std::string LevelName(const form::Form& form, int level);

// The level `spec` counts (see above). Errors "T006" (with the spec line): a plain
// item at another level than the table's, or a grouping column, design column or
// expression name of a repeat that is not around the table's level; both are named.
// Names that are not questions of the form (extra grouping columns, metadata) are
// left to Tabulate.
Result<int> TableLevel(const form::Form& form, const TableSpec& spec);

// The questions of the form that `spec` uses: plain items, grouping columns, design
// columns and the names its derived, filter and eligible expressions reference
// (those that are questions of the form), each once, in that order.
std::vector<std::string> SpecQuestions(const form::Form& form, const TableSpec& spec);

// One row per instance of repeat `level`: the repeat's own file with, appended, the
// columns of its parent's row and of every level around it (a column already present
// keeps the inner one), so that LoadCsvWithForm reads the instance's and its parents'
// questions from one row. `repeats` maps repeat names to their files; every repeat on
// the way from the top to `level` needs one. Errors: "D007" a repeat without a file,
// "D008" a file without its link column (PARENT_KEY or _parent_index), "D009" a row
// whose parent row is not in the parent's file (file and line).
Result<csv::Table> JoinRepeatTable(const form::Form& form, int level, const csv::Table& main,
                                   const std::map<std::string, csv::Table>& repeats);

}  // namespace ngosurvey::analysis
