#include <algorithm>

#include "exchange/import_context_internal.h"
#include "form/answer.h"
#include "form/instance_xml.h"

namespace ngosurvey::exchange {

Expressions CompileExpressions(const form::Form& form, const ImportContext& resolver,
                               Diagnostics* warnings) {
  Expressions out;
  out.relevant.resize(form.questions.size());
  out.constraint.resize(form.questions.size());
  auto compile = [&](const form::Question& q, const std::string& text, const char* column,
                     std::optional<form::expr::BoundExpr>* slot) {
    if (text.empty()) return;
    auto bound = form::expr::Compile(text, resolver);
    if (bound) {
      *slot = *bound;
      return;
    }
    Location where = form.SurveyCell(q.row, column);
    where.expression = text;
    where.expr_offset = bound.error().where.expr_offset;
    warnings->AddWarning("IMP031",
                         std::string(column) + " of '" + q.name +
                             "' cannot be evaluated on imported data (" + bound.error().message +
                             "); it is not checked",
                         where);
  };
  for (const form::Question& q : form.questions) {
    compile(q, q.relevant, "relevant", &out.relevant[q.index]);
    compile(q, q.constraint, "constraint", &out.constraint[q.index]);
    if (out.relevant[q.index]) out.any_relevant = true;
    out.question_by_path.emplace(q.path, q.index);
  }
  return out;
}

bool IsRelevant(const form::Form& form, const Expressions& expressions,
                const ImportContext& context, form::expr::Evaluator& evaluator,
                const form::Question& question) {
  for (const form::Question* node = &question; node;
       node = node->parent >= 0 ? &form.questions[node->parent] : nullptr) {
    const auto& expr = expressions.relevant[node->index];
    if (!expr) continue;
    auto relevant = evaluator.EvaluateBoolean(*expr, context);
    if (relevant && !*relevant) return false;
  }
  return true;
}

namespace {

// One answer of the submission, placed: its question and the instance of the
// question's innermost repeat it belongs to (its repeat indexes, outermost first).
struct Placed {
  int question = -1;
  std::vector<int> instance;  // empty outside repeats
  form::Answer* answer = nullptr;
};

}  // namespace

void MarkNotAsked(const form::Form& form, const Expressions& expressions, ImportContext& context,
                  form::expr::Evaluator& evaluator, store::Answers* answers) {
  // Without a relevance, every question is asked: nothing to mark (and no need to
  // place the answers, most of the time of an import of such a form's submissions).
  if (!expressions.any_relevant) return;
  std::vector<std::string> refused = form::RefusedCodes(form);
  std::vector<std::string> dont_know = form::DontKnowCodes(form);
  auto text_of = [&](const form::Answer& a) -> std::string_view {
    switch (a.state) {
      case form::AnswerState::kAnswered:
        return a.value;
      case form::AnswerState::kRefused:
        return refused.empty() ? std::string_view() : std::string_view(refused[0]);
      case form::AnswerState::kDontKnow:
        return dont_know.empty() ? std::string_view() : std::string_view(dont_know[0]);
      default:
        return {};
    }
  };

  // Every answer placed; the instances of each repeat, in instance order.
  std::vector<Placed> placed;
  placed.reserve(answers->size());
  std::map<int, std::vector<std::vector<int>>> instances_of;  // repeat -> sorted instances
  std::string question_path;
  for (auto& [path, answer] : *answers) {
    auto steps = form::ParseAnswerPath(path);
    if (!steps) continue;
    question_path = "/data";
    std::vector<int> indexes;
    for (const form::PathStep& step : *steps) {
      question_path += '/';
      question_path += step.name;
      if (step.index > 0) indexes.push_back(step.index);
    }
    auto found = expressions.question_by_path.find(question_path);
    if (found == expressions.question_by_path.end()) continue;
    const form::Question& q = form.questions[found->second];
    int repeat = form.EnclosingRepeat(q);
    if (repeat >= 0) instances_of[repeat].push_back(indexes);
    placed.push_back({q.index, std::move(indexes), &answer});
  }
  for (auto& [repeat, list] : instances_of) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  auto ordinal = [&](int repeat, const std::vector<int>& instance) -> size_t {
    const auto& list = instances_of[repeat];
    return static_cast<size_t>(std::lower_bound(list.begin(), list.end(), instance) - list.begin());
  };

  // The context: each question's values, one per instance of its repeat (in
  // instance order), "" where the submission has no element.
  context.Clear();
  std::vector<std::vector<std::string_view>> values(form.questions.size());
  for (const Placed& p : placed) {
    const form::Question& q = form.questions[p.question];
    int repeat = form.EnclosingRepeat(q);
    size_t count = repeat >= 0 ? instances_of[repeat].size() : 1;
    auto& v = values[p.question];
    if (v.size() < count) v.resize(count);
    v[repeat >= 0 ? ordinal(repeat, p.instance) : 0] = text_of(*p.answer);
  }
  for (const auto& [repeat, list] : instances_of) {
    for (size_t i = 0; i < list.size(); ++i) context.Add(repeat, "");
  }
  for (size_t q = 0; q < values.size(); ++q) {
    for (std::string_view value : values[q]) context.Add(static_cast<int>(q), value);
  }

  for (const Placed& p : placed) {
    form::Answer& answer = *p.answer;
    if (answer.state != form::AnswerState::kMissing) continue;
    const form::Question& q = form.questions[p.question];
    int repeat = form.EnclosingRepeat(q);
    context.SetCurrentNode(repeat, repeat >= 0 ? ordinal(repeat, p.instance) : 0, "");
    if (!IsRelevant(form, expressions, context, evaluator, q)) answer = form::Answer::NotAsked();
  }
}

}  // namespace ngosurvey::exchange
