// The codings CSV (docs/formats/codings-csv.md) read and checked into codings, the
// one reader of the format: `code import` (exchange/codings.h) checks each row's
// answer against the store, a study's codings file (study/study.h) against the
// study's data; both through `answer_text`.
//
// The file has exactly the columns `instance_id,question,coder,code,start,end`:
// `start`/`end` are 0-based offsets in Unicode code points into the answer, `end`
// exclusive, both empty for the whole answer; an empty `code` means the coder read the
// answer and found no code; an answer without a row was not coded by that coder.
//
// The first problem is the error, with the file, line and column (the COD codes of
// exchange/codings.h): COD001 header, COD002 question, COD003 (from `answer_text`) an
// unknown submission or answer, COD004 code, COD005 segment, COD006 coder, COD007 a row
// that contradicts another. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/codebook.h"
#include "store/codings.h"

namespace ngosurvey::store {

inline constexpr const char* kCodingsHeader = "instance_id,question,coder,code,start,end";

struct CodingsCsvOptions {
  std::string question;  // the question the file codes; empty: any

  std::string coder;                         // when set, every row must be this coder's
  const form::Codebook* codebook = nullptr;  // required: codes are checked against it
  // Rows of the coder "(reconciled)" are the agreed codes (a study's codings file, which
  // has no audit trail: its history is the study's); otherwise COD006, as an import into
  // a store records agreed codes with `code reconcile` alone.
  bool allow_reconciled = false;
};

// The text of an instance's answer to a question, or an error (COD002, COD003 or
// another) located by the caller at `instance_cell` (the row's instance id) or
// `question_cell`.
using AnswerTextLookup = std::function<Result<std::string>(
    const std::string& instance_id, const std::string& question, const Location& instance_cell,
    const Location& question_cell)>;

struct CodingsCsv {
  std::vector<AnswerCoding> codings;  // one per (instance, coder), by instance then coder;
                                      // segments sorted
  int64_t rows = 0;
  std::vector<std::string> coders;  // sorted, each once
};

// Parses and checks a codings CSV text (a BOM and UTF-16 with a BOM are read too).
Result<CodingsCsv> ParseCodingsCsv(std::string_view csv_text, const std::string& file_name,
                                   const CodingsCsvOptions& options,
                                   const AnswerTextLookup& answer_text);

// The codings as CSV text with kCodingsHeader, one row per segment, in the order given.
std::string CodingsToCsv(const std::vector<AnswerCoding>& codings);

}  // namespace ngosurvey::store
