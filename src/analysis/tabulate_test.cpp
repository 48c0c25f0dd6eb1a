#include <gtest/gtest.h>

#include "analysis/table.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;

Column Build(std::string name, ColumnKind kind, std::vector<std::string> options,
             const std::vector<Answer>& answers) {
  ColumnBuilder builder(std::move(name), kind, std::move(options));
  for (const Answer& a : answers) EXPECT_TRUE(builder.Append(a));
  return std::move(builder).Finish();
}

std::vector<Answer> Repeat(std::vector<std::pair<Answer, int>> runs) {
  std::vector<Answer> out;
  for (auto& [answer, times] : runs) {
    for (int i = 0; i < times; ++i) out.push_back(answer);
  }
  return out;
}

// 14 "KH" and 13 "VN" respondents, as in the reference study's Tables 2-10.
Dataset StudyLike() {
  Dataset data;
  auto kh = Answer::Answered("KH");
  auto vn = Answer::Answered("VN");
  EXPECT_TRUE(data.AddColumn(
      Build("country", ColumnKind::kSingle, {"KH", "VN"}, Repeat({{kh, 14}, {vn, 13}}))));
  // training: KH 14 yes; VN 5 yes, 7 no, 1 refused.
  EXPECT_TRUE(data.AddColumn(Build("training", ColumnKind::kSingle, {"yes", "no"},
                                   Repeat({{Answer::Answered("yes"), 14},
                                           {Answer::Answered("yes"), 5},
                                           {Answer::Answered("no"), 7},
                                           {Answer::Refused(), 1}}))));
  // funding (multi): KH: 4 "un", 10 "own un"; VN: 13 "own".
  EXPECT_TRUE(data.AddColumn(Build("funding", ColumnKind::kMulti, {"own", "un", "other"},
                                   Repeat({{Answer::Answered("un"), 4},
                                           {Answer::Answered("own un"), 10},
                                           {Answer::Answered("own"), 13}}))));
  // staff: KH 1..14, VN 10 each, one VN don't know.
  std::vector<Answer> staff;
  for (int i = 1; i <= 14; ++i) staff.push_back(Answer::Answered(std::to_string(i)));
  for (int i = 0; i < 12; ++i) staff.push_back(Answer::Answered("10"));
  staff.push_back(Answer::DontKnow());
  EXPECT_TRUE(data.AddColumn(Build("staff", ColumnKind::kNumber, {}, staff)));
  return data;
}

TableSpec Spec(std::vector<RowSpec> rows) {
  TableSpec spec;
  spec.id = "t";
  spec.by = {"country"};
  spec.total = true;
  spec.rows = std::move(rows);
  return spec;
}

RowSpec Row(std::string item) {
  RowSpec row;
  row.item = std::move(item);
  return row;
}

TEST(TabulateTest, CountsBasesPercentsAndNonresponse) {
  Dataset data = StudyLike();
  auto result = Tabulate(data, Spec({Row("training")}));
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->columns.size(), 3u);
  EXPECT_EQ(result->columns[2].key, "total");
  const ItemResult& item = result->items[0];
  ASSERT_EQ(item.options.size(), 2u);
  const Cell& vn_yes = item.options[0].cells[1];
  EXPECT_EQ(vn_yes.count, 5u);
  EXPECT_EQ(vn_yes.base, 12u);  // the refusal is not in the base of "answered"
  EXPECT_EQ(vn_yes.percent, "41.7");
  EXPECT_EQ(item.options[0].cells[2].count, 19u);
  EXPECT_EQ(item.options[0].cells[2].base, 26u);
  EXPECT_EQ(item.nonresponse[1].refused, 1u);
  EXPECT_EQ(item.nonresponse[1].total, 13u);
  EXPECT_EQ(item.nonresponse[0].refused, 0u);
  // The Fisher test KH-VN on "yes": 14/14 vs 5/12.
  ASSERT_EQ(item.options[0].tests.size(), 1u);
  auto direct = FisherExact2x2(14, 0, 5, 7);
  ASSERT_TRUE(direct);
  ASSERT_TRUE(item.options[0].tests[0].p);
  EXPECT_DOUBLE_EQ(*item.options[0].tests[0].p, direct->p_value);
  EXPECT_EQ(item.options[0].tests[0].groups, (std::vector<std::string>{"KH", "VN"}));
  ASSERT_TRUE(item.item_test && item.item_test->p);
}

TEST(TabulateTest, DenominatorAllCountsEveryRespondent) {
  Dataset data = StudyLike();
  RowSpec row = Row("training");
  row.denominator = DenominatorRule::kAll;
  auto result = Tabulate(data, Spec({row}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->items[0].options[0].cells[1].base, 13u);
  EXPECT_EQ(result->items[0].options[0].cells[1].percent, "38.5");
}

TEST(TabulateTest, MultiOptionsAndMentions) {
  Dataset data = StudyLike();
  RowSpec row = Row("funding");
  row.mentions = true;
  auto result = Tabulate(data, Spec({row}));
  ASSERT_TRUE(result) << result.error().ToString();
  const ItemResult& item = result->items[0];
  EXPECT_EQ(item.options[0].cells[0].count, 10u);  // own, KH
  EXPECT_EQ(item.options[1].cells[0].count, 14u);  // un, KH
  EXPECT_EQ(item.mentions_total[0], 24u);
  EXPECT_EQ(item.options[1].mention_cells[0].percent, "58.3");  // 14 of 24 mentions
  EXPECT_FALSE(item.item_test);  // no r x c test for a multiple-response item
}

TEST(TabulateTest, NumericSummaries) {
  Dataset data = StudyLike();
  auto result = Tabulate(data, Spec({Row("staff")}));
  ASSERT_TRUE(result);
  const ItemResult& item = result->items[0];
  ASSERT_EQ(item.numeric.size(), 3u);
  EXPECT_EQ(item.numeric[0].n, 14u);
  EXPECT_DOUBLE_EQ(*item.numeric[0].mean, 7.5);
  EXPECT_DOUBLE_EQ(*item.numeric[0].median, 7.5);
  EXPECT_NEAR(*item.numeric[0].sd, 4.183300132670378, 1e-12);
  EXPECT_EQ(item.numeric[1].n, 12u);
  EXPECT_DOUBLE_EQ(*item.numeric[1].sd, 0.0);
  EXPECT_EQ(item.nonresponse[1].dont_know, 1u);
  EXPECT_EQ(*item.numeric[2].min, 1);
  EXPECT_EQ(*item.numeric[2].max, 14);
}

TEST(TabulateTest, DerivedVariableFilterAndBins) {
  Dataset data = StudyLike();
  RowSpec derived = Row("big");
  derived.derived = "${staff} > 10";
  RowSpec filtered = Row("training");
  filtered.filter = "${staff} >= 12";
  RowSpec binned = Row("staff");
  binned.bins = {0, 5, 20};
  auto result = Tabulate(data, Spec({derived, filtered, binned}));
  ASSERT_TRUE(result) << result.error().ToString();
  // KH: 11..14 are > 10 (4 of 14); VN: none of 12 answered (the don't know stays out).
  EXPECT_EQ(result->items[0].options[0].cells[0].count, 4u);
  EXPECT_EQ(result->items[0].options[0].cells[0].base, 14u);
  EXPECT_EQ(result->items[0].options[0].cells[1].base, 12u);
  EXPECT_EQ(result->items[0].nonresponse[1].dont_know, 1u);
  // Filter: only KH respondents with 12..14 staff remain.
  EXPECT_EQ(result->items[1].nonresponse[0].total, 3u);
  EXPECT_EQ(result->items[1].nonresponse[1].total, 0u);
  EXPECT_EQ(result->items[1].options[0].cells[1].percent, "");
  // Bins [0,5) and [5,20): KH 4 and 10.
  EXPECT_EQ(result->items[2].options[0].cells[0].count, 4u);
  EXPECT_EQ(result->items[2].options[1].cells[0].count, 10u);
}

// Rows without filters of their own are counted together in one pass of the kernel;
// every figure must be what the row gives alone (with the table's filter applied to
// both, and rows with their own filter, bins or a derived variable between them).
TEST(TabulateTest, RowsCountedTogetherEqualRowsAlone) {
  Dataset data = StudyLike();
  RowSpec mentions = Row("funding");
  mentions.mentions = true;
  RowSpec filtered = Row("training");
  filtered.filter = "${staff} >= 5";
  RowSpec binned = Row("staff");
  binned.bins = {0, 5, 20};
  RowSpec derived = Row("big");
  derived.derived = "${staff} > 10";
  RowSpec all = Row("training");
  all.denominator = DenominatorRule::kAll;
  const std::vector<RowSpec> rows = {Row("training"), filtered, mentions, binned,
                                     Row("staff"),    derived,  all,      Row("funding")};
  for (const char* table_filter : {"", "${training} != 'no'"}) {
    SCOPED_TRACE(table_filter);
    TableSpec together = Spec(rows);
    together.filter = table_filter;
    auto whole = Tabulate(data, together);
    ASSERT_TRUE(whole) << whole.error().ToString();
    ASSERT_EQ(whole->items.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      SCOPED_TRACE(i);
      TableSpec alone = Spec({rows[i]});
      alone.filter = table_filter;
      auto one = Tabulate(data, alone);
      ASSERT_TRUE(one) << one.error().ToString();
      const ItemResult& a = whole->items[i];
      const ItemResult& b = one->items[0];
      ASSERT_EQ(a.options.size(), b.options.size());
      for (size_t o = 0; o < a.options.size(); ++o) {
        for (size_t c = 0; c < a.options[o].cells.size(); ++c) {
          EXPECT_EQ(a.options[o].cells[c].count, b.options[o].cells[c].count);
          EXPECT_EQ(a.options[o].cells[c].base, b.options[o].cells[c].base);
          EXPECT_EQ(a.options[o].cells[c].percent, b.options[o].cells[c].percent);
        }
        for (size_t c = 0; c < a.options[o].mention_cells.size(); ++c) {
          EXPECT_EQ(a.options[o].mention_cells[c].count, b.options[o].mention_cells[c].count);
          EXPECT_EQ(a.options[o].mention_cells[c].base, b.options[o].mention_cells[c].base);
        }
      }
      ASSERT_EQ(a.numeric.size(), b.numeric.size());
      for (size_t c = 0; c < a.numeric.size(); ++c) {
        EXPECT_EQ(a.numeric[c].n, b.numeric[c].n);
        EXPECT_EQ(a.numeric[c].mean, b.numeric[c].mean);
        EXPECT_EQ(a.numeric[c].median, b.numeric[c].median);
      }
      ASSERT_EQ(a.nonresponse.size(), b.nonresponse.size());
      for (size_t c = 0; c < a.nonresponse.size(); ++c) {
        EXPECT_EQ(a.nonresponse[c].total, b.nonresponse[c].total);
        EXPECT_EQ(a.nonresponse[c].answered, b.nonresponse[c].answered);
        EXPECT_EQ(a.nonresponse[c].refused, b.nonresponse[c].refused);
        EXPECT_EQ(a.nonresponse[c].dont_know, b.nonresponse[c].dont_know);
      }
      EXPECT_EQ(a.mentions_total, b.mentions_total);
    }
    // The table's filter took effect (VN's 7 "no" are out; its refusal stays).
    if (*table_filter) {
      EXPECT_EQ(whole->items[0].nonresponse[1].total, 6u);
    }
  }
}

TEST(TabulateTest, SmallCellsAreFlaggedAndSuppressedWithComplements) {
  Dataset data = StudyLike();
  TableSpec spec = Spec({Row("training")});
  spec.suppress = true;
  auto result = Tabulate(data, spec);
  ASSERT_TRUE(result);
  const ItemResult& item = result->items[0];
  // KH "no" = 0 (not small), VN "yes" = 5, nothing below 3 in this item...
  EXPECT_FALSE(item.options[0].cells[1].small_count);
  // ...so nothing is hidden.
  for (const OptionRow& option : item.options) {
    for (const Cell& cell : option.cells) EXPECT_FALSE(cell.suppressed);
  }
  spec.min_count = 6;  // now VN yes (5) is small
  result = Tabulate(data, spec);
  ASSERT_TRUE(result);
  const ItemResult& strict = result->items[0];
  EXPECT_TRUE(strict.options[0].cells[1].small_count);
  EXPECT_TRUE(strict.options[0].cells[1].suppressed);
  // Complement in the row (Total shown): the smaller other group cell, KH yes (14).
  EXPECT_TRUE(strict.options[0].cells[0].suppressed);
  // Complement in the VN column (yes + no = base): VN no.
  EXPECT_TRUE(strict.options[1].cells[1].suppressed);
  // Tests that would reveal a hidden count are withheld.
  EXPECT_FALSE(strict.options[0].tests[0].p);
  EXPECT_FALSE(strict.options[0].tests[0].p_holm);
  EXPECT_EQ(strict.options[0].tests[0].note, "withheld: the test would reveal a suppressed cell");
  ASSERT_TRUE(strict.item_test);
  EXPECT_FALSE(strict.item_test->p);
}

TEST(TabulateTest, ErrorsNameTheSpecLine) {
  Dataset data = StudyLike();
  RowSpec row = Row("trainingg");
  row.line = 7;
  TableSpec spec = Spec({row});
  spec.file = "tables.toml";
  auto result = Tabulate(data, spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().ToString(), "tables.toml:7: T002: unknown item 'trainingg'");
  RowSpec bad = Row("big");
  bad.derived = "${staf} > 1";
  bad.line = 9;
  spec.rows = {bad};
  result = Tabulate(data, spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where.row, 9);
  EXPECT_EQ(result.error().where.expr_offset, 0);
}

TEST(TableSpecTest, ParsesTablesAndRows) {
  auto specs = ParseTableSpecs(R"(
[[table]]
id = "t2"
title = "Funding"
by = "country"
total = true
percent_decimals = 1
min_count = 2

[[table.row]]
item = "funding"
mentions = true

[[table.row]]
item = "staff"
statistics = ["n", "mean"]
denominator = "all"
)",
                               "spec.toml");
  ASSERT_TRUE(specs) << specs.error().ToString();
  ASSERT_EQ(specs->size(), 1u);
  const TableSpec& spec = (*specs)[0];
  EXPECT_EQ(spec.by, (std::vector<std::string>{"country"}));
  EXPECT_EQ(spec.min_count, 2);
  ASSERT_EQ(spec.rows.size(), 2u);
  EXPECT_TRUE(spec.rows[0].mentions);
  EXPECT_EQ(spec.rows[1].denominator, DenominatorRule::kAll);
  EXPECT_EQ(spec.rows[1].line, 14);  // the [[table.row]] header line
}

TEST(TableSpecTest, UnknownKeysAndBadValuesAreErrorsWithLines) {
  auto typo = ParseTableSpecs("[[table]]\nid = \"a\"\n[[table.row]]\nitme = \"x\"\n", "s.toml");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code, "TS002");
  EXPECT_EQ(typo.error().where.row, 4);
  auto syntax = ParseTableSpecs("[[table]\n", "s.toml");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "TS001");
  EXPECT_EQ(syntax.error().where.row, 1);
  auto range = ParseTableSpecs(
      "[[table]]\nid = \"a\"\npercent_decimals = 12\n[[table.row]]\nitem = \"x\"\n", "s.toml");
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().code, "TS003");
  EXPECT_EQ(range.error().where.row, 3);
  auto denominator = ParseTableSpecs(
      "[[table]]\nid = \"a\"\n[[table.row]]\nitem = \"x\"\ndenominator = \"eligible\"\n", "s.toml");
  ASSERT_FALSE(denominator);
  EXPECT_EQ(denominator.error().message,
            "denominator = \"eligible\" needs an 'eligible' expression");
}

TEST(TableSpecTest, ThemeItemKeys) {
  auto spec = ParseTableSpecs(
      "[[table]]\nid = \"a\"\n[[table.row]]\nitem = \"themes(q)\"\ncoder = \"lan\"\n"
      "quotes = 3\nquote_seed = 9\n",
      "s.toml");
  ASSERT_TRUE(spec) << spec.error().ToString();
  EXPECT_EQ((*spec)[0].rows[0].coder, "lan");
  EXPECT_EQ((*spec)[0].rows[0].quotes, 3);
  EXPECT_EQ((*spec)[0].rows[0].quote_seed, 9u);
  struct Bad {
    std::string row, code;
    int line;
  };
  for (const Bad& bad : {Bad{"item = \"q\"\nquotes = 2\n", "TS002", 5},
                         Bad{"item = \"q\"\ncoder = \"lan\"\n", "TS002", 5},
                         Bad{"item = \"themes(q)\"\nquotes = 21\n", "TS003", 5},
                         Bad{"item = \"themes(q)\"\nquotes = \"2\"\n", "TS002", 5},
                         Bad{"item = \"themes(q)\"\nquote_seed = -1\n", "TS003", 5}}) {
    auto refused = ParseTableSpecs("[[table]]\nid = \"a\"\n[[table.row]]\n" + bad.row, "s.toml");
    ASSERT_FALSE(refused) << bad.row;
    EXPECT_EQ(refused.error().code, bad.code) << bad.row;
    EXPECT_EQ(refused.error().where.row, bad.line) << bad.row;
  }
}

// Records what Tabulate reports, as the CLI's terminal bar would receive it.
class RecordingProgress final : public Progress {
 public:
  void Start(std::string_view what, uint64_t total) override {
    phases.emplace_back(std::string(what), total);
    last = 0;
  }
  void Update(uint64_t done) override {
    EXPECT_GE(done, last) << "progress went backwards";
    last = done;
    ++updates;
  }
  void Finish() override { ++finishes; }
  std::vector<std::pair<std::string, uint64_t>> phases;
  uint64_t last = 0;
  int updates = 0;
  int finishes = 0;
};

TEST(TabulateTest, ReportsProgressPerRowBlock) {
  Dataset data = StudyLike();
  RecordingProgress progress;
  auto result = Tabulate(data, Spec({Row("training"), Row("funding"), Row("staff")}), progress);
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(progress.phases.size(), 1u);
  EXPECT_EQ(progress.phases[0].first, "tabulating t");
  EXPECT_EQ(progress.phases[0].second, 3u);
  EXPECT_EQ(progress.updates, 3);
  EXPECT_EQ(progress.last, 3u);
  EXPECT_EQ(progress.finishes, 1);
}

// `rows` respondents in 5 groups answering a 4-option item, deterministically.
Dataset FiveGroups(int rows) {
  std::vector<Answer> groups;
  std::vector<Answer> answers;
  const std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  const std::vector<std::string> options = {"o1", "o2", "o3", "o4"};
  for (int r = 0; r < rows; ++r) {
    groups.push_back(Answer::Answered(names[r % 5]));
    answers.push_back(Answer::Answered(options[(r * 7 + r / 5) % 4]));
  }
  Dataset data;
  EXPECT_TRUE(data.AddColumn(Build("grp", ColumnKind::kSingle, names, groups)));
  EXPECT_TRUE(data.AddColumn(Build("q", ColumnKind::kSingle, options, answers)));
  return data;
}

TEST(TabulateTest, ItemTestCarriesItsMethod) {
  // Study-sized: the r x c test is exact.
  Dataset data = StudyLike();
  auto result = Tabulate(data, Spec({Row("training")}));
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_TRUE(result->items[0].item_test && result->items[0].item_test->p);
  EXPECT_EQ(result->items[0].item_test->method, FisherMethod::kExact);
  EXPECT_EQ(result->items[0].item_test->replicates, 0);

  // 4 options x 5 groups of 600: beyond the exact budget, simulated.
  TableSpec spec = Spec({Row("q")});
  spec.by = {"grp"};
  auto simulated = Tabulate(FiveGroups(3000), spec);
  ASSERT_TRUE(simulated) << simulated.error().ToString();
  const GroupTest& mc = *simulated->items[0].item_test;
  ASSERT_TRUE(mc.p);
  EXPECT_EQ(mc.method, FisherMethod::kMonteCarlo);
  EXPECT_EQ(mc.replicates, 10'000);
  EXPECT_GE(*mc.p, 1.0 / 10'001);
  EXPECT_EQ(mc.groups.size(), 5u);
  // The 2x2 pair tests stay exact whatever N is.
  EXPECT_EQ(simulated->items[0].options[0].tests.size(), 10u);
  EXPECT_EQ(simulated->items[0].options[0].tests[0].method, FisherMethod::kExact);

  // 5 groups of 12,000: asymptotic.
  auto asymptotic = Tabulate(FiveGroups(60'000), spec);
  ASSERT_TRUE(asymptotic) << asymptotic.error().ToString();
  EXPECT_EQ(asymptotic->items[0].item_test->method, FisherMethod::kAsymptotic);
  EXPECT_TRUE(asymptotic->items[0].item_test->p);
}

}  // namespace
}  // namespace ngosurvey::analysis
