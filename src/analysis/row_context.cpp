#include "analysis/row_context.h"

#include <fmt/format.h>

namespace ngosurvey::analysis {

RowContext::RowContext(const Dataset& data) : data_(data), buffers_(data.columns().size()) {}

std::optional<form::expr::Symbol> RowContext::Resolve(std::string_view name) const {
  int index = data_.Find(name);
  if (index < 0) return std::nullopt;
  using form::expr::TypeHint;
  TypeHint hint = TypeHint::kString;
  switch (data_.column(index).kind) {
    case ColumnKind::kSingle:
      hint = TypeHint::kSelectOne;
      break;
    case ColumnKind::kMulti:
      hint = TypeHint::kSelectMultiple;
      break;
    case ColumnKind::kNumber:
      hint = TypeHint::kNumber;
      break;
  }
  return form::expr::Symbol{index, hint};
}

std::string_view RowContext::ValueAt(int slot, size_t) const {
  const Column& column = data_.column(slot);
  std::string& buffer = buffers_[slot];
  switch (column.kind) {
    case ColumnKind::kSingle: {
      uint8_t code = column.planes[0][row_];
      if (code >= column.options.size()) return {};
      return column.options[code];
    }
    case ColumnKind::kMulti: {
      if (column.planes[0][row_] >= kCodeNotAsked) return {};
      buffer.clear();
      for (size_t option = 0; option < column.options.size(); ++option) {
        uint8_t bits = column.planes[option / kOptionsPerPlane][row_];
        if (bits & (1u << (option % kOptionsPerPlane))) {
          if (!buffer.empty()) buffer.push_back(' ');
          buffer += column.options[option];
        }
      }
      return buffer;
    }
    case ColumnKind::kNumber: {
      if (column.states[row_] != kCodeAnswered) return {};
      buffer = fmt::format("{}", column.numbers[row_]);  // shortest round-trip text
      return buffer;
    }
  }
  return {};
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
