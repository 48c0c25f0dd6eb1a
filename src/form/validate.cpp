// Expression-level validation of a Form: every expression cell is parsed by the
// expression engine (form/expr), its function calls checked, its ${name}
// references resolved against the form's names, choice filters checked against
// the choices sheet's columns, and calculations checked for cycles. Every problem
// is reported, each at its cell with the expression and a caret.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "form/diagnostics.h"
#include "form/expr/expr.h"
#include "form/validate_internal.h"

namespace ngosurvey::form {
namespace {

// A constant required/read_only cell is not an expression.
bool IsYesNo(std::string_view value) {
  std::string lower = text::AsciiLower(text::Trim(value));
  return lower == "yes" || lower == "no" || lower == "true" || lower == "false" ||
         lower == "true()" || lower == "false()" || lower == "1" || lower == "0" || lower.empty();
}

class Validator {
 public:
  Validator(const Form& form, Diagnostics* diags) : form_(form), diags_(diags) {
    for (const auto& [key, column] : form.choices_columns) {
      size_t sep = key.find("::");
      choice_columns_.insert(key);
      if (sep != std::string::npos) choice_columns_.insert(key.substr(0, sep));
    }
    for (const auto& [key, column] : form.external_choices_columns) {
      size_t sep = key.find("::");
      external_columns_.insert(key);
      if (sep != std::string::npos) external_columns_.insert(key.substr(0, sep));
    }
  }

  void Run();

 private:
  // Checks one expression cell; fills `refs` with the questions it references.
  void CheckExpression(const Question& q, std::string_view column_key, const std::string& text,
                       bool choice_filter, std::vector<int>* refs);
  // Checks ${name} inside label/hint texts (no expression syntax there).
  void CheckTextReferences(const Question& q, std::string_view base, const Translations& texts);
  // Resolves one ${name} of q's cell in column `column_key` (with "::lang" when
  // `lang` is not empty); reports E012/E013; returns the question index or -1.
  int Resolve(const std::string& name, const Question& q, std::string_view column_key,
              std::string_view lang, const std::string& text, int offset);
  // The same for a cell that `cell()` locates (made only for an error).
  template <typename CellOf>
  int ResolveIn(const std::string& name, CellOf cell, const std::string& text, int offset);
  // Checks an expression of the entities sheet (label, entity_id, create_if, update_if).
  void CheckEntityExpression(const EntityDeclaration& entity, std::string_view column_key,
                             const std::string& text);
  // The form's names, sorted, for the hints of errors (made when first needed).
  const std::vector<std::string_view>& Names() {
    if (names_.empty()) {
      for (const auto& [name, indexes] : form_.name_index) names_.push_back(name);
      std::sort(names_.begin(), names_.end());
    }
    return names_;
  }
  void CheckCycles();

  Location At(const Question& q, std::string_view column_key, const std::string& text,
              int offset) const {
    Location where = form_.SurveyCell(q.row, column_key);
    where.expression = text;
    where.expr_offset = std::clamp(offset, 0, static_cast<int>(text.size()));
    return where;
  }

  const Form& form_;
  Diagnostics* diags_;
  std::vector<std::string_view> names_;
  std::set<std::string> choice_columns_;
  std::set<std::string> external_columns_;     // of the external_choices sheet
  std::map<int, std::vector<int>> calc_deps_;  // question -> questions its calculation reads
};

int Validator::Resolve(const std::string& name, const Question& q, std::string_view column_key,
                       std::string_view lang, const std::string& text, int offset) {
  return ResolveIn(
      name,
      [&] {
        return form_.SurveyCell(q.row, lang.empty() ? std::string(column_key)
                                                    : fmt::format("{}::{}", column_key, lang));
      },
      text, offset);
}

template <typename CellOf>
int Validator::ResolveIn(const std::string& name, CellOf cell, const std::string& text,
                         int offset) {
  const std::vector<int>& found = form_.QuestionsNamed(name);
  if (found.size() == 1) return found[0];
  // The cell's location, made only for an error.
  Location where = cell();
  where.expression = text;
  where.expr_offset = std::clamp(offset, 0, static_cast<int>(text.size()));
  if (found.empty()) {
    std::string hint = ClosestName(name, Names());
    diags_->AddError(code::kUnknownReference,
                     fmt::format("unknown reference ${{{}}}{}", name,
                                 hint.empty() ? "" : fmt::format("; did you mean ${{{}}}?", hint)),
                     std::move(where));
    return -1;
  }
  if (found.size() > 1) {
    std::string rows;
    for (int index : found) {
      rows += (rows.empty() ? "" : ", ") +
              std::to_string(form_.questions[static_cast<size_t>(index)].row);
    }
    diags_->AddError(code::kAmbiguousReference,
                     fmt::format("ambiguous reference ${{{}}}: {} questions have that name "
                                 "(rows {})",
                                 name, found.size(), rows),
                     std::move(where));
    return -1;
  }
  return found[0];
}

void Validator::CheckExpression(const Question& q, std::string_view column_key,
                                const std::string& text, bool choice_filter,
                                std::vector<int>* refs) {
  Result<expr::ParsedExpr> parsed = expr::Parse(text);
  if (!parsed) {
    Error error = parsed.error();
    Location where = At(q, column_key, text, error.where.expr_offset);
    diags_->AddError(error.code, error.message, std::move(where));
    return;
  }
  for (const Error& error : expr::CheckFunctions(*parsed)) {
    diags_->AddError(error.code, error.message, At(q, column_key, text, error.where.expr_offset));
  }
  for (const expr::Reference& ref : parsed->references()) {
    if (ref.syntax == expr::Reference::Syntax::kDollar) {
      int index = Resolve(ref.name, q, column_key, "", text, ref.offset);
      if (index >= 0 && refs != nullptr && !ref.last_saved) refs->push_back(index);
    } else if (choice_filter) {
      // In a choice_filter, a bare name is a column of the choices sheet (of the
      // external_choices sheet for select_one_external). A column that is not
      // there is empty for every choice (pyxform and ODK accept it).
      const std::set<std::string>& sheet_columns =
          q.type == QuestionType::kSelectOneExternal ? external_columns_ : choice_columns_;
      if (sheet_columns.count(ref.name) != 0 || !form_.QuestionsNamed(ref.name).empty()) continue;
      std::vector<std::string_view> columns(sheet_columns.begin(), sheet_columns.end());
      std::string hint = ClosestName(ref.name, columns);
      diags_->AddWarning(
          code::kFilterColumnMissing,
          fmt::format("choice_filter uses column \"{}\", which the {} sheet "
                      "does not have: it is empty for every choice{}",
                      ref.name,
                      q.type == QuestionType::kSelectOneExternal ? "external_choices" : "choices",
                      hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)),
          At(q, column_key, text, ref.offset));
    } else if (form_.QuestionsNamed(ref.name).empty()) {
      // XPath reads a bare word as a path: with no such question it is an empty
      // node-set, which compares false with anything (as ODK clients evaluate it).
      std::string hint = ClosestName(ref.name, Names());
      std::string_view written = std::string_view(text).substr(static_cast<size_t>(ref.offset),
                                                               static_cast<size_t>(ref.length));
      diags_->AddWarning(
          code::kPathToNothing,
          fmt::format("'{}' is no question, so XPath reads it as a path to nothing (an empty "
                      "node-set: comparisons with it are false); did you mean '{}'?{}",
                      written, ref.name, hint.empty() ? "" : fmt::format(" or ${{{}}}?", hint)),
          At(q, column_key, text, ref.offset));
    }
  }
}

void Validator::CheckTextReferences(const Question& q, std::string_view base,
                                    const Translations& texts) {
  for (const auto& [lang, text] : texts) {
    size_t pos = 0;
    while ((pos = text.find("${", pos)) != std::string::npos) {
      size_t close = text.find('}', pos + 2);
      if (close == std::string::npos) break;
      std::string name(text::Trim(std::string_view(text).substr(pos + 2, close - pos - 2)));
      if (name.starts_with("last-saved#")) name.erase(0, 11);  // pyxform's last saved value
      if (!name.empty()) {
        Resolve(name, q, base, lang, text, static_cast<int>(pos));
      }
      pos = close + 1;
    }
  }
}

// As pyxform and ODK Validate read them: the ${} references must name one question,
// and the expression must parse (a bare word is a path, as in any expression).
void Validator::CheckEntityExpression(const EntityDeclaration& entity, std::string_view column_key,
                                      const std::string& text) {
  auto cell = [&] { return form_.EntitiesCell(entity.row, column_key); };
  auto at = [&](int offset) {
    Location where = cell();
    where.expression = text;
    where.expr_offset = std::clamp(offset, 0, static_cast<int>(text.size()));
    return where;
  };
  Result<expr::ParsedExpr> parsed = expr::Parse(text);
  if (!parsed) {
    diags_->AddError(parsed.error().code, parsed.error().message,
                     at(parsed.error().where.expr_offset));
    return;
  }
  for (const Error& error : expr::CheckFunctions(*parsed)) {
    diags_->AddError(error.code, error.message, at(error.where.expr_offset));
  }
  for (const expr::Reference& ref : parsed->references()) {
    if (ref.syntax == expr::Reference::Syntax::kDollar) {
      ResolveIn(ref.name, cell, text, ref.offset);
    } else if (form_.QuestionsNamed(ref.name).empty()) {
      std::string_view written = std::string_view(text).substr(static_cast<size_t>(ref.offset),
                                                               static_cast<size_t>(ref.length));
      diags_->AddWarning(code::kPathToNothing,
                         fmt::format("'{}' is no question, so XPath reads it as a path to "
                                     "nothing (an empty node-set); did you mean '{}'?",
                                     written, ref.name),
                         at(ref.offset));
    }
  }
}

void Validator::Run() {
  for (const Question& q : form_.questions) {
    if (!q.relevant.empty()) CheckExpression(q, "relevant", q.relevant, false, nullptr);
    if (!q.constraint.empty()) CheckExpression(q, "constraint", q.constraint, false, nullptr);
    if (!q.calculation.empty()) {
      std::vector<int> deps;
      CheckExpression(q, "calculation", q.calculation, false, &deps);
      calc_deps_[q.index] = std::move(deps);
    }
    if (!IsYesNo(q.required)) CheckExpression(q, "required", q.required, false, nullptr);
    if (!IsYesNo(q.read_only)) CheckExpression(q, "read_only", q.read_only, false, nullptr);
    if (!q.choice_filter.empty()) {
      CheckExpression(q, "choice_filter", q.choice_filter, true, nullptr);
    }
    if (!q.repeat_count.empty()) {
      CheckExpression(q, "repeat_count", q.repeat_count, false, nullptr);
    }
    if (!q.trigger.empty()) CheckExpression(q, "trigger", q.trigger, false, nullptr);
    // A default is a literal unless it refers to answers (a dynamic default).
    if (q.default_value.find("${") != std::string::npos) {
      CheckExpression(q, "default", q.default_value, false, nullptr);
    }
    CheckTextReferences(q, "label", q.label);
    CheckTextReferences(q, "hint", q.hint);
    CheckTextReferences(q, "constraint_message", q.constraint_message);
  }
  for (const EntityDeclaration& entity : form_.entities) {
    for (const auto& [column_key, text] :
         {std::pair{"label", &entity.label}, std::pair{"entity_id", &entity.entity_id},
          std::pair{"create_if", &entity.create_if}, std::pair{"update_if", &entity.update_if}}) {
      if (!text->empty()) CheckEntityExpression(entity, column_key, *text);
    }
  }
  CheckCycles();
}

// Tarjan-free cycle search: an iterative depth-first search over calculations,
// reporting each cycle once, at the row of its first member in sheet order.
void Validator::CheckCycles() {
  enum class Mark : uint8_t { kNew, kActive, kDone };
  std::map<int, Mark> marks;
  for (const auto& [start, deps] : calc_deps_) {
    if (marks[start] != Mark::kNew) continue;
    // Stack of (node, next dependency index).
    std::vector<std::pair<int, size_t>> stack{{start, 0}};
    marks[start] = Mark::kActive;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      auto deps_it = calc_deps_.find(node);
      if (deps_it == calc_deps_.end() || next >= deps_it->second.size()) {
        marks[node] = Mark::kDone;
        stack.pop_back();
        continue;
      }
      int dep = deps_it->second[next++];
      if (calc_deps_.count(dep) == 0) continue;  // not a calculation: no edges out
      Mark& mark = marks[dep];
      if (mark == Mark::kNew) {
        mark = Mark::kActive;
        stack.emplace_back(dep, 0);
      } else if (mark == Mark::kActive) {
        // The cycle is the stack from `dep` to the top.
        auto from = std::find_if(stack.begin(), stack.end(),
                                 [dep = dep](const auto& entry) { return entry.first == dep; });
        std::vector<int> cycle;
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(it->first);
        auto first = std::min_element(cycle.begin(), cycle.end());
        std::rotate(cycle.begin(), first, cycle.end());
        std::string path;
        for (int index : cycle) path += form_.questions[static_cast<size_t>(index)].name + " -> ";
        path += form_.questions[static_cast<size_t>(cycle[0])].name;
        const Question& q = form_.questions[static_cast<size_t>(cycle[0])];
        diags_->AddError(code::kCircularCalculation, fmt::format("circular calculation: {}", path),
                         form_.SurveyCell(q.row, "calculation"));
      }
    }
  }
}

}  // namespace

std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string best;
  size_t best_distance = 0;
  // Edit distance is quadratic: skip candidates whose length alone rules them out.
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, name.size() / 3 + 1));
  for (std::string_view candidate : candidates) {
    size_t diff = candidate.size() > name.size() ? candidate.size() - name.size()
                                                 : name.size() - candidate.size();
    if (diff > limit || candidate.size() > 256 || name.size() > 256) continue;
    size_t distance = text::EditDistance(name, candidate);
    if (distance == 0 || distance > limit) continue;
    if (best.empty() || distance < best_distance) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best;
}

void ValidateExpressions(const Form& form, Diagnostics* diags) {
  Validator validator(form, diags);
  validator.Run();
}

}  // namespace ngosurvey::form
