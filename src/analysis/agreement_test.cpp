#include "analysis/agreement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "analysis/testing/run_r.h"

namespace ngosurvey::analysis {
namespace {

// ---- Worked examples from the literature ---------------------------------------------------

// Fleiss (1971), "Measuring nominal scale agreement among many raters", Table 1: 30
// patients, 6 psychiatrists each (not the same six), 5 diagnoses (depression,
// personality disorder, schizophrenia, neurosis, other); cell = how many gave it.
constexpr int kFleiss1971[30][5] = {
    {0, 0, 0, 6, 0}, {0, 3, 0, 0, 3}, {0, 1, 4, 0, 1}, {0, 0, 0, 0, 6}, {0, 3, 0, 3, 0},
    {2, 0, 4, 0, 0}, {0, 0, 4, 0, 2}, {2, 0, 3, 1, 0}, {2, 0, 0, 4, 0}, {0, 0, 0, 0, 6},
    {1, 0, 0, 5, 0}, {1, 1, 0, 4, 0}, {0, 3, 3, 0, 0}, {1, 0, 0, 5, 0}, {0, 2, 0, 3, 1},
    {0, 0, 5, 0, 1}, {3, 0, 0, 1, 2}, {5, 1, 0, 0, 0}, {0, 2, 0, 4, 0}, {1, 0, 2, 0, 3},
    {0, 0, 0, 0, 6}, {0, 1, 0, 5, 0}, {0, 2, 0, 1, 3}, {2, 0, 0, 4, 0}, {1, 0, 0, 4, 1},
    {0, 5, 0, 1, 0}, {4, 0, 0, 0, 2}, {0, 2, 0, 4, 0}, {1, 0, 5, 0, 0}, {0, 0, 0, 0, 6},
};

TEST(AgreementLiteratureTest, Fleiss1971OverallKappa) {
  AgreementTable table;
  table.categories = 5;
  for (const auto& row : kFleiss1971) table.counts.insert(table.counts.end(), row, row + 5);
  NominalAgreement a = ComputeNominalAgreement(table);
  EXPECT_EQ(a.n_units, 30);
  ASSERT_TRUE(a.fleiss_kappa);
  EXPECT_NEAR(*a.fleiss_kappa, 0.430, 5e-4);  // Fleiss (1971): kappa = .430
  // Fleiss's P-bar = .556 and P-bar_e = .220 (his equations 2 and 5).
  ASSERT_TRUE(a.percent_agreement);
  EXPECT_NEAR(*a.percent_agreement, 0.556, 5e-4);
}

TEST(AgreementLiteratureTest, Fleiss1971PerCategoryKappasAsPresentAbsentCodes) {
  // Each diagnosis is a code, present for the raters who gave it: the per-code
  // Fleiss kappa must be Fleiss's kappa_j (his Table 2: .245, .245, .520, .471, .566).
  std::vector<Coding> codings;
  for (uint32_t patient = 0; patient < 30; ++patient) {
    uint32_t rater = 0;
    for (int diagnosis = 0; diagnosis < 5; ++diagnosis) {
      for (int i = 0; i < kFleiss1971[patient][diagnosis]; ++i) {
        codings.push_back({patient, rater++, diagnosis});
      }
    }
    ASSERT_EQ(rater, 6u);
  }
  std::vector<std::string> codes = {"depression", "personality", "schizophrenia", "neurosis",
                                    "other"};
  AgreementOptions options;
  options.replicates = 0;
  auto result = ComputeCodingAgreement(codings, 30, 6, codes, options);
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->size(), 6u);
  const double published[5] = {0.245, 0.245, 0.520, 0.471, 0.566};
  for (int j = 0; j < 5; ++j) {
    const CodeAgreement& row = (*result)[static_cast<size_t>(j)];
    EXPECT_EQ(row.code, codes[static_cast<size_t>(j)]);
    EXPECT_EQ(row.n_units, 30);
    EXPECT_EQ(row.n_coders, 6);
    EXPECT_FALSE(row.cohen_kappa);  // six coders
    ASSERT_TRUE(row.fleiss_kappa);
    EXPECT_NEAR(*row.fleiss_kappa, published[j], 5e-4) << codes[static_cast<size_t>(j)];
  }
  EXPECT_EQ(result->back().code, "(overall)");
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
// 4 observers, 12 units, values 1-5, missing values; nominal alpha = 0.743.
TEST(AgreementLiteratureTest, KrippendorffNominalFourObserversWithMissingValues) {
  const int kMissing = 0;
  const int values[4][12] = {
      {1, 2, 3, 3, 2, 1, 4, 1, 2, kMissing, kMissing, kMissing},
      {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, kMissing, 3},
      {kMissing, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, kMissing},
      {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, kMissing},
  };
  AgreementTable table;
  table.categories = 5;
  for (int unit = 0; unit < 12; ++unit) {
    int64_t counts[5] = {0, 0, 0, 0, 0};
    for (const auto& observer : values) {
      if (observer[unit] != kMissing) ++counts[observer[unit] - 1];
    }
    table.counts.insert(table.counts.end(), counts, counts + 5);
  }
  NominalAgreement a = ComputeNominalAgreement(table);
  EXPECT_EQ(a.n_units, 11);  // unit 12 has one value: not pairable
  ASSERT_TRUE(a.krippendorff_alpha);
  EXPECT_NEAR(*a.krippendorff_alpha, 0.743, 5e-4);
}

// Krippendorff (2011), section A: two observers, ten units, binary data; alpha =
// 0.095. Cohen's kappa of the same table: po = .6, pe = .2 * .4 + .8 * .6 = .56, so
// (.6 - .56) / .44 = 1/11.
TEST(AgreementLiteratureTest, KrippendorffBinaryTwoObservers) {
  const int a[10] = {0, 1, 0, 0, 0, 0, 0, 0, 1, 0};
  const int b[10] = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
  std::vector<Coding> codings;
  for (uint32_t unit = 0; unit < 10; ++unit) {
    codings.push_back({unit, 0, a[unit] ? 0 : kNoCode});
    codings.push_back({unit, 1, b[unit] ? 0 : kNoCode});
  }
  auto result = ComputeCodingAgreement(codings, 10, 2, {"x"});
  ASSERT_TRUE(result) << result.error().ToString();
  const CodeAgreement& x = (*result)[0];
  EXPECT_EQ(x.n_units, 10);
  EXPECT_EQ(x.n_coders, 2);
  ASSERT_TRUE(x.krippendorff_alpha && x.cohen_kappa && x.percent_agreement);
  EXPECT_NEAR(*x.krippendorff_alpha, 0.095, 5e-4);
  EXPECT_NEAR(*x.krippendorff_alpha, 1.0 - 19.0 * 8.0 / 168.0, 1e-15);
  EXPECT_NEAR(*x.cohen_kappa, 1.0 / 11.0, 1e-15);
  EXPECT_DOUBLE_EQ(*x.percent_agreement, 0.6);
  // One code: the overall row is that code's.
  const CodeAgreement& overall = (*result)[1];
  EXPECT_EQ(overall.code, "(overall)");
  EXPECT_EQ(*overall.krippendorff_alpha, *x.krippendorff_alpha);
  EXPECT_EQ(*overall.cohen_kappa, *x.cohen_kappa);
  // The bootstrap interval holds the estimate here and is the same on every run.
  ASSERT_TRUE(x.alpha_lo && x.alpha_hi);
  EXPECT_LE(*x.alpha_lo, *x.alpha_hi);
  EXPECT_LT(*x.alpha_lo, *x.krippendorff_alpha);
  EXPECT_GT(*x.alpha_hi, *x.krippendorff_alpha);
  auto again = ComputeCodingAgreement(codings, 10, 2, {"x"});
  EXPECT_EQ(*(*again)[0].alpha_lo, *x.alpha_lo);
  EXPECT_EQ(*(*again)[0].alpha_hi, *x.alpha_hi);
  // Another seed, another draw.
  AgreementOptions other;
  other.seed = 7;
  auto reseeded = ComputeCodingAgreement(codings, 10, 2, {"x"}, other);
  EXPECT_TRUE(*(*reseeded)[0].alpha_lo != *x.alpha_lo || *(*reseeded)[0].alpha_hi != *x.alpha_hi);
}

// ---- Edge cases ----------------------------------------------------------------------------

TEST(AgreementTest, EmptyWhenNotComputable) {
  // Two coders who never use the code: agreement is perfect, but kappa and alpha
  // have no chance agreement to correct and are empty.
  std::vector<Coding> codings = {{0, 0, kNoCode}, {0, 1, kNoCode}, {1, 0, 1}, {1, 1, 1}};
  auto result = ComputeCodingAgreement(codings, 3, 2, {"never", "always_on_1"});
  ASSERT_TRUE(result);
  const CodeAgreement& never = (*result)[0];
  EXPECT_EQ(never.n_units, 2);
  EXPECT_EQ(*never.percent_agreement, 1.0);
  EXPECT_FALSE(never.cohen_kappa);
  EXPECT_FALSE(never.fleiss_kappa);
  EXPECT_FALSE(never.krippendorff_alpha);
  EXPECT_FALSE(never.alpha_lo);
  EXPECT_FALSE(never.alpha_hi);
  // Pooled, the two codes vary: the overall coefficients exist (perfect agreement).
  const CodeAgreement& overall = (*result)[2];
  EXPECT_EQ(*overall.krippendorff_alpha, 1.0);
  EXPECT_EQ(*overall.fleiss_kappa, 1.0);
  EXPECT_EQ(*overall.cohen_kappa, 1.0);

  // One coder per answer: nothing is pairable.
  auto single = ComputeCodingAgreement({{0, 0, 0}, {1, 1, 0}}, 2, 2, {"a"});
  ASSERT_TRUE(single);
  EXPECT_EQ((*single)[0].n_units, 0);
  EXPECT_EQ((*single)[0].n_coders, 0);
  EXPECT_FALSE((*single)[0].percent_agreement);
  EXPECT_FALSE((*single)[0].cohen_kappa);
}

TEST(AgreementTest, SegmentsOfOneCodeCountOnceAndMissingCodersAreLeftOut) {
  // Coder 0 gives code 0 twice (two segments) on unit 0; coder 2 codes only unit 1.
  std::vector<Coding> codings = {{0, 0, 0}, {0, 0, 0}, {0, 1, 0}, {1, 0, kNoCode},
                                 {1, 1, 0}, {1, 2, 0}, {2, 2, 0}};
  auto result = ComputeCodingAgreement(codings, 3, 3, {"a"});
  ASSERT_TRUE(result);
  const CodeAgreement& a = (*result)[0];
  EXPECT_EQ(a.n_units, 2);  // unit 2 has one coder
  EXPECT_EQ(a.n_coders, 3);
  // Unit 0: 1 agreeing pair of 1; unit 1: 1 of 3.
  EXPECT_DOUBLE_EQ(*a.percent_agreement, (1.0 + 1.0 / 3.0) / 2.0);
  EXPECT_FALSE(a.cohen_kappa);  // three coders
}

TEST(AgreementTest, OutOfRangeCodingsAreErrors) {
  auto bad_code = ComputeCodingAgreement({{0, 0, 3}}, 1, 1, {"a"});
  ASSERT_FALSE(bad_code);
  EXPECT_EQ(bad_code.error().code, "AG001");
  EXPECT_EQ(bad_code.error().message, "coding 1 (unit 0, coder 0, code 3) is out of range");
  EXPECT_FALSE(ComputeCodingAgreement({{0, 0, 0}, {1, 0, 0}}, 1, 1, {"a"}));
  EXPECT_FALSE(ComputeCodingAgreement({{0, 5, 0}}, 1, 1, {"a"}));
  AgreementOptions bad;
  bad.level = 1.5;
  EXPECT_EQ(ComputeCodingAgreement({}, 0, 0, {}, bad).error().code, "AG002");
}

// ---- Against an independent implementation in R --------------------------------------------

// Random codings of `n_units` answers by `n_coders` coders: each coder codes an
// answer with probability 0.8 and gives each code with a probability that depends on
// the answer's "true" codes, so coefficients land anywhere between chance and 1.
std::vector<Coding> RandomCodings(uint32_t n_units, uint32_t n_coders, int n_codes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit01(0.0, 1.0);
  std::vector<Coding> codings;
  for (uint32_t unit = 0; unit < n_units; ++unit) {
    std::vector<bool> truth(static_cast<size_t>(n_codes));
    for (int code = 0; code < n_codes; ++code)
      truth[static_cast<size_t>(code)] = unit01(rng) < 0.1 + 0.15 * code;
    for (uint32_t coder = 0; coder < n_coders; ++coder) {
      if (unit01(rng) > 0.8) continue;
      bool any = false;
      // Code n_codes - 1 is never given; the others follow the truth with errors.
      for (int code = 0; code + 1 < n_codes; ++code) {
        bool present = truth[static_cast<size_t>(code)] ? unit01(rng) < 0.85 : unit01(rng) < 0.1;
        if (!present) continue;
        codings.push_back({unit, coder, code});
        if (unit01(rng) < 0.2) codings.push_back({unit, coder, code});  // a second segment
        any = true;
      }
      if (!any) codings.push_back({unit, coder, kNoCode});
    }
  }
  std::shuffle(codings.begin(), codings.end(), rng);
  return codings;
}

// Brute force from the definitions: every coder pair of every unit, the
// coincidence matrix of ordered pairs, Fleiss's P_i, Cohen's 2x2 from the two
// coders' vectors, R's own bootstrap of units. Shares no code with agreement.cpp.
constexpr const char* kReferenceR = R"R(
d <- read.csv("codings.csv", colClasses = c("integer", "integer", "character"))
codes <- readLines("codes.txt")
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
judged <- unique(d[, c("unit", "coder")])
per_unit <- table(judged$unit)
pairable <- sort(as.integer(names(per_unit)[per_unit >= 2]))
coders_used <- sort(unique(judged$coder[judged$unit %in% pairable]))
unit_values <- function(code) {
  lapply(pairable, function(u) {
    cs <- sort(unique(judged$coder[judged$unit == u]))
    v <- sapply(cs, function(c) as.integer(any(d$unit == u & d$coder == c & d$code == code)))
    names(v) <- cs
    v
  })
}
pa <- function(units) mean(sapply(units, function(v) {
  p <- combn(length(v), 2); mean(v[p[1, ]] == v[p[2, ]]) }))
# Each unit's coincidences (o00, o01, o10, o11): every ordered pair of values from
# different coders, weighted 1 / (m - 1).
coincidences <- function(units) t(sapply(units, function(v) {
  o <- matrix(0, 2, 2); m <- length(v)
  for (i in seq_len(m)) for (j in seq_len(m)) if (i != j)
    o[v[i] + 1, v[j] + 1] <- o[v[i] + 1, v[j] + 1] + 1 / (m - 1)
  as.vector(o) }))
alpha_of <- function(o) {
  o <- matrix(o, 2, 2); nc <- rowSums(o); n <- sum(nc)
  if (nc[1] * nc[2] == 0) return(NA)
  1 - (n - 1) * (o[1, 2] + o[2, 1]) / (2 * nc[1] * nc[2])
}
alpha <- function(units) alpha_of(colSums(coincidences(units)))
fleiss <- function(units) {
  nij <- t(sapply(units, function(v) c(sum(v == 0), sum(v == 1))))
  m <- rowSums(nij)
  P <- mean(rowSums(nij * (nij - 1)) / (m * (m - 1)))
  p <- colSums(nij) / sum(m); Pe <- sum(p^2)
  if (Pe == 1) return(NA)
  (P - Pe) / (1 - Pe)
}
cohen <- function(units) {
  if (length(coders_used) != 2) return(NA)
  a <- sapply(units, function(v) v[[as.character(coders_used[1])]])
  b <- sapply(units, function(v) v[[as.character(coders_used[2])]])
  po <- mean(a == b); pe <- mean(a) * mean(b) + (1 - mean(a)) * (1 - mean(b))
  if (pe == 1) return(NA)
  (po - pe) / (1 - pe)
}
set.seed(1)
boot <- function(units) {
  if (is.na(alpha(units))) return(c(NA, NA))
  o <- coincidences(units)
  r <- replicate(2000, alpha_of(colSums(o[sample(nrow(o), replace = TRUE), , drop = FALSE])))
  unname(quantile(r, c(0.025, 0.975), type = 7, na.rm = TRUE))
}
report <- function(name, units) {
  ci <- boot(units)
  cat(name, "n_units", length(pairable), "\n")
  cat(name, "n_coders", length(coders_used), "\n")
  cat(name, "percent_agreement", fmt(pa(units)), "\n")
  cat(name, "cohen_kappa", fmt(cohen(units)), "\n")
  cat(name, "fleiss_kappa", fmt(fleiss(units)), "\n")
  cat(name, "krippendorff_alpha", fmt(alpha(units)), "\n")
  cat(name, "alpha_lo", fmt(ci[1]), "\n")
  cat(name, "alpha_hi", fmt(ci[2]), "\n")
}
all_units <- list()
for (code in codes) { u <- unit_values(code); all_units <- c(all_units, u); report(code, u) }
report("(overall)", all_units)
)R";

void CompareWithR(uint32_t n_units, uint32_t n_coders, int n_codes, uint64_t seed) {
  std::vector<Coding> codings = RandomCodings(n_units, n_coders, n_codes, seed);
  std::vector<std::string> codes;
  for (int c = 0; c < n_codes; ++c) codes.push_back("code" + std::to_string(c));
  AgreementOptions options;
  options.replicates = 2000;
  auto result = ComputeCodingAgreement(codings, n_units, n_coders, codes, options);
  ASSERT_TRUE(result) << result.error().ToString();

  auto dir = testing::MakeRDir("agreement");
  {
    std::ofstream csv(dir / "codings.csv");
    csv << "unit,coder,code\n";
    for (const Coding& c : codings) {
      csv << c.unit << ',' << c.coder << ','
          << (c.code == kNoCode ? "" : codes[static_cast<size_t>(c.code)]) << '\n';
    }
    std::ofstream list(dir / "codes.txt");
    for (const auto& code : codes) list << code << '\n';
  }
  auto lines = testing::RunRIn(dir, kReferenceR);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(lines.size(), 8u * (codes.size() + 1));
  std::map<std::pair<std::string, std::string>, std::string> r;
  for (const auto& line : lines) {
    ASSERT_EQ(line.size(), 3u);
    r[std::make_pair(line[0], line[1])] = line[2];
  }
  auto R = [&](const std::string& code, const char* statistic) {
    return r[std::make_pair(code, std::string(statistic))];
  };
  int defined_alphas = 0;
  for (const CodeAgreement& row : *result) {
    SCOPED_TRACE(row.code);
    EXPECT_EQ(std::to_string(row.n_units), R(row.code, "n_units"));
    EXPECT_EQ(std::to_string(row.n_coders), R(row.code, "n_coders"));
    auto exact = [&](const char* name, const std::optional<double>& ours) {
      const std::string theirs = R(row.code, name);
      if (!ours) {
        EXPECT_EQ(theirs, "NA") << name;
        return;
      }
      ASSERT_NE(theirs, "NA") << name;
      EXPECT_NEAR(*ours, std::strtod(theirs.c_str(), nullptr), 1e-12) << name;
    };
    exact("percent_agreement", row.percent_agreement);
    exact("cohen_kappa", row.cohen_kappa);
    exact("fleiss_kappa", row.fleiss_kappa);
    exact("krippendorff_alpha", row.krippendorff_alpha);
    // Two bootstraps with their own random draws: the same interval within Monte
    // Carlo error (2,000 replicates each side).
    for (const auto& [name, ours] :
         {std::pair<const char*, std::optional<double>>{"alpha_lo", row.alpha_lo},
          {"alpha_hi", row.alpha_hi}}) {
      const std::string theirs = R(row.code, name);
      ASSERT_EQ(ours.has_value(), theirs != "NA") << name;
      if (ours) {
        EXPECT_NEAR(*ours, std::strtod(theirs.c_str(), nullptr), 0.03) << name;
      }
    }
    if (row.krippendorff_alpha) ++defined_alphas;
  }
  EXPECT_GE(defined_alphas, n_codes - 1);  // the comparison compared something
}

TEST(AgreementAgainstRTest, ThreeCodersWithMissingCodings) { CompareWithR(80, 3, 5, 11); }

TEST(AgreementAgainstRTest, TwoCodersGiveCohensKappa) { CompareWithR(70, 2, 4, 12); }

TEST(AgreementAgainstRTest, SixCoders) { CompareWithR(40, 6, 3, 13); }

}  // namespace
}  // namespace ngosurvey::analysis
