// Codings of open answers as CSV (docs/formats/codings-csv.md), and the answers a
// question's codings refer to.
//
// The file has exactly the columns `instance_id,question,coder,code,start,end`:
// `start`/`end` are 0-based offsets in Unicode code points into the stored answer,
// `end` exclusive, both empty for the whole answer; an empty `code` means the coder
// read the answer and found no code; an answer without a row was not coded by that
// coder. An import replaces, for every (answer, coder) it names, what that coder
// had stored for the answer.
//
// ImportCodings checks everything before writing anything (one PutCodings
// transaction): the header, the question (every row's, against --question and the
// forms the submissions use: an open question, text, outside repeats), the coder
// (against --coder when given), the code (against the codebook), the submission and
// its answer, the segment against the answer's length. The first problem is the
// error, with the file, line and column; nothing is stored then.
//
// Error codes:
//   COD001 the header is not exactly instance_id,question,coder,code,start,end
//   COD002 a row's question is not the one imported, or is no text question of the
//          submission's form (unknown, a select, inside a repeat)
//   COD003 unknown submission, or the submission has no answer to the question
//   COD004 a code that is not in the codebook
//   COD005 a bad segment: start or end alone, not whole numbers, start >= end, or
//          end beyond the answer's length in code points
//   COD006 a row's coder is empty, is not the --coder given, or is "(reconciled)"
//   COD007 "read, no code" (an empty code) beside codes for the same answer and
//          coder, or the same code and segment twice
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "form/codebook.h"
#include "store/codings_csv.h"
#include "store/store.h"

namespace ngosurvey::exchange {

using store::kCodingsHeader;

struct CodingImportOptions {
  std::string question;                      // required: the question the file codes
  std::string coder;                         // when set, every row must be this coder's
  const form::Codebook* codebook = nullptr;  // required: codes are checked against it
};

struct CodingImportResult {
  int64_t rows = 0;
  int64_t answers = 0;  // (answer, coder) pairs replaced
  std::vector<std::string> coders;
};

// Reads a codings CSV text and stores it (all or nothing).
Result<CodingImportResult> ImportCodings(store::Store& store, std::string_view csv_text,
                                         const std::string& file_name,
                                         const CodingImportOptions& options);

// The codings of `question` (one coder's when `coder` is set; otherwise every
// coder's but the reconciled codes) as CSV text with kCodingsHeader, ordered by
// instance_id, coder, then segment.
Result<std::string> ExportCodings(const store::Store& store, const std::string& question,
                                  const std::string& coder = "");

// One open answer to code.
struct OpenAnswer {
  std::string instance_id;
  std::string org_id;
  std::string text;         // the answer as stored
  std::string translation;  // the English translation when one is stored, else ""
};

// The answered values of `question` in completed submissions (pretest left out),
// ordered by instance_id. COD002 when no stored form has it as a text question.
Result<std::vector<OpenAnswer>> ListOpenAnswers(const store::Store& store,
                                                const std::string& question);

}  // namespace ngosurvey::exchange
