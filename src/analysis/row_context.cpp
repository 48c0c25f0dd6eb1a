#include "analysis/row_context.h"

#include <fmt/format.h>

namespace ngosurvey::analysis {

RowContext::RowContext(const Dataset& data) : data_(data) {
  size_t slots = data.columns().size();
  for (const NestedInstances& nested : data.nested()) slots += 1 + nested.data->columns().size();
  buffers_.resize(slots);
}

namespace {

form::expr::TypeHint HintOf(const Column& column) {
  using form::expr::TypeHint;
  switch (column.kind) {
    case ColumnKind::kSingle:
      return TypeHint::kSelectOne;
    case ColumnKind::kMulti:
      return TypeHint::kSelectMultiple;
    case ColumnKind::kNumber:
      return TypeHint::kNumber;
  }
  return TypeHint::kString;
}

// The text of a column's value in `row`: "" when not answered; `buffer` holds what is
// built (joined options, a formatted number).
std::string_view ValueText(const Column& column, size_t row, std::string& buffer) {
  switch (column.kind) {
    case ColumnKind::kSingle: {
      uint32_t code = column.SingleCode(row);
      if (code >= column.options.size()) return {};
      return column.options[code];
    }
    case ColumnKind::kMulti: {
      if (column.planes[0][row] >= kCodeNotAsked) return {};
      buffer.clear();
      for (size_t option = 0; option < column.options.size(); ++option) {
        uint8_t bits = column.planes[option / kOptionsPerPlane][row];
        if (bits & (1u << (option % kOptionsPerPlane))) {
          if (!buffer.empty()) buffer.push_back(' ');
          buffer += column.options[option];
        }
      }
      return buffer;
    }
    case ColumnKind::kNumber: {
      if (column.states[row] != kCodeAnswered) return {};
      buffer = fmt::format("{}", column.numbers[row]);  // shortest round-trip text
      return buffer;
    }
  }
  return {};
}

}  // namespace

// Slots: the dataset's columns, then per nested repeat its name and its columns.
std::optional<form::expr::Symbol> RowContext::Resolve(std::string_view name) const {
  int index = data_.Find(name);
  if (index >= 0) return form::expr::Symbol{index, HintOf(data_.column(index))};
  int base = static_cast<int>(data_.columns().size());
  for (const NestedInstances& nested : data_.nested()) {
    if (nested.repeat == name) return form::expr::Symbol{base, form::expr::TypeHint::kRepeat};
    if (int column = nested.data->Find(name); column >= 0) {
      return form::expr::Symbol{base + 1 + column, HintOf(nested.data->column(column))};
    }
    base += 1 + static_cast<int>(nested.data->columns().size());
  }
  return std::nullopt;
}

RowContext::NestedSlot RowContext::Nested(int slot) const {
  int base = static_cast<int>(data_.columns().size());
  for (size_t n = 0;; ++n) {
    int width = 1 + static_cast<int>(data_.nested()[n].data->columns().size());
    if (slot < base + width) return NestedSlot{n, slot - base - 1};
    base += width;
  }
}

size_t RowContext::ValueCount(int slot) const {
  if (IsColumn(slot)) return 1;
  const NestedInstances& nested = data_.nested()[Nested(slot).nested];
  return nested.offsets[row_ + 1] - nested.offsets[row_];
}

std::string_view RowContext::ValueAt(int slot, size_t index) const {
  if (IsColumn(slot)) return ValueText(data_.column(slot), row_, buffers_[slot]);
  NestedSlot ref = Nested(slot);
  if (ref.column < 0) return {};
  const NestedInstances& nested = data_.nested()[ref.nested];
  uint32_t instance = nested.order[nested.offsets[row_] + index];
  return ValueText(nested.data->column(ref.column), instance, buffers_[slot]);
}

void RowContext::RandomBytes(uint8_t* out, size_t n) const {
  // Tables must be reproducible: a fixed xorshift sequence, not entropy.
  for (size_t i = 0; i < n; ++i) {
    rng_ ^= rng_ << 13, rng_ ^= rng_ >> 7, rng_ ^= rng_ << 17;
    out[i] = static_cast<uint8_t>(rng_);
  }
}

Result<form::expr::BoundExpr> CompileForDataset(const Dataset& data, const std::string& text,
                                                const Location& where) {
  RowContext resolver(data);
  auto bound = form::expr::Compile(text, resolver);
  if (!bound) {
    Error error = bound.error();
    error.where.file = where.file;
    error.where.row = where.row;
    return tl::unexpected(error);
  }
  return bound;
}

Result<std::vector<uint8_t>> EvaluateForRows(const Dataset& data,
                                             const form::expr::BoundExpr& expr) {
  RowContext context(data);
  form::expr::Evaluator evaluator;
  std::vector<uint8_t> result(data.rows());
  for (size_t row = 0; row < data.rows(); ++row) {
    context.SetRow(row);
    result[row] = NGO_TRY(evaluator.EvaluateBoolean(expr, context)) ? 1 : 0;
  }
  return result;
}

}  // namespace ngosurvey::analysis
