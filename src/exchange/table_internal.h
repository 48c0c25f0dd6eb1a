// The flat tables an export writes: one per level (the top level and each repeat),
// with typed variables and one row per submission or repeat instance. Built once
// from the submissions; every format's writer reads it. Private to exchange/.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "form/answer.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

enum class VarKind {
  kText,      // strings (keys, metadata, text, calculations, times, other types)
  kSelectOne, // numeric code with value labels
  kOption,    // 0/1 column of one select_multiple option
  kNumber,    // integer, decimal, range
  kDate,      // date, today
  kDateTime,  // dateTime, start, end
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
  std::string label;     // question text (option: "question: option")
  std::string type;      // the XLSForm type, or "metadata"
  int question = -1;     // index in Form::questions; -1 for keys and metadata
  std::string option;    // kOption: the choice name
  std::vector<Code> codes;  // kSelectOne: the choices and their numeric codes
  std::string relevant;  // when it is asked, in words (form/describe.h); "" = always
  bool integer = false;  // kNumber from an integer question
};

// One cell: an answer state and its text (answered values, keys and metadata).
struct Cell {
  form::AnswerState state = form::AnswerState::kMissing;
  std::string_view text;
};

struct Level {
  std::string name;  // "main", or the repeat's name
  int repeat = -1;   // the begin_repeat question, -1 for the top level
  std::vector<Variable> variables;
  std::vector<std::vector<Cell>> rows;
};

struct Tables {
  std::vector<Level> levels;
  std::vector<std::string> refused_codes, dont_know_codes;
  std::string language;  // Language::code used for labels
  std::deque<std::string> strings;  // owns texts that cells point at (built keys)
};

// Builds the tables. Questions in `dropped` (indexes) are left out. Notes and
// groups have no variables. Views in cells point into `submissions` and
// `tables->strings`: `submissions` must outlive the tables.
void BuildTables(const form::Form& form, const std::vector<store::Submission>& submissions,
                 const std::vector<bool>& dropped, const std::string& language, Tables* tables);

// The CSV text of a cell: answered text, the first refused / don't know code, or "".
std::string_view CellText(const Tables& tables, const Cell& cell);

// Writers, one per format; `path` is the output named by the user.
Status WriteCsv(const Tables& tables, const std::string& path, std::vector<std::string>* files);
Status WriteXlsx(const Tables& tables, const std::string& path, std::vector<std::string>* files);
Status WriteReadStat(const Tables& tables, bool stata, const std::string& path,
                     std::vector<std::string>* files);
Status WriteCodebook(const form::Form& form, const Tables& tables, const std::string& path,
                     std::vector<std::string>* files);

// "out.csv" + "programs" -> "out-programs.csv"; + "codebook", ".md" -> "out-codebook.md".
std::string SiblingPath(const std::string& path, const std::string& suffix,
                        const std::string& extension = "");

}  // namespace ngosurvey::exchange
