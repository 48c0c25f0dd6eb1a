#include "fieldwork/frame.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/testing/source_dir.h"

namespace ngosurvey::fieldwork {
namespace {

std::vector<std::string> Messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.items()) out.push_back(d.ToString());
  return out;
}

Result<Frame> Parse(std::string_view text, Diagnostics* diags) {
  auto table = csv::ParseTable(text, "frame.csv");
  if (!table) return tl::unexpected(table.error());
  return ParseFrame(*table, diags);
}

TEST(FrameTest, ReadsColumnsAndKeepsExtras) {
  Diagnostics diags;
  auto frame = Parse(
      "org_id,name,country,address,contact_person,city,disposition\n"
      "KH01,Center A,KH,\"12 St, Phnom Penh\",Ms Dara,Phnom Penh,1.1\n"
      "VN01,Org B,VN,Ha Noi,Mr Minh,Ha Noi, 4.10 \n"
      "VN02,Org C,VN,,,Hue,\n",
      &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_TRUE(diags.items().empty());
  EXPECT_EQ(frame->stratum_column, "country");
  EXPECT_TRUE(frame->has_disposition_column);
  EXPECT_EQ(frame->disposition_column, 7);
  ASSERT_EQ(frame->extra_columns, std::vector<std::string>{"city"});
  ASSERT_EQ(frame->cases.size(), 3u);
  const FrameCase& kh = frame->cases[0];
  EXPECT_EQ(kh.org_id, "KH01");
  EXPECT_EQ(kh.address, "12 St, Phnom Penh");
  EXPECT_EQ(kh.contact_person, "Ms Dara");
  EXPECT_EQ(kh.extra, std::vector<std::string>{"Phnom Penh"});
  EXPECT_EQ(kh.line, 2);
  ASSERT_NE(kh.disposition, nullptr);
  EXPECT_EQ(kh.disposition->category, RateCategory::kComplete);
  // Spaces around a code are forgiven.
  ASSERT_NE(frame->cases[1].disposition, nullptr);
  EXPECT_EQ(frame->cases[1].disposition->code, "4.10");
  EXPECT_EQ(frame->cases[2].disposition, nullptr);

  EXPECT_EQ(frame->Find("VN02"), &frame->cases[2]);
  EXPECT_EQ(frame->Find("XX"), nullptr);
  EXPECT_EQ(frame->Value(kh, "city"), "Phnom Penh");
  EXPECT_EQ(frame->Value(kh, "country"), "KH");
  EXPECT_EQ(frame->Value(kh, "disposition"), "1.1");
  EXPECT_EQ(frame->Value(kh, "region"), std::nullopt);
  EXPECT_TRUE(frame->HasColumn("address"));
}

TEST(FrameTest, StratumInsteadOfCountryAndOptionalColumns) {
  Diagnostics diags;
  auto frame = Parse("stratum,name,org_id\nurban,A,1\nrural,B,2\n", &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_EQ(frame->stratum_column, "stratum");
  EXPECT_FALSE(frame->has_disposition_column);
  EXPECT_FALSE(frame->HasColumn("address"));
  EXPECT_FALSE(frame->HasColumn("country"));
  EXPECT_EQ(frame->cases[1].stratum, "rural");
}

TEST(FrameTest, CaseIdForFramesOfHouseholdsOrPeople) {
  Diagnostics diags;
  auto frame = Parse("case_id,name,stratum\nH1,A,urban\nH2,B,rural\n", &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_EQ(frame->id_column, "case_id");
  EXPECT_EQ(frame->cases[1].org_id, "H2");
  EXPECT_EQ(frame->Value(frame->cases[0], "case_id"), "H1");
  EXPECT_FALSE(frame->HasColumn("address"));

  Diagnostics both;
  EXPECT_FALSE(Parse("org_id,case_id,name,stratum\n1,H1,A,urban\n", &both));
  ASSERT_EQ(Messages(both).size(), 1u);
  EXPECT_NE(Messages(both)[0].find("FW005"), std::string::npos);
}

TEST(FrameTest, MissingColumnsAreReportedTogether) {
  Diagnostics diags;
  auto frame = Parse("id,title,address\n1,A,x\n", &diags);
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().ToString(), "frame.csv: FW000: the sample frame has 3 errors");
  EXPECT_EQ(Messages(diags),
            (std::vector<std::string>{
                "frame.csv:1: FW001: missing required column 'org_id' (or 'case_id')",
                "frame.csv:1: FW001: missing required column 'name'",
                "frame.csv:1: FW001: missing required column 'country' (or 'stratum')",
            }));
}

TEST(FrameTest, DuplicateIdsUnknownCodesAndEmptyIds) {
  Diagnostics diags;
  auto frame = Parse(
      "org_id,name,country,disposition\n"
      "KH01,A,KH,1.1\n"
      "KH02,B,KH,2.2\n"
      "KH01,C,KH,2.11\n"
      ",D,KH,9.99\n"
      "KH03,E,KH,1.3\n",
      &diags);
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().ToString(), "frame.csv: FW000: the sample frame has 5 errors");
  EXPECT_EQ(Messages(diags),
            (std::vector<std::string>{
                "frame.csv:3:4: FW003: unknown disposition code '2.2' (did you mean '2.20'? a "
                "spreadsheet may have dropped its trailing zero)",
                "frame.csv:4:1: FW002: duplicate org_id 'KH01' (first on line 2)",
                "frame.csv:5:1: FW004: empty org_id",
                "frame.csv:5:4: FW003: unknown disposition code '9.99'; `ngosurvey fieldwork "
                "dispositions` lists the codes",
                "frame.csv:6:4: FW003: unknown disposition code '1.3'; `ngosurvey fieldwork "
                "dispositions` lists the codes",
            }));
}

TEST(FrameTest, BothCountryAndStratumIsAmbiguous) {
  Diagnostics diags;
  auto frame = Parse("org_id,name,country,stratum\n1,A,KH,urban\n", &diags);
  ASSERT_FALSE(frame);
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].ToString(),
            "frame.csv:1:4: FW005: both 'country' and 'stratum' columns: keep one as the "
            "grouping column and rename the other");
}

TEST(FrameTest, CsvAndFileErrorsPassThrough) {
  Diagnostics diags;
  auto missing = ReadFrame("/nonexistent/frame.csv", &diags);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "IO001");
  auto ragged = Parse("org_id,name,country\n1,A\n", &diags);
  ASSERT_FALSE(ragged);
  EXPECT_EQ(ragged.error().code, "CSV005");
  EXPECT_TRUE(diags.items().empty());
}

TEST(FrameTest, ReadsTheFixture) {
  Diagnostics diags;
  auto frame = ReadFrame(
      std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/fieldwork/frame.csv", &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_EQ(frame->cases.size(), 13u);
  EXPECT_EQ(frame->cases[3].name, "Youth Network, Battambang");
}

}  // namespace
}  // namespace ngosurvey::fieldwork
