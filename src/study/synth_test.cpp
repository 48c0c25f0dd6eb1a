// Synthesis of repeats (synth.h) on small forms built in memory: instances per parent as the
// repeat_count gives, repeats inside repeats linked to their parent instance by its KEY.
#include "study/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "form/testing/form_rows.h"

namespace ngosurvey::study {
namespace {

using form::testing::MakeForm;

// The value of column `name` in `row` of a table whose header is `header`.
const std::string& Field(const std::vector<std::string>& header,
                         const std::vector<std::string>& row, const std::string& name) {
  size_t at = std::find(header.begin(), header.end(), name) - header.begin();
  EXPECT_LT(at, header.size()) << name;
  static const std::string kNone;
  return at < row.size() ? row[at] : kNone;
}

TEST(SynthRepeatsTest, RepeatInsideRepeatIsSynthesisedPerParentInstance) {
  auto form = MakeForm({{"type", "name", "label", "repeat_count", "constraint"},
                        {"integer", "hh_size", "Members", "", ". >= 1 and . <= 4"},
                        {"begin_repeat", "members", "Member", "${hh_size}", ""},
                        {"integer", "m_age", "Age", "", ". >= 0 and . <= 99"},
                        {"integer", "m_trips", "Trips", "", ". >= 0 and . <= 3"},
                        {"begin_repeat", "trips", "Trip", "${m_trips}", ""},
                        {"integer", "t_month", "Month", "", ". >= 1 and . <= 12"},
                        {"end_repeat", "", "", "", ""},
                        {"end_repeat", "", "", "", ""}});
  ASSERT_TRUE(form) << form.error().ToString();
  std::vector<SynthRespondent> households;
  for (int i = 1; i <= 12; ++i) households.push_back({"H" + std::to_string(i), ""});
  auto synth = Synthesize(*form, {}, AuditReport{}, households);
  ASSERT_TRUE(synth) << synth.error().ToString();
  ASSERT_EQ(synth->repeats.size(), 2u);
  const SynthRepeat& members = synth->repeats[0];
  const SynthRepeat& trips = synth->repeats[1];
  EXPECT_EQ(members.name, "members");
  EXPECT_EQ(trips.name, "trips");

  // Each household has as many members as its size.
  std::map<std::string, int> members_of;
  for (const auto& row : members.rows) ++members_of[Field(members.header, row, "PARENT_KEY")];
  for (const auto& household : synth->rows) {
    EXPECT_EQ(std::to_string(members_of[household[1]]), Field(synth->header, household, "hh_size"));
  }
  // Each member has as many trips as its m_trips, linked by the member's KEY, and each
  // trip's month keeps its constraint.
  std::map<std::string, int> trips_of;
  size_t total_trips = 0;
  for (const auto& row : trips.rows) {
    const std::string& parent = Field(trips.header, row, "PARENT_KEY");
    int n = ++trips_of[parent];
    EXPECT_EQ(Field(trips.header, row, "KEY"), parent + "/trips[" + std::to_string(n) + "]");
    int month = std::stoi(Field(trips.header, row, "t_month"));
    EXPECT_GE(month, 1);
    EXPECT_LE(month, 12);
    EXPECT_EQ(row.front(), "SYNTHETIC");
    ++total_trips;
  }
  size_t expected_trips = 0;
  for (const auto& member : members.rows) {
    const std::string& key = Field(members.header, member, "KEY");
    const std::string& count = Field(members.header, member, "m_trips");
    EXPECT_EQ(std::to_string(trips_of[key]), count) << key;
    expected_trips += std::stoul(count);
    trips_of.erase(key);
  }
  EXPECT_TRUE(trips_of.empty()) << "a trip whose PARENT_KEY is no member's KEY";
  EXPECT_EQ(total_trips, expected_trips);
  EXPECT_GT(total_trips, 0u);
  // The nested repeat's own questions only (its parents' values are not repeated).
  EXPECT_EQ(trips.header,
            (std::vector<std::string>{"data_status", "t_month", "PARENT_KEY", "KEY"}));
}

}  // namespace
}  // namespace ngosurvey::study
