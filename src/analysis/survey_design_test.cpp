#include "analysis/survey_design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "analysis/testing/run_r.h"
#include "base/error.h"

namespace ngosurvey::analysis {
namespace {

using ::ngosurvey::analysis::testing::RScratch;
using ::ngosurvey::analysis::testing::RunR;

// ---- Checks of the inputs ------------------------------------------------------------------

TEST(SurveyDesignTest, BadWeightsNameTheRow) {
  for (double bad : {0.0, -1.5, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    std::vector<double> weights = {1, 2, bad, 1};
    auto design = Design::Make({.weights = weights});
    ASSERT_FALSE(design);
    EXPECT_EQ(design.error().code, "SVY001");
    EXPECT_EQ(design.error().where.row, 3);
    EXPECT_NE(design.error().message.find("row 3"), std::string::npos) << design.error().message;
  }
}

TEST(SurveyDesignTest, ColumnsOfOtherLengthsAreRefused) {
  std::vector<double> weights = {1, 2, 3};
  std::vector<int64_t> strata = {1, 2};
  auto design = Design::Make({.weights = weights, .strata = strata});
  ASSERT_FALSE(design);
  EXPECT_EQ(design.error().code, "SVY002");
  EXPECT_EQ(Design::Make({}).error().code, "SVY002");
}

TEST(SurveyDesignTest, FpcMustBeOneKindConstantPerStratumAndPossible) {
  std::vector<double> weights = {1, 1, 1, 1};
  std::vector<int64_t> strata = {1, 1, 2, 2};
  std::vector<double> mixed = {10, 10, 0.5, 0.5};
  EXPECT_EQ(Design::Make({.weights = weights, .strata = strata, .fpc = mixed}).error().code,
            "SVY003");
  std::vector<double> varies = {10, 12, 10, 10};
  auto design = Design::Make({.weights = weights, .strata = strata, .fpc = varies});
  ASSERT_FALSE(design);
  EXPECT_EQ(design.error().code, "SVY003");
  EXPECT_EQ(design.error().where.row, 2);
  std::vector<double> too_small = {10, 10, 1, 1};  // 2 PSUs sampled of 1
  EXPECT_EQ(Design::Make({.weights = weights, .strata = strata, .fpc = too_small}).error().code,
            "SVY003");
  std::vector<double> fine = {10, 10, 2, 2};  // stratum 2 fully sampled
  EXPECT_TRUE(Design::Make({.weights = weights, .strata = strata, .fpc = fine}));
}

TEST(SurveyDesignTest, OnePsuWithoutStrataHasNoVariance) {
  std::vector<double> weights = {1, 2, 3};
  std::vector<int64_t> clusters = {4, 4, 4};
  EXPECT_EQ(Design::Make({.weights = weights, .clusters = clusters}).error().code, "SVY005");
}

TEST(SurveyDesignTest, NamesRoundTrip) {
  for (std::string_view name : {"fail", "certainty", "remove", "adjust", "average"}) {
    auto lonely = ParseLonelyPsu(name);
    ASSERT_TRUE(lonely);
    EXPECT_EQ(LonelyPsuName(*lonely), name);
  }
  EXPECT_EQ(ParseLonelyPsu("drop").error().code, "SVY007");
  EXPECT_EQ(*ParseProportionInterval("beta"), ProportionInterval::kKornGraubard);
  EXPECT_EQ(ParseProportionInterval("wilson").error().code, "SVY007");
}

// Simple random sampling with replacement and equal weights: the mean's variance is s^2 / n.
TEST(SurveyDesignTest, EqualWeightsGiveTheTextbookStandardError) {
  std::vector<double> y = {3, 7, 8, 1, 4, 9, 2};
  std::vector<double> weights(y.size(), 5.0);
  auto design = Design::Make({.weights = weights});
  ASSERT_TRUE(design);
  auto sums = design->Sum(y, {});
  ASSERT_TRUE(sums);
  auto mean = design->Mean(*sums);
  ASSERT_TRUE(mean);
  double n = static_cast<double>(y.size());
  double m = 0;
  for (double v : y) m += v;
  m /= n;
  double ss = 0;
  for (double v : y) ss += (v - m) * (v - m);
  EXPECT_NEAR(mean->value, m, 1e-12);
  EXPECT_NEAR(mean->se, std::sqrt(ss / (n - 1) / n), 1e-12);
  EXPECT_EQ(mean->degrees_of_freedom, 6);
  auto total = design->Total(*sums);
  ASSERT_TRUE(total);
  EXPECT_NEAR(total->value, m * n * 5, 1e-9);
  EXPECT_NEAR(total->se, 5 * n * mean->se, 1e-9);
}

TEST(SurveyDesignTest, LonelyPsuFailNamesTheStratum) {
  std::vector<double> weights = {1, 1, 1, 1, 1};
  std::vector<int64_t> strata = {1, 1, 1, 9, 9};
  std::vector<int64_t> clusters = {1, 2, 2, 5, 5};  // stratum 9 has one PSU
  auto design = Design::Make(
      {.weights = weights, .strata = strata, .clusters = clusters, .lonely_psu = LonelyPsu::kFail});
  ASSERT_TRUE(design);
  auto sums = design->Sum({}, {});
  ASSERT_TRUE(sums);
  auto mean = design->Mean(*sums);
  ASSERT_FALSE(mean);
  EXPECT_EQ(mean.error().code, "SVY004");
  EXPECT_NE(mean.error().message.find("stratum 9"), std::string::npos);
}

std::vector<int32_t> PsusOf(const Design& design) {
  std::vector<int32_t> psus;
  for (size_t row = 0; row < design.psu_of_row().size(); ++row)
    psus.push_back(design.psu_of_row()[row]);
  return psus;
}

// The PSU of each row takes 16 bits up to 65,536 PSUs and 32 beyond, with the same numbers
// and estimates: 70,000 rows each its own PSU, the PSUs past 65,535 in clusters or strata.
TEST(SurveyDesignTest, PsusBeyondSixteenBits) {
  const size_t n = 70000;
  std::vector<double> weights(n), y(n);
  std::vector<int64_t> ids(n), two_strata(n);
  for (size_t row = 0; row < n; ++row) {
    weights[row] = 1 + static_cast<double>(row % 7);
    y[row] = static_cast<double>(row % 3);
    ids[row] = static_cast<int64_t>(row);
    two_strata[row] = row < n / 2 ? 1 : 2;
  }
  auto by_cluster = Design::Make({.weights = weights, .clusters = ids});
  auto by_row = Design::Make({.weights = weights, .strata = two_strata});
  auto narrow = Design::Make({.weights = std::span<const double>(weights).first(65536),
                              .clusters = std::span<const int64_t>(ids).first(65536)});
  ASSERT_TRUE(by_cluster && by_row && narrow);
  EXPECT_FALSE(by_cluster->psu_of_row().narrow());
  EXPECT_FALSE(by_row->psu_of_row().narrow());
  EXPECT_TRUE(narrow->psu_of_row().narrow());
  EXPECT_EQ(by_cluster->psus(), static_cast<int>(n));
  EXPECT_EQ(by_row->psus(), static_cast<int>(n));
  EXPECT_EQ(narrow->psus(), 65536);
  EXPECT_EQ(narrow->psu_of_row()[65535], 65535);
  for (size_t row : {size_t{0}, size_t{65535}, size_t{65536}, n - 1}) {
    EXPECT_EQ(by_cluster->psu_of_row()[row], static_cast<int32_t>(row));
    EXPECT_EQ(by_row->psu_of_row()[row], static_cast<int32_t>(row));
  }
  // Each row its own PSU in one stratum, as clusters or as rows: one design, one estimate.
  auto one_stratum = Design::Make({.weights = weights});
  ASSERT_TRUE(one_stratum);
  auto a = by_cluster->Mean(*by_cluster->Sum(y, {}));
  auto b = one_stratum->Mean(*one_stratum->Sum(y, {}));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->value, b->value);
  EXPECT_EQ(a->se, b->se);
  EXPECT_GT(a->se, 0);
}

// Identifiers read in the column's own type number strata and PSUs as int64 ones do, and
// messages name a stratum as the column gives it.
TEST(SurveyDesignTest, IdentifiersOfEveryTypeNumberTheSamePsus) {
  std::vector<double> weights(9, 1.0);
  std::vector<int64_t> strata = {3, 3, 1, 1, 3, 1, 7, 7, 7};  // stratum 7: one PSU
  std::vector<int64_t> clusters = {2, 5, 2, 2, 5, 9, 4, 4, 4};
  auto reference = Design::Make({.weights = weights, .strata = strata, .clusters = clusters});
  ASSERT_TRUE(reference);
  ASSERT_EQ(reference->strata(), 3);
  ASSERT_EQ(reference->psus(), 5);
  const std::vector<int32_t> psus = PsusOf(*reference);
  EXPECT_EQ(psus, (std::vector<int32_t>{0, 1, 2, 2, 1, 3, 4, 4, 4}));

  // The same identifiers as numbers (-0 and +0 one cluster), as codes of each width.
  std::vector<double> strata_numbers = {0.5, 0.5, 1, 1, 0.5, 1, -2, -2, -2};
  std::vector<double> cluster_numbers = {0.0, 5, -0.0, 0.0, 5, 9, 4, 4, 4};
  std::vector<uint8_t> strata8 = {2, 2, 0, 0, 2, 0, 1, 1, 1};
  std::vector<uint16_t> clusters16 = {700, 5, 700, 700, 5, 9, 4, 4, 4};
  std::vector<uint32_t> clusters32 = {70000, 5, 70000, 70000, 5, 9, 4, 4, 4};
  std::vector<uint16_t> strata16(strata8.begin(), strata8.end());
  std::vector<uint32_t> strata32(strata8.begin(), strata8.end());
  const std::vector<std::string> names = {"north", "lonely", "south"};
  struct Case {
    DesignIds strata, clusters;
    std::string lonely;  // how the message names the stratum with one PSU
  };
  const std::vector<Case> cases = {
      {strata, clusters, "stratum 7 "},
      {DesignIds::Numbers(strata_numbers), DesignIds::Numbers(cluster_numbers), "stratum -2 "},
      {DesignIds::Codes(strata8, names), DesignIds::Codes(clusters16), "stratum lonely "},
      {DesignIds::Codes(strata16), DesignIds::Codes(clusters32), "stratum 1 "},
      {DesignIds::Codes(strata32, names), DesignIds::Codes(clusters16), "stratum lonely "},
  };
  for (const Case& c : cases) {
    auto design = Design::Make({.weights = weights,
                                .strata = c.strata,
                                .clusters = c.clusters,
                                .lonely_psu = LonelyPsu::kFail});
    ASSERT_TRUE(design) << design.error().ToString();
    EXPECT_EQ(design->strata(), 3) << c.lonely;
    EXPECT_EQ(PsusOf(*design), psus) << c.lonely;
    auto mean = design->Mean(*design->Sum({}, {}));
    ASSERT_FALSE(mean);
    EXPECT_EQ(mean.error().code, "SVY004");
    EXPECT_EQ(mean.error().message.find(c.lonely), 0u) << mean.error().message;
  }
}

// Weights that something keeps alive are read where they are; others are copied, and the
// copy lives as long as the design (and its copies).
TEST(SurveyDesignTest, WeightsWithAnOwnerAreNotCopied) {
  auto loaded = std::make_shared<std::vector<double>>(std::vector<double>{1, 2, 3, 4});
  std::vector<int64_t> clusters = {1, 1, 2, 2};
  auto shared = Design::Make({.weights = *loaded, .weights_owner = loaded, .clusters = clusters});
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->weights().data(), loaded->data());
  EXPECT_EQ(loaded.use_count(), 2);

  std::optional<Design> copied;
  {
    std::vector<double> weights = {1, 2, 3, 4};
    auto made = Design::Make({.weights = weights, .clusters = clusters});
    ASSERT_TRUE(made);
    EXPECT_NE(made->weights().data(), weights.data());
    Design copy = *made;  // copies share the weights
    EXPECT_EQ(copy.weights().data(), made->weights().data());
    copied = std::move(copy);
    weights.assign(4, 0.0);
  }
  EXPECT_EQ(std::vector<double>(copied->weights().begin(), copied->weights().end()),
            (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(copied->weight(3), 4);
}

TEST(SurveyDesignTest, AnEmptyDomainHasNoMeanAndARaoScottTestOfOneGroupSaysSo) {
  std::vector<double> weights = {1, 2, 3, 4};
  auto design = Design::Make({.weights = weights});
  ASSERT_TRUE(design);
  std::vector<uint8_t> nobody(4, 0);
  auto sums = design->Sum({}, nobody);
  ASSERT_TRUE(sums);
  EXPECT_EQ(design->Mean(*sums).error().code, "SVY006");
  std::vector<int32_t> rows = {0, 1, 0, 1};
  std::vector<int32_t> one_group = {3, 3, 3, 3};
  auto test = design->RaoScott(rows, one_group, {});
  ASSERT_TRUE(test);
  EXPECT_FALSE(test->informative);
  EXPECT_EQ(test->columns_present, 1);
  std::vector<int32_t> negative = {0, -1, 0, 1};
  EXPECT_EQ(design->RaoScott(negative, one_group, {}).error().code, "SVY006");
}

// ---- Against R's survey package ------------------------------------------------------------

// One generated sample: strata, clusters nested in them, weights, an fpc, a numeric y, a 0/1
// b, a three-way classification r, groups g and a domain flag.
struct Sample {
  std::vector<int64_t> strata, clusters;
  std::vector<double> weights, fpc, y;
  std::vector<int32_t> b, r, g;
  std::vector<uint8_t> domain;
};

struct Scenario {
  std::string name;
  bool use_strata = true;
  bool use_clusters = true;
  int fpc_kind = 0;  // 0 none, 1 population sizes, 2 sampling fractions
  LonelyPsu lonely = LonelyPsu::kAdjust;
  bool lonely_stratum = false;  // one stratum with a single PSU
  uint64_t seed = 1;
};

Sample Generate(const Scenario& scenario) {
  std::mt19937_64 rng(scenario.seed);
  std::uniform_real_distribution<double> unit(0, 1);
  Sample s;
  const int strata = scenario.use_strata ? 8 : 1;
  int next_cluster = 1;
  for (int h = 1; h <= strata; ++h) {
    int clusters = !scenario.use_clusters ? 1
                   : scenario.use_strata  ? 3 + static_cast<int>(rng() % 5)
                                          : 20 + static_cast<int>(rng() % 10);
    if (scenario.lonely_stratum && h == strata) clusters = 1;
    double population = 0;
    int rows_in_stratum = 0;
    std::vector<int> sizes;
    for (int c = 0; c < clusters; ++c) {
      int size = scenario.use_clusters ? 2 + static_cast<int>(rng() % 8)
                 : scenario.use_strata ? 10 + static_cast<int>(rng() % 20)
                                       : 150;
      if (scenario.lonely_stratum && h == strata && !scenario.use_clusters) size = 1;
      sizes.push_back(size);
      rows_in_stratum += size;
    }
    // PSUs sampled: clusters, or rows when each row is its own PSU.
    int sampled = scenario.use_clusters ? clusters : rows_in_stratum;
    population = sampled * (1.5 + 3 * unit(rng));
    population = std::ceil(population);
    double stratum_effect = unit(rng) * 4;
    for (int c = 0; c < clusters; ++c) {
      double cluster_effect = unit(rng) * 2;
      int id = scenario.use_clusters ? next_cluster++ : 0;
      for (int i = 0; i < sizes[c]; ++i) {
        s.strata.push_back(h);
        s.clusters.push_back(id);
        s.weights.push_back(0.5 + 9.5 * unit(rng));
        s.fpc.push_back(scenario.fpc_kind == 1   ? population
                        : scenario.fpc_kind == 2 ? sampled / population
                                                 : 0);
        s.y.push_back(stratum_effect + cluster_effect + 3 * unit(rng));
        s.b.push_back(unit(rng) < 0.2 + 0.1 * stratum_effect ? 1 : 0);
        s.r.push_back(static_cast<int32_t>(rng() % 3));
        s.g.push_back(static_cast<int32_t>((rng() % 2) + (unit(rng) < 0.3 ? 2 : 0)));
        s.domain.push_back(unit(rng) < 0.6 ? 1 : 0);
      }
    }
  }
  if (!scenario.use_clusters) {
    for (size_t i = 0; i < s.clusters.size(); ++i) s.clusters[i] = static_cast<int64_t>(i + 1);
  }
  return s;
}

// gtest prints a parameter by its name, not as bytes.
void PrintTo(const Scenario& scenario, std::ostream* out) { *out << scenario.name; }

constexpr double kTolerance = 1e-9;

// |ours - r| within `relative` of R's value (of 1e-4 for smaller values).
void ExpectClose(double ours, const std::string& r_field, const std::string& what,
                 double relative = kTolerance) {
  if (r_field == "NA" || r_field == "NaN") {
    ADD_FAILURE() << what << ": R gives " << r_field << ", ngosurvey " << ours;
    return;
  }
  double r = std::strtod(r_field.c_str(), nullptr);
  double tolerance = relative * std::max(std::abs(r), 1e-4);
  EXPECT_NEAR(ours, r, tolerance) << what;
}

std::string DesignCall(const Scenario& scenario) {
  std::string call = "svydesign(ids = ~";
  call += scenario.use_clusters ? "cl" : "1";
  if (scenario.use_strata) call += ", strata = ~st";
  call += ", weights = ~w";
  if (scenario.fpc_kind != 0) call += ", fpc = ~fpc";
  call += ", data = d, nest = TRUE)";
  return call;
}

void WriteSample(const Sample& s, const std::string& path) {
  std::ofstream out(path);
  out.precision(17);
  out << "st,cl,w,fpc,y,b,r,g,dom\n";
  for (size_t i = 0; i < s.weights.size(); ++i) {
    out << s.strata[i] << ',' << s.clusters[i] << ',' << s.weights[i] << ',' << s.fpc[i] << ','
        << s.y[i] << ',' << s.b[i] << ',' << s.r[i] << ',' << s.g[i] << ','
        << static_cast<int>(s.domain[i]) << '\n';
  }
}

// For each domain (all rows, the domain flag, each group g = 0..3), R prints one line:
//   est DOMAIN mean se deff total se deff degf p_logit lo hi p_beta lo hi
// and for the Rao-Scott tests one line per domain:
//   chisq DOMAIN F ndf ddf p      (r by b; chisqg: r by g, where g varies)
constexpr const char* kReferenceScript = R"R(
suppressMessages(library(survey))
options(survey.lonely.psu = "%LONELY%")
d <- read.csv("%DATA%")
des <- %DESIGN%
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
one <- function(label, sub) {
  m <- svymean(~y, sub, deff = TRUE)
  t <- svytotal(~y, sub, deff = TRUE)
  pl <- svyciprop(~I(b == 1), sub, method = "logit")
  pb <- svyciprop(~I(b == 1), sub, method = "beta")
  # svyciprop's logit interval comes from svyglm's IRLS, which stops at glm's default
  # epsilon (1e-8): the same model fitted to convergence is the exact figure.
  fit <- svyglm(I(b == 1) ~ 1, sub, family = quasibinomial,
                control = glm.control(epsilon = 1e-15, maxit = 100))
  ci <- as.numeric(plogis(confint(fit, 1, level = 0.95, method = "Wald", ddf = degf(sub))))
  cat("est", label, fmt(c(coef(m), SE(m), deff(m), coef(t), SE(t), deff(t), degf(sub),
      coef(pl), attr(pl, "ci"), coef(pb), attr(pb, "ci"), plogis(coef(fit)), ci)), "\n")
  x <- svychisq(~r + b, sub)
  cat("chisq", label, fmt(c(x$statistic, x$parameter, x$p.value)), "\n")
  if (length(unique(sub$variables$g)) > 1) {
    xg <- svychisq(~r + g, sub)
    cat("chisqg", label, fmt(c(xg$statistic, xg$parameter, xg$p.value)), "\n")
  }
}
one("all", des)
one("dom", subset(des, dom == 1))
for (k in 0:3) one(paste0("g", k), subset(des, g == k))
)R";

std::string Replace(std::string text, const std::string& key, const std::string& value) {
  for (size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

class AgainstRSurveyTest : public ::testing::TestWithParam<Scenario> {
 protected:
  void SetUp() override {
    if (std::system("Rscript -e 'library(survey)' > /dev/null 2>&1") != 0) {
      FAIL() << "R's survey package is needed (tools/install-deps installs r-cran-survey)";
    }
  }
};

TEST_P(AgainstRSurveyTest, EstimatesIntervalsAndRaoScottAgreeWithR) {
  const Scenario& scenario = GetParam();
  Sample s = Generate(scenario);
  RScratch scratch;
  std::string data_path = (scratch.dir() / "sample.csv").string();
  WriteSample(s, data_path);
  std::string script =
      Replace(kReferenceScript, "%LONELY%", std::string(LonelyPsuName(scenario.lonely)));
  script = Replace(script, "%DATA%", data_path);
  script = Replace(script, "%DESIGN%", DesignCall(scenario));
  auto lines = RunR(script);
  ASSERT_EQ(lines.size(), 14u);

  DesignColumns columns{.weights = s.weights, .lonely_psu = scenario.lonely};
  if (scenario.use_strata) columns.strata = s.strata;
  if (scenario.use_clusters) columns.clusters = s.clusters;
  if (scenario.fpc_kind != 0) columns.fpc = s.fpc;
  auto design = Design::Make(columns);
  ASSERT_TRUE(design) << design.error().ToString();

  std::vector<double> b_values(s.b.begin(), s.b.end());
  std::map<std::string, std::vector<uint8_t>> domains;
  domains["all"] = {};
  domains["dom"] = s.domain;
  for (int k = 0; k < 4; ++k) {
    std::vector<uint8_t> in_group(s.g.size());
    for (size_t i = 0; i < s.g.size(); ++i) in_group[i] = s.g[i] == k;
    domains["g" + std::to_string(k)] = in_group;
  }
  for (const auto& line : lines) {
    ASSERT_GE(line.size(), 2u);
    const std::string& kind = line[0];
    const std::string where = scenario.name + " " + line[1] + " " + kind;
    const std::vector<uint8_t>& domain = domains.at(line[1]);
    if (kind == "est") {
      ASSERT_EQ(line.size(), 18u);
      auto y_sums = design->Sum(s.y, domain);
      auto b_sums = design->Sum(b_values, domain);
      ASSERT_TRUE(y_sums && b_sums);
      auto mean = design->Mean(*y_sums);
      auto total = design->Total(*y_sums);
      auto logit = design->Proportion(*b_sums, ProportionInterval::kLogit);
      auto beta = design->Proportion(*b_sums, ProportionInterval::kKornGraubard);
      ASSERT_TRUE(mean && total && logit && beta) << where;
      ExpectClose(mean->value, line[2], where + " mean");
      ExpectClose(mean->se, line[3], where + " mean se");
      ASSERT_TRUE(mean->deff.has_value()) << where;
      ExpectClose(*mean->deff, line[4], where + " mean deff");
      ExpectClose(total->value, line[5], where + " total");
      ExpectClose(total->se, line[6], where + " total se");
      ASSERT_TRUE(total->deff.has_value()) << where;
      ExpectClose(*total->deff, line[7], where + " total deff");
      EXPECT_EQ(std::to_string(mean->degrees_of_freedom), line[8]) << where << " degf";
      ASSERT_TRUE(logit->lower && logit->upper) << where;
      // Against the model fitted to convergence, to 1e-9; against svyciprop itself, whose
      // fit stops at glm's epsilon of 1e-8, to 1e-7.
      ExpectClose(logit->estimate.value, line[15], where + " proportion");
      ExpectClose(*logit->lower, line[16], where + " logit lower");
      ExpectClose(*logit->upper, line[17], where + " logit upper");
      ExpectClose(logit->estimate.value, line[9], where + " svyciprop proportion", 1e-7);
      ExpectClose(*logit->lower, line[10], where + " svyciprop logit lower", 1e-7);
      ExpectClose(*logit->upper, line[11], where + " svyciprop logit upper", 1e-7);
      ExpectClose(beta->estimate.value, line[12], where + " proportion (beta)");
      ASSERT_TRUE(beta->lower && beta->upper) << where;
      ExpectClose(*beta->lower, line[13], where + " Korn-Graubard lower");
      ExpectClose(*beta->upper, line[14], where + " Korn-Graubard upper");
    } else {
      ASSERT_EQ(line.size(), 6u) << where;
      const std::vector<int32_t>& columns = kind == "chisq" ? s.b : s.g;
      auto test = design->RaoScott(s.r, columns, domain);
      ASSERT_TRUE(test) << where << ": " << test.error().ToString();
      ASSERT_TRUE(test->informative) << where;
      ExpectClose(test->f_statistic, line[2], where + " F");
      ExpectClose(test->numerator_df, line[3], where + " ndf");
      ExpectClose(test->denominator_df, line[4], where + " ddf");
      ExpectClose(test->p_value, line[5], where + " p");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Designs, AgainstRSurveyTest,
    ::testing::Values(
        Scenario{.name = "strata_clusters", .seed = 11},
        Scenario{.name = "strata_clusters_popsize", .fpc_kind = 1, .seed = 12},
        Scenario{.name = "strata_rows_fraction", .use_clusters = false, .fpc_kind = 2, .seed = 13},
        Scenario{.name = "clusters_only", .use_strata = false, .seed = 14},
        Scenario{.name = "weights_only", .use_strata = false, .use_clusters = false, .seed = 15},
        Scenario{.name = "lonely_adjust",
                 .lonely = LonelyPsu::kAdjust,
                 .lonely_stratum = true,
                 .seed = 16},
        Scenario{.name = "lonely_certainty",
                 .lonely = LonelyPsu::kCertainty,
                 .lonely_stratum = true,
                 .seed = 17},
        Scenario{.name = "lonely_remove",
                 .lonely = LonelyPsu::kRemove,
                 .lonely_stratum = true,
                 .seed = 18},
        Scenario{.name = "lonely_average",
                 .lonely = LonelyPsu::kAverage,
                 .lonely_stratum = true,
                 .seed = 19},
        Scenario{.name = "lonely_adjust_popsize",
                 .fpc_kind = 1,
                 .lonely = LonelyPsu::kAdjust,
                 .lonely_stratum = true,
                 .seed = 20}),
    [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

}  // namespace
}  // namespace ngosurvey::analysis
