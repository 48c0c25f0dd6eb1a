#include "analysis/dataset.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstdlib>

#include "base/text.h"

namespace ngosurvey::analysis {

uint8_t StateCode(form::AnswerState state) {
  switch (state) {
    case form::AnswerState::kAnswered:
      return kCodeAnswered;
    case form::AnswerState::kRefused:
      return kCodeRefused;
    case form::AnswerState::kDontKnow:
      return kCodeDontKnow;
    case form::AnswerState::kNotAsked:
      return kCodeNotAsked;
    case form::AnswerState::kMissing:
      return kCodeMissing;
  }
  return kCodeMissing;
}

int SingleCodeWidth(size_t options) {
  return options <= static_cast<size_t>(kMaxSingleOptions)     ? 1
         : options <= static_cast<size_t>(kMaxSingle16Options) ? 2
                                                               : 4;
}

std::string IdentifierName(double value) { return fmt::format("{}", value + 0.0); }

Column NumbersAsCodes(const Column& numbers) {
  Column out;
  out.name = numbers.name;
  out.label = numbers.label;
  out.relevant = numbers.relevant;
  out.kind = ColumnKind::kSingle;
  const size_t rows = numbers.size();
  std::unordered_map<uint64_t, uint32_t> index;  // a value's bits (+0 for -0) to its code
  std::vector<uint32_t> codes(rows);
  for (size_t r = 0; r < rows; ++r) {
    if (numbers.states[r] != kCodeAnswered) {
      codes[r] = kWideNotAsked + (numbers.states[r] - kCodeNotAsked);
      continue;
    }
    const double value = numbers.numbers[r] + 0.0;
    auto [it, added] =
        index.emplace(std::bit_cast<uint64_t>(value), static_cast<uint32_t>(out.options.size()));
    if (added) out.options.push_back(IdentifierName(value));
    codes[r] = it->second;
  }
  switch (SingleCodeWidth(out.options.size())) {
    case 1:
      out.planes.emplace_back(std::vector<uint8_t>(codes.begin(), codes.end()));
      break;
    case 2:
      out.codes16 = std::vector<uint16_t>(codes.begin(), codes.end());
      break;
    default:
      out.codes32 = std::move(codes);
  }
  return out;
}

size_t Column::size() const {
  if (kind == ColumnKind::kNumber) return numbers.size();
  if (!planes.empty()) return planes[0].size();
  return codes16.empty() ? codes32.size() : codes16.size();
}

const std::string& Column::OptionLabel(size_t index) const {
  if (index < option_labels.size() && !option_labels[index].empty()) return option_labels[index];
  return options[index];
}

size_t Column::ByteSize() const {
  size_t bytes = numbers.size() * sizeof(double) + states.size() +
                 codes16.size() * sizeof(uint16_t) + codes32.size() * sizeof(uint32_t);
  for (const auto& plane : planes) bytes += plane.size();
  return bytes;
}

Status Dataset::AddColumn(Column column) {
  if (Find(column.name) >= 0) {
    return MakeError("D001", "column '" + column.name + "' is already in the dataset");
  }
  const int width = column.kind == ColumnKind::kSingle ? column.code_width() : 0;
  size_t expected_planes =
      width == 1 ? 1
      : column.kind == ColumnKind::kMulti
          ? (column.options.size() + kOptionsPerPlane - 1) / std::max<size_t>(kOptionsPerPlane, 1)
          : 0;
  if (column.kind == ColumnKind::kMulti && expected_planes == 0) expected_planes = 1;
  if (column.planes.size() != expected_planes) {
    return MakeError("D002", "column '" + column.name + "' has " +
                                 std::to_string(column.planes.size()) + " byte planes, expected " +
                                 std::to_string(expected_planes));
  }
  // A kSingle column's codes are in the one width its options take (a column of 300
  // options in bytes, or of 3 in 16 bits, would be read wrong).
  bool has16 = !column.codes16.empty(), has32 = !column.codes32.empty();
  if ((has16 && width != 2) || (has32 && width != 4) ||
      (column.size() > 0 && ((width == 2 && !has16) || (width == 4 && !has32)))) {
    return MakeError("D002", "column '" + column.name + "' has " +
                                 std::to_string(column.options.size()) +
                                 " options, whose codes take " + std::to_string(width) +
                                 " bytes, and codes of another width");
  }
  // Wide codes are checked once here, so that the kernels can index by them.
  auto check_codes = [&](const auto& codes, uint32_t first_state) -> Status {
    const uint32_t options = static_cast<uint32_t>(column.options.size());
    for (size_t r = 0; r < codes.size(); ++r) {
      uint32_t code = codes[r];
      if (code >= options && code < first_state) {
        return MakeError("D002", "column '" + column.name + "' row " + std::to_string(r + 1) +
                                     ": code " + std::to_string(code) + " is not one of its " +
                                     std::to_string(options) + " options");
      }
    }
    return Ok();
  };
  if (width == 2) NGO_TRY(check_codes(column.codes16, 0xFFFCu));
  if (width == 4) NGO_TRY(check_codes(column.codes32, kWideNotAsked));
  for (const auto& plane : column.planes) {
    if (plane.size() != column.size()) {
      return MakeError("D001", "column '" + column.name + "' has planes of different lengths");
    }
  }
  if (column.kind == ColumnKind::kNumber && column.states.size() != column.numbers.size()) {
    return MakeError("D001", "column '" + column.name + "' has " +
                                 std::to_string(column.states.size()) + " states for " +
                                 std::to_string(column.numbers.size()) + " values");
  }
  if (columns_.empty() && rows_ == 0) rows_ = column.size();
  if (column.size() != rows_) {
    return MakeError("D001", "column '" + column.name + "' has " + std::to_string(column.size()) +
                                 " rows, the dataset " + std::to_string(rows_));
  }
  columns_.push_back(std::move(column));
  return Ok();
}

int Dataset::Find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t Dataset::ByteSize() const {
  size_t bytes = 0;
  for (const auto& column : columns_) bytes += column.ByteSize();
  return bytes;
}

NestedInstances MakeNestedInstances(std::string repeat, std::shared_ptr<const Dataset> instances,
                                    const std::vector<uint32_t>& parent_of, size_t parent_rows) {
  NestedInstances nested;
  nested.repeat = std::move(repeat);
  nested.data = std::move(instances);
  nested.offsets.assign(parent_rows + 1, 0);
  for (uint32_t parent : parent_of) ++nested.offsets[parent + 1];
  for (size_t r = 0; r < parent_rows; ++r) nested.offsets[r + 1] += nested.offsets[r];
  nested.order.resize(parent_of.size());
  std::vector<uint32_t> next(nested.offsets.begin(), nested.offsets.end() - 1);
  for (size_t i = 0; i < parent_of.size(); ++i) {
    nested.order[next[parent_of[i]]++] = static_cast<uint32_t>(i);
  }
  return nested;
}

Status Dataset::AddNested(NestedInstances nested) {
  if (nested.offsets.size() != rows_ + 1 || !nested.data ||
      nested.order.size() != nested.data->rows()) {
    return MakeError(
        "D001", "the instances of repeat '" + nested.repeat + "' do not match the dataset's rows");
  }
  nested_.push_back(std::move(nested));
  return Ok();
}

ColumnBuilder::ColumnBuilder(std::string name, ColumnKind kind, std::vector<std::string> options) {
  column_.name = std::move(name);
  column_.kind = kind;
  column_.options = std::move(options);
  size_t planes =
      kind == ColumnKind::kSingle ? (column_.code_width() == 1 ? 1 : 0)
      : kind == ColumnKind::kMulti
          ? std::max<size_t>(1, (column_.options.size() + kOptionsPerPlane - 1) / kOptionsPerPlane)
          : 0;
  column_.planes.resize(planes);
  // A long list (hundreds or thousands of districts) is looked up by hash, not by a
  // scan per answer; the views point into column_.options, which moves with its buffer.
  if (kind != ColumnKind::kNumber && column_.options.size() > 16) {
    index_.reserve(column_.options.size());
    for (size_t i = 0; i < column_.options.size(); ++i) {
      index_.emplace(column_.options[i], static_cast<int>(i));  // the first of a name wins
    }
  }
}

int ColumnBuilder::OptionIndex(std::string_view value) const {
  if (!index_.empty()) {
    auto it = index_.find(value);
    return it == index_.end() ? -1 : it->second;
  }
  for (size_t i = 0; i < column_.options.size(); ++i) {
    if (column_.options[i] == value) return static_cast<int>(i);
  }
  return -1;
}

Status ColumnBuilder::Append(const form::Answer& answer) {
  size_t row = rows_++;
  auto not_an_option = [&](std::string_view value) {
    return MakeError("D003", "row " + std::to_string(row + 1) + ": '" + std::string(value) +
                                 "' is not an option of '" + column_.name + "'");
  };
  bool answered = answer.state == form::AnswerState::kAnswered;
  switch (column_.kind) {
    case ColumnKind::kSingle: {
      uint8_t state = StateCode(answer.state);
      uint32_t code = kWideNotAsked + (state - kCodeNotAsked);
      if (answered) {
        int index = OptionIndex(answer.value);
        if (index < 0) return not_an_option(answer.value);
        code = static_cast<uint32_t>(index);
      }
      switch (column_.code_width()) {
        case 1:
          column_.planes[0].push_back(static_cast<uint8_t>(code));
          break;
        case 2:
          column_.codes16.push_back(static_cast<uint16_t>(code));
          break;
        default:
          column_.codes32.push_back(code);
          break;
      }
      break;
    }
    case ColumnKind::kMulti: {
      std::vector<uint8_t> bytes(column_.planes.size(), 0);
      if (answered) {
        for (std::string_view token : text::Split(answer.value, ' ')) {
          if (token.empty()) continue;
          int index = OptionIndex(token);
          if (index < 0) return not_an_option(token);
          bytes[index / kOptionsPerPlane] |= static_cast<uint8_t>(1u << (index % kOptionsPerPlane));
        }
      } else {
        bytes[0] = StateCode(answer.state);
      }
      for (size_t p = 0; p < bytes.size(); ++p) column_.planes[p].push_back(bytes[p]);
      break;
    }
    case ColumnKind::kNumber: {
      double number = std::nan("");
      if (answered) {
        char* end = nullptr;
        std::string text(answer.value);
        number = std::strtod(text.c_str(), &end);
        if (text.empty() || StartsWithSpace(text) || end != text.c_str() + text.size() ||
            !std::isfinite(number)) {
          return MakeError("D003", "row " + std::to_string(row + 1) + ": '" + text +
                                       "' is not a number ('" + column_.name + "')");
        }
      }
      column_.numbers.push_back(number);
      column_.states.push_back(StateCode(answer.state));
      break;
    }
  }
  return Ok();
}

Column ColumnBuilder::Finish() && { return std::move(column_); }

}  // namespace ngosurvey::analysis
