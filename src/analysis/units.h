// Units of analysis: a table counts either the form's submissions (one row per
// submission: a household) or the instances of one repeat group (one row per instance:
// a household's members). An instance carries the fields of every level around it, so
// that the join is implicit: a member's `province` is its household's, and so are its
// weight, stratum and cluster (the design comes from the parent, as R's survey package
// sees a members file merged with its households).
//
// A level is a repeat's question index in the form, or kTopLevel. A table's level is
// its `unit` (a repeat's name) when the spec gives one, else the innermost level of its
// plain items, grouping columns and design columns (the top level for a table of
// derived items only). Every plain item of a table is at that level (a table counts one
// unit), every grouping and design column at that level or around it. An expression may
// also name the fields of a repeat inside the table's level: they read as node-sets of
// the row's instances, as in ODK (count(${members}), count(${m_migrant}[. = 'yes']) > 0
// for "households with at least one migrant"); the table's dataset then carries those
// instances (Dataset::nested()).
//
// Repeat CSV files are read in the layouts `import` reads (exchange/import.h): rows
// linked to their parent row by PARENT_KEY (ODK Central, ngosurvey's own export and
// `synth`: the parent's KEY, or its instance id at the top level: meta/instanceID,
// instance_id, _uuid) or by _parent_index (Kobo: the parent's _index).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/load_data.h"
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
// item at another level than the table's, a grouping column, design column or
// expression name of a repeat that is neither around the table's level nor inside it
// (for an expression); both are named. "T002": a `unit` that is not a repeat. Names
// that are not questions of the form (extra grouping columns, metadata) are left to
// Tabulate.
Result<int> TableLevel(const form::Form& form, const TableSpec& spec);

// The repeats inside `level` whose fields (or own name) the expressions of `spec`
// name: the nested instances its dataset needs, each with the questions named.
std::map<int, std::vector<std::string>> NestedRepeats(const form::Form& form, const TableSpec& spec,
                                                      int level);

// How deep a level is: 0 for the top level, 1 for a repeat at the top, 2 inside it...
int LevelDepth(const form::Form& form, int level);

// Where the rows of a repeat's dataset come from: lineage[k][row] is the row of the
// dataset of the level at depth k (0: the top level) on the way to the repeat that
// holds `row`; the last entry is the row itself.
using Lineage = std::vector<std::vector<uint32_t>>;

// One level's rows and where they come from.
struct LevelData {
  Dataset data;
  Lineage lineage;  // empty for the top level
};

// Loads the datasets of the levels tables need: implemented over CSV files (the CLI's
// --data/--repeat, a study's data and repeats) and over the store.
class LevelSource {
 public:
  virtual ~LevelSource() = default;
  // The rows of `level` with the questions of `specs` (every tabulable question of the
  // level and the levels around it when `questions` is empty, else those named).
  virtual Result<LevelData> Load(int level, const std::vector<TableSpec>& specs,
                                 const std::vector<std::string>& questions) = 0;
};

// The dataset of each level the specs count, with the nested instances their
// expressions read attached; `levels` receives each spec's level (TableLevel).
Result<std::map<int, Dataset>> LoadLevels(const form::Form& form,
                                          const std::vector<TableSpec>& specs, LevelSource& source,
                                          std::vector<int>* levels);

// Every name `spec` uses (plain items, grouping and design columns, the names its
// expressions reference), each once: questions or not.
std::vector<std::string> SpecNames(const TableSpec& spec);

// The questions of the form that `spec` uses: plain items, grouping columns, design
// columns and the names its derived, filter and eligible expressions reference
// (those that are questions of the form), each once, in that order.
std::vector<std::string> SpecQuestions(const form::Form& form, const TableSpec& spec);

// The numeric questions that `specs` use only as a design's strata or clusters (no table
// shows, groups by, filters on, weighs with or takes an fpc from them): those the loaders
// may read as codes of their values (LoadDataOptions::identifiers).
std::vector<std::string> DesignIdentifiers(const form::Form& form,
                                           const std::vector<TableSpec>& specs);

// The tabulable questions (load_data.h, IsTabulable) of SpecQuestions over `specs` at
// `level` or a level around it: what the loader of `level` needs for them, each once
// (names of repeats inside it are the nested instances' own; text questions, metadata
// and extra columns are left to the grouping columns' rules).
std::vector<std::string> LoadedItems(const form::Form& form, const std::vector<TableSpec>& specs,
                                     int level);

// One row per instance of repeat `level`: the repeat's own file with, appended, the
// columns of its parent's row and of every level around it (a column already present
// keeps the inner one), so that LoadCsvWithForm reads the instance's and its parents'
// questions from one row. `repeats` maps repeat names to their files; every repeat on
// the way from the top to `level` needs one. Errors: "D007" a repeat without a file,
// "D008" a file without its link column (PARENT_KEY or _parent_index), "D009" a row
// whose parent row is not in the parent's file (file and line).
// `lineage`, when given, receives where each row comes from (see Lineage).
Result<csv::Table> JoinRepeatTable(const form::Form& form, int level, const csv::Table& main,
                                   const std::map<std::string, csv::Table>& repeats,
                                   Lineage* lineage = nullptr);

// The CSV files of a repeat and the levels around it read as `import` reads them
// (RFC 4180, UTF-8 or UTF-16 with a BOM, no cell over 1 MiB), joined (JoinRepeatTable)
// and loaded with LoadCsvWithForm: `options.items` (every tabulable question when
// empty) and the grouping columns of `specs` that the form does not define. With
// `options.items` given, only the columns the load needs are kept from each file (the
// items', the questions their relevance reads, the grouping and design columns, the
// links between the files): the other columns of a wide export are parsed and dropped,
// and errors still name the file's own column.
Result<LevelData> LoadRepeatCsv(const form::Form& form, int level, const std::string& main_path,
                                const std::map<std::string, std::string>& repeat_paths,
                                const std::vector<TableSpec>& specs, LoadDataOptions options,
                                Diagnostics* diags);

// The same over tables already read (the sheets of a Kobo or Ona XLSX export, the CSV
// files of ODK Central's ZIP: the CLI reads them with exchange/): `main` and each
// repeat's table by its name. With `options.items` given, only the columns the load
// needs are copied out of them (errors still name each table's own column).
Result<LevelData> LoadRepeatTables(const form::Form& form, int level, const csv::Table& main,
                                   const std::map<std::string, csv::Table>& repeats,
                                   const std::vector<TableSpec>& specs, LoadDataOptions options,
                                   Diagnostics* diags);

// The CSV file of repeat `repeat` when a study or command names none: DATA-REPEAT.csv
// beside DATA.csv, the name `export` writes.
std::string DefaultRepeatPath(const std::string& data_path, const std::string& repeat);

}  // namespace ngosurvey::analysis
