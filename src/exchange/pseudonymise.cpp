#include "exchange/pseudonymise.h"

#include "base/file.h"
#include "base/text.h"
#include "form/expr/expr.h"

namespace ngosurvey::exchange {
namespace {

using form::QuestionType;

bool Identifying(QuestionType type) {
  return type == QuestionType::kDeviceId || type == QuestionType::kSubscriberId ||
         type == QuestionType::kSimSerial || type == QuestionType::kPhoneNumber ||
         type == QuestionType::kEmail;
}

}  // namespace

bool IsSensitive(const form::Question& question) {
  const std::string* value = question.ExtraColumn("sensitive");
  if (!value) return false;
  std::string v = text::AsciiLower(text::Trim(*value));
  return v == "yes" || v == "true" || v == "1" || v == "true()";
}

PseudonymPlan PlanPseudonyms(const form::Form& form) {
  PseudonymPlan plan;
  plan.dropped.assign(form.questions.size(), false);
  plan.replaced.assign(form.questions.size(), PseudonymPlan::Replace::kKept);
  std::vector<bool>& dropped = plan.dropped;
  for (const form::Question& q : form.questions) {
    if (IsSensitive(q) || Identifying(q.type)) dropped[q.index] = true;
    if (q.name == "org_id") plan.replaced[q.index] = PseudonymPlan::Replace::kOrg;
    if (q.type == QuestionType::kUsername)
      plan.replaced[q.index] = PseudonymPlan::Replace::kInterviewer;
  }
  // Calculations that read a replaced or dropped question, until nothing changes
  // (a calculation of a dropped calculation is dropped too).
  for (bool changed = true; changed;) {
    changed = false;
    for (const form::Question& q : form.questions) {
      if (dropped[q.index] || q.calculation.empty()) continue;
      auto parsed = form::expr::Parse(q.calculation);
      if (!parsed) continue;
      for (const form::expr::Reference& ref : parsed->references()) {
        for (int other : form.QuestionsNamed(ref.name)) {
          if (dropped[other] || plan.replaced[other] != PseudonymPlan::Replace::kKept) {
            dropped[q.index] = true;
            changed = true;
          }
        }
        if (dropped[q.index]) break;
      }
    }
  }
  return plan;
}

}  // namespace ngosurvey::exchange
