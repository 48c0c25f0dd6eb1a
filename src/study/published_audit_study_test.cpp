// The audit on the real study files (study/published_tables.csv, study/bases.toml).
// Every expectation here was worked out by hand from the printed value and its base;
// the arithmetic is in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "base/testing/source_dir.h"
#include "study/published_audit.h"

namespace ngosurvey::study {
namespace {

class StudyAuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto result = AuditPublishedFiles(
        std::string(::ngosurvey::testing::SourceDir()) + "/study/published_tables.csv",
        std::string(::ngosurvey::testing::SourceDir()) + "/study/bases.toml");
    ASSERT_TRUE(result.has_value()) << result.error().ToString();
    report_ = new AuditReport(std::move(*result));
  }
  static void TearDownTestSuite() {
    delete report_;
    report_ = nullptr;
  }

  static const CellAudit& Cell(std::string_view table, std::string_view item,
                               std::string_view option, std::string_view country) {
    for (const CellAudit& c : report_->cells) {
      if (c.table == table && c.item_id == item && c.option_id == option && c.country == country) {
        return c;
      }
    }
    ADD_FAILURE() << "no cell " << table << " " << item << " " << option << " " << country;
    static CellAudit none;
    return none;
  }

  static std::vector<const Finding*> Findings(FindingKind kind) {
    std::vector<const Finding*> out;
    for (const Finding& f : report_->findings) {
      if (f.kind == kind) out.push_back(&f);
    }
    return out;
  }

  static AuditReport* report_;
};

AuditReport* StudyAuditTest::report_ = nullptr;

TEST_F(StudyAuditTest, Totals) {
  ASSERT_NE(report_, nullptr);
  EXPECT_EQ(report_->cells.size(), 192u);
  EXPECT_EQ(report_->CountVerdict(Verdict::kInconsistent), 15u);
  EXPECT_EQ(report_->CountVerdict(Verdict::kNoResponse), 1u);
  EXPECT_EQ(report_->CountVerdict(Verdict::kConsistent), 176u);
}

TEST_F(StudyAuditTest, YearsWorkingFortyThreePointEightIsNotFourteenths) {
  // 6/14 = 42.857 -> 42.9 and 7/14 = 50.0; 43.8 is 7/16 = 43.75 and nothing else up to 30.
  const CellAudit& c = Cell("1", "t1_years_working", "years_1_4", "KH");
  EXPECT_EQ(c.base, 14);
  EXPECT_EQ(c.verdict, Verdict::kInconsistent);
  EXPECT_EQ(c.nearest_count, 6);
  EXPECT_EQ(c.nearest_value, "42.9");
  EXPECT_EQ(c.other_bases, std::vector<int64_t>{16});
}

TEST_F(StudyAuditTest, PresenceIsFourteenOfTwentyFive) {
  const CellAudit& c = Cell("1", "t1_presence_of_programs", "value", "KH");
  EXPECT_EQ(c.base, 25);
  EXPECT_EQ(c.verdict, Verdict::kConsistent);
  EXPECT_EQ(c.nearest_count, 14);
}

TEST_F(StudyAuditTest, ConsistentCellsHaveTheirCounts) {
  // 10/14 = 71.43 -> 71.4; 8/14 = 57.14 -> "57" at no decimals; 3/13 = 23.08 -> "23";
  // 11/13 = 84.62 -> 84.6; 7/14 = "50".
  EXPECT_EQ(Cell("1", "t1_highest_education", "bachelors", "KH").nearest_count, 10);
  EXPECT_EQ(Cell("1", "t1_dominant_age_group", "age_26_35", "KH").nearest_count, 8);
  EXPECT_EQ(Cell("1", "t1_dominant_age_group", "age_26_35", "KH").verdict, Verdict::kConsistent);
  EXPECT_EQ(Cell("1", "t1_years_implementing", "less_than_3_years", "VN").nearest_count, 3);
  EXPECT_EQ(Cell("6", "t6_supporting_agency", "womens_union", "VN").nearest_count, 11);
  EXPECT_EQ(Cell("9", "t9_investigation_time", "less_than_5_months", "KH").nearest_count, 7);
  // The mean of 92 employees over 14 NGOs: any total 1281..1294 prints 92; nearest 1288.
  const CellAudit& mean = Cell("1", "t1_avg_employees", "value", "KH");
  EXPECT_EQ(mean.verdict, Verdict::kConsistent);
  EXPECT_EQ(mean.nearest_count, 1288);
}

TEST_F(StudyAuditTest, InconsistentCellsOneByOne) {
  struct Want {
    const char *table, *item, *option, *country;
    int64_t nearest;
    const char* nearest_value;
    std::vector<int64_t> other;
  } wants[] = {
      // 8/13 = 61.54 -> 61.5; 61.6 needs k/N in [.6155, .6165): no N up to 30.
      {"1", "t1_years_working", "more_than_4_years", "VN", 8, "61.5", {}},
      // 2/14 = 14.29 -> 14.3; 14.4 needs [.1435, .1445): no N up to 30.
      {"1", "t1_years_implementing", "years_4_6", "KH", 2, "14.3", {}},
      {"1", "t1_years_implementing", "more_than_6_years", "KH", 2, "14.3", {}},
      // 1/13 = 7.69 -> 7.7; 7.1 is 1/14 (or 2/28).
      {"1", "t1_years_implementing", "more_than_6_years", "VN", 1, "7.7", {14, 28}},
      // Table 2 KH: 7.7 = 1/13, 15.4 = 2/13, 30.8 = 4/13, 23.1 = 3/13, 61.5 = 8/13.
      // Nearest fourteenths: 1/14 = 7.1, 2/14 = 14.3, 4/14 = 28.6, 3/14 = 21.4, 9/14 = 64.3
      // (61.5 * 14 / 100 = 8.61, nearer 9 than 8).
      {"2", "t2_funding_source", "own_sources", "KH", 1, "7.1", {13, 26}},
      {"2", "t2_funding_source", "un_agencies", "KH", 2, "14.3", {13, 26}},
      {"2", "t2_funding_source", "foreign_donors_bilateral", "KH", 4, "28.6", {13, 26}},
      {"2", "t2_funding_source", "cofunding_other_ngos", "KH", 3, "21.4", {13, 26}},
      {"2", "t2_funding_source", "other_sources", "KH", 9, "64.3", {13, 26}},
      {"4", "t4_program_type", "policy_advocacy", "KH", 9, "64.3", {13, 26}},
      // 68.2 * 13 / 100 = 8.87 -> 9/13 = 69.2; 68.2 = 15/22.
      {"7", "t7_age_women", "age_30_39", "VN", 9, "69.2", {22}},
      {"10", "t10_partnership_engaged", "value", "KH", 9, "64.3", {13, 26}},
      // 28.6 = 4/14 (and 6/21, 8/28); 28.6 * 13 / 100 = 3.72 -> 4/13 = 30.8.
      {"10", "t10_partnership_engaged", "value", "VN", 4, "30.8", {14, 21, 28}},
      // 6.9 * 13 / 100 = 0.90 -> 1/13 = 7.7; 6.9 = 2/29.
      {"10", "t10_partner_ngo_type", "local_and_international_ngos", "VN", 1, "7.7", {29}},
  };
  for (const Want& w : wants) {
    const CellAudit& c = Cell(w.table, w.item, w.option, w.country);
    EXPECT_EQ(c.verdict, Verdict::kInconsistent) << w.item << " " << w.option << " " << w.country;
    EXPECT_EQ(c.nearest_count, w.nearest) << w.item << " " << w.option << " " << w.country;
    EXPECT_EQ(c.nearest_value, w.nearest_value) << w.item << " " << w.option << " " << w.country;
    EXPECT_EQ(c.other_bases, w.other) << w.item << " " << w.option << " " << w.country;
  }
}

TEST_F(StudyAuditTest, PartnershipColumnsAreTransposed) {
  auto transposed = Findings(FindingKind::kTransposed);
  ASSERT_EQ(transposed.size(), 1u);
  EXPECT_EQ(transposed[0]->item_id, "t10_partnership_engaged");
}

TEST_F(StudyAuditTest, TableTwoCambodiaColumnIsOnThirteen) {
  auto columns = Findings(FindingKind::kColumnBase);
  ASSERT_EQ(columns.size(), 1u);
  EXPECT_EQ(columns[0]->table, "2");
  EXPECT_EQ(columns[0]->country, "KH");
  EXPECT_EQ(columns[0]->cells.size(), 5u);
}

TEST_F(StudyAuditTest, OtherBaseCells) {
  // Table 4 KH policy and advocacy 61.5 fits VN's 13 (VN's own 38.5 = 5/13 is fine, so no
  // swap); Table 1 VN "more than 6 years" 7.1 fits KH's 14.
  auto other = Findings(FindingKind::kOtherBase);
  ASSERT_EQ(other.size(), 2u);
  EXPECT_EQ(other[0]->item_id, "t1_years_implementing");
  EXPECT_EQ(other[0]->country, "VN");
  EXPECT_EQ(other[1]->item_id, "t4_program_type");
  EXPECT_EQ(other[1]->country, "KH");
}

TEST_F(StudyAuditTest, SingleChoiceSumsOverHundred) {
  // T1 KH years working: 21.4 + 43.8 + 35.7 = 100.9, at least 100.75.
  // T7 VN women: 15.4 + 46.2 + 84.6 + 68.2 = 214.4.
  // T10 VN most important: 69.2 + 30.8 + 30.8 + 0 + 0 = 130.8; counts 9 + 4 + 4 = 17 of 13.
  // Not flagged: T1 VN years working 0.0 + 38.5 + 61.6 = 100.1 (lowest exactly 100.00) and
  // T1 VN respondent level 30.8 + 30.8 + 38.5 = 100.1 (lowest 99.95; counts 4 + 4 + 5 = 13).
  auto sums = Findings(FindingKind::kSumOver100);
  ASSERT_EQ(sums.size(), 3u);
  EXPECT_EQ(sums[0]->item_id, "t1_years_working");
  EXPECT_EQ(sums[0]->country, "KH");
  EXPECT_NE(sums[0]->message.find("at least 100.75"), std::string::npos) << sums[0]->message;
  EXPECT_EQ(sums[1]->item_id, "t7_age_women");
  EXPECT_EQ(sums[1]->country, "VN");
  EXPECT_EQ(sums[2]->item_id, "t10_most_important_area");
  EXPECT_EQ(sums[2]->country, "VN");
  EXPECT_NE(sums[2]->message.find("17 of N = 13"), std::string::npos) << sums[2]->message;
}

TEST_F(StudyAuditTest, NoResponseCell) {
  const CellAudit& c = Cell("10", "t10_supporting_agency", "value", "KH");
  EXPECT_EQ(c.verdict, Verdict::kNoResponse);
  EXPECT_TRUE(c.published_value.empty());
  EXPECT_TRUE(Findings(FindingKind::kImpossibleMean).empty());
}

}  // namespace
}  // namespace ngosurvey::study
