// analysis: the columnar in-memory Dataset that tables are computed from, the
// tabulation kernels, small-sample statistics and disclosure flags. It reads (the
// store, CSV exports) but never writes survey data, and never formats output:
// results are plain values that src/report renders.
//
// A Dataset holds one column per variable, each value with its state (answered,
// refused, don't know, not asked, missing; form/answer.h), in the narrowest type
// that fits, so that a pass over a column touches as few bytes as possible:
//
//   kSingle    select_one: a code per respondent in the narrowest width that holds
//              its options (SingleCodeWidth, chosen per column). With at most
//              kMaxSingleOptions options one byte (`planes[0]`): bytes 0..n-1 are
//              the option index, kCodeNotAsked..kCodeMissing the non-answers. Wider
//              lists (districts, communes, cadastral units) take 16-bit codes
//              (`codes16`, up to kMaxSingle16Options options, non-answers
//              0xFFFC..0xFFFF) or 32-bit codes (`codes32`, non-answers
//              0xFFFFFFFC..0xFFFFFFFF): the same layout, wider, so that narrow
//              columns are exactly as they were and cost nothing more.
//   kMulti     select_multiple: one byte "plane" per 7 options; bit j of plane p is
//              option 7p+j. A non-answer is the state code in plane 0 (state codes
//              are >= 0xFC and so never collide with 7 option bits) and 0 in the
//              other planes.
//   kNumber    integer or decimal: a double per respondent plus a state byte
//              (kCodeAnswered for a value).
//
// Weights are kNumber columns named by a table's design (survey_design.h,
// tabulate_design.h); the kernels here count unweighted rows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
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
inline constexpr int kMaxSingle16Options = 0xFFFC;
inline constexpr int kOptionsPerPlane = 7;
// A kSingle code of any width as Column::SingleCode gives it: an option index, or
// kWideNotAsked + (state code - kCodeNotAsked) for a non-answer, whose low byte is
// the state's byte code.
inline constexpr uint32_t kWideNotAsked = 0xFFFFFFFC;

// The byte code of a non-answer state (kCodeAnswered for kAnswered).
uint8_t StateCode(form::AnswerState state);

// Whether a cell's text starts with white space (what strtod would skip): such a cell
// is not a number as written (" 12"; import refuses it too, IMP012), so every loader
// checks this before strtod.
inline bool StartsWithSpace(std::string_view text) {
  return !text.empty() && (text[0] == ' ' || (text[0] >= '\t' && text[0] <= '\r'));
}

// The bytes of a kSingle column's code for `options` options: 1, 2 or 4.
int SingleCodeWidth(size_t options);

enum class ColumnKind { kSingle, kMulti, kNumber };

// The values of one column: either owned (a std::vector, as builders and kernels
// make them) or a read-only view of memory owned by someone else and kept alive by
// `owner` (a memory-mapped cache file, or the CSV loader's arena of columns). Reading is the same
// either way; the mutating members are only for owned buffers (a view is never written to).
template <typename T>
class Buffer {
 public:
  Buffer() = default;
  Buffer(std::vector<T> values) : owned_(std::move(values)) {}  // NOLINT: implicit by design
  Buffer(std::initializer_list<T> values) : owned_(values) {}

  // A view of `size` values at `data`, valid while `owner` lives.
  static Buffer View(const T* data, size_t size, std::shared_ptr<const void> owner) {
    Buffer buffer;
    buffer.view_ = data;
    buffer.view_size_ = size;
    buffer.owner_ = std::move(owner);
    return buffer;
  }

  bool is_view() const { return owner_ != nullptr; }
  const T* data() const { return owner_ ? view_ : owned_.data(); }
  size_t size() const { return owner_ ? view_size_ : owned_.size(); }
  bool empty() const { return size() == 0; }
  const T& operator[](size_t i) const { return data()[i]; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }

  // Owned buffers only.
  T* data() { return owned_.data(); }
  T& operator[](size_t i) { return owned_[i]; }
  T* begin() { return owned_.data(); }
  T* end() { return owned_.data() + owned_.size(); }
  void resize(size_t n, T value = T()) { owned_.resize(n, value); }
  void assign(size_t n, T value) { owned_.assign(n, value); }
  void push_back(T value) { owned_.push_back(value); }
  void reserve(size_t n) { owned_.reserve(n); }
  std::vector<T>& owned() { return owned_; }

  friend bool operator==(const Buffer& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::equal(b.begin(), b.end(), a.begin());
  }
  friend bool operator==(const Buffer& a, const Buffer& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  std::vector<T> owned_;
  const T* view_ = nullptr;
  size_t view_size_ = 0;
  std::shared_ptr<const void> owner_;
};

// One variable. Owned by its Dataset; not thread-safe to modify, safe to read from
// many threads.
struct Column {
  std::string name;
  std::string label;  // question text in the chosen language
  ColumnKind kind = ColumnKind::kSingle;
  std::vector<std::string> options;        // kSingle, kMulti: option names in order
  std::vector<std::string> option_labels;  // same length as options, or empty
  std::string relevant;                    // the question's relevance, as written
  std::vector<Buffer<uint8_t>> planes;     // kSingle of 1 byte: 1 plane; kMulti: ceil(options/7)
  Buffer<uint16_t> codes16;                // kSingle of 2 bytes (no planes)
  Buffer<uint32_t> codes32;                // kSingle of 4 bytes (no planes)
  Buffer<double> numbers;                  // kNumber
  Buffer<uint8_t> states;                  // kNumber: state code per respondent

  size_t size() const;
  // The width of a kSingle column's codes (1, 2 or 4), from its options.
  int code_width() const { return SingleCodeWidth(options.size()); }
  // kSingle: the code of `row` in any width (an option index, or >= kWideNotAsked).
  uint32_t SingleCode(size_t row) const {
    if (!planes.empty()) {
      uint32_t code = planes[0][row];
      return code >= kCodeNotAsked ? code | 0xFFFFFF00u : code;
    }
    if (!codes16.empty()) {
      uint32_t code = codes16[row];
      return code >= 0xFFFCu ? code | 0xFFFF0000u : code;
    }
    return codes32[row];
  }
  // Any kind: kCodeAnswered, or the byte code of the row's non-answer state.
  uint8_t StateAt(size_t row) const {
    if (kind == ColumnKind::kNumber) return states[row];
    if (kind == ColumnKind::kMulti) {
      uint8_t code = planes[0][row];
      return code >= kCodeNotAsked ? code : kCodeAnswered;
    }
    uint32_t code = SingleCode(row);
    return code >= kWideNotAsked ? static_cast<uint8_t>(code) : kCodeAnswered;
  }
  // The label of option `index`: option_labels[index] when set, else the name.
  const std::string& OptionLabel(size_t index) const;
  // Bytes of memory the column's values occupy (what a pass over it touches).
  size_t ByteSize() const;
};

// A design identifier's text: a number as messages show it ("9", "2.5"; -0 as "0").
std::string IdentifierName(double value);

// A numeric column of design identifiers (a table's strata or clusters) as a kSingle column:
// each row's code is the index of its value among the column's distinct values in order of
// first appearance (compared by value: "7", "07" and "7.0" are one identifier, +0 and -0
// too), the options are those values' IdentifierName, and non-answers keep their states. That
// is all a design reads of such a column (which rows share an identifier), in 1 or 2 bytes a
// row instead of a double and a state byte (bench/README.md, "Weighted tables"). The name,
// label and relevance are kept.
Column NumbersAsCodes(const Column& numbers);

class Dataset;

// The instances of a repeat inside a dataset's level (a household's members), for the
// expressions of a table over that level: a name of the repeat's fields reads as the
// node-set of the row's instances' values, the repeat's own name as its instances, as
// ODK evaluates a household's calculate over its roster (count(${members}),
// count(${m_migrant}[. = 'yes']) > 0, sum(${m_income})).
struct NestedInstances {
  std::string repeat;                   // the repeat's name
  std::shared_ptr<const Dataset> data;  // one row per instance
  // The instances of parent row r are data's rows order[offsets[r]] ..
  // order[offsets[r + 1] - 1], in their order; offsets has the parent's rows() + 1 entries.
  std::vector<uint32_t> offsets, order;
};

// Groups `instances` by `parent_of` (the parent row of each instance, < parent_rows).
NestedInstances MakeNestedInstances(std::string repeat, std::shared_ptr<const Dataset> instances,
                                    const std::vector<uint32_t>& parent_of, size_t parent_rows);

// A set of columns of equal length. Columns are looked up by name once, outside hot
// loops, and then addressed by index.
class Dataset {
 public:
  explicit Dataset(size_t rows = 0) : rows_(rows) {}

  size_t rows() const { return rows_; }
  const std::vector<Column>& columns() const { return columns_; }

  // Adds a column; error "D001" when its length differs from rows() (the first
  // column sets rows() for an empty dataset) or its name is taken, "D002" when its
  // buffers do not match its kind and options (planes, or a kSingle column's code
  // width) or a wide kSingle code is neither an option nor a non-answer.
  Status AddColumn(Column column);

  // Index of the column named `name`, or -1.
  int Find(std::string_view name) const;
  const Column& column(int index) const { return columns_[index]; }

  // Total bytes of all columns' values.
  size_t ByteSize() const;

  // Repeats whose instances the rows' expressions may read (see NestedInstances). Error
  // "D001" when the offsets do not match rows().
  Status AddNested(NestedInstances nested);
  const std::vector<NestedInstances>& nested() const { return nested_; }

 private:
  size_t rows_;
  std::vector<Column> columns_;
  std::vector<NestedInstances> nested_;
};

// Builders that take answers in their canonical text form (form/answer.h) and
// encode them (a kSingle column in its SingleCodeWidth); errors "D003" name the row
// and the value that is not an option.
class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, ColumnKind kind, std::vector<std::string> options = {});
  Status Append(const form::Answer& answer);
  Column Finish() &&;

 private:
  int OptionIndex(std::string_view value) const;
  Column column_;
  size_t rows_ = 0;
  std::unordered_map<std::string_view, int> index_;  // long lists: option -> index
};

}  // namespace ngosurvey::analysis
