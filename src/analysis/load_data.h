// Building a Dataset from a CSV export and its form: ngosurvey's own export, ODK
// Central's (headers are group paths such as "grp/q") and KoboToolbox's (the same
// with "/"). The form says what each column is (select_one, select_multiple,
// integer, decimal) and its labels; the codes for refused and don't know, and
// relevance, say what an empty or coded cell means:
//
//   a value equal to a refused code       -> refused
//   a value equal to a don't-know code    -> dont_know
//   empty, and the question (or a group around it) is not relevant for the row,
//   judged by its `relevant` expression over the row's other values -> not_asked
//   empty otherwise                       -> missing
//
// A choice whose name is a refused or don't-know code (a form that lists
// "refused" or "98" as a choice) is a non-answer, not an option: it is not shown
// as an option in tables and does not count in the base of "answered".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/table.h"
#include "base/csv.h"
#include "base/diagnostic.h"
#include "form/expr/expr.h"
#include "form/form.h"

namespace ngosurvey::analysis {

struct LoadDataOptions {
  std::string language;  // labels; empty = the form's default
  std::vector<std::string> refused_codes = {"refused"};
  std::vector<std::string> dont_know_codes = {"dont_know"};
  // Columns to load by question name; empty = every select_one, select_multiple,
  // integer, decimal and range question found in the data, and every calculate
  // whose values are all numbers (a listed calculate must be numeric: D003).
  std::vector<std::string> items;
  // Extra single-choice columns to load even if the form does not define them (a
  // grouping column such as "country" added to an export): their options are the
  // distinct values, sorted.
  std::vector<std::string> extra_single;
  // Numeric questions (integer, decimal, range) that are only a design's strata or clusters:
  // loaded as codes of their distinct values (NumbersAsCodes, dataset.h), all a design reads
  // of them, in 1 or 2 bytes a row instead of 9. Never for a column a table shows, groups
  // by, filters on or weighs with (units.h, DesignIdentifiers).
  std::vector<std::string> identifiers;
};

// Whether `q` is loaded as codes of its values (options.identifiers, a numeric question).
bool LoadedAsIdentifier(const LoadDataOptions& options, const form::Question& q);

// Loads the dataset. Errors name the file, line and column: "D003" a value that is
// not an option or not a number, "D004" a listed item with no column in the data,
// "D005" an item that is not a select or numeric question. Problems that do not
// stop the load (a relevance expression that does not compile) go to `diags`.
// Questions a table can show: select_one, select_multiple, integer, decimal, range,
// and calculate (when its values are numbers).
bool IsTabulable(form::QuestionType type);

// The dataset column kind of a tabulable question.
ColumnKind ColumnKindOf(form::QuestionType type);

// Error D002 for a column the form does not define (a grouping column added to an
// export, options.extra_single) with more distinct values than a one-byte column holds
// (kMaxSingleOptions): such a column is loaded only to group by, and a grouping holds
// at most 250 groups. `field` is its column in the file (from 0).
Error TooManyGroupValues(const std::string& name, size_t values, const std::string& file,
                         size_t field);

// A select question's options as dataset options: its choices without the refused
// and don't-know codes of `options` (non-answers, not options), then "other" for
// or_other; labels in options.language. Nothing for a numeric question.
void ChoiceOptions(const form::Form& form, const form::Question& q, const LoadDataOptions& options,
                   std::vector<std::string>* names, std::vector<std::string>* labels);

// A question's name as an expression symbol over a row of the data: its index as
// the slot, typed by the question (select_multiple, number, else text).
std::optional<form::expr::Symbol> ResolveQuestion(const form::Form& form, std::string_view name);

// The relevance conditions that decide whether `q` was asked (its own and its
// enclosing groups', form::Form::RelevanceChain), bound to a row of the data by
// `resolver`. A condition that does not compile on the data is left out with
// warning "D006" in `diags` (its empty cells then count as missing, not as not asked).
std::vector<form::expr::BoundExpr> BindRelevanceChain(const form::Form& form,
                                                      const form::Question& q,
                                                      const form::expr::NameResolver& resolver,
                                                      Diagnostics* diags);

// A select_multiple given only as its 0/1 option columns ("grp/q/option" or
// "grp/q-option", 1/0 or True/False; a layout that `import` accepts): true when the
// header has such a question (no column of its own, at least one option column).
bool HasOptionColumnsOnly(const form::Form& form, const csv::Table& header);

// Adds to `table` the list column of every question HasOptionColumnsOnly finds,
// built from its option columns as `import` builds it: the chosen options
// separated by spaces; a refused or don't know code in an option cell (as
// ngosurvey's own export writes it) is the cell's value; all cells empty, empty. An
// option cell that is none of these is error D003 at its line and column.
Status AddListColumnsFromOptions(const form::Form& form, const LoadDataOptions& options,
                                 csv::Table* table);

// Adds to options->extra_single the grouping columns of `specs` that the data has
// but the form does not define as questions (a "country" column added to an
// export): loaded as single-choice columns whose options are the values seen.
void AddGroupingColumns(const form::Form& form, const csv::Table& table,
                        const std::vector<TableSpec>& specs, LoadDataOptions* options);

// The answers of any question `q` (a text question too) in each row of `table`, with
// the states above: refused and don't-know codes, and relevance for an empty cell.
// Error D004 when the table has no column for `q`.
Result<std::vector<form::Answer>> AnswersFromTable(const form::Form& form, const form::Question& q,
                                                   const csv::Table& table,
                                                   const LoadDataOptions& options,
                                                   Diagnostics* diags);

// The plain implementation over a parsed csv::Table: the reference that
// csv_load_test compares the streaming loader (csv_load.h, what the CLI uses) with.
Result<Dataset> LoadCsvWithForm(const form::Form& form, const csv::Table& table,
                                const LoadDataOptions& options, Diagnostics* diags);

}  // namespace ngosurvey::analysis
