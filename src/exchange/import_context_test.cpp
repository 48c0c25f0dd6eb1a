#include <gtest/gtest.h>

#include "exchange/import_context_internal.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::exchange {
namespace {

using form::Answer;
using form::AnswerState;

// A household with a roster: `work_place` is asked of members who work, `pregnant`
// of women only, and the `children` group when the household has any.
form::Form Roster() {
  auto form =
      form::testing::MakeForm({{"type", "name", "label", "relevant"},
                               {"integer", "size", "Size", ""},
                               {"select_one yn", "any_children", "Children?", ""},
                               {"begin_group", "children", "Children", "${any_children} = 'yes'"},
                               {"integer", "under5", "Under 5", ""},
                               {"end_group", "", "", ""},
                               {"begin_repeat", "member", "Member", ""},
                               {"select_one sex", "sex", "Sex", ""},
                               {"select_one yn", "works", "Works?", ""},
                               {"text", "work_place", "Where", "${works} = 'yes'"},
                               {"select_one yn", "pregnant", "Pregnant?", "${sex} = 'f'"},
                               {"end_repeat", "", "", ""}},
                              {{"list_name", "name", "label"},
                               {"yn", "yes", "Yes"},
                               {"yn", "no", "No"},
                               {"sex", "f", "Female"},
                               {"sex", "m", "Male"}});
  EXPECT_TRUE(form) << form.error().ToString();
  return *form;
}

TEST(MarkNotAskedTest, EmptyIrrelevantAnswersAreNotAskedPerRepeatInstance) {
  form::Form form = Roster();
  ImportContext context(form);
  Diagnostics warnings;
  Expressions expressions = CompileExpressions(form, context, &warnings);
  EXPECT_TRUE(warnings.items().empty());
  form::expr::Evaluator evaluator;
  store::Answers answers;
  answers["size"] = Answer::Answered("12");
  answers["any_children"] = Answer::Answered("no");
  answers["children/under5"] = Answer::Missing();
  // Twelve members, so that instance 10 sorts before 2 as text: member k is a woman
  // when k is even and works when k is a multiple of 3.
  for (int k = 1; k <= 12; ++k) {
    std::string at = "member[" + std::to_string(k) + "]/";
    answers[at + "sex"] = Answer::Answered(k % 2 == 0 ? "f" : "m");
    answers[at + "works"] = Answer::Answered(k % 3 == 0 ? "yes" : "no");
    answers[at + "work_place"] = Answer::Missing();
    answers[at + "pregnant"] = Answer::Missing();
  }
  answers["member[4]/pregnant"] = Answer::Refused();
  MarkNotAsked(form, expressions, context, evaluator, &answers);

  EXPECT_EQ(answers["children/under5"].state, AnswerState::kNotAsked);
  for (int k = 1; k <= 12; ++k) {
    std::string at = "member[" + std::to_string(k) + "]/";
    EXPECT_EQ(answers[at + "work_place"].state,
              k % 3 == 0 ? AnswerState::kMissing : AnswerState::kNotAsked)
        << k;
    if (k == 4) {
      EXPECT_EQ(answers[at + "pregnant"].state, AnswerState::kRefused);
    } else {
      EXPECT_EQ(answers[at + "pregnant"].state,
                k % 2 == 0 ? AnswerState::kMissing : AnswerState::kNotAsked)
          << k;
    }
  }
  EXPECT_EQ(answers["size"], Answer::Answered("12"));
}

TEST(MarkNotAskedTest, ARelevantGroupKeepsItsEmptyAnswersMissing) {
  form::Form form = Roster();
  ImportContext context(form);
  Diagnostics warnings;
  Expressions expressions = CompileExpressions(form, context, &warnings);
  form::expr::Evaluator evaluator;
  store::Answers answers;
  answers["any_children"] = Answer::Answered("yes");
  answers["children/under5"] = Answer::Missing();
  answers["size"] = Answer::Missing();
  MarkNotAsked(form, expressions, context, evaluator, &answers);
  EXPECT_EQ(answers["children/under5"].state, AnswerState::kMissing);
  EXPECT_EQ(answers["size"].state, AnswerState::kMissing);
}

}  // namespace
}  // namespace ngosurvey::exchange
