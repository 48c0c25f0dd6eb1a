// exchange: the values of one imported submission as the expression engine sees them
// (form/expr), to evaluate relevance and constraints on imported data: the CSV import
// (import.cpp) and the ODK XML import (odk_import.cpp) share it. Private to exchange/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "form/expr/expr.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

// Names are questions (slot = question index) and repeats; values are the raw text
// of the current submission, per instance for questions inside repeats.
class ImportContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  explicit ImportContext(const form::Form& form) : form_(form), values_(form.questions.size()) {}

  void Clear() {
    for (auto& v : values_) v.clear();
  }
  void Add(int question, std::string_view value) { values_[question].push_back(value); }
  // Evaluations now happen in instance `instance` (0-based, among the instances of
  // `repeat` in this submission), or at the top level when repeat == -1.
  void SetCurrentNode(int repeat, size_t instance, std::string_view current) {
    repeat_ = repeat, instance_ = instance, current_ = current;
  }

  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override {
    const form::Question* q = form_.FindQuestion(name);
    if (!q) return std::nullopt;
    return form::expr::Symbol{q->index, HintFor(*q)};
  }
  size_t ValueCount(int slot) const override {
    const form::Question& q = form_.questions[slot];
    if (q.is_repeat()) return values_[slot].size();
    if (repeat_ >= 0 && form_.EnclosingRepeat(q) == repeat_) return 1;
    return values_[slot].size();
  }
  std::string_view ValueAt(int slot, size_t index) const override {
    const form::Question& q = form_.questions[slot];
    const auto& values = values_[slot];
    if (repeat_ >= 0 && form_.EnclosingRepeat(q) == repeat_) {
      return instance_ < values.size() ? values[instance_] : std::string_view{};
    }
    return index < values.size() ? values[index] : std::string_view{};
  }
  std::string_view CurrentValue() const override { return current_; }
  int Position(int) const override { return repeat_ >= 0 ? static_cast<int>(instance_) + 1 : 0; }
  void RandomBytes(uint8_t* out, size_t n) const override { std::fill(out, out + n, 0x5A); }

  static form::expr::TypeHint HintFor(const form::Question& q) {
    using form::expr::TypeHint;
    switch (q.type) {
      case form::QuestionType::kInteger:
      case form::QuestionType::kDecimal:
      case form::QuestionType::kRange:
        return TypeHint::kNumber;
      case form::QuestionType::kDate:
      case form::QuestionType::kToday:
        return TypeHint::kDate;
      case form::QuestionType::kDateTime:
      case form::QuestionType::kStart:
      case form::QuestionType::kEnd:
        return TypeHint::kDateTime;
      case form::QuestionType::kTime:
        return TypeHint::kTime;
      case form::QuestionType::kSelectOne:
        return TypeHint::kSelectOne;
      case form::QuestionType::kSelectMultiple:
        return TypeHint::kSelectMultiple;
      case form::QuestionType::kBeginRepeat:
        return TypeHint::kRepeat;
      case form::QuestionType::kBeginGroup:
        return TypeHint::kGroup;
      default:
        return TypeHint::kString;
    }
  }

 private:
  const form::Form& form_;
  std::vector<std::vector<std::string_view>> values_;
  int repeat_ = -1;
  size_t instance_ = 0;
  std::string_view current_;
};

// Compiled relevance and constraint of each question, compiled once per import.
struct Expressions {
  std::vector<std::optional<form::expr::BoundExpr>> relevant, constraint;
  bool any_relevant = false;  // some question has a compiled relevance
  // Each question's index by its XForm path ("/data/grp/q"), for MarkNotAsked.
  std::unordered_map<std::string, int> question_by_path;
};

// Compiles every question's relevance and constraint against `resolver`; one that
// cannot be compiled on imported data is left unset with an IMP031 warning.
Expressions CompileExpressions(const form::Form& form, const ImportContext& resolver,
                               Diagnostics* warnings);

// False when the relevance of `question` or of a group or repeat around it is false
// for the values in `context` (at its current node); an expression that fails to
// evaluate counts as relevant.
bool IsRelevant(const form::Form& form, const Expressions& expressions,
                const ImportContext& context, form::expr::Evaluator& evaluator,
                const form::Question& question);

// The answers of one ODK submission: each `missing` answer whose question is not
// relevant given the submission's other answers becomes `not_asked`, as the CSV
// import decides for an empty cell (ODK clients send an irrelevant question as an
// empty element). Refused and don't know answers are seen by expressions as the
// form's first refused / don't know code, as in a CSV cell.
void MarkNotAsked(const form::Form& form, const Expressions& expressions, ImportContext& context,
                  form::expr::Evaluator& evaluator, store::Answers* answers);

}  // namespace ngosurvey::exchange
