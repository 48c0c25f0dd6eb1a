// Exports of a form's submissions (see import.h for the module's scope):
//
//   csv   the ODK Central layout: PATH for the top level, PATH-REPEAT.csv for each
//         repeat (rows linked by KEY / PARENT_KEY); refused and don't know as the
//         form's codes, not asked and missing as empty cells
//   xlsx  one sheet per level and a codebook sheet, header row frozen
//   dta   Stata 118 (Unicode), one file per level; value labels, refused = .a,
//         don't know = .b, not asked / missing = . (system missing)
//   sav   SPSS, one file per level; value labels, refused = -97 and don't know = -98
//         declared user-missing, not asked / missing = system missing
//
// Every format also writes the codebook beside the output, PATH-codebook.md and
// PATH-codebook.html: each variable's names in every format, question text in the
// chosen language, type, choices with codes, relevance and missing-value codes.
// Every file is written atomically (temporary file + rename); an error leaves the
// files not yet written untouched. docs/exchange.md has the details.
//
// Error codes: EXP001 unknown format, EXP002 unknown language, EXP005 unknown
// header style, EXP003 a value
// that cannot be written (ReadStat's or libxlsxwriter's message), EXP010-EXP011
// pseudonymisation key (pseudonymise.h); IO0xx from base/file.h.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

enum class ExportFormat { kCsv, kXlsx, kDta, kSav };

// "csv", "xlsx", "dta", "sav"; EXP001 otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view name);

// The CSV and XLSX column names of questions: the group path ("grp/q", ODK
// Central's and ngosurvey's layout, re-importable) or the bare name ("q", Kobo's
// default without groups in headers; a name that repeats in one file gets "_2",
// "_3"... after its second use). Stata and SPSS names are not affected.
enum class HeaderStyle { kPath, kBare };

// "path" or "bare"; EXP005 otherwise.
Result<HeaderStyle> ParseHeaderStyle(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  HeaderStyle headers = HeaderStyle::kPath;
  std::string language;  // a Language code or name of the form; empty = default
  // When set, org and interviewer ids become keyed pseudonyms and sensitive
  // questions are left out (pseudonymise.h). The key's bytes.
  std::optional<std::string> pseudonym_key;
  // The platforms' metadata columns to write (Store::MetadataColumns of the exported
  // submissions' filter):
  // where the layout puts them is BuildLayout's business (table_internal.h). When
  // unset, ExportStream reads the submissions once more to find them. Never written
  // in a pseudonymised export (they may name people: _submitted_by, SubmitterName).
  std::optional<std::vector<std::string>> metadata_columns;
  // The review status of reviewed submissions, by instance id, as KoboToolbox's
  // uid (store::KoboValidationStatus: validation_status_approved, ..._on_hold,
  // ..._not_approved): the main level's `_validation_status` column, empty for a
  // submission not reviewed (docs/exchange.md).
  std::map<std::string, std::string> validation_status;
};

struct ExportResult {
  std::vector<std::string> files;  // every file written, data files first
  size_t submissions = 0;
  size_t variables = 0;  // in all levels
};

// Where an export's submissions come from: calls the visitor once per submission
// (Store::ForEachSubmission has this shape), returning its error if it fails.
using SubmissionSource = std::function<Status(const store::SubmissionVisitor& visit)>;

// Streams the submissions of `source` (all of form `form`; the caller filters wave
// and pretest) to `path` and the files beside it named above (one per repeat level
// for csv/dta/sav, and the codebook `-codebook.md` / `-codebook.html`). Memory does
// not grow with the number of submissions. All files or none: they are written
// as temporaries and renamed together once all are complete.
Result<ExportResult> ExportStream(const form::Form& form, const SubmissionSource& source,
                                  const ExportOptions& options, const std::string& path);

// Writes `submissions` (all of form `form`; the caller filters wave and pretest)
// to `path` and the files beside it named above.
Result<ExportResult> ExportSubmissions(const form::Form& form,
                                       const std::vector<store::Submission>& submissions,
                                       const ExportOptions& options, const std::string& path);

// The name a variable gets in a format: ASCII letters, digits and '_' (Stata, at
// most 32 bytes, not a reserved word) or also '.', '@', '#', '$' after the first
// letter (SPSS, at most 64 bytes, not a reserved word). `taken` holds the names
// already given (compared case-insensitively); the result is added to it.
std::string StataName(std::string_view wanted, std::vector<std::string>* taken);
std::string SpssName(std::string_view wanted, std::vector<std::string>* taken);

}  // namespace ngosurvey::exchange
