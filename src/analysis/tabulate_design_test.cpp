// Weighted tables end to end: every design-based figure Tabulate() puts in a table (the
// cells of a select_one, a select_multiple and a numeric item in every group column and the
// Total, the pairwise and item Rao-Scott tests) against R's survey package on the subset
// design of that cell's domain.
#include "analysis/tabulate_design.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "analysis/table.h"
#include "analysis/testing/run_r.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;
using ::ngosurvey::analysis::testing::RScratch;
using ::ngosurvey::analysis::testing::RunR;

Column Build(std::string name, ColumnKind kind, std::vector<std::string> options,
             const std::vector<Answer>& answers) {
  ColumnBuilder builder(std::move(name), kind, std::move(options));
  for (const Answer& a : answers) EXPECT_TRUE(builder.Append(a));
  return std::move(builder).Finish();
}

// A generated stratified cluster sample of 300 rows: a group (three values, some rows
// without one), a select_one with refusals, a select_multiple, a number with don't-knows.
struct Generated {
  Dataset data;
  std::string csv;  // the same data for R (NA for no answer)
};

Generated Generate(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Answer> group, item, multi, number, weight, stratum, cluster;
  std::string csv = "grp,item,own,un,other,multi_answered,x,w,st,cl\n";
  int cluster_id = 0;
  for (int h = 0; h < 6; ++h) {
    int clusters = h == 5 ? 1 : 3 + static_cast<int>(rng() % 3);  // stratum 5: one PSU
    for (int c = 0; c < clusters; ++c) {
      ++cluster_id;
      int size = 5 + static_cast<int>(rng() % 12);
      for (int i = 0; i < size; ++i) {
        std::string g = unit(rng) < 0.05 ? "" : std::string(1, "abc"[rng() % 3]);
        group.push_back(g.empty() ? Answer::Missing() : Answer::Answered(g));
        double u = unit(rng);
        std::string it = u < 0.08 ? "" : (u < 0.3 + 0.05 * h ? "yes" : (u < 0.8 ? "no" : "maybe"));
        item.push_back(it.empty() ? Answer::Refused() : Answer::Answered(it));
        bool own = unit(rng) < 0.5, un = unit(rng) < 0.2 + 0.1 * (c % 2), other = unit(rng) < 0.1;
        bool multi_answered = unit(rng) > 0.05;
        std::string chosen;
        if (own) chosen += "own ";
        if (un) chosen += "un ";
        if (other) chosen += "other";
        while (!chosen.empty() && chosen.back() == ' ') chosen.pop_back();
        multi.push_back(multi_answered ? Answer::Answered(chosen) : Answer::DontKnow());
        bool x_known = unit(rng) > 0.07;
        double x = std::round(10 * (h + 3 * unit(rng) + (c % 3))) / 10;
        number.push_back(x_known ? Answer::Answered(fmt::format("{}", x)) : Answer::DontKnow());
        double w = std::round(100 * (1 + 9 * unit(rng))) / 100;
        weight.push_back(Answer::Answered(fmt::format("{}", w)));
        stratum.push_back(Answer::Answered("s" + std::to_string(h)));
        cluster.push_back(Answer::Answered(std::to_string(cluster_id)));
        csv += fmt::format("{},{},{},{},{},{},{},{},s{},{}\n", g.empty() ? "NA" : g,
                           it.empty() ? "NA" : it, multi_answered ? (own ? 1 : 0) : 0,
                           multi_answered ? (un ? 1 : 0) : 0, multi_answered ? (other ? 1 : 0) : 0,
                           multi_answered ? 1 : 0, x_known ? fmt::format("{}", x) : "NA", w, h,
                           cluster_id);
      }
    }
  }
  Generated out;
  out.csv = csv;
  EXPECT_TRUE(out.data.AddColumn(Build("grp", ColumnKind::kSingle, {"a", "b", "c"}, group)));
  EXPECT_TRUE(out.data.AddColumn(Build("item", ColumnKind::kSingle, {"yes", "no", "maybe"}, item)));
  EXPECT_TRUE(
      out.data.AddColumn(Build("multi", ColumnKind::kMulti, {"own", "un", "other"}, multi)));
  EXPECT_TRUE(out.data.AddColumn(Build("x", ColumnKind::kNumber, {}, number)));
  EXPECT_TRUE(out.data.AddColumn(Build("w", ColumnKind::kNumber, {}, weight)));
  std::vector<std::string> strata_names;
  for (int h = 0; h < 6; ++h) strata_names.push_back("s" + std::to_string(h));
  EXPECT_TRUE(out.data.AddColumn(Build("st", ColumnKind::kSingle, strata_names, stratum)));
  EXPECT_TRUE(out.data.AddColumn(Build("cl", ColumnKind::kNumber, {}, cluster)));
  return out;
}

TableSpec WeightedSpec() {
  TableSpec spec;
  spec.id = "w";
  spec.by = {"grp"};
  spec.total = true;
  spec.design.weight = "w";
  spec.design.strata = "st";
  spec.design.cluster = "cl";
  for (const char* name : {"item", "multi", "x"}) {
    RowSpec row;
    row.item = name;
    spec.rows.push_back(row);
  }
  return spec;
}

// R prints, per domain and variable, "cell ITEM OPTION COLUMN prop se deff lo hi nw" and
// "test ITEM OPTION a-b p", "itemtest ITEM p", "num COLUMN mean se sd median nw".
constexpr const char* kReference = R"R(
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust")
d <- read.csv("%DATA%", na.strings = "NA")
des <- svydesign(ids = ~cl, strata = ~st, weights = ~w, data = d, nest = TRUE)
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
cols <- list(a = !is.na(d$grp) & d$grp == "a", b = !is.na(d$grp) & d$grp == "b",
             c = !is.na(d$grp) & d$grp == "c", total = rep(TRUE, nrow(d)))
cell <- function(item, option, col, y, sub) {
  m <- svymean(y, sub, deff = TRUE)
  ci <- attr(svyciprop(y, sub, method = "logit"), "ci")
  cat("cell", item, option, col, fmt(c(coef(m), SE(m), deff(m), ci, sum(weights(sub)))), "\n")
}
for (col in names(cols)) {
  sub <- des[cols[[col]] & !is.na(d$item), ]
  for (o in c("yes", "no", "maybe")) {
    sub$variables$y <- as.numeric(sub$variables$item == o)
    cell("item", o, col, ~y, sub)
  }
  sub <- des[cols[[col]] & d$multi_answered == 1, ]
  for (o in c("own", "un", "other")) {
    sub$variables$y <- sub$variables[[o]]
    cell("multi", o, col, ~y, sub)
  }
  sub <- des[cols[[col]] & !is.na(d$x), ]
  m <- svymean(~x, sub)
  v <- svyvar(~x, sub)
  q <- coef(svyquantile(~x, sub, 0.5))
  cat("num", col, fmt(c(coef(m), SE(m), sqrt(coef(v)), q, sum(weights(sub)))), "\n")
}
pairs <- list(c("a", "b"), c("a", "c"), c("b", "c"))
for (pr in pairs) {
  sub <- des[!is.na(d$grp) & d$grp %in% pr & !is.na(d$item), ]
  for (o in c("yes", "no", "maybe")) {
    sub$variables$y <- factor(sub$variables$item == o)
    cat("test item", o, paste(pr, collapse = "-"), fmt(svychisq(~y + grp, sub)$p.value), "\n")
  }
  sub <- des[!is.na(d$grp) & d$grp %in% pr & d$multi_answered == 1, ]
  for (o in c("own", "un", "other")) {
    sub$variables$y <- factor(sub$variables[[o]])
    cat("test multi", o, paste(pr, collapse = "-"), fmt(svychisq(~y + grp, sub)$p.value), "\n")
  }
}
sub <- des[!is.na(d$grp) & !is.na(d$item), ]
cat("itemtest item", fmt(svychisq(~item + grp, sub)$p.value), "\n")
)R";

void ExpectNear(double ours, const std::string& r, const std::string& what) {
  ASSERT_NE(r, "NA") << what;
  double expected = std::strtod(r.c_str(), nullptr);
  EXPECT_NEAR(ours, expected, 1e-9 * std::max(std::abs(expected), 1e-4)) << what;
}

TEST(TabulateDesignTest, EveryFigureOfAWeightedTableAgreesWithRSurvey) {
  if (std::system("Rscript -e 'library(survey)' > /dev/null 2>&1") != 0) {
    FAIL() << "R's survey package is needed (tools/install-deps installs r-cran-survey)";
  }
  Generated g = Generate(2026);
  auto result = Tabulate(g.data, WeightedSpec());
  ASSERT_TRUE(result) << result.error().ToString();
  RScratch scratch;
  std::string path = (scratch.dir() / "data.csv").string();
  std::ofstream(path) << g.csv;
  std::string script = kReference;
  script.replace(script.find("%DATA%"), 6, path);
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 4u * 6 + 4 + 3 * 6 + 1);

  std::map<std::string, int> column_index;
  for (size_t c = 0; c < result->columns.size(); ++c) column_index[result->columns[c].key] = c;
  auto item_of = [&](const std::string& name) -> const ItemResult& {
    for (const ItemResult& item : result->items) {
      if (item.item == name) return item;
    }
    ADD_FAILURE() << "no item " << name;
    return result->items[0];
  };
  auto option_of = [&](const ItemResult& item, const std::string& name) -> const OptionRow& {
    for (const OptionRow& option : item.options) {
      if (option.option == name) return option;
    }
    ADD_FAILURE() << "no option " << name;
    return item.options[0];
  };
  int checked = 0;
  for (const auto& line : lines) {
    const std::string where = [&] {
      std::string s;
      for (const auto& f : line) s += f + " ";
      return s;
    }();
    if (line[0] == "cell") {
      ASSERT_EQ(line.size(), 10u);
      const Cell& cell = option_of(item_of(line[1]), line[2]).cells[column_index.at(line[3])];
      ASSERT_TRUE(cell.design && cell.prop) << where;
      ExpectNear(*cell.prop, line[4], where + "prop");
      ExpectNear(cell.design->se, line[5], where + "se");
      ASSERT_TRUE(cell.design->deff) << where;
      ExpectNear(*cell.design->deff, line[6], where + "deff");
      ASSERT_TRUE(cell.design->interval) << where;
      // svyciprop's logit interval stops at glm's epsilon: 1e-7 (see survey_design_test).
      EXPECT_NEAR(cell.design->interval->lower, std::strtod(line[7].c_str(), nullptr), 1e-7)
          << where;
      EXPECT_NEAR(cell.design->interval->upper, std::strtod(line[8].c_str(), nullptr), 1e-7)
          << where;
      ExpectNear(cell.design->n_weighted, line[9], where + "n_weighted");
      EXPECT_FALSE(cell.wilson) << where;
      ++checked;
    } else if (line[0] == "num") {
      ASSERT_EQ(line.size(), 7u);
      const NumericCell& cell = item_of("x").numeric[column_index.at(line[1])];
      ASSERT_TRUE(cell.mean && cell.mean_se && cell.sd && cell.median && cell.n_weighted) << where;
      ExpectNear(*cell.mean, line[2], where + "mean");
      ExpectNear(*cell.mean_se, line[3], where + "se");
      ExpectNear(*cell.sd, line[4], where + "sd");
      ExpectNear(*cell.median, line[5], where + "median");
      ExpectNear(*cell.n_weighted, line[6], where + "n_weighted");
      ++checked;
    } else if (line[0] == "test") {
      ASSERT_EQ(line.size(), 5u);
      const OptionRow& option = option_of(item_of(line[1]), line[2]);
      bool found = false;
      for (const GroupTest& test : option.tests) {
        if (test.groups.size() == 2 && test.groups[0] + "-" + test.groups[1] == line[3]) {
          found = true;
          EXPECT_TRUE(test.rao_scott);
          ASSERT_TRUE(test.p) << where << test.note;
          ExpectNear(*test.p, line[4], where + "p");
        }
      }
      EXPECT_TRUE(found) << where;
      ++checked;
    } else if (line[0] == "itemtest") {
      const ItemResult& item = item_of(line[1]);
      ASSERT_TRUE(item.item_test && item.item_test->p) << where;
      EXPECT_TRUE(item.item_test->rao_scott);
      ExpectNear(*item.item_test->p, line[2], where + "p");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 47);
}

// An item with more options than the per-PSU totals keep for every option (64): the shown
// options' weighted cells are the same as those of the same answers under a short list, and
// the item test, which needs every option's totals, says why it is not computed.
TEST(TabulateDesignTest, AnItemWithManyOptionsKeepsItsShownCells) {
  Generated g = Generate(11);
  std::vector<std::string> many;
  for (int o = 0; o < 70; ++o) many.push_back(fmt::format("o{:02}", o));
  const std::map<std::string, std::string> renamed = {
      {"yes", "o05"}, {"no", "o40"}, {"maybe", "o66"}};
  const std::vector<std::string> few = {"o05", "o40", "o66"};
  const Column& item = g.data.column(g.data.Find("item"));
  std::vector<Answer> answers;
  for (size_t r = 0; r < g.data.rows(); ++r) {
    uint32_t code = item.SingleCode(r);
    answers.push_back(code < item.options.size() ? Answer::Answered(renamed.at(item.options[code]))
                                                 : Answer::Refused());
  }
  Dataset wide = g.data, narrow = g.data;
  ASSERT_TRUE(wide.AddColumn(Build("district", ColumnKind::kSingle, many, answers)));
  ASSERT_TRUE(narrow.AddColumn(Build("district", ColumnKind::kSingle, few, answers)));
  TableSpec spec = WeightedSpec();
  spec.rows.clear();
  RowSpec row;
  row.item = "district";
  row.options = few;
  spec.rows.push_back(row);
  auto from_wide = Tabulate(wide, spec);
  auto from_narrow = Tabulate(narrow, spec);
  ASSERT_TRUE(from_wide) << from_wide.error().ToString();
  ASSERT_TRUE(from_narrow) << from_narrow.error().ToString();
  const ItemResult& w = from_wide->items.at(0);
  const ItemResult& n = from_narrow->items.at(0);
  ASSERT_EQ(w.options.size(), 3u);
  ASSERT_EQ(n.options.size(), 3u);
  int checked = 0;
  for (size_t o = 0; o < 3; ++o) {
    EXPECT_EQ(w.options[o].option, few[o]);
    ASSERT_EQ(w.options[o].cells.size(), n.options[o].cells.size());
    for (size_t c = 0; c < w.options[o].cells.size(); ++c) {
      const Cell &a = w.options[o].cells[c], &b = n.options[o].cells[c];
      ASSERT_TRUE(a.design && b.design && a.prop && b.prop) << few[o] << " column " << c;
      EXPECT_DOUBLE_EQ(*a.prop, *b.prop);
      EXPECT_DOUBLE_EQ(a.design->se, b.design->se);
      EXPECT_DOUBLE_EQ(a.design->n_weighted, b.design->n_weighted);
      EXPECT_EQ(a.count, b.count);
      EXPECT_EQ(a.base, b.base);
      ++checked;
    }
    // The pairwise tests of one option need only that option's totals.
    ASSERT_EQ(w.options[o].tests.size(), n.options[o].tests.size());
    for (size_t t = 0; t < w.options[o].tests.size(); ++t) {
      ASSERT_TRUE(w.options[o].tests[t].p && n.options[o].tests[t].p);
      EXPECT_DOUBLE_EQ(*w.options[o].tests[t].p, *n.options[o].tests[t].p);
    }
  }
  EXPECT_EQ(checked, 12);  // three options in groups a, b, c and the Total
  ASSERT_TRUE(n.item_test && n.item_test->p);
  ASSERT_TRUE(w.item_test);
  EXPECT_FALSE(w.item_test->p);
  EXPECT_EQ(w.item_test->note_word, words::Word::kNoteTooManyOptions);
  EXPECT_EQ(w.item_test->note_arg, "64");
}

// The select_ones of a table are summed together in one pass over the rows
// (SumOptionsTogether); a row with a filter of its own is summed alone. A filter that keeps
// every row (every weight is positive) must give the same figures to the last bit, for
// both denominators (the answered rows have a base of their own: the item has refusals).
TEST(TabulateDesignTest, ItemsSummedTogetherEqualItemsSummedAlone) {
  Generated g = Generate(5);
  TableSpec spec = WeightedSpec();
  spec.rows.clear();
  for (DenominatorRule rule : {DenominatorRule::kAnswered, DenominatorRule::kAll}) {
    for (const char* filter : {"", "${w} > 0"}) {
      RowSpec row;
      row.item = "item";
      row.denominator = rule;
      row.filter = filter;
      spec.rows.push_back(row);
    }
  }
  auto table = Tabulate(g.data, spec);
  ASSERT_TRUE(table) << table.error().ToString();
  ASSERT_EQ(table->items.size(), 4u);
  int compared = 0;
  for (size_t i = 0; i < 4; i += 2) {
    const ItemResult& together = table->items[i];
    const ItemResult& alone = table->items[i + 1];
    ASSERT_EQ(together.options.size(), 3u);
    ASSERT_EQ(alone.options.size(), 3u);
    for (size_t o = 0; o < 3; ++o) {
      ASSERT_EQ(together.options[o].cells.size(), alone.options[o].cells.size());
      for (size_t c = 0; c < together.options[o].cells.size(); ++c) {
        const Cell &a = together.options[o].cells[c], &b = alone.options[o].cells[c];
        ASSERT_TRUE(a.design && b.design && a.prop && b.prop);
        EXPECT_EQ(*a.prop, *b.prop);
        EXPECT_EQ(a.design->se, b.design->se);
        EXPECT_EQ(a.design->deff, b.design->deff);
        EXPECT_EQ(a.design->n_weighted, b.design->n_weighted);
        ASSERT_TRUE(a.design->interval && b.design->interval);
        EXPECT_EQ(a.design->interval->lower, b.design->interval->lower);
        EXPECT_EQ(a.design->interval->upper, b.design->interval->upper);
        ++compared;
      }
      ASSERT_EQ(together.options[o].tests.size(), alone.options[o].tests.size());
      for (size_t t = 0; t < together.options[o].tests.size(); ++t) {
        EXPECT_EQ(together.options[o].tests[t].p, alone.options[o].tests[t].p);
      }
    }
    ASSERT_TRUE(together.item_test && alone.item_test && together.item_test->p);
    EXPECT_EQ(together.item_test->p, alone.item_test->p);
  }
  EXPECT_EQ(compared, 2 * 3 * 4);
  // The two denominators differ (the refusals are in one base only).
  EXPECT_NE(table->items[0].options[0].cells[3].design->n_weighted,
            table->items[2].options[0].cells[3].design->n_weighted);
}

// Items shared out between threads: every sum the same as on one thread.
TEST(TabulateDesignTest, SumsTogetherDoNotDependOnTheThreads) {
  Generated g = Generate(9);
  // A second select_one without refusals (its answered base is the shared one).
  const Column& item = g.data.column(g.data.Find("item"));
  std::vector<Answer> answers;
  for (size_t r = 0; r < g.data.rows(); ++r) {
    answers.push_back(Answer::Answered(item.SingleCode(r) == 0 ? "yes" : "no"));
  }
  ASSERT_TRUE(g.data.AddColumn(Build("answered", ColumnKind::kSingle, {"yes", "no"}, answers)));
  auto design = MakeTableDesign(g.data, WeightedSpec());
  ASSERT_TRUE(design && *design) << design.error().ToString();
  const Column& group = g.data.column(g.data.Find("grp"));
  std::vector<uint8_t> slots;
  for (size_t r = 0; r < g.data.rows(); ++r) {
    uint32_t code = group.SingleCode(r);
    slots.push_back(static_cast<uint8_t>(r % 10 == 0 ? 4 : (code < 3 ? code : 3)));  // 4: out
  }
  const std::vector<int> columns = {g.data.Find("item"), g.data.Find("multi"),
                                    g.data.Find("answered")};
  auto one = SumOptionsTogether(**design, g.data, columns, slots, 3, 1);
  auto three = SumOptionsTogether(**design, g.data, columns, slots, 3, 3);
  ASSERT_EQ(one.size(), 3u);
  ASSERT_EQ(three.size(), 3u);
  EXPECT_FALSE(one[1] || three[1]);  // a select_multiple is summed item by item
  for (size_t i : {0u, 2u}) {
    ASSERT_TRUE(one[i] && three[i]);
    EXPECT_EQ(one[i]->option_weight, three[i]->option_weight);
    EXPECT_EQ(one[i]->option_rows, three[i]->option_rows);
    EXPECT_EQ(one[i]->all_rows->weight, three[i]->all_rows->weight);
    EXPECT_EQ(one[i]->answered->weight, three[i]->answered->weight);
    EXPECT_EQ(one[i]->answered->rows, three[i]->answered->rows);
  }
  EXPECT_NE(one[0]->answered, one[0]->all_rows);  // refusals: a base of its own
  EXPECT_EQ(one[2]->answered, one[2]->all_rows);
  int64_t rows = 0;
  for (int64_t n : one[2]->option_rows) rows += n;
  EXPECT_EQ(rows, static_cast<int64_t>(g.data.rows() - (g.data.rows() + 9) / 10));
}

TEST(TabulateDesignTest, ADesignColumnThatIsNotThereOrNotNumericIsAnError) {
  Generated g = Generate(7);
  TableSpec spec = WeightedSpec();
  spec.design.weight = "nonexistent";
  EXPECT_EQ(Tabulate(g.data, spec).error().code, "T002");
  spec.design.weight = "grp";
  EXPECT_EQ(Tabulate(g.data, spec).error().code, "T005");
  spec.design.weight = "x";  // has don't-knows: a missing weight
  auto missing = Tabulate(g.data, spec);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "SVY001");
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);
}

// A loaded weight column (a view of the loader's memory) is read where it is: the design
// keeps no copy of it, and the table is the one of the same weights in a column the Dataset
// owns (which the design copies). A view with a row without a value is still refused.
TEST(TabulateDesignTest, TheDesignReadsALoadedWeightColumnWhereItIs) {
  Generated g = Generate(5);
  const Column& owned = g.data.column(g.data.Find("w"));
  auto numbers = std::make_shared<std::vector<double>>(owned.numbers.begin(), owned.numbers.end());
  auto states = std::make_shared<std::vector<uint8_t>>(owned.states.begin(), owned.states.end());
  Column loaded;
  loaded.name = "w_loaded";
  loaded.kind = ColumnKind::kNumber;
  loaded.numbers = Buffer<double>::View(numbers->data(), numbers->size(), numbers);
  loaded.states = Buffer<uint8_t>::View(states->data(), states->size(), states);
  ASSERT_TRUE(g.data.AddColumn(std::move(loaded)));
  TableSpec spec = WeightedSpec();
  spec.design.weight = "w_loaded";
  auto design = MakeTableDesign(g.data, spec);
  ASSERT_TRUE(design && *design) << design.error().ToString();
  EXPECT_EQ((*design)->weights().data(), numbers->data());
  auto copied = MakeTableDesign(g.data, WeightedSpec());
  ASSERT_TRUE(copied && *copied);
  EXPECT_NE((*copied)->weights().data(), owned.numbers.data());

  auto from_view = Tabulate(g.data, spec);
  auto from_owned = Tabulate(g.data, WeightedSpec());
  ASSERT_TRUE(from_view && from_owned);
  int checked = 0;
  for (size_t i = 0; i < from_owned->items.size(); ++i) {
    const ItemResult &a = from_view->items.at(i), &b = from_owned->items[i];
    for (size_t o = 0; o < b.options.size(); ++o) {
      for (size_t c = 0; c < b.options[o].cells.size(); ++c) {
        const Cell &x = a.options.at(o).cells.at(c), &y = b.options[o].cells[c];
        ASSERT_TRUE(x.design && y.design && x.prop && y.prop);
        EXPECT_EQ(*x.prop, *y.prop);
        EXPECT_EQ(x.design->se, y.design->se);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 2 * 3 * 4);  // item and multi, three options, four columns

  (*states)[26] = kCodeMissing;
  auto missing = MakeTableDesign(g.data, spec);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "SVY001");
  EXPECT_NE(missing.error().message.find("row 27: the weight is missing"), std::string::npos)
      << missing.error().message;
}

// A weighted table's rows computed on several threads are those of one thread to the last
// bit, with a row that has a filter of its own among them (computed on the calling
// thread); the error is the first in the spec's order.
TEST(TabulateDesignTest, RowsOnThreadsEqualRowsOnOneThread) {
  Generated g = Generate(13);
  TableSpec spec = WeightedSpec();
  RowSpec filtered;
  filtered.item = "item";
  filtered.filter = "${w} > 3";
  spec.rows.insert(spec.rows.begin() + 1, filtered);
  auto one = Tabulate(g.data, spec, NullProgress::Instance(), 1);
  auto three = Tabulate(g.data, spec, NullProgress::Instance(), 3);
  ASSERT_TRUE(one) << one.error().ToString();
  ASSERT_TRUE(three) << three.error().ToString();
  ASSERT_EQ(one->items.size(), 4u);
  ASSERT_EQ(three->items.size(), 4u);
  auto same = [](const auto& a, const auto& b) { return a == b; };
  int cells = 0, tests = 0, numbers = 0;
  for (size_t i = 0; i < 4; ++i) {
    const ItemResult &a = one->items[i], &b = three->items[i];
    EXPECT_EQ(a.item, b.item);
    EXPECT_EQ(a.filter, b.filter);
    ASSERT_EQ(a.options.size(), b.options.size());
    for (size_t o = 0; o < a.options.size(); ++o) {
      ASSERT_EQ(a.options[o].cells.size(), b.options[o].cells.size());
      for (size_t c = 0; c < a.options[o].cells.size(); ++c) {
        const Cell &x = a.options[o].cells[c], &y = b.options[o].cells[c];
        ASSERT_TRUE(x.design && y.design);
        EXPECT_TRUE(same(x.prop, y.prop));
        EXPECT_EQ(x.design->se, y.design->se);
        EXPECT_TRUE(same(x.design->deff, y.design->deff));
        ASSERT_EQ(x.design->interval.has_value(), y.design->interval.has_value());
        if (x.design->interval) {
          EXPECT_EQ(x.design->interval->lower, y.design->interval->lower);
          EXPECT_EQ(x.design->interval->upper, y.design->interval->upper);
        }
        ++cells;
      }
      ASSERT_EQ(a.options[o].tests.size(), b.options[o].tests.size());
      for (size_t t = 0; t < a.options[o].tests.size(); ++t) {
        EXPECT_TRUE(same(a.options[o].tests[t].p, b.options[o].tests[t].p));
        EXPECT_TRUE(same(a.options[o].tests[t].p_holm, b.options[o].tests[t].p_holm));
        ++tests;
      }
    }
    ASSERT_EQ(a.item_test.has_value(), b.item_test.has_value());
    if (a.item_test) {
      EXPECT_TRUE(same(a.item_test->p, b.item_test->p));
    }
    ASSERT_EQ(a.numeric.size(), b.numeric.size());
    for (size_t c = 0; c < a.numeric.size(); ++c) {
      EXPECT_TRUE(same(a.numeric[c].mean, b.numeric[c].mean));
      EXPECT_TRUE(same(a.numeric[c].mean_se, b.numeric[c].mean_se));
      ++numbers;
    }
  }
  EXPECT_EQ(cells, 3 * 3 * 4);  // item, filtered item, multi: three options, four columns
  EXPECT_EQ(tests, 3 * 3 * 3);  // three pairs of groups
  EXPECT_EQ(numbers, 4);
  EXPECT_NE(one->items[0].options[0].cells[3].base, one->items[1].options[0].cells[3].base);

  spec.rows[2].item = "not_a";
  spec.rows[3].item = "not_b";
  auto error = Tabulate(g.data, spec, NullProgress::Instance(), 3);
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("not_a"), std::string::npos) << error.error().message;
}

TEST(TabulateDesignTest, WeightedMedianIsTheFirstValueReachingHalfTheWeight) {
  EXPECT_EQ(WeightedMedian({{1, 1}, {2, 1}, {3, 1}}), 2.0);
  EXPECT_EQ(WeightedMedian({{1, 1}, {2, 1}}), 1.0);  // the cumulative share reaches 1/2 at 1
  EXPECT_EQ(WeightedMedian({{5, 10}, {1, 1}, {2, 1}}), 5.0);
  EXPECT_EQ(WeightedMedian({{2, 1}, {2, 1}, {1, 1}}), 2.0);  // ties are one value
  EXPECT_FALSE(WeightedMedian({}));
}

}  // namespace
}  // namespace ngosurvey::analysis
