// The flat tables an export writes: one per level (the top level and each repeat),
// with typed variables and one row per submission or repeat instance. The layout
// is built once from the form; rows stream from the store through a RowWriter
// (one per format), never all in memory. Private to exchange/. Defined in
// table.cpp (the layout, CellText, SiblingPath, OutputFiles), csv_writer.cpp,
// xlsx_writer.cpp, readstat_writer.cpp (one writer each) and codebook.cpp; export.cpp
// drives them and nothing here calls back into it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/answer.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

enum class VarKind {
  kText,       // strings (keys, metadata, text, calculations, times, other types)
  kSelectOne,  // numeric code with value labels
  kOption,     // 0/1 column of one select_multiple option
  kNumber,     // integer, decimal, range
  kDate,       // date, today
  kDateTime,   // dateTime, start, end
};

struct Code {
  double value = 0;
  std::string name;   // the choice name
  std::string label;  // in the export language
};

struct Variable {
  VarKind kind = VarKind::kText;
  std::string csv_name;  // ODK header: "grp/q", "q/option", "KEY"
  std::string stata_name, spss_name;
  std::string label;        // question text (option: "question: option")
  std::string type;         // the XLSForm type, or "metadata"
  int question = -1;        // index in Form::questions; -1 for keys and metadata
  std::string option;       // kOption: the choice name
  std::vector<Code> codes;  // kSelectOne: the choices and their numeric codes
  std::string relevant;     // when it is asked, in words (form/describe.h); "" = always
  bool integer = false;     // kNumber from an integer question
  // The "specify" text of an or_other select (`question`): CSV "grp/q_other", beside
  // the select's columns as Kobo writes it; stored at the select's path + "_other".
  bool specify = false;
  // A platform's metadata column kept with the submissions (Submission::metadata):
  // `csv_name` is its header as the platform wrote it (a repeat instance's own
  // without the instance path), in every header style.
  bool kept = false;
};

// One cell: an answer state and its text (answered values, keys and metadata).
// The text is a view valid during the RowWriter::Row call that receives it.
struct Cell {
  form::AnswerState state = form::AnswerState::kMissing;
  std::string_view text;
};

struct Level {
  std::string name;  // "main", or the repeat's name
  int repeat = -1;   // the begin_repeat question, -1 for the top level
  std::vector<Variable> variables;
  size_t rows = 0;  // rows written so far (all of them once the export is done)
};

struct Tables {
  std::vector<Level> levels;
  std::vector<std::string> refused_codes, dont_know_codes;
  std::string language;  // Language::code used for labels
};

// Builds the levels and their variables (no rows). Questions in `dropped`
// (indexes) are left out. Notes and groups have no variables. `metadata` names
// the platforms' metadata columns to write (Store::MetadataColumns): each goes to
// the level of its instance path ("members[2]/_index": the repeat members), where
// the platform puts it: a media URL ("photo_URL") after its question's columns,
// Kobo's geopoint parts ("_loc_latitude") after the geopoint's, the others after
// every answer, in the given order.
void BuildLayout(const form::Form& form, const std::vector<bool>& dropped,
                 const std::string& language, Tables* tables,
                 const std::vector<std::string>& metadata = {});

// A metadata column's level and header: "hh/members[2]/_index" -> ("hh/members",
// "_index"); ("", name) at the top level. The repeat path has no indexes.
std::pair<std::string_view, std::string_view> SplitMetadataColumn(std::string_view column);

// Replaces the CSV / XLSX names of question variables by the bare question name
// ("q", "q/option", "q_other"), made unique within each level by "_2", "_3"...
void UseBareHeaders(const form::Form& form, Tables* tables);

// The CSV text of a cell: answered text, the first refused / don't know code, or "".
std::string_view CellText(const Tables& tables, const Cell& cell);

// The files of one export, written as temporaries beside their targets and renamed
// all together by Commit (after an fsync of each), so that a failure leaves none of
// them: the destructor removes every temporary not committed.
class OutputFiles {
 public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  ~OutputFiles();
  // Reserves `path`; returns the temporary path to write instead. IO004 when `path`
  // is a folder (it could not be replaced).
  Result<std::string> Add(const std::string& path);
  Status Commit();
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_, temps_;
  bool committed_ = false;
};

// A format's writer: takes the rows of every level in any interleaving (each
// level's rows in order), then Finish writes what is left and closes the files.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual Status Row(size_t level, const std::vector<Cell>& row) = 0;
  virtual Status Finish() = 0;
};

// Writers, one per format; `path` is the output named by the user. Each registers
// its files in `files`. `tables` must outlive the writer (Level::rows is read at
// Finish).
Result<std::unique_ptr<RowWriter>> OpenCsv(const Tables& tables, const std::string& path,
                                           OutputFiles* files);
Result<std::unique_ptr<RowWriter>> OpenXlsx(const Tables& tables, const std::string& path,
                                            OutputFiles* files);
Result<std::unique_ptr<RowWriter>> OpenReadStat(const Tables& tables, bool stata,
                                                const std::string& path, OutputFiles* files);
// The codebook's columns, and one variable's fields under them (codebook.cpp): the
// codebook files and the XLSX export's codebook sheet show the same.
std::vector<std::string> CodebookColumns(const Tables& tables);
std::vector<std::string> CodebookFields(const Tables& tables, const Variable& variable);

// The codebook (Markdown and HTML), written once the rows are counted.
Status WriteCodebook(const form::Form& form, const Tables& tables, const std::string& path,
                     OutputFiles* files);

// "out.csv" + "programs" -> "out-programs.csv"; + "codebook", ".md" -> "out-codebook.md".
std::string SiblingPath(const std::string& path, const std::string& suffix,
                        const std::string& extension = "");

}  // namespace ngosurvey::exchange
