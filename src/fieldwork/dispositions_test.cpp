#include "fieldwork/dispositions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ngosurvey::fieldwork {
namespace {

using RC = RateCategory;

TEST(DispositionsTest, ReferenceStudyCodesHaveTheRightCategories) {
  // The codes study/frame.csv uses.
  const std::pair<const char*, RC> kStudy[] = {
      {"1.1", RC::kComplete},      {"2.11", RC::kRefusal},     {"2.20", RC::kNonContact},
      {"3.20", RC::kUnknownOther}, {"4.10", RC::kNotEligible},
  };
  for (const auto& [code, category] : kStudy) {
    SCOPED_TRACE(code);
    const DispositionCode* row = FindDisposition(code);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->category, category);
  }
}

TEST(DispositionsTest, CategoriesFollowAaporStructure) {
  // Sub-codes count where their parents do; spot checks across the table.
  const std::pair<const char*, RC> kMore[] = {
      {"1.2", RC::kPartial},
      {"2.10", RC::kRefusal},
      {"2.111", RC::kRefusal},
      {"2.112", RC::kRefusal},
      {"2.12", RC::kRefusal},
      {"2.25", RC::kNonContact},
      {"2.30", RC::kOther},
      {"2.333", RC::kOther},
      {"3.10", RC::kUnknownHousehold},
      {"3.18", RC::kUnknownHousehold},
      {"3.21", RC::kUnknownOther},
      {"3.90", RC::kUnknownOther},
      {"4.70", RC::kNotEligible},
      {"4.90", RC::kNotEligible},
  };
  for (const auto& [code, category] : kMore) {
    SCOPED_TRACE(code);
    const DispositionCode* row = FindDisposition(code);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->category, category);
  }
  // The leading digit decides the broad group for every row.
  for (const DispositionCode& row : FinalDispositions()) {
    SCOPED_TRACE(std::string(row.code));
    switch (row.code[0]) {
      case '1':
        EXPECT_TRUE(row.category == RC::kComplete || row.category == RC::kPartial);
        break;
      case '2':
        EXPECT_TRUE(row.category == RC::kRefusal || row.category == RC::kNonContact ||
                    row.category == RC::kOther);
        break;
      case '3':
        EXPECT_TRUE(row.category == RC::kUnknownHousehold || row.category == RC::kUnknownOther);
        break;
      case '4':
        EXPECT_EQ(row.category, RC::kNotEligible);
        break;
      default:
        ADD_FAILURE() << "unexpected code";
    }
  }
}

TEST(DispositionsTest, CodesAreUniqueAndLookupIsExact) {
  std::set<std::string_view> seen;
  for (const DispositionCode& row : FinalDispositions()) {
    EXPECT_TRUE(seen.insert(row.code).second) << row.code;
    EXPECT_FALSE(DispositionLabel(row).empty());
    EXPECT_NE(DispositionLabel(row, "vi"), DispositionLabel(row)) << row.code;
  }
  EXPECT_EQ(FindDisposition("2.2"), nullptr);  // not "2.20"
  EXPECT_EQ(FindDisposition("1.0"), nullptr);  // heading, not a final code
  EXPECT_EQ(FindDisposition(""), nullptr);
  ASSERT_NE(FindDisposition(" 2.20 "), nullptr);
}

TEST(DispositionsTest, SuggestsCodeWhoseZeroWasDropped) {
  EXPECT_EQ(SuggestDisposition("2.2"), "2.20");
  EXPECT_EQ(SuggestDisposition("4.1"), "4.10");
  EXPECT_EQ(SuggestDisposition("2.11"), std::nullopt);  // already valid
  EXPECT_EQ(SuggestDisposition("9.9"), std::nullopt);
}

TEST(DispositionsTest, CategoryNames) {
  EXPECT_EQ(CategoryAbbreviation(RC::kComplete), "I");
  EXPECT_EQ(CategoryAbbreviation(RC::kNonContact), "NC");
  EXPECT_EQ(CategoryAbbreviation(RC::kUnknownHousehold), "UH");
  EXPECT_EQ(CategoryAbbreviation(RC::kNotEligible), "NE");
  EXPECT_EQ(CategoryName(RC::kRefusal), "refusal and break-off");
}

TEST(DispositionsTest, EveryOutcomeMapsToAKnownFinalCode) {
  ASSERT_EQ(ContactOutcomes().size(), static_cast<size_t>(ContactOutcome::kOtherEligible) + 1);
  for (const OutcomeInfo& info : ContactOutcomes()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_EQ(&Describe(info.outcome), &info);
    EXPECT_EQ(FindOutcome(info.name), info.outcome);
    EXPECT_NE(FindDisposition(info.final_code), nullptr);
  }
  EXPECT_EQ(FindOutcome("nope"), std::nullopt);
}

TEST(DispositionsTest, OutcomeMapping) {
  auto category = [](ContactOutcome o) {
    return FindDisposition(Describe(o).final_code)->category;
  };
  EXPECT_EQ(category(ContactOutcome::kComplete), RC::kComplete);
  EXPECT_EQ(category(ContactOutcome::kPartial), RC::kPartial);
  EXPECT_EQ(category(ContactOutcome::kRefusal), RC::kRefusal);
  EXPECT_EQ(category(ContactOutcome::kBreakOff), RC::kRefusal);
  EXPECT_EQ(category(ContactOutcome::kNonContact), RC::kNonContact);
  EXPECT_EQ(category(ContactOutcome::kAppointment), RC::kNonContact);
  EXPECT_EQ(category(ContactOutcome::kUnknownEligibility), RC::kUnknownOther);
  EXPECT_EQ(category(ContactOutcome::kUnableToLocate), RC::kUnknownHousehold);
  EXPECT_EQ(category(ContactOutcome::kNotEligible), RC::kNotEligible);
  EXPECT_EQ(Describe(ContactOutcome::kNotEligible).final_code, "4.10");
  // Temporary outcomes keep the case open; final ones close it.
  EXPECT_FALSE(Describe(ContactOutcome::kAppointment).closes_case);
  EXPECT_FALSE(Describe(ContactOutcome::kNonContact).closes_case);
  EXPECT_TRUE(Describe(ContactOutcome::kComplete).closes_case);
  EXPECT_TRUE(Describe(ContactOutcome::kRefusal).closes_case);
  EXPECT_TRUE(Describe(ContactOutcome::kNotEligible).closes_case);
}

}  // namespace
}  // namespace ngosurvey::fieldwork
