// exchange: survey data in and out of the store. Owns reading CSV exports of ODK
// Central, KoboToolbox and ngosurvey itself into submissions checked against their
// form (this file), writing a form's submissions as CSV, XLSX, Stata and SPSS files
// with a codebook (export.h), and pseudonymising them (pseudonymise.h). It must not
// print, and it changes the store only through Store::CreateSubmissions (and, for the
// codings of open answers, codings.h, through Store::PutCodings).
//
// Import, in two steps so that nothing is written before everything is checked:
//   ImportPlan plan = PlanImport(form, version, main_csv, repeats, options, store);
//   ... report plan.rejected and plan.warnings ...
//   store.CreateSubmissions(plan.batch);   // one transaction
//
// Layouts (docs/exchange.md):
//   ODK Central   headers are group paths "grp/q" (or "grp-q"), select_multiple as a
//                 space-separated column and optional 0/1 columns "q/option",
//                 "meta/instanceID", "KEY", "SubmissionDate", "SubmitterName"; each
//                 repeat in its own file, rows linked to their parent by PARENT_KEY.
//   KoboToolbox   the same paths with "/", "_uuid", "_submission_time", "_index",
//                 "_submitted_by"; repeat rows linked by "_parent_index".
//   Ona           the Kobo columns; repeats flattened into their parent's file
//                 ("children[1]/name"), "n/a" for no value.
//   ngosurvey     its own export (export.h): the ODK layout plus "wave", "org",
//                 "interviewer" columns.
// In all of them: a bare column name is the question of that name at the file's
// level; an or_other select's "specify" text ("grp/q_other", "grp-q_other") is kept
// at the select's answer path + "_other"; a geopoint given only in parts
// ("loc-Latitude"..., "grp/_loc_latitude"...) is joined; the platforms' metadata
// columns (Kobo's "_..." columns, also inside groups and in repeat files, media URL
// columns "photo_URL" and "audit_URL", Central's SubmissionDate, DeviceID...) are
// kept as written in Submission::metadata, except the columns ngosurvey's own export
// writes from the store (KEY, FormVersion, wave, org, interviewer, _validation_status).
// Cells are stored as written (never trimmed).
// docs/exchange.md and docs/formats/platform-exports.md have the details.
//
// Cells equal to the form's refused / don't know codes (settings columns
// missing_refused and missing_dont_know, default "refused" and "dont_know") become
// refused / dont_know answers; an empty cell is not_asked when the question's
// relevance (or a group's around it) is false for the row, missing otherwise.
//
// Error codes. File-level problems fail PlanImport (nothing can be imported):
//   IMP001 a column that is neither a question of the form nor a known metadata
//          column (a header for another form)
//   IMP002 no instance id column (meta/instanceID, KEY, _uuid)
//   IMP003 a repeat file for a name that is not a repeat of the form, or given twice
//   IMP004 a repeat file without its link column (PARENT_KEY, _parent_index), or
//          whose parent level has no file
//   IMP005 the main file has no data rows
// Row-level problems reject the row (and its submission), each with file, line and
// column:
//   IMP010 instance id missing or not "uuid:" + a UUID      IMP011 instance id twice
//   IMP012 not an integer / a number                        IMP013 not a choice
//   IMP014 not a date, time or date-time                    IMP015 constraint false
//   IMP016 option columns disagree with the list column     IMP017 option cell not 0/1
//   IMP018 repeat row whose parent is not in the main file  IMP019 conflict: the
//          instance id is stored with other answers (never overwritten)
//   IMP020 a refused / don't know code chosen with other options
// Warnings (the row is kept): IMP030 a value where the question is not relevant (or
// a "specify" text whose select does not include "other"), IMP031 a constraint or
// relevance that cannot be evaluated on imported data.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/diagnostic.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

// How import files are read: RFC 4180 with the reader's encodings (UTF-8, with or
// without BOM, UTF-16 with BOM; anything else refused with line and column), rows
// as wide as the header, unique header names, and no cell over 1 MiB (an answer
// that large is a broken export, not data).
csv::Options ImportCsvOptions();

// A repeat's rows: `repeat` is the begin_repeat question's name.
struct RepeatTable {
  std::string repeat;
  csv::Table table;
};

struct ImportOptions {
  // The wave of the imported submissions; when unset, a "wave" column of
  // ngosurvey's own export is used, else main.
  std::optional<store::Wave> wave;
  // The reviewer recorded for the reviews read from a `_validation_status` column
  // (KoboToolbox's validation status; its export does not say who reviewed).
  std::string reviewer = "import";
};

// A row that is not imported, with every reason found (each with its location).
struct RejectedRow {
  std::string file;
  int line = 0;
  std::string instance_id;  // as written, may be empty
  std::vector<Error> reasons;
};

struct ImportPlan {
  std::string layout;  // "odk", "kobo", "ona" or "ngosurvey"
  // The form version (when the caller set it) and the new, valid submissions.
  store::SubmissionBatch batch;
  // Rows already stored with the same answers (a re-import): skipped.
  size_t unchanged = 0;
  std::vector<RejectedRow> rejected;
  Diagnostics warnings;  // IMP030, IMP031
};

// What a streaming import found.
struct ImportReport {
  std::string layout;    // "odk", "kobo", "ona" or "ngosurvey"
  size_t rows = 0;       // data rows of the main file
  size_t stored = 0;     // new submissions added to the writer
  size_t unchanged = 0;  // rows already stored with the same answers (skipped)
  std::vector<RejectedRow> rejected;
  Diagnostics warnings;  // IMP030, IMP031
};

// The main file's rows, a chunk at a time: replaces chunk->rows and
// chunk->row_lines with at most `max` rows; false when none was left
// (csv::TableReader::Next has this shape).
using RowSource = std::function<Result<bool>(size_t max, csv::Table* chunk)>;

// A RowSource over a table already in memory, handing out at most `max_chunk` rows
// at a time (and at most what each call asks for). `table` must outlive the source.
RowSource TableRowSource(const csv::Table& table, size_t max_chunk = SIZE_MAX);

// The streaming import: checks the rows of `main` (whose header, file name and
// first rows `chunk` receives; `chunk->header` must be set before the call) with
// their repeat rows (`repeats`, held in memory) against `form`, and adds every
// valid new submission to `writer` as it goes (memory stays bounded by a chunk,
// plus one index entry per instance id to find duplicates). Never commits: the
// caller commits when the report suits it (no rejected rows, or --skip-invalid),
// otherwise destroys the writer, which stores nothing. An error result is a
// file-level problem (IMP001-IMP005, CSV0xx) or a store error.
Result<ImportReport> ImportRows(const form::Form& form, const store::FormVersion& version,
                                const RowSource& main, csv::Table* chunk,
                                const std::vector<RepeatTable>& repeats,
                                const ImportOptions& options, store::ImportWriter* writer);

// Checks every row of `main` (and the repeat tables) against `form`, whose stored
// version is `version` (form_id + version; its bytes are not read). Reads `store`
// to find instance ids already stored (unchanged or conflicts); never writes.
// Returns the plan, or an error for a file-level problem (IMP001-IMP005).
Result<ImportPlan> PlanImport(const form::Form& form, const store::FormVersion& version,
                              const csv::Table& main, const std::vector<RepeatTable>& repeats,
                              const ImportOptions& options, const store::Store& store);

// Rejected rows as CSV: file,line,column,instance_id,code,reason (one line per reason).
std::string RejectsCsv(const std::vector<RejectedRow>& rejected);

}  // namespace ngosurvey::exchange
