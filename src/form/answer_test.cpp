#include "form/answer.h"

#include <gtest/gtest.h>

namespace ngosurvey::form {
namespace {

TEST(AnswerStateTest, NamesRoundTrip) {
  for (AnswerState state : kAllAnswerStates) {
    auto parsed = ParseAnswerState(AnswerStateName(state));
    ASSERT_TRUE(parsed) << AnswerStateName(state);
    EXPECT_EQ(*parsed, state);
  }
  EXPECT_EQ(AnswerStateName(AnswerState::kDontKnow), "dont_know");
  EXPECT_EQ(AnswerStateName(AnswerState::kNotAsked), "not_asked");
}

TEST(AnswerStateTest, UnknownNameIsAnError) {
  auto parsed = ParseAnswerState("Refused");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, "A001");
  EXPECT_NE(parsed.error().message.find("\"Refused\""), std::string::npos);
  EXPECT_FALSE(ParseAnswerState(""));
  EXPECT_FALSE(ParseAnswerState("dont-know"));
}

TEST(AnswerTest, StateAndValuePairing) {
  EXPECT_TRUE(CheckAnswer(Answer::Answered("yes")));
  EXPECT_TRUE(CheckAnswer(Answer::Refused()));
  EXPECT_TRUE(CheckAnswer(Answer::DontKnow()));
  EXPECT_TRUE(CheckAnswer(Answer::Missing()));
  EXPECT_TRUE(CheckAnswer(Answer::NotAsked()));
  EXPECT_TRUE(CheckAnswer(Answer::NotAsked("kept aside")));

  auto empty = CheckAnswer(Answer::Answered(""));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "A002");
  EXPECT_FALSE(CheckAnswer(Answer{"3", AnswerState::kRefused}));
  EXPECT_FALSE(CheckAnswer(Answer{"3", AnswerState::kDontKnow}));
  EXPECT_FALSE(CheckAnswer(Answer{"3", AnswerState::kMissing}));
  // An answered value is UTF-8 text: a stray byte is refused, Khmer is not.
  auto stray = CheckAnswer(Answer::Answered("Hope\xff"));
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().code, "A002");
  EXPECT_FALSE(CheckAnswer(Answer::Answered("abc\xE2\x82")));
  EXPECT_TRUE(CheckAnswer(Answer::Answered("ភាសាខ្មែរ Việt")));
}

TEST(AnswerTest, OnlyAnsweredValuesAreReportable) {
  EXPECT_TRUE(Answer::Answered("x").HasReportableValue());
  EXPECT_FALSE(Answer::NotAsked("x").HasReportableValue());
  EXPECT_FALSE(Answer::Refused().HasReportableValue());
  EXPECT_FALSE(Answer::Missing().HasReportableValue());
}

TEST(AnswerPathTest, ParsesPlainGroupAndRepeatSteps) {
  auto steps = ParseAnswerPath("household/programs[12]/staff[1]/role");
  ASSERT_TRUE(steps) << steps.error().ToString();
  ASSERT_EQ(steps->size(), 4u);
  EXPECT_EQ((*steps)[0], (PathStep{"household", 0}));
  EXPECT_EQ((*steps)[1], (PathStep{"programs", 12}));
  EXPECT_EQ((*steps)[2], (PathStep{"staff", 1}));
  EXPECT_EQ((*steps)[3], (PathStep{"role", 0}));
  EXPECT_EQ(FormatAnswerPath(*steps), "household/programs[12]/staff[1]/role");
}

TEST(AnswerPathTest, RejectsMalformedPaths) {
  for (const char* bad :
       {"", "/age", "age/", "a//b", "1st", "programs[0]/name", "programs[]/x", "programs[2/x",
        "programs[02]/x", "programs[x]/y", "na me", "programs[2]x"}) {
    auto steps = ParseAnswerPath(bad);
    EXPECT_FALSE(steps) << "accepted: " << bad;
    if (!steps) {
      EXPECT_EQ(steps.error().code, "A003");
    }
  }
  EXPECT_TRUE(ParseAnswerPath("_x.y-z"));
}

TEST(CanonicalValueTest, SelectMultiple) {
  EXPECT_EQ(SplitSelected("  a b   c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitSelected("").empty());
  EXPECT_EQ(JoinSelected({"x", "y"}), "x y");
  EXPECT_EQ(JoinSelected(SplitSelected("p  q")), "p q");
}

}  // namespace
}  // namespace ngosurvey::form
