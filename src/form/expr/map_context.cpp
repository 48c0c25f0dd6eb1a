#include <algorithm>

#include "form/expr/expr.h"

namespace ngosurvey::form::expr {

int SecondaryInstance::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == field) return static_cast<int>(i);
  }
  return -1;
}

MapContext::MapContext(const Clock* clock, uint64_t seed)
    : clock_(clock ? clock : &SystemClock::Instance()), rng_(seed ? seed : 1) {}

int MapContext::SlotFor(std::string_view name) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name == name) return static_cast<int>(i);
  }
  entries_.push_back(Entry{std::string(name), TypeHint::kUnknown, {}, -1, {}});
  return static_cast<int>(entries_.size()) - 1;
}

void MapContext::Set(std::string_view name, std::string value, TypeHint hint) {
  Entry& entry = entries_[SlotFor(name)];
  entry.hint = hint;
  entry.values = {std::move(value)};
  entry.repeat_slot = -1;
}

void MapContext::SetRepeated(std::string_view name, std::string_view repeat,
                             std::vector<std::string> values, TypeHint hint) {
  int repeat_slot = SlotFor(repeat);
  size_t count = values.size();
  int slot = SlotFor(name);
  entries_[slot].hint = hint;
  entries_[slot].values = std::move(values);
  entries_[slot].repeat_slot = repeat_slot;
  Entry& rep = entries_[repeat_slot];
  rep.hint = TypeHint::kRepeat;
  rep.values.assign(std::max(count, rep.values.size()), std::string());
}

void MapContext::AddInstance(std::string id, SecondaryInstance instance) {
  for (auto& [key, value] : instances_) {
    if (key == id) {
      value = std::move(instance);
      return;
    }
  }
  instances_.emplace_back(std::move(id), std::move(instance));
}

void MapContext::AddChoiceLabel(std::string_view name, std::string choice, std::string label) {
  entries_[SlotFor(name)].labels.emplace_back(std::move(choice), std::move(label));
}

std::optional<Symbol> MapContext::Resolve(std::string_view name) const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name == name) return Symbol{static_cast<int>(i), entries_[i].hint};
  }
  return std::nullopt;
}

std::optional<int> MapContext::ResolveInstance(std::string_view id) const {
  for (size_t i = 0; i < instances_.size(); ++i) {
    if (instances_[i].first == id) return static_cast<int>(i);
  }
  return std::nullopt;
}

size_t MapContext::ValueCount(int slot) const {
  if (slot < 0 || static_cast<size_t>(slot) >= entries_.size()) return 0;
  return entries_[slot].values.size();
}

std::string_view MapContext::ValueAt(int slot, size_t index) const {
  if (slot < 0 || static_cast<size_t>(slot) >= entries_.size()) return {};
  const Entry& entry = entries_[slot];
  return index < entry.values.size() ? std::string_view(entry.values[index]) : std::string_view();
}

std::optional<std::string_view> MapContext::IndexedValue(int slot,
                                                         std::span<const RepeatIndex> path) const {
  // Flat repeats only: the last index picks the value.
  if (slot < 0 || static_cast<size_t>(slot) >= entries_.size() || path.empty()) return std::nullopt;
  const Entry& entry = entries_[slot];
  int position = path.back().position;
  if (entry.repeat_slot < 0 || position < 1 ||
      static_cast<size_t>(position) > entry.values.size()) {
    return std::nullopt;
  }
  return std::string_view(entry.values[position - 1]);
}

const SecondaryInstance* MapContext::Instance(int instance) const {
  if (instance < 0 || static_cast<size_t>(instance) >= instances_.size()) return nullptr;
  return &instances_[instance].second;
}

std::optional<std::string_view> MapContext::ChoiceLabel(int slot, std::string_view choice) const {
  if (slot < 0 || static_cast<size_t>(slot) >= entries_.size()) return std::nullopt;
  for (const auto& [name, label] : entries_[slot].labels) {
    if (name == choice) return std::string_view(label);
  }
  return std::nullopt;
}

void MapContext::RandomBytes(uint8_t* out, size_t n) const {
  // xorshift64*: deterministic for a given seed; not for secrets.
  for (size_t i = 0; i < n; ++i) {
    rng_ ^= rng_ >> 12;
    rng_ ^= rng_ << 25;
    rng_ ^= rng_ >> 27;
    out[i] = static_cast<uint8_t>((rng_ * 0x2545F4914F6CDD1DULL) >> 56);
  }
}

}  // namespace ngosurvey::form::expr
