// The sample frame: the organizations selected for a study, one CSV row each.
//
// Columns (header names, exact, any order):
//   org_id          required (or `case_id` instead); unique, non-empty
//   name            required
//   country         required, or `stratum` instead (the grouping the design uses)
//   address         optional
//   contact_person  optional
//   disposition     optional; a final AAPOR code from FinalDispositions() or empty
//                   while the case is still in the field
// Any other column is kept, in order, as an extra field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv.h"
#include "base/diagnostic.h"
#include "base/error.h"
#include "fieldwork/dispositions.h"

namespace ngosurvey::fieldwork {

struct FrameCase {
  std::string org_id;
  std::string name;
  std::string stratum;  // the `country` or `stratum` value
  std::string address;
  std::string contact_person;
  const DispositionCode* disposition = nullptr;  // nullptr: no final code yet
  std::vector<std::string> extra;                // values of Frame::extra_columns
  int line = 0;                                  // 1-based line in the file
};

struct Frame {
  std::string file;
  std::string id_column = "org_id";  // "org_id" or "case_id"
  std::string stratum_column;        // "country" or "stratum"
  bool has_address_column = false;
  bool has_contact_person_column = false;
  bool has_disposition_column = false;
  int disposition_column = 0;              // 1-based, when present
  std::vector<std::string> extra_columns;  // header names of the extra columns
  std::vector<int> extra_column_numbers;   // their 1-based columns in the file (0: not a file)
  std::vector<FrameCase> cases;            // in file order

  // The case with `org_id`, or nullptr.
  const FrameCase* Find(std::string_view org_id) const;

  // True when `column` is a standard column present in the file or an extra column.
  bool HasColumn(std::string_view column) const;

  // The value of `column` for `c`: a standard column by name or an extra column.
  // nullopt when the frame has no such column.
  std::optional<std::string> Value(const FrameCase& c, std::string_view column) const;
};

// Validates a parsed CSV table as a frame. Every problem is added to *diagnostics
// (codes below, each located at file:line:column); when there is at least one
// error the result is error FW000 naming the count. Problems:
//   FW001 missing required column (org_id, name, country or stratum)
//   FW002 duplicate org_id (names the line of the first)
//   FW003 unknown disposition code (with a suggestion when a zero was dropped)
//   FW004 empty org_id
//   FW005 both `country` and `stratum` columns (ambiguous grouping), or both `org_id`
//         and `case_id`
Result<Frame> ParseFrame(const csv::Table& table, Diagnostics* diagnostics);

// Reads a frame file: csv::ReadTable's errors (IO001, CSV0xx), then ParseFrame's.
Result<Frame> ReadFrame(const std::string& path, Diagnostics* diagnostics);

}  // namespace ngosurvey::fieldwork
