#include "analysis/stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>

#include "analysis/testing/run_r.h"
#include "base/testing/source_dir.h"

namespace ngosurvey::analysis {
namespace {

// ---- Helpers ------------------------------------------------------------------------

Interval MustInterval(IntervalMethod method, int64_t k, int64_t n, double level = 0.95) {
  auto ci = BinomialInterval(method, k, n, level);
  EXPECT_TRUE(ci) << (ci ? "" : ci.error().ToString());
  if (!ci || !*ci) {
    ADD_FAILURE() << "no interval for " << k << "/" << n;
    return {};
  }
  return **ci;
}

double MustFisher(const std::vector<std::vector<int64_t>>& table, FisherOptions options = {}) {
  auto result = FisherExact(table, options);
  EXPECT_TRUE(result) << (result ? "" : result.error().ToString());
  return result ? result->p_value : -1.0;
}

// Equal to 1e-9 relative to the larger magnitude: all values compared here lie in
// [0, 1], so this is at least as strict as an absolute 1e-9, and stays meaningful
// for tiny p-values.
bool Near(double actual, double expected, double tolerance = 1e-9) {
  double scale = std::max(std::fabs(actual), std::fabs(expected));
  return std::fabs(actual - expected) <= tolerance * scale;
}

constexpr IntervalMethod kAllMethods[] = {IntervalMethod::kWilson, IntervalMethod::kClopperPearson,
                                          IntervalMethod::kJeffreys, IntervalMethod::kAgrestiCoull};

// ---- Binomial intervals: edge cases and properties -----------------------------------

TEST(BinomialIntervalTest, NobodyInTheGroupHasNoInterval) {
  for (IntervalMethod method : kAllMethods) {
    auto ci = BinomialInterval(method, 0, 0);
    ASSERT_TRUE(ci) << ci.error().ToString();
    EXPECT_FALSE(ci->has_value()) << IntervalMethodName(method);
  }
}

TEST(BinomialIntervalTest, ZeroAndAllAreExactlyZeroAndOne) {
  for (IntervalMethod method : kAllMethods) {
    for (int64_t n : {1, 13, 14, 25}) {
      Interval none = MustInterval(method, 0, n);
      EXPECT_EQ(none.lower, 0.0) << IntervalMethodName(method) << " n=" << n;
      EXPECT_GT(none.upper, 0.0);
      EXPECT_LT(none.upper, 1.0);
      Interval all = MustInterval(method, n, n);
      EXPECT_EQ(all.upper, 1.0) << IntervalMethodName(method) << " n=" << n;
      EXPECT_GT(all.lower, 0.0);
      // Symmetry: k of n mirrors n-k of n.
      EXPECT_NEAR(none.upper, 1.0 - all.lower, 1e-12) << IntervalMethodName(method);
    }
  }
}

TEST(BinomialIntervalTest, ClopperPearsonAtZeroIsTheRuleOfThreeExactly) {
  // Upper bound at k = 0 solves (1-p)^n = alpha/2.
  for (int64_t n : {1, 13, 14, 25}) {
    Interval ci = MustInterval(IntervalMethod::kClopperPearson, 0, n);
    EXPECT_NEAR(ci.upper, 1.0 - std::pow(0.025, 1.0 / static_cast<double>(n)), 1e-14);
  }
}

TEST(BinomialIntervalTest, OneRespondentGroup) {
  // A group of one: the interval is wide but defined, and mirrors between k=0 and 1.
  for (IntervalMethod method : kAllMethods) {
    Interval yes = MustInterval(method, 1, 1);
    Interval no = MustInterval(method, 0, 1);
    EXPECT_EQ(yes.upper, 1.0);
    EXPECT_EQ(no.lower, 0.0);
    EXPECT_NEAR(yes.lower, 1.0 - no.upper, 1e-12) << IntervalMethodName(method);
    EXPECT_LT(yes.lower, 0.5) << IntervalMethodName(method);
  }
  // Clopper-Pearson for 1 of 1: lower = (alpha/2)^(1/1).
  EXPECT_NEAR(MustInterval(IntervalMethod::kClopperPearson, 1, 1).lower, 0.025, 1e-15);
}

TEST(BinomialIntervalTest, KnownValueFromR) {
  // binom.test(1, 14)$conf.int, printed by R 4.2 with 17 digits.
  Interval ci = MustInterval(IntervalMethod::kClopperPearson, 1, 14);
  EXPECT_TRUE(Near(ci.lower, 0.0018067806591253891));
  EXPECT_TRUE(Near(ci.upper, 0.3386844899318212088));
}

TEST(BinomialIntervalTest, WilsonIsTheScoreIntervalAndNotWald) {
  // The Wilson bounds are the roots of (p - phat)^2 = z^2 p (1 - p) / n.
  const double z = 1.959963984540054;
  for (int64_t k : {1, 5, 12}) {
    Interval ci = MustInterval(IntervalMethod::kWilson, k, 13);
    double phat = static_cast<double>(k) / 13.0;
    for (double p : {ci.lower, ci.upper}) {
      EXPECT_NEAR((p - phat) * (p - phat), z * z * p * (1 - p) / 13.0, 1e-12);
    }
  }
}

TEST(BinomialIntervalTest, OrderedAndNarrowerAtLowerLevels) {
  for (IntervalMethod method : kAllMethods) {
    for (int64_t k = 0; k <= 14; ++k) {
      Interval wide = MustInterval(method, k, 14, 0.99);
      Interval mid = MustInterval(method, k, 14, 0.95);
      Interval narrow = MustInterval(method, k, 14, 0.80);
      EXPECT_LE(0.0, wide.lower);
      EXPECT_LE(wide.lower, mid.lower);
      EXPECT_LE(mid.lower, narrow.lower);
      EXPECT_LE(narrow.lower, narrow.upper);
      EXPECT_LE(narrow.upper, mid.upper);
      EXPECT_LE(mid.upper, wide.upper);
      EXPECT_LE(wide.upper, 1.0);
    }
  }
}

TEST(BinomialIntervalTest, InvalidInputsAreErrorsNotNaN) {
  for (IntervalMethod method : kAllMethods) {
    auto too_many = BinomialInterval(method, 5, 4);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, "STA001");
    EXPECT_EQ(BinomialInterval(method, -1, 4).error().code, "STA001");
    EXPECT_EQ(BinomialInterval(method, 0, -1).error().code, "STA001");
    EXPECT_EQ(BinomialInterval(method, 1, 4, 1.0).error().code, "STA002");
    EXPECT_EQ(BinomialInterval(method, 1, 4, 0.0).error().code, "STA002");
    EXPECT_EQ(BinomialInterval(method, 1, 4, std::nan("")).error().code, "STA002");
    // An invalid level is reported even when n = 0.
    EXPECT_EQ(BinomialInterval(method, 0, 0, 95.0).error().code, "STA002");
  }
}

TEST(BinomialIntervalTest, MethodNames) {
  EXPECT_EQ(IntervalMethodName(IntervalMethod::kWilson), "wilson");
  EXPECT_EQ(IntervalMethodName(IntervalMethod::kClopperPearson), "clopper-pearson");
  EXPECT_EQ(IntervalMethodName(IntervalMethod::kJeffreys), "jeffreys");
  EXPECT_EQ(IntervalMethodName(IntervalMethod::kAgrestiCoull), "agresti-coull");
}

// ---- Fisher: edge cases and an independent brute force -------------------------------

TEST(FisherTest, TwoByTwoExactRational) {
  // Margins 4,4 / 4,4: P(x) = C(4,x)C(4,4-x)/70 = 1,16,36,16,1 over 70; observed x=3.
  auto result = FisherExact2x2(3, 1, 1, 3);
  ASSERT_TRUE(result);
  EXPECT_TRUE(Near(result->p_value, 34.0 / 70.0, 1e-13));
  EXPECT_TRUE(result->informative);
  EXPECT_EQ(result->effective_rows, 2);
  EXPECT_EQ(result->effective_columns, 2);
}

TEST(FisherTest, GroupWithOneRespondent) {
  // Column 1 has one NGO: two possible tables, P(x=1) = 6/13, P(x=0) = 7/13.
  EXPECT_TRUE(Near(FisherExact2x2(1, 5, 0, 7)->p_value, 6.0 / 13.0, 1e-13));
  EXPECT_TRUE(Near(FisherExact2x2(0, 6, 1, 6)->p_value, 1.0, 1e-13));
}

TEST(FisherTest, ColumnWhereEverybodyRefusedIsUninformative) {
  auto result = FisherExact2x2(4, 0, 9, 0);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->p_value, 1.0);
  EXPECT_FALSE(result->informative);
  EXPECT_EQ(result->effective_columns, 1);

  auto rxc = FisherExact({{4, 0}, {6, 0}, {3, 0}});
  ASSERT_TRUE(rxc);
  EXPECT_EQ(rxc->p_value, 1.0);
  EXPECT_FALSE(rxc->informative);
  EXPECT_EQ(rxc->effective_rows, 3);
  EXPECT_EQ(rxc->effective_columns, 1);

  auto empty = FisherExact({{0, 0, 0}, {0, 0, 0}});
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->informative);
  EXPECT_EQ(empty->p_value, 1.0);
}

TEST(FisherTest, OptionNobodyChoseChangesNothing) {
  double without = MustFisher({{5, 1}, {2, 6}, {3, 3}});
  double with_empty_row = MustFisher({{5, 1}, {0, 0}, {2, 6}, {3, 3}});
  EXPECT_TRUE(Near(without, with_empty_row, 1e-13));
  double with_empty_column = MustFisher({{5, 0, 1}, {2, 0, 6}, {3, 0, 3}});
  EXPECT_TRUE(Near(without, with_empty_column, 1e-13));
  auto shape = FisherExact({{5, 1}, {0, 0}, {2, 6}, {3, 3}});
  EXPECT_EQ(shape->effective_rows, 3);
  EXPECT_EQ(shape->effective_columns, 2);
}

TEST(FisherTest, TransposeAndPermutationInvariant) {
  std::vector<std::vector<int64_t>> table = {{3, 1, 4}, {1, 5, 9}, {2, 6, 5}, {3, 5, 8}};
  double p = MustFisher(table);
  std::vector<std::vector<int64_t>> transposed(3, std::vector<int64_t>(4));
  for (size_t r = 0; r < 4; ++r) {
    for (size_t c = 0; c < 3; ++c) transposed[c][r] = table[r][c];
  }
  EXPECT_TRUE(Near(p, MustFisher(transposed), 1e-12));
  std::vector<std::vector<int64_t>> permuted = {table[2], table[0], table[3], table[1]};
  EXPECT_TRUE(Near(p, MustFisher(permuted), 1e-12));
  EXPECT_GT(p, 0.0);
  EXPECT_LE(p, 1.0);
}

// Every 3x3 table with the observed margins, from the definition.
double BruteForce3x3(const std::vector<std::vector<int64_t>>& t) {
  int64_t r[3];
  int64_t c[3];
  int64_t n = 0;
  for (int i = 0; i < 3; ++i) {
    r[i] = t[i][0] + t[i][1] + t[i][2];
    c[i] = t[0][i] + t[1][i] + t[2][i];
    n += r[i];
  }
  auto lf = [](int64_t x) { return std::lgamma(static_cast<double>(x) + 1.0); };
  double log_const = -lf(n);
  for (int i = 0; i < 3; ++i) log_const += lf(r[i]) + lf(c[i]);
  auto log_p = [&](int64_t x00, int64_t x01, int64_t x10, int64_t x11) {
    int64_t x02 = r[0] - x00 - x01;
    int64_t x12 = r[1] - x10 - x11;
    int64_t x20 = c[0] - x00 - x10;
    int64_t x21 = c[1] - x01 - x11;
    int64_t x22 = c[2] - x02 - x12;
    if (x02 < 0 || x12 < 0 || x20 < 0 || x21 < 0 || x22 < 0) return std::optional<double>();
    return std::optional<double>(log_const - lf(x00) - lf(x01) - lf(x02) - lf(x10) - lf(x11) -
                                 lf(x12) - lf(x20) - lf(x21) - lf(x22));
  };
  double observed = *log_p(t[0][0], t[0][1], t[1][0], t[1][1]);
  double p = 0.0;
  for (int64_t x00 = 0; x00 <= r[0]; ++x00) {
    for (int64_t x01 = 0; x00 + x01 <= r[0]; ++x01) {
      for (int64_t x10 = 0; x10 <= r[1]; ++x10) {
        for (int64_t x11 = 0; x10 + x11 <= r[1]; ++x11) {
          auto lp = log_p(x00, x01, x10, x11);
          if (lp && *lp <= observed + 3.45254e-7) p += std::exp(*lp);
        }
      }
    }
  }
  return p;
}

TEST(FisherTest, RxcMatchesBruteForceEnumeration) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> cell(0, 6);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::vector<int64_t>> table(3, std::vector<int64_t>(3));
    for (auto& row : table) {
      for (auto& x : row) x = cell(rng);
    }
    for (int i = 0; i < 3; ++i) {  // keep every margin nonzero so the shape stays 3x3
      if (table[i][0] + table[i][1] + table[i][2] == 0) table[i][i] = 1;
      if (table[0][i] + table[1][i] + table[2][i] == 0) table[i][i] = 1;
    }
    double expected = std::min(1.0, BruteForce3x3(table));
    EXPECT_TRUE(Near(MustFisher(table), expected, 1e-10)) << "trial " << trial;
  }
}

TEST(FisherTest, StudySizedTableIsQuick) {
  // 10 answers x 2 countries, 60 NGOs: the largest item the study has.
  auto result =
      FisherExact({{3, 2}, {4, 1}, {2, 5}, {6, 3}, {1, 4}, {5, 2}, {2, 2}, {3, 4}, {4, 3}, {0, 4}});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_GT(result->p_value, 0.0);
  EXPECT_LE(result->p_value, 1.0);
  EXPECT_LT(result->work, 2'000'000);
}

TEST(FisherTest, TooLargeIsRefusedWithoutFallback) {
  std::vector<std::vector<int64_t>> big(8, std::vector<int64_t>(8));
  for (size_t r = 0; r < 8; ++r) {
    for (size_t c = 0; c < 8; ++c) big[r][c] = static_cast<int64_t>(5 + (r * 3 + c * 7) % 11);
  }
  FisherOptions exact_only;
  exact_only.allow_fallback = false;
  auto result = FisherExact(big, exact_only);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "STA004");
  EXPECT_NE(result.error().message.find("not computed: table too large"), std::string::npos);

  // A small table with a tiny budget is refused the same way (the estimate fits,
  // the enumeration reaches the limit).
  exact_only.max_work = 10;
  auto small = FisherExact({{3, 1, 4}, {1, 5, 9}, {2, 6, 5}}, exact_only);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, "STA004");
}

TEST(FisherTest, TooLargeFallsBackToMonteCarloThenAsymptotic) {
  std::vector<std::vector<int64_t>> big(8, std::vector<int64_t>(8));
  for (size_t r = 0; r < 8; ++r) {
    for (size_t c = 0; c < 8; ++c) big[r][c] = static_cast<int64_t>(5 + (r * 3 + c * 7) % 11);
  }
  auto mc = FisherExact(big);
  ASSERT_TRUE(mc) << mc.error().ToString();
  EXPECT_EQ(mc->method, FisherMethod::kMonteCarlo);
  EXPECT_EQ(mc->replicates, 10'000);
  EXPECT_TRUE(mc->informative);
  // A p-value of (1 + k) / (B + 1) for an integer k.
  double k = mc->p_value * 10'001.0 - 1.0;
  EXPECT_NEAR(k, std::round(k), 1e-6);
  EXPECT_GE(mc->p_value, 1.0 / 10'001.0);
  // The same table and seed: the same p-value; another seed: (almost surely) not.
  EXPECT_EQ(FisherExact(big)->p_value, mc->p_value);
  FisherOptions other_seed;
  other_seed.seed = 7;
  EXPECT_NE(FisherExact(big, other_seed)->p_value, mc->p_value);

  // The peers workload's item (6 answers x 5 groups, N = 1e6): asymptotic.
  std::vector<std::vector<int64_t>> census(6, std::vector<int64_t>(5));
  for (size_t r = 0; r < 6; ++r) {
    for (size_t c = 0; c < 5; ++c)
      census[r][c] = static_cast<int64_t>(33'000 + 97 * r * c + 13 * c);
  }
  auto asymptotic = FisherExact(census);
  ASSERT_TRUE(asymptotic) << asymptotic.error().ToString();
  EXPECT_EQ(asymptotic->method, FisherMethod::kAsymptotic);
  EXPECT_EQ(asymptotic->degrees_of_freedom, 20);
  EXPECT_GT(asymptotic->chi_square, 0.0);
  EXPECT_LT(asymptotic->work, 1000);
  EXPECT_EQ(FisherMethodName(FisherMethod::kExact), "exact");
  EXPECT_EQ(FisherMethodName(FisherMethod::kMonteCarlo), "monte_carlo");
  EXPECT_EQ(FisherMethodName(FisherMethod::kAsymptotic), "asymptotic");
}

TEST(FisherTest, MonteCarloAgreesWithExactOnMidSizeTables) {
  // Tables the exact test handles, forced through the simulation (max_work 1):
  // the Monte Carlo p must lie within 4 binomial standard errors of the exact one.
  std::mt19937 rng(2026);
  for (int trial = 0; trial < 12; ++trial) {
    size_t rows = 3 + trial % 2;
    size_t columns = 3 + (trial / 2) % 2;
    std::vector<std::vector<int64_t>> table(rows, std::vector<int64_t>(columns));
    std::uniform_int_distribution<int> cell(0, 3 + trial / 3);
    for (auto& row : table) {
      for (auto& x : row) x = cell(rng);
    }
    for (size_t i = 0; i < rows; ++i) table[i][i % columns] += 1;
    for (size_t j = 0; j < columns; ++j) table[j % rows][j] += 1;
    auto exact = FisherExact(table);
    ASSERT_TRUE(exact);
    ASSERT_EQ(exact->method, FisherMethod::kExact) << "trial " << trial << " work " << exact->work;
    FisherOptions simulate;
    simulate.max_work = 1;
    simulate.replicates = 20'000;
    auto mc = FisherExact(table, simulate);
    ASSERT_TRUE(mc);
    ASSERT_EQ(mc->method, FisherMethod::kMonteCarlo);
    double p = exact->p_value;
    double se = std::sqrt(std::max(p * (1 - p), 1e-4) / 20'000.0);
    EXPECT_LE(std::fabs(mc->p_value - p), 4 * se + 1.0 / 20'001.0)
        << "trial " << trial << ": exact " << p << " vs Monte Carlo " << mc->p_value;
  }
}

// Lines of whitespace-separated fields of a fixture file under tests/data/stats.
std::vector<std::vector<std::string>> ReadFixture(const std::string& name) {
  std::ifstream in(std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/stats/" + name);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::vector<std::vector<std::string>> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> row;
    std::string field;
    while (fields >> field) row.push_back(field);
    if (!row.empty() && row[0][0] != '#') lines.push_back(std::move(row));
  }
  return lines;
}

TEST(FisherTest, TwoByTwoAtLargeNMatchesRFixture) {
  // R's fisher.test at N up to 1e6 (tests/data/stats/fisher_2x2_large.R made the
  // file). p-values below ~1e-308 are 0 in R (its densities underflow); they must
  // be 0 (or as small) here too.
  auto lines = ReadFixture("fisher_2x2_large.txt");
  ASSERT_EQ(lines.size(), 89u);
  for (const auto& f : lines) {
    ASSERT_EQ(f.size(), 5u);
    int64_t a = std::stoll(f[0]), b = std::stoll(f[1]), c = std::stoll(f[2]), d = std::stoll(f[3]);
    auto result = FisherExact2x2(a, b, c, d);
    ASSERT_TRUE(result) << result.error().ToString();
    double expected = std::strtod(f[4].c_str(), nullptr);
    std::string where = f[0] + " " + f[1] + " " + f[2] + " " + f[3];
    if (expected == 0.0) {
      EXPECT_LT(result->p_value, 1e-300) << where;
    } else {
      EXPECT_TRUE(Near(result->p_value, expected))
          << where << ": " << FormatRoundTrip(result->p_value) << " vs R " << f[4];
    }
    // O(sqrt(N)) terms, not the support: at most ~20 standard deviations of the
    // hypergeometric on each side plus the binary searches.
    int64_t n = a + b + c + d;
    EXPECT_LT(result->work, 200 + 40 * static_cast<int64_t>(std::sqrt(static_cast<double>(n))))
        << where;
  }
}

TEST(FisherTest, TableTooLargeByTheUpperBoundSpendsATenthOfTheBudgetBeforeFallingBack) {
  // 6 answers x 5 groups, 100 respondents (tabulate_bench's BM_FisherRxc/100): the node
  // estimate lets it try the exact test, the enumeration cannot finish in the budget.
  std::vector<std::vector<int64_t>> table(6, std::vector<int64_t>(5));
  for (size_t r = 0; r < 6; ++r) {
    for (size_t c = 0; c < 5; ++c) {
      table[r][c] = std::max<int64_t>(0, 100 / 30 + static_cast<int64_t>((r * 5 + c * 3) % 7) - 3);
    }
  }
  FisherOptions options;
  auto result = FisherExact(table, options);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->method, FisherMethod::kMonteCarlo);
  EXPECT_LE(result->work, options.max_work / 10 + 1000);
  // Exact or nothing: the whole budget is spent before giving up.
  options.allow_fallback = false;
  auto exact_only = FisherExact(table, options);
  ASSERT_FALSE(exact_only);
  EXPECT_EQ(exact_only.error().code, "STA004");
}

TEST(FisherTest, FallbacksMatchRFixture) {
  // tests/data/stats/fisher_rxc_fallback.R: R's exact and simulated p-values
  // (B = 20000) of mid-size tables, and chisq.test at N up to 1e6.
  auto lines = ReadFixture("fisher_rxc_fallback.txt");
  int simulated = 0;
  int asymptotic = 0;
  int exact_here = 0;
  for (const auto& f : lines) {
    size_t rows = static_cast<size_t>(std::stoll(f[1]));
    size_t columns = static_cast<size_t>(std::stoll(f[2]));
    std::vector<std::vector<int64_t>> table(rows, std::vector<int64_t>(columns));
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < columns; ++c) table[r][c] = std::stoll(f[3 + r * columns + c]);
    }
    size_t next = 3 + rows * columns;
    if (f[0] == "mc") {
      ASSERT_EQ(f.size(), next + 3);
      double exact = std::strtod(f[next].c_str(), nullptr);
      double r_sim = std::strtod(f[next + 1].c_str(), nullptr);
      double b = std::strtod(f[next + 2].c_str(), nullptr);
      // Our exact enumeration gives up on some tables FEXACT manages (4 x 4, N ~ 90):
      // those fall back to the simulation, checked below like the others.
      auto ours = FisherExact(table);
      ASSERT_TRUE(ours);
      if (ours->method == FisherMethod::kExact) {
        EXPECT_TRUE(Near(ours->p_value, exact)) << "line " << simulated;
        ++exact_here;
      }
      FisherOptions simulate;
      simulate.max_work = 1;
      simulate.replicates = static_cast<int64_t>(b);
      auto mc = FisherExact(table, simulate);
      ASSERT_TRUE(mc);
      EXPECT_EQ(mc->method, FisherMethod::kMonteCarlo);
      // Two independent estimates of the same p: their difference has variance
      // 2 p (1 - p) / B.
      double se = std::sqrt(2 * std::max(exact * (1 - exact), 1e-4) / b);
      EXPECT_LE(std::fabs(mc->p_value - r_sim), 4 * se)
          << "simulated p " << mc->p_value << " vs R's " << r_sim << " (exact " << exact << ")";
      EXPECT_LE(std::fabs(mc->p_value - exact), 4 * se);
      ++simulated;
    } else {
      ASSERT_EQ(f[0], "chisq");
      ASSERT_EQ(f.size(), next + 1);
      auto result = FisherExact(table);
      ASSERT_TRUE(result);
      EXPECT_EQ(result->method, FisherMethod::kAsymptotic);
      double expected = std::strtod(f[next].c_str(), nullptr);
      EXPECT_TRUE(Near(result->p_value, expected, 1e-8))
          << FormatRoundTrip(result->p_value) << " vs R " << f[next];
      ++asymptotic;
    }
  }
  EXPECT_GE(simulated, 15);
  EXPECT_GE(exact_here, 10);
  EXPECT_EQ(asymptotic, 20);
}

TEST(FisherTest, InvalidTables) {
  EXPECT_EQ(FisherExact({}).error().code, "STA003");
  EXPECT_EQ(FisherExact({{1, 2}, {3}}).error().code, "STA003");
  EXPECT_EQ(FisherExact({{1, -2}, {3, 4}}).error().code, "STA003");
  EXPECT_EQ(FisherExact2x2(1, 2, -3, 4).error().code, "STA003");
  EXPECT_EQ(FisherExact({{int64_t{1} << 40, 1}, {1, 1}}).error().code, "STA003");
}

// ---- p-value adjustment -----------------------------------------------------------------

TEST(PAdjustTest, HandExamples) {
  std::vector<double> p = {0.01, 0.04, 0.03};
  auto holm = AdjustPValues(p, PAdjustMethod::kHolm);
  ASSERT_TRUE(holm);
  // Sorted 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06.
  EXPECT_DOUBLE_EQ((*holm)[0], 0.03);
  EXPECT_DOUBLE_EQ((*holm)[1], 0.06);
  EXPECT_DOUBLE_EQ((*holm)[2], 0.06);
  auto bh = AdjustPValues(p, PAdjustMethod::kBenjaminiHochberg);
  ASSERT_TRUE(bh);
  // Descending 0.04*3/3 = 0.04, 0.03*3/2 = 0.045 -> running min 0.04, 0.01*3 = 0.03.
  EXPECT_DOUBLE_EQ((*bh)[0], 0.03);
  EXPECT_DOUBLE_EQ((*bh)[1], 0.04);
  EXPECT_DOUBLE_EQ((*bh)[2], 0.04);
}

TEST(PAdjustTest, CappedAtOneAndEmptyAndSingle) {
  std::vector<double> p = {0.6, 0.7};
  EXPECT_EQ(*AdjustPValues(p, PAdjustMethod::kHolm), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(*AdjustPValues(p, PAdjustMethod::kBenjaminiHochberg), (std::vector<double>{0.7, 0.7}));
  EXPECT_TRUE(AdjustPValues(std::vector<double>{}, PAdjustMethod::kHolm)->empty());
  EXPECT_EQ(*AdjustPValues(std::vector<double>{0.2}, PAdjustMethod::kHolm),
            std::vector<double>{0.2});
}

TEST(PAdjustTest, MissingEntriesStayMissingAndDoNotCount) {
  std::vector<std::optional<double>> p = {0.01, std::nullopt, 0.04};
  auto holm = AdjustPValuesWithMissing(p, PAdjustMethod::kHolm);
  ASSERT_TRUE(holm);
  EXPECT_DOUBLE_EQ(*(*holm)[0], 0.02);
  EXPECT_FALSE((*holm)[1].has_value());
  EXPECT_DOUBLE_EQ(*(*holm)[2], 0.04);
}

TEST(PAdjustTest, InvalidPValues) {
  EXPECT_EQ(
      AdjustPValues(std::vector<double>{0.1, std::nan("")}, PAdjustMethod::kHolm).error().code,
      "STA005");
  EXPECT_EQ(AdjustPValues(std::vector<double>{1.5}, PAdjustMethod::kBenjaminiHochberg).error().code,
            "STA005");
  EXPECT_EQ(AdjustPValues(std::vector<double>{-0.1}, PAdjustMethod::kHolm).error().code, "STA005");
  EXPECT_EQ(PAdjustMethodName(PAdjustMethod::kBenjaminiHochberg), "BH");
}

// ---- Percent rounding and round-trip printing --------------------------------------------

std::string Percent(int64_t k, int64_t n, int decimals) {
  auto text = RoundPercentHalfUp(k, n, decimals);
  EXPECT_TRUE(text) << text.error().ToString();
  return text ? *text : "";
}

TEST(RoundPercentTest, Examples) {
  EXPECT_EQ(Percent(1, 8, 0), "13");  // 12.5 rounds up
  EXPECT_EQ(Percent(1, 8, 1), "12.5");
  EXPECT_EQ(Percent(1, 14, 1), "7.1");  // 7.142857...
  EXPECT_EQ(Percent(0, 13, 1), "0.0");
  EXPECT_EQ(Percent(13, 13, 1), "100.0");
  EXPECT_EQ(Percent(1, 16, 1), "6.3");  // 6.25: printf("%.1f") gives "6.2"
  EXPECT_EQ(Percent(1, 40, 0), "3");    // 2.5
  EXPECT_EQ(Percent(2, 3, 2), "66.67");
  EXPECT_EQ(Percent(1, 3, 0), "33");
  EXPECT_EQ(Percent(1, 200, 0), "1");  // 0.5
  EXPECT_EQ(Percent(1, 201, 0), "0");  // 0.497...
  EXPECT_EQ(Percent(3, 2, 0), "150");  // k > n is allowed
  EXPECT_EQ(Percent(7, 14, 9), "50.000000000");
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(Percent(big, big, 9), "100.000000000");
  EXPECT_EQ(Percent(1, big, 9), "0.000000000");
}

TEST(RoundPercentTest, SatisfiesTheHalfUpDefinitionEverywhere) {
  // q is the printed value times 10^d; half-up means q - 1/2 <= 100 k 10^d / n < q + 1/2,
  // i.e. 2nq - n <= 200 k 10^d < 2nq + n.
  for (int64_t n = 1; n <= 120; ++n) {
    for (int64_t k = 0; k <= n; ++k) {
      for (int decimals = 0; decimals <= 3; ++decimals) {
        std::string text = Percent(k, n, decimals);
        std::string digits;
        for (char ch : text) {
          if (ch != '.') digits.push_back(ch);
        }
        size_t dot = text.find('.');
        ASSERT_EQ(dot == std::string::npos ? 0 : text.size() - dot - 1,
                  static_cast<size_t>(decimals));
        int64_t q = std::stoll(digits);
        int64_t scale = 1;
        for (int i = 0; i < decimals; ++i) scale *= 10;
        int64_t scaled = 200 * k * scale;
        ASSERT_LE(2 * n * q - n, scaled) << k << "/" << n << " -> " << text;
        ASSERT_LT(scaled, 2 * n * q + n) << k << "/" << n << " -> " << text;
      }
    }
  }
}

TEST(RoundPercentTest, InvalidRequests) {
  EXPECT_EQ(RoundPercentHalfUp(0, 0, 1).error().code, "STA006");
  EXPECT_EQ(RoundPercentHalfUp(-1, 5, 1).error().code, "STA006");
  EXPECT_EQ(RoundPercentHalfUp(1, 5, -1).error().code, "STA006");
  EXPECT_EQ(RoundPercentHalfUp(1, 5, 10).error().code, "STA006");
}

TEST(FormatRoundTripTest, SeventeenDigitsRoundTrip) {
  EXPECT_EQ(FormatRoundTrip(0.1), "0.10000000000000001");
  EXPECT_EQ(FormatRoundTrip(1.0), "1");
  EXPECT_EQ(FormatRoundTrip(1.0 / 3.0), "0.33333333333333331");
  EXPECT_EQ(FormatRoundTrip(-2.5e-300), "-2.5e-300");
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 1000; ++i) {
    double x = unit(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20);
    EXPECT_EQ(std::strtod(FormatRoundTrip(x).c_str(), nullptr), x);
  }
}

// ---- Against R ----------------------------------------------------------------------------

using ::ngosurvey::analysis::testing::RunR;

class AgainstRTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v Rscript > /dev/null 2>&1") != 0) {
      FAIL() << "Rscript not found: the comparison with R needs r-base-core "
                "(tools/install-deps installs it)";
    }
  }
};

double D(const std::string& field) { return std::strtod(field.c_str(), nullptr); }
int64_t I(const std::string& field) { return std::stoll(field); }

constexpr const char* kRPrelude = R"R(
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
)R";

TEST_F(AgainstRTest, BinomialIntervalsForEveryCount) {
  // Clopper-Pearson from binom.test, Wilson from prop.test(correct = FALSE) and from
  // the score formula, Jeffreys from qbeta, Agresti-Coull from its formula.
  std::string script = std::string(kRPrelude) + R"R(
for (level in c(0.95, 0.90, 0.99)) for (n in c(13, 14, 25)) for (k in 0:n) {
  a <- 1 - level
  z <- qnorm(1 - a / 2)
  cp <- binom.test(k, n, conf.level = level)$conf.int
  pt <- suppressWarnings(prop.test(k, n, conf.level = level, correct = FALSE))$conf.int
  p <- k / n
  wc <- (k + z^2 / 2) / (n + z^2)
  wh <- z * sqrt(n) / (n + z^2) * sqrt(p * (1 - p) + z^2 / (4 * n))
  wl <- if (k == 0) 0 else wc - wh
  wu <- if (k == n) 1 else wc + wh
  jl <- if (k == 0) 0 else qbeta(a / 2, k + 0.5, n - k + 0.5)
  ju <- if (k == n) 1 else qbeta(a / 2, k + 0.5, n - k + 0.5, lower.tail = FALSE)
  nt <- n + z^2
  pa <- (k + z^2 / 2) / nt
  h <- z * sqrt(pa * (1 - pa) / nt)
  cat("ci", level, n, k, fmt(c(wl, wu, pt[1], pt[2], cp[1], cp[2], jl, ju,
                               max(0, pa - h), min(1, pa + h))), "\n")
}
)R";
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 3u * (14 + 15 + 26));
  int compared = 0;
  for (const auto& f : lines) {
    ASSERT_EQ(f.size(), 14u);
    ASSERT_EQ(f[0], "ci");
    double level = D(f[1]);
    int64_t n = I(f[2]);
    int64_t k = I(f[3]);
    std::string where = f[1] + " " + f[3] + "/" + f[2];
    Interval wilson = MustInterval(IntervalMethod::kWilson, k, n, level);
    EXPECT_TRUE(Near(wilson.lower, D(f[4])))
        << "wilson lower " << where << ": " << FormatRoundTrip(wilson.lower) << " vs " << f[4];
    EXPECT_TRUE(Near(wilson.upper, D(f[5]))) << "wilson upper " << where;
    EXPECT_TRUE(Near(wilson.lower, D(f[6]))) << "prop.test lower " << where;
    EXPECT_TRUE(Near(wilson.upper, D(f[7]))) << "prop.test upper " << where;
    Interval cp = MustInterval(IntervalMethod::kClopperPearson, k, n, level);
    EXPECT_TRUE(Near(cp.lower, D(f[8])))
        << "clopper-pearson lower " << where << ": " << FormatRoundTrip(cp.lower) << " vs " << f[8];
    EXPECT_TRUE(Near(cp.upper, D(f[9]))) << "clopper-pearson upper " << where;
    Interval jeffreys = MustInterval(IntervalMethod::kJeffreys, k, n, level);
    EXPECT_TRUE(Near(jeffreys.lower, D(f[10]))) << "jeffreys lower " << where;
    EXPECT_TRUE(Near(jeffreys.upper, D(f[11]))) << "jeffreys upper " << where;
    Interval ac = MustInterval(IntervalMethod::kAgrestiCoull, k, n, level);
    EXPECT_TRUE(Near(ac.lower, D(f[12]))) << "agresti-coull lower " << where;
    EXPECT_TRUE(Near(ac.upper, D(f[13]))) << "agresti-coull upper " << where;
    compared += 10;
  }
  EXPECT_EQ(compared, 1650);
}

TEST_F(AgainstRTest, FisherEveryTwoByTwoOf14Versus13) {
  // Row 1 "chose the answer": k1 of 14 NGOs in country 1, k2 of 13 in country 2. The
  // same table with an empty third row goes through FEXACT in R and the r x c path here.
  std::string script = std::string(kRPrelude) + R"R(
for (k1 in 0:14) for (k2 in 0:13) {
  x <- matrix(c(k1, 14 - k1, k2, 13 - k2), 2)
  cat("f2", k1, k2, fmt(fisher.test(x)$p.value),
      fmt(fisher.test(rbind(x, c(0, 0)))$p.value), "\n")
}
)R";
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 15u * 14u);
  for (const auto& f : lines) {
    ASSERT_EQ(f.size(), 5u);
    int64_t k1 = I(f[1]);
    int64_t k2 = I(f[2]);
    auto direct = FisherExact2x2(k1, k2, 14 - k1, 13 - k2);
    ASSERT_TRUE(direct);
    EXPECT_TRUE(Near(direct->p_value, D(f[3])))
        << k1 << "/14 vs " << k2 << "/13: " << FormatRoundTrip(direct->p_value) << " vs " << f[3];
    // Nobody (or everybody) chose the answer: one possible table, no test.
    EXPECT_EQ(direct->informative, k1 + k2 > 0 && k1 + k2 < 27) << k1 << " " << k2;
    EXPECT_EQ(MustFisher({{k1, k2}, {14 - k1, 13 - k2}}), direct->p_value);
    double padded = MustFisher({{k1, k2}, {14 - k1, 13 - k2}, {0, 0}});
    EXPECT_TRUE(Near(padded, D(f[4]))) << "with empty row " << k1 << " " << k2 << ": "
                                       << FormatRoundTrip(padded) << " vs " << f[4];
  }
}

TEST_F(AgainstRTest, FisherRandomRxcTables) {
  // 120 tables shaped like the study's items (2 countries x 2-10 answers, N 10-60) and
  // 80 general ones (2-5 x 3-4, N 5-40), half with an association built in.
  std::string script = std::string(kRPrelude) + R"R(
set.seed(20261125)
for (t in 1:200) {
  if (t <= 120) {
    nr <- sample(2:10, 1); nc <- 2L; N <- sample(10:60, 1)
  } else {
    nr <- sample(2:5, 1); nc <- sample(3:4, 1); N <- sample(5:40, 1)
  }
  rows <- sample(nr, N, replace = TRUE, prob = runif(nr))
  cols <- if (t %% 2 == 0) sample(nc, N, replace = TRUE) else
    ((rows + sample(0:1, N, replace = TRUE)) %% nc) + 1L
  x <- unclass(table(factor(rows, levels = 1:nr), factor(cols, levels = 1:nc)))
  cat("rxc", nr, nc, as.vector(t(x)), fmt(fisher.test(x, workspace = 2e7)$p.value), "\n")
}
)R";
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 200u);
  int64_t max_work = 0;
  for (const auto& f : lines) {
    size_t rows = static_cast<size_t>(I(f[1]));
    size_t columns = static_cast<size_t>(I(f[2]));
    ASSERT_EQ(f.size(), 4 + rows * columns);
    std::vector<std::vector<int64_t>> table(rows, std::vector<int64_t>(columns));
    std::string text;
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < columns; ++c) {
        table[r][c] = I(f[3 + r * columns + c]);
        text += f[3 + r * columns + c] + (c + 1 == columns ? ";" : ",");
      }
    }
    auto result = FisherExact(table);
    ASSERT_TRUE(result) << text << ": " << result.error().ToString();
    double expected = D(f.back());
    EXPECT_TRUE(Near(result->p_value, expected))
        << rows << "x" << columns << " " << text << ": " << FormatRoundTrip(result->p_value)
        << " vs R " << f.back();
    max_work = std::max(max_work, result->work);
  }
  // Far below the default limit: the study's sizes are cheap.
  EXPECT_LT(max_work, FisherOptions{}.max_work / 10);
}

TEST_F(AgainstRTest, PAdjustHolmAndBH) {
  // Random families (with ties, ones and NAs), and the 210 p-values of the 2x2 sweep.
  std::string script = std::string(kRPrelude) + R"R(
set.seed(7)
fams <- list()
for (t in 1:60) {
  m <- sample(1:25, 1)
  p <- if (t %% 3 == 0) round(runif(m), 2) else runif(m)^3
  if (t %% 5 == 0) p[sample(m, 1)] <- 1
  if (t %% 4 == 0) p[sample(m, 1)] <- 0
  if (t %% 7 == 0 && m > 2) p[sample(m, 2)] <- NA
  fams[[t]] <- p
}
sweep <- c()
for (k1 in 0:14) for (k2 in 0:13)
  sweep <- c(sweep, fisher.test(matrix(c(k1, 14 - k1, k2, 13 - k2), 2))$p.value)
fams[[61]] <- sweep
for (p in fams) for (method in c("holm", "BH"))
  cat("padj", method, length(p), fmt(p), fmt(p.adjust(p, method)), "\n")
)R";
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 122u);
  for (const auto& f : lines) {
    PAdjustMethod method =
        f[1] == "holm" ? PAdjustMethod::kHolm : PAdjustMethod::kBenjaminiHochberg;
    size_t m = static_cast<size_t>(I(f[2]));
    ASSERT_EQ(f.size(), 3 + 2 * m);
    std::vector<std::optional<double>> p(m);
    for (size_t i = 0; i < m; ++i) {
      if (f[3 + i] != "NA") p[i] = D(f[3 + i]);
    }
    auto adjusted = AdjustPValuesWithMissing(p, method);
    ASSERT_TRUE(adjusted) << adjusted.error().ToString();
    for (size_t i = 0; i < m; ++i) {
      const std::string& want = f[3 + m + i];
      if (want == "NA") {
        EXPECT_FALSE((*adjusted)[i].has_value());
      } else {
        ASSERT_TRUE((*adjusted)[i].has_value());
        EXPECT_TRUE(Near(*(*adjusted)[i], D(want)))
            << f[1] << " family of " << m << " entry " << i << ": "
            << FormatRoundTrip(*(*adjusted)[i]) << " vs " << want;
      }
    }
  }
}

}  // namespace
}  // namespace ngosurvey::analysis
