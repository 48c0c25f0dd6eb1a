// The parameters cell as pyxform 4.5 reads and checks it (parsing/parameters.py, the
// per-type checks of xls2json.py and validators/pyxform/question_types/): the cases here
// were run through pyxform to write down its verdicts.
#include "form/parameters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ngosurvey::form {
namespace {

Parameters Parsed(std::string_view cell) {
  auto parsed = ParseParameters(cell);
  EXPECT_TRUE(parsed) << cell << ": " << parsed.error().message;
  return parsed ? *parsed : Parameters{};
}

TEST(ParametersTest, PairsSeparatedAsPyxformSeparatesThem) {
  EXPECT_EQ(Parsed(""), Parameters{});
  EXPECT_EQ(Parsed("  \t "), Parameters{});
  EXPECT_EQ(Parsed("start=1 end=10"), (Parameters{{"start", "1"}, {"end", "10"}}));
  EXPECT_EQ(Parsed("start = 1, end=10;step=2"),
            (Parameters{{"start", "1"}, {"end", "10"}, {"step", "2"}}));
  EXPECT_EQ(Parsed("\nstart=1\n\nend=10,,;"), (Parameters{{"start", "1"}, {"end", "10"}}));
  // Keys and values lowercase, except label and value (a file's column names).
  EXPECT_EQ(Parsed("Randomize=TRUE Seed=${S} value=Code label=Name_EN"),
            (Parameters{
                {"randomize", "true"}, {"seed", "${s}"}, {"value", "Code"}, {"label", "Name_EN"}}));
  EXPECT_EQ(Parsed("a=1 a=2"), (Parameters{{"a", "2"}}));  // the last wins, as in a dict
}

TEST(ParametersTest, AnythingElseIsAnError) {
  for (const char* cell :
       {"${existing}", "start", "start=", "=1", "start==1", "a=1=2", "start=1 end", "a=1 =2"}) {
    auto parsed = ParseParameters(cell);
    ASSERT_FALSE(parsed) << cell;
    EXPECT_EQ(parsed.error().code, "E034");
    EXPECT_NE(parsed.error().message.find(cell), std::string::npos) << parsed.error().message;
  }
}

std::vector<std::string> Problems(QuestionType type, std::string_view cell,
                                  std::string_view appearance = "",
                                  const std::vector<ChoiceList>& lists = {}) {
  return CheckParameters(type, appearance, Parsed(cell), lists);
}

TEST(ParametersTest, EachTypeTakesItsOwnKeys) {
  EXPECT_TRUE(Problems(QuestionType::kText, "rows=3").empty());
  EXPECT_EQ(Problems(QuestionType::kText, "rows=three").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kText, "rows=3 randomize=true").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kImage, "max-pixels=1024 app=org.example.app").empty());
  EXPECT_EQ(Problems(QuestionType::kImage, "max-pixels=big").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kAudio, "quality=external").empty());
  EXPECT_EQ(Problems(QuestionType::kBackgroundAudio, "quality=external").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kGeopoint, "capture-accuracy=5 warning-accuracy=1e1").empty());
  EXPECT_EQ(Problems(QuestionType::kGeopoint, "capture-accuracy=close").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kGeopoint, "incremental=true").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kGeotrace, "incremental=yes").empty());
  EXPECT_EQ(Problems(QuestionType::kGeoshape, "incremental=false").size(), 1u);
  // Types pyxform does not check take anything that parses.
  EXPECT_TRUE(Problems(QuestionType::kInteger, "anything=goes").empty());
  EXPECT_TRUE(Problems(QuestionType::kCalculate, "x=y").empty());
  // The message names the keys refused and those accepted.
  std::vector<std::string> extra = Problems(QuestionType::kText, "colour=red rows=2");
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_NE(extra[0].find("colour"), std::string::npos);
  EXPECT_NE(extra[0].find("accepted are rows"), std::string::npos);
}

TEST(ParametersTest, SelectsRandomizeWithAnOptionalSeed) {
  EXPECT_TRUE(Problems(QuestionType::kSelectOne, "randomize=true seed=${s}").empty());
  EXPECT_TRUE(Problems(QuestionType::kSelectMultiple, "randomize=false seed=4.5").empty());
  EXPECT_EQ(Problems(QuestionType::kSelectOne, "seed=3").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kSelectOne, "randomize=maybe").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kSelectOne, "randomize=true seed=abc").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kSelectOne, "value=code").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kSelectOneFromFile, "value=code label=Name").empty());
}

TEST(ParametersTest, RangeBoundsAreExactDecimals) {
  EXPECT_TRUE(Problems(QuestionType::kRange, "").empty());  // 1 to 10 by 1
  EXPECT_TRUE(Problems(QuestionType::kRange, "start=0 end=1 step=0.1 placeholder=0.3").empty());
  EXPECT_TRUE(Problems(QuestionType::kRange, "start=10 end=0 step=2 tick_interval=4").empty());
  EXPECT_TRUE(Problems(QuestionType::kRange, "start=-1e1 end=1E1 step=.5").empty());
  EXPECT_EQ(Problems(QuestionType::kRange, "start=a").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "end=inf").size(), 1u);
  // Numbers too long to check exactly are refused, never overflowed.
  EXPECT_EQ(Problems(QuestionType::kRange, "end=1234567890123456789").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "step=1e-20").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kRange,
                       "start=-999999999999999999 end=999999999999999999 "
                       "step=0.0000000000000000001")
                  .empty());
  EXPECT_EQ(Problems(QuestionType::kRange, "step=0").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "start=0 end=5 step=10").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "start=0 end=1 step=0.2 tick_interval=0.3").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "start=0 end=1 step=0.25 placeholder=0.3").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kRange, "start=0 end=1 step=0.5 placeholder=1.5").size(), 1u);
  // Ticks and placeholders only in the appearances that show them.
  EXPECT_EQ(Problems(QuestionType::kRange, "tick_interval=2", "picker").size(), 1u);
  EXPECT_TRUE(Problems(QuestionType::kRange, "tick_interval=2", "vertical").empty());
}

TEST(ParametersTest, RangeTickLabelsetNamesAListOfNumbersOnTheTicks) {
  ChoiceList levels;
  levels.name = "levels";
  for (const char* name : {"2", "6", "10"}) levels.choices.push_back(Choice{.name = name});
  const std::vector<ChoiceList> lists = {levels};
  const char* range = "start=10 end=0 step=2 tick_interval=4 tick_labelset=levels";
  EXPECT_TRUE(Problems(QuestionType::kRange, range, "", lists).empty());
  EXPECT_EQ(Problems(QuestionType::kRange, "tick_labelset=nowhere", "", lists).size(), 1u);
  levels.choices[1].name = "4";  // not 10 - k*4
  EXPECT_EQ(Problems(QuestionType::kRange, range, "", {levels}).size(), 1u);
  levels.choices[1].name = "mid";
  EXPECT_EQ(Problems(QuestionType::kRange, range, "", {levels}).size(), 1u);
  // no-ticks: exactly the two ends.
  levels.choices = {Choice{.name = "0"}, Choice{.name = "10"}};
  EXPECT_TRUE(
      Problems(QuestionType::kRange, "start=0 end=10 tick_labelset=levels", "no-ticks", {levels})
          .empty());
  levels.choices.push_back(Choice{.name = "5"});
  EXPECT_EQ(
      Problems(QuestionType::kRange, "start=0 end=10 tick_labelset=levels", "no-ticks", {levels})
          .size(),
      1u);
}

TEST(ParametersTest, AuditLocationTakesAllThreeTogether) {
  EXPECT_TRUE(Problems(QuestionType::kAudit,
                       "location-priority=balanced location-min-interval=10 "
                       "location-max-age=60 track-changes=true identify-user=false")
                  .empty());
  EXPECT_EQ(Problems(QuestionType::kAudit, "location-priority=balanced").size(), 1u);
  EXPECT_EQ(Problems(QuestionType::kAudit,
                     "location-priority=balanced location-min-interval=60 location-max-age=10")
                .size(),
            1u);
  EXPECT_EQ(Problems(QuestionType::kAudit, "track-changes-reasons=always").size(), 1u);
}

TEST(ParametersTest, NumberParameterFallsBack) {
  Parameters given = Parsed("start=2.5 end=x");
  EXPECT_EQ(NumberParameter(given, "start", 1), 2.5);
  EXPECT_EQ(NumberParameter(given, "end", 10), 10);
  EXPECT_EQ(NumberParameter(given, "step", 1), 1);
}

}  // namespace
}  // namespace ngosurvey::form
