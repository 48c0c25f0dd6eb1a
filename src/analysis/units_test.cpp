// Units of analysis: which level a table counts (and the errors naming both fields when a
// table mixes repeats), and a repeat's rows joined with their parents' as ODK Central
// and Kobo link them.
#include "analysis/units.h"

#include <gtest/gtest.h>

#include "form/testing/form_rows.h"

namespace ngosurvey::analysis {
namespace {

// Households with members (each with trips) and plots: two sibling repeats, one nested.
form::Form RosterForm() {
  auto form = form::testing::MakeForm({{"type", "name", "label", "relevant"},
                                       {"select_one p", "province", "Province", ""},
                                       {"integer", "hh_size", "Size", ""},
                                       {"begin_repeat", "members", "Members", ""},
                                       {"select_one s", "m_sex", "Sex", ""},
                                       {"integer", "m_age", "Age", ""},
                                       {"begin_repeat", "trips", "Trips", ""},
                                       {"select_one p", "t_dest", "Destination", ""},
                                       {"end_repeat", "", "", ""},
                                       {"end_repeat", "", "", ""},
                                       {"begin_group", "land", "Land", ""},
                                       {"begin_repeat", "plots", "Plots", ""},
                                       {"select_one s", "crop", "Crop", ""},
                                       {"end_repeat", "", "", ""},
                                       {"end_group", "", "", ""}},
                                      {{"list_name", "name", "label"},
                                       {"p", "north", "North"},
                                       {"p", "south", "South"},
                                       {"s", "a", "A"},
                                       {"s", "b", "B"}},
                                      {});
  EXPECT_TRUE(form) << form.error().ToString();
  return *form;
}

TableSpec Spec(std::vector<std::string> items, std::vector<std::string> by) {
  TableSpec spec;
  spec.file = "spec.toml";
  spec.line = 3;
  spec.by = std::move(by);
  for (auto& item : items) spec.rows.push_back(RowSpec{.item = item, .line = 5});
  return spec;
}

int Index(const form::Form& form, std::string_view name) { return form.FindQuestion(name)->index; }

TEST(UnitsTest, LevelsNestAndHaveNames) {
  form::Form form = RosterForm();
  int members = Index(form, "members"), trips = Index(form, "trips"), plots = Index(form, "plots");
  EXPECT_EQ(LevelOf(form, *form.FindQuestion("hh_size")), kTopLevel);
  EXPECT_EQ(LevelOf(form, *form.FindQuestion("t_dest")), trips);
  EXPECT_EQ(LevelOf(form, *form.FindQuestion("crop")), plots);  // inside a group
  EXPECT_TRUE(LevelEncloses(form, kTopLevel, trips));
  EXPECT_TRUE(LevelEncloses(form, members, trips));
  EXPECT_FALSE(LevelEncloses(form, trips, members));
  EXPECT_FALSE(LevelEncloses(form, plots, trips));
  EXPECT_EQ(LevelName(form, members), "repeat 'members'");
  EXPECT_EQ(LevelName(form, kTopLevel), "the top level");
}

TEST(UnitsTest, TableLevelIsTheInnermostOfItsItemsAndExpressions) {
  form::Form form = RosterForm();
  EXPECT_EQ(*TableLevel(form, Spec({"hh_size"}, {"province"})), kTopLevel);
  EXPECT_EQ(*TableLevel(form, Spec({"m_sex", "m_age"}, {"province"})), Index(form, "members"));
  // A field of a level around the trip (the member's sex, the household's province).
  EXPECT_EQ(*TableLevel(form, Spec({"t_dest"}, {"m_sex", "province"})), Index(form, "trips"));
  // A derived item over the members is counted over the members.
  TableSpec derived = Spec({}, {"province"});
  derived.rows.push_back(RowSpec{.item = "old", .derived = "${m_age} >= 60", .line = 7});
  EXPECT_EQ(*TableLevel(form, derived), Index(form, "members"));
  // Names that are not questions are left to Tabulate (metadata, extra columns).
  EXPECT_EQ(*TableLevel(form, Spec({"m_sex"}, {"org"})), Index(form, "members"));
}

TEST(UnitsTest, AnotherRepeatsFieldIsAnErrorNamingBoth) {
  form::Form form = RosterForm();
  auto by_plot = TableLevel(form, Spec({"m_sex"}, {"crop"}));
  ASSERT_FALSE(by_plot);
  EXPECT_EQ(by_plot.error().ToString(),
            "spec.toml:3: T006: the grouping column 'crop' (repeat 'plots') is not a field of the "
            "item 'm_sex' (repeat 'members') nor of a level around it: a table is never grouped "
            "or weighted by a field of another repeat");
  // A household item grouped by a member's field: the member is not around the household.
  auto by_member = TableLevel(form, Spec({"hh_size"}, {"m_sex"}));
  ASSERT_FALSE(by_member);
  EXPECT_EQ(by_member.error().code, "T006");
  TableSpec weighted = Spec({"crop"}, {});
  weighted.design.weight = "m_age";
  auto weight = TableLevel(form, weighted);
  ASSERT_FALSE(weight);
  EXPECT_NE(weight.error().message.find("the weight 'm_age' (repeat 'members')"),
            std::string::npos);
  auto mixed = TableLevel(form, Spec({"m_sex", "crop"}, {}));
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().message,
            "the item 'crop' (repeat 'plots') and the item 'm_sex' (repeat 'members') are in "
            "different repeats: a table counts the instances of one");
  auto units = TableLevel(form, Spec({"hh_size", "m_sex"}, {}));
  ASSERT_FALSE(units);
  EXPECT_EQ(units.error().message,
            "the item 'hh_size' (the top level) and the item 'm_sex' (repeat 'members') count "
            "different units: put them in separate tables");
}

TEST(UnitsTest, SpecQuestionsListsWhatATableUses) {
  form::Form form = RosterForm();
  TableSpec spec = Spec({"m_sex"}, {"province", "org"});
  spec.rows.push_back(RowSpec{.item = "old", .derived = "${m_age} >= 60"});
  spec.design.weight = "hh_size";
  EXPECT_EQ(SpecQuestions(form, spec),
            (std::vector<std::string>{"m_sex", "province", "hh_size", "m_age"}));
}

csv::Table Table(std::string file, std::vector<std::vector<std::string>> rows) {
  csv::Table table;
  table.file = std::move(file);
  table.header = rows.front();
  for (size_t r = 1; r < rows.size(); ++r) {
    table.rows.push_back(rows[r]);
    table.row_lines.push_back(static_cast<int>(r) + 1);
  }
  return table;
}

TEST(UnitsTest, JoinsNestedRepeatsByOdkKeys) {
  form::Form form = RosterForm();
  csv::Table main =
      Table("main.csv",
            {{"province", "hh_size", "KEY"}, {"north", "2", "uuid:a"}, {"south", "1", "uuid:b"}});
  std::map<std::string, csv::Table> repeats;
  repeats["members"] = Table("members.csv", {{"members/m_sex", "PARENT_KEY", "KEY"},
                                             {"a", "uuid:b", "uuid:b/members[1]"},
                                             {"b", "uuid:a", "uuid:a/members[1]"},
                                             {"a", "uuid:a", "uuid:a/members[2]"}});
  repeats["trips"] =
      Table("trips.csv", {{"members/trips/t_dest", "PARENT_KEY", "KEY"},
                          {"south", "uuid:a/members[2]", "uuid:a/members[2]/trips[1]"},
                          {"north", "uuid:b/members[1]", "uuid:b/members[1]/trips[1]"}});
  auto joined = JoinRepeatTable(form, Index(form, "trips"), main, repeats);
  ASSERT_TRUE(joined) << joined.error().ToString();
  EXPECT_EQ(joined->file, "trips.csv");
  EXPECT_EQ(joined->header, (std::vector<std::string>{"members/trips/t_dest", "PARENT_KEY", "KEY",
                                                      "members/m_sex", "province", "hh_size"}));
  ASSERT_EQ(joined->rows.size(), 2u);
  EXPECT_EQ(joined->rows[0],
            (std::vector<std::string>{"south", "uuid:a/members[2]", "uuid:a/members[2]/trips[1]",
                                      "a", "north", "2"}));
  EXPECT_EQ(joined->rows[1][3], "a");
  EXPECT_EQ(joined->rows[1][4], "south");
}

TEST(UnitsTest, JoinsByKoboIndexes) {
  form::Form form = RosterForm();
  csv::Table main =
      Table("main.csv",
            {{"province", "_uuid", "_index"}, {"north", "aaaa", "1"}, {"south", "bbbb", "2"}});
  std::map<std::string, csv::Table> repeats;
  repeats["members"] = Table(
      "members.csv",
      {{"m_sex", "_index", "_parent_index"}, {"b", "1", "2"}, {"a", "2", "1"}, {"a", "3", "2"}});
  auto joined = JoinRepeatTable(form, Index(form, "members"), main, repeats);
  ASSERT_TRUE(joined) << joined.error().ToString();
  EXPECT_EQ(joined->header,
            (std::vector<std::string>{"m_sex", "_index", "_parent_index", "province", "_uuid"}));
  std::vector<std::string> provinces;
  for (const auto& row : joined->rows) provinces.push_back(row[3]);
  EXPECT_EQ(provinces, (std::vector<std::string>{"south", "north", "south"}));
}

TEST(UnitsTest, JoinErrorsNameTheFileAndRow) {
  form::Form form = RosterForm();
  csv::Table main = Table("main.csv", {{"province", "KEY"}, {"north", "uuid:a"}});
  std::map<std::string, csv::Table> repeats;
  auto missing = JoinRepeatTable(form, Index(form, "members"), main, repeats);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "D007");
  repeats["members"] = Table("members.csv", {{"m_sex", "KEY"}, {"a", "k"}});
  auto unlinked = JoinRepeatTable(form, Index(form, "members"), main, repeats);
  ASSERT_FALSE(unlinked);
  EXPECT_EQ(unlinked.error().code, "D008");
  EXPECT_EQ(unlinked.error().where.file, "members.csv");
  repeats["members"] =
      Table("members.csv", {{"m_sex", "PARENT_KEY"}, {"a", "uuid:a"}, {"b", "uuid:z"}});
  auto orphan = JoinRepeatTable(form, Index(form, "members"), main, repeats);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().ToString(),
            "members.csv:3:2: D009: row of repeat 'members' whose parent 'uuid:z' is not in the "
            "parent's file (main.csv)");
}

}  // namespace
}  // namespace ngosurvey::analysis
