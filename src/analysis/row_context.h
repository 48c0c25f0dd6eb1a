// Expressions over dataset rows: table filters, eligibility rules and derived
// variables are expressions of the one engine (form/expr), evaluated once per
// respondent with the dataset's columns as the names they may use.
#pragma once

#include <string>
#include <vector>

#include "analysis/dataset.h"
#include "form/expr/expr.h"

namespace ngosurvey::analysis {

// Names are the dataset's column names (slot = column index), then the fields and
// names of its nested repeats (Dataset::nested(): node-sets of the row's instances,
// slots after the columns). A value that is not answered reads as "" (missing), as
// XForms does for unanswered questions.
// Not thread-safe: one per thread (it formats numbers into its own buffers).
class RowContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  explicit RowContext(const Dataset& data);

  void SetRow(size_t row) { row_ = row; }

  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override;
  size_t ValueCount(int slot) const override;
  std::string_view ValueAt(int slot, size_t index) const override;
  void RandomBytes(uint8_t* out, size_t n) const override;

  // True when `slot` is a column of the dataset itself (not a nested repeat's).
  bool IsColumn(int slot) const { return slot < static_cast<int>(data_.columns().size()); }

 private:
  // A slot of a nested repeat: which one, and its column (-1: the repeat's name).
  struct NestedSlot {
    size_t nested = 0;
    int column = -1;
  };
  NestedSlot Nested(int slot) const;

  const Dataset& data_;
  size_t row_ = 0;
  mutable std::vector<std::string> buffers_;  // per slot: formatted numbers, joined options
  mutable uint64_t rng_ = 0x9E3779B97F4A7C15ull;
};

// Compiles `text` against the dataset's columns. Errors keep the engine's code
// (E040-E059), the expression and the caret offset; `where` adds the file and line.
Result<form::expr::BoundExpr> CompileForDataset(const Dataset& data, const std::string& text,
                                                const Location& where);

// Evaluates a boolean expression for every row: 1 where true, 0 where false.
Result<std::vector<uint8_t>> EvaluateForRows(const Dataset& data,
                                             const form::expr::BoundExpr& expr);

}  // namespace ngosurvey::analysis
