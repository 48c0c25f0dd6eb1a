// Units of analysis: which level a table counts (and the errors naming both fields when a
// table mixes repeats), and a repeat's rows joined with their parents' as ODK Central
// and Kobo link them.
#include "analysis/units.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

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
  // A table of derived items only counts the households, its expressions reading the
  // members as node-sets; with unit = members (or a member's field as group) the members.
  TableSpec derived = Spec({}, {"province"});
  derived.rows.push_back(RowSpec{.item = "old", .derived = "${m_age} >= 60", .line = 7});
  EXPECT_EQ(*TableLevel(form, derived), kTopLevel);
  EXPECT_EQ(NestedRepeats(form, derived, kTopLevel),
            (std::map<int, std::vector<std::string>>{{Index(form, "members"), {"m_age"}}}));
  derived.unit = "members";
  EXPECT_EQ(*TableLevel(form, derived), Index(form, "members"));
  EXPECT_TRUE(NestedRepeats(form, derived, Index(form, "members")).empty());
  derived.unit = "";
  derived.by = {"m_sex"};
  EXPECT_EQ(*TableLevel(form, derived), Index(form, "members"));
  // count(${trips}) over a member's trips; the repeat's own name needs no column.
  TableSpec trips = Spec({"m_sex"}, {"province"});
  trips.rows.push_back(RowSpec{.item = "n", .derived = "count(${trips})", .derived_number = true});
  EXPECT_EQ(*TableLevel(form, trips), Index(form, "members"));
  EXPECT_EQ(NestedRepeats(form, trips, Index(form, "members")),
            (std::map<int, std::vector<std::string>>{{Index(form, "trips"), {}}}));
  EXPECT_EQ(LevelDepth(form, kTopLevel), 0);
  EXPECT_EQ(LevelDepth(form, Index(form, "trips")), 2);
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
  TableSpec plots = Spec({"hh_size"}, {});
  plots.rows.push_back(RowSpec{.item = "x", .derived = "${crop} = 'a'", .line = 9});
  plots.unit = "members";
  plots.rows.erase(plots.rows.begin());
  auto other = TableLevel(form, plots);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().ToString(),
            "spec.toml:9: T006: the derived item 'x' names 'crop' (repeat 'plots'), which is "
            "neither around nor inside repeat 'members', the level the table counts");
  plots.unit = "hh_size";
  EXPECT_EQ(TableLevel(form, plots).error().code, "T002");
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
  Lineage lineage;
  auto joined = JoinRepeatTable(form, Index(form, "trips"), main, repeats, &lineage);
  ASSERT_TRUE(joined) << joined.error().ToString();
  // Each trip's household, member and own row.
  EXPECT_EQ(lineage, (Lineage{{0, 1}, {2, 0}, {0, 1}}));
  EXPECT_EQ(joined->file, "trips.csv");
  EXPECT_EQ(joined->header, (std::vector<std::string>{"members/trips/t_dest", "PARENT_KEY", "KEY",
                                                      "members/m_sex", "province", "hh_size"}));
  ASSERT_EQ(joined->rows.size(), 2u);
  EXPECT_EQ(joined->rows[0],
            (std::vector<std::string>{"south", "uuid:a/members[2]", "uuid:a/members[2]/trips[1]",
                                      "a", "north", "2"}));
  EXPECT_EQ(joined->rows[1][3], "a");
  EXPECT_EQ(joined->rows[1][4], "south");
  // A cell from a parent's file is placed in that file: the second trip's member is line 2
  // of members.csv (column 1), its household line 3 of main.csv (column 1); its own cells
  // are in trips.csv.
  EXPECT_EQ(joined->Where(1, 3).ToString(), "members.csv:2:1");
  EXPECT_EQ(joined->Where(1, 4).ToString(), "main.csv:3:1");
  EXPECT_EQ(joined->Where(1, 5).ToString(), "main.csv:3:2");
  EXPECT_EQ(joined->Where(1, 0).ToString(), "trips.csv:3:1");
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

TEST(UnitsTest, DefaultRepeatFileIsBesideTheData) {
  EXPECT_EQ(DefaultRepeatPath("synthetic/hh.csv", "members"), "synthetic/hh-members.csv");
  EXPECT_EQ(DefaultRepeatPath("data", "members"), "data-members.csv");
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

// A repeat's files read for a table keep only the columns it needs (issue 17): the other
// columns of the files, here "junk", are not loaded, and an error still names the file's
// own line and column.
TEST(UnitsTest, RepeatFilesKeepOnlyTheColumnsATableNeeds) {
  form::Form form = RosterForm();
  std::string dir = ::testing::TempDir() + "/units_needed_columns";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
    return dir + "/" + name;
  };
  std::string main = write("main.csv",
                           "junk1,province,hh_size,junk2,KEY\n"
                           "x,north,2,y,uuid:a\n"
                           "x,south,1,y,uuid:b\n");
  std::string members = write("members.csv",
                              "junk_a,members/m_sex,members/m_age,PARENT_KEY,KEY,junk_b\n"
                              "1,a,30,uuid:a,uuid:a/members[1],2\n"
                              "1,b,31,uuid:b,uuid:b/members[1],2\n"
                              "1,a,32,uuid:a,uuid:a/members[2],2\n");
  std::map<std::string, std::string> paths = {{"members", members}};
  std::vector<TableSpec> specs = {Spec({"m_sex"}, {"province"})};
  LoadDataOptions options;
  options.items = {"m_sex"};
  Diagnostics diags;
  auto level = LoadRepeatCsv(form, Index(form, "members"), main, paths, specs, options, &diags);
  ASSERT_TRUE(level) << level.error().ToString();
  EXPECT_EQ(level->data.rows(), 3u);
  EXPECT_GE(level->data.Find("m_sex"), 0);
  EXPECT_GE(level->data.Find("province"), 0);
  EXPECT_LT(level->data.Find("m_age"), 0);
  EXPECT_EQ(level->lineage, (Lineage{{0, 1, 0}, {0, 1, 2}}));
  // A value that is not a number: the file's line and column (3), not the kept table's.
  write("members.csv",
        "junk_a,members/m_sex,members/m_age,PARENT_KEY,KEY,junk_b\n"
        "1,a,30,uuid:a,uuid:a/members[1],2\n"
        "1,b,old,uuid:b,uuid:b/members[1],2\n");
  options.items = {"m_age"};
  auto bad = LoadRepeatCsv(form, Index(form, "members"), main, paths, {Spec({"m_age"}, {})},
                           options, &diags);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "D003");
  EXPECT_EQ(bad.error().where.file, members);
  EXPECT_EQ(bad.error().where.row, 3);
  EXPECT_EQ(bad.error().where.column, 3);
  // A bad value in a column the members borrow from their households: the household
  // file's own line and column.
  write("members.csv",
        "junk_a,members/m_sex,members/m_age,PARENT_KEY,KEY,junk_b\n"
        "1,a,30,uuid:a,uuid:a/members[1],2\n"
        "1,b,31,uuid:b,uuid:b/members[1],2\n");
  write("main.csv",
        "junk1,province,hh_size,junk2,KEY\n"
        "x,north,2,y,uuid:a\n"
        "x,west,1,y,uuid:b\n");
  options.items = {"m_sex", "province"};
  auto parent_bad = LoadRepeatCsv(form, Index(form, "members"), main, paths,
                                  {Spec({"m_sex"}, {"province"})}, options, &diags);
  ASSERT_FALSE(parent_bad);
  EXPECT_EQ(parent_bad.error().where.file, main);
  EXPECT_EQ(parent_bad.error().where.row, 3);
  EXPECT_EQ(parent_bad.error().where.column, 2);
}

Column Built(std::string name, ColumnKind kind, std::vector<std::string> options,
             std::vector<form::Answer> answers) {
  ColumnBuilder builder(std::move(name), kind, std::move(options));
  for (const auto& answer : answers) EXPECT_TRUE(builder.Append(answer));
  return std::move(builder).Finish();
}

// Per-household items over the members: counts, "at least one", a sum, and a mean that
// is missing for a household without members; the members in any order in their file.
TEST(UnitsTest, HouseholdItemsReadTheirMembersAsNodeSets) {
  using form::Answer;
  Dataset households;
  ASSERT_TRUE(households.AddColumn(
      Built("province", ColumnKind::kSingle, {"north", "south"},
            {Answer::Answered("north"), Answer::Answered("north"), Answer::Answered("south")})));
  auto members = std::make_shared<Dataset>();
  ASSERT_TRUE(members->AddColumn(Built("m_migrant", ColumnKind::kSingle, {"yes", "no"},
                                       {Answer::Answered("no"), Answer::Answered("yes"),
                                        Answer::Refused(), Answer::Answered("no")})));
  ASSERT_TRUE(members->AddColumn(Built("m_age", ColumnKind::kNumber, {},
                                       {Answer::Answered("40"), Answer::Answered("20"),
                                        Answer::Answered("7"), Answer::Answered("61")})));
  // Members 0 and 2 are the first household's, 1 and 3 the third's; the second has none.
  ASSERT_TRUE(households.AddNested(MakeNestedInstances("members", members, {0, 2, 0, 2}, 3)));
  EXPECT_EQ(households.nested()[0].offsets, (std::vector<uint32_t>{0, 2, 2, 4}));
  EXPECT_EQ(households.nested()[0].order, (std::vector<uint32_t>{0, 2, 1, 3}));

  TableSpec spec;
  spec.id = "M3";
  spec.by = {"province"};
  spec.rows.push_back(RowSpec{.item = "n", .derived = "count(${members})", .derived_number = true});
  spec.rows.push_back(
      RowSpec{.item = "with_migrant", .derived = "count(${m_migrant}[. = 'yes']) > 0"});
  spec.rows.push_back(
      RowSpec{.item = "age_sum", .derived = "sum(${m_age})", .derived_number = true});
  spec.rows.push_back(RowSpec{.item = "any_old", .derived = "${m_age} >= 60"});
  spec.rows.push_back(RowSpec{
      .item = "mean_age", .derived = "sum(${m_age}) div count(${m_age})", .derived_number = true});
  auto table = Tabulate(households, spec);
  ASSERT_TRUE(table) << table.error().ToString();
  const ItemResult& n = table->items[0];
  EXPECT_EQ(n.kind, ItemKind::kNumeric);
  EXPECT_EQ(n.numeric[0].n, 2u);
  EXPECT_DOUBLE_EQ(*n.numeric[0].mean, 1.0);  // north: 2 members and none
  EXPECT_DOUBLE_EQ(*n.numeric[1].mean, 2.0);
  const ItemResult& with = table->items[1];
  EXPECT_EQ(with.kind, ItemKind::kDerived);
  EXPECT_EQ(with.options[0].cells[0].count, 0u);  // north: no migrant
  EXPECT_EQ(with.options[0].cells[1].count, 1u);  // south: member 1
  const ItemResult& sum = table->items[2];
  EXPECT_EQ(sum.numeric[0].n, 2u);  // XPath's sum of no members is 0
  EXPECT_DOUBLE_EQ(*sum.numeric[0].mean, 23.5);
  const ItemResult& old = table->items[3];
  EXPECT_EQ(old.options[0].cells[1].count, 1u);  // south's member of 61
  EXPECT_EQ(old.options[0].cells[0].count, 0u);
  const ItemResult& mean = table->items[4];
  EXPECT_EQ(mean.numeric[0].n, 1u);  // 0 div 0 is NaN: missing for the empty household
  EXPECT_EQ(mean.nonresponse[0].missing, 1u);
  EXPECT_DOUBLE_EQ(*mean.numeric[0].mean, 23.5);
}

}  // namespace
}  // namespace ngosurvey::analysis
