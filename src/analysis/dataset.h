// analysis: the columnar in-memory Dataset that tables are computed from, the
// tabulation kernels, small-sample statistics and disclosure flags. It reads (the
// store, CSV exports) but never writes survey data, and never formats output:
// results are plain values that src/report renders.
//
// A Dataset holds one column per variable, each value with its state (answered,
// refused, don't know, not asked, missing; form/answer.h), in the narrowest type
// that fits, so that a pass over a column touches as few bytes as possible:
//
//   kSingle    select_one with at most kMaxSingleOptions options: one byte per
//              respondent; bytes 0..n-1 are the option index, kCodeNotAsked..
//              kCodeMissing the non-answers.
//   kMulti     select_multiple: one byte "plane" per 7 options; bit j of plane p is
//              option 7p+j. A non-answer is the state code in plane 0 (state codes
//              are >= 0xFC and so never collide with 7 option bits) and 0 in the
//              other planes.
//   kNumber    integer or decimal: a double per respondent plus a state byte
//              (kCodeAnswered for a value).
//
// Weights would be one more kNumber column named by the table spec; the kernels
// below would then add the weight instead of 1 (see docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/answer.h"

namespace ngosurvey::analysis {

// State codes in byte columns. Option indexes use 0..kMaxSingleOptions-1.
inline constexpr uint8_t kCodeAnswered = 0x00;  // state byte of kNumber columns only
inline constexpr uint8_t kCodeNotAsked = 0xFC;
inline constexpr uint8_t kCodeDontKnow = 0xFD;
inline constexpr uint8_t kCodeRefused = 0xFE;
inline constexpr uint8_t kCodeMissing = 0xFF;
inline constexpr int kMaxSingleOptions = 0xFC;
inline constexpr int kOptionsPerPlane = 7;

// The byte code of a non-answer state (kCodeAnswered for kAnswered).
uint8_t StateCode(form::AnswerState state);
// The state a byte code stands for: an option index means answered.
form::AnswerState StateOfCode(uint8_t code);

enum class ColumnKind { kSingle, kMulti, kNumber };

// One variable. Owned by its Dataset; not thread-safe to modify, safe to read from
// many threads.
struct Column {
  std::string name;
  std::string label;                          // question text in the chosen language
  ColumnKind kind = ColumnKind::kSingle;
  std::vector<std::string> options;           // kSingle, kMulti: option names in order
  std::vector<std::string> option_labels;     // same length as options, or empty
  std::string relevant;                       // the question's relevance, as written
  std::vector<std::vector<uint8_t>> planes;   // kSingle: 1 plane; kMulti: ceil(options/7)
  std::vector<double> numbers;                // kNumber
  std::vector<uint8_t> states;                // kNumber: state code per respondent

  size_t size() const;
  // The label of option `index`: option_labels[index] when set, else the name.
  const std::string& OptionLabel(size_t index) const;
  // Bytes of memory the column's values occupy (what a pass over it touches).
  size_t ByteSize() const;
};

// A set of columns of equal length. Columns are looked up by name once, outside hot
// loops, and then addressed by index.
class Dataset {
 public:
  explicit Dataset(size_t rows = 0) : rows_(rows) {}

  size_t rows() const { return rows_; }
  const std::vector<Column>& columns() const { return columns_; }

  // Adds a column; error "D001" when its length differs from rows() (the first
  // column sets rows() for an empty dataset) or its name is taken, "D002" when a
  // kSingle column has more than kMaxSingleOptions options or its planes do not
  // match its kind.
  Status AddColumn(Column column);

  // Index of the column named `name`, or -1.
  int Find(std::string_view name) const;
  const Column& column(int index) const { return columns_[index]; }

  // Total bytes of all columns' values.
  size_t ByteSize() const;

 private:
  size_t rows_;
  std::vector<Column> columns_;
};

// Builders that take answers in their canonical text form (form/answer.h) and
// encode them; errors "D003" name the row and the value that is not an option.
class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, ColumnKind kind, std::vector<std::string> options = {});
  Status Append(const form::Answer& answer);
  Column Finish() &&;

 private:
  Column column_;
  size_t rows_ = 0;
};

}  // namespace ngosurvey::analysis
