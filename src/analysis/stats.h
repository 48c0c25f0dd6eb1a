// Small-sample statistics for table cells: binomial confidence intervals, Fisher's
// exact test (2x2 and r x c), p-value adjustment for multiple comparisons, and
// exact percent rounding. Every method reproduces a named R function or a standard
// formula, and the tests compare against R itself (docs/statistics.md gives the
// formulas and conventions).
//
// Nothing here returns NaN for a case that has no answer: a proportion of zero
// respondents has no interval (std::nullopt), a test on a table that admits only
// one arrangement is flagged as uninformative, and an r x c table too large for
// the exact test gets a Monte Carlo or asymptotic p-value, marked as such, instead
// of running for hours.
//
// Error codes:
//   STA001 invalid counts (negative, or more successes than trials)
//   STA002 invalid confidence level (must be strictly between 0 and 1)
//   STA003 invalid contingency table (empty, ragged, negative cells, too many cells)
//   STA004 not computed: the exact test needs more work than the limit allows
//          (only when FisherOptions::allow_fallback is false)
//   STA005 invalid p-value (NaN or outside [0, 1])
//   STA006 invalid rounding request (n <= 0, k < 0 or decimals outside [0, 9])
//   STA007 numerical failure in a distribution function (should not happen)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::analysis {

// ---------------------------------------------------------------------------
// Binomial confidence intervals for k successes in n trials.
// ---------------------------------------------------------------------------

enum class IntervalMethod {
  // Wilson score interval without continuity correction: binom::binom.confint's
  // "wilson", and R's prop.test(k, n, correct = FALSE)$conf.int. (prop.test's
  // default, correct = TRUE, is a different, continuity-corrected interval.)
  kWilson,
  // Clopper-Pearson "exact" interval: binom.test(k, n)$conf.int, i.e. beta
  // quantiles qbeta(a/2, k, n-k+1) and qbeta(1-a/2, k+1, n-k).
  kClopperPearson,
  // Jeffreys interval: equal-tailed quantiles of Beta(k+1/2, n-k+1/2), with
  // Brown, Cai & DasGupta's (2001) convention lower = 0 at k = 0 and upper = 1
  // at k = n (there the beta quantile would exclude the observed proportion).
  kJeffreys,
  // Agresti-Coull "adjusted Wald": add z^2/2 successes and z^2/2 failures, then
  // the Wald interval: binom::binom.confint's "agresti-coull", here clipped to
  // [0, 1] (binom.confint leaves bounds such as -0.02 unclipped).
  kAgrestiCoull,
};

// "wilson", "clopper-pearson", "jeffreys", "agresti-coull".
std::string_view IntervalMethodName(IntervalMethod method);

struct Interval {
  double lower = 0;
  double upper = 0;
};

// The interval for k of n at confidence `level` (0.95 = 95%, i.e. alpha = 0.05),
// with 0 <= lower <= upper <= 1. At k = 0 the lower bound is exactly 0 and
// at k = n the upper bound is exactly 1, for every method.
// Returns std::nullopt when n == 0: a proportion of nobody has no interval.
// Errors: STA001 (k < 0, n < 0, k > n), STA002 (level not in (0, 1)), STA007.
Result<std::optional<Interval>> BinomialInterval(IntervalMethod method, int64_t k, int64_t n,
                                                 double level = 0.95);

// The same, one function per method.
Result<std::optional<Interval>> WilsonInterval(int64_t k, int64_t n, double level = 0.95);
Result<std::optional<Interval>> ClopperPearsonInterval(int64_t k, int64_t n, double level = 0.95);
Result<std::optional<Interval>> JeffreysInterval(int64_t k, int64_t n, double level = 0.95);
Result<std::optional<Interval>> AgrestiCoullInterval(int64_t k, int64_t n, double level = 0.95);

// ---------------------------------------------------------------------------
// Fisher's exact test, two-sided.
// ---------------------------------------------------------------------------

// How an r x c p-value was obtained (docs/statistics.md, "r x c beyond the exact
// budget"). A 2x2 test is always exact.
enum class FisherMethod {
  kExact,       // every table with the observed margins accounted for (R's FEXACT)
  kMonteCarlo,  // random tables with the observed margins (R's simulate.p.value)
  kAsymptotic,  // Pearson's chi-square (R's chisq.test(correct = FALSE))
};

// "exact", "monte_carlo", "asymptotic".
std::string_view FisherMethodName(FisherMethod method);

struct FisherOptions {
  // Work units (tables or partial tables examined) after which the exact r x c
  // enumeration gives up. The default keeps the worst case to a few seconds; the
  // study's tables (2 columns x up to ~10 rows, N up to ~60) need far less.
  int64_t max_work = 5'000'000;
  // When the exact test does not fit max_work (estimated beforehand, or reached):
  // false = error STA004; true = a Monte Carlo p-value, or the asymptotic one when
  // even the simulation would exceed max_simulation_work.
  bool allow_fallback = true;
  // Monte Carlo: B random tables (Patefield's algorithm) from a fixed seed, so the
  // same table always gives the same p-value.
  int64_t replicates = 10'000;
  uint64_t seed = 20261125;
  // Estimated sampling steps (replicates x (cells + 2 sqrt(cells x N))) above which
  // the asymptotic test is used instead of the simulation (~0.1 s).
  int64_t max_simulation_work = 20'000'000;
};

struct FisherResult {
  double p_value = 1.0;
  // False when only one table has the observed margins (fewer than two rows or
  // fewer than two columns with a nonzero total, N = 0 included). The p-value is
  // then exactly 1, as R reports, but it says nothing: print it as "no test".
  bool informative = false;
  // Rows and columns with a nonzero total: the shape the test really had.
  int effective_rows = 0;
  int effective_columns = 0;
  // Work units spent (for the caller's curiosity and for tests of the limit).
  int64_t work = 0;
  FisherMethod method = FisherMethod::kExact;
  int64_t replicates = 0;      // kMonteCarlo: B
  double chi_square = 0;       // kAsymptotic: Pearson's statistic
  int degrees_of_freedom = 0;  // kAsymptotic: (effective rows - 1)(effective columns - 1)
};

// The 2x2 table
//            col 1  col 2
//   row 1      a      b
//   row 2      c      d
// exactly as R's fisher.test(matrix(c(a, c, b, d), 2))$p.value: the sum of the
// hypergeometric probabilities of the tables with the observed margins whose
// probability is <= the observed table's times (1 + 1e-7), capped at 1. The sum
// takes O(sqrt(variance)) terms (walks outward from the tails' inner ends with a
// proven stopping bound), so any N up to 2^31 is quick; options.max_work is not used.
// Errors: STA003 (a negative cell, a total above 2^31).
Result<FisherResult> FisherExact2x2(int64_t a, int64_t b, int64_t c, int64_t d,
                                    const FisherOptions& options = {});

// An r x c table given as rows of cells (table[row][column]). A table given as
// 2x2 is computed as FisherExact2x2 (R does the same). Any other shape follows R's
// FEXACT: every table with the observed margins is accounted for (by exact
// enumeration with bounds that settle whole subtrees at once), and the p-value is
// the probability of the tables whose log-probability is <= the observed one's plus
// 3.45254e-7 (FEXACT's tolerance), capped at 1. Rows and columns whose total is
// zero are ignored, as FEXACT does.
// When the enumeration's size, estimated from the margins, exceeds max_work (or the
// enumeration reaches max_work) and fallback is allowed: R's
// fisher.test(simulate.p.value = TRUE, B = replicates), i.e. (1 + #{random tables
// at most as likely as the observed}) / (B + 1); or, when that simulation would
// exceed max_simulation_work, Pearson's chi-square p. `method` says which.
// Errors: STA003 (no rows, ragged rows, a negative cell, a total above 2^31),
// STA004 (fallback not allowed and the exact test does not fit:
// "not computed: table too large").
Result<FisherResult> FisherExact(const std::vector<std::vector<int64_t>>& table,
                                 const FisherOptions& options = {});

// ---------------------------------------------------------------------------
// Multiple-comparison adjustment, as R's p.adjust(p, method).
// ---------------------------------------------------------------------------

enum class PAdjustMethod {
  kHolm,               // p.adjust(p, "holm"): step-down, family-wise error rate
  kBenjaminiHochberg,  // p.adjust(p, "BH"): step-up, false discovery rate
};

// "holm", "BH" (R's names).
std::string_view PAdjustMethodName(PAdjustMethod method);

// Adjusted p-values in the input's order, with R's monotonicity (cumulative max for
// Holm, cumulative min for BH, over the sorted p-values) and capping at 1. The
// family size is p.size(). Errors: STA005 (a NaN or a value outside [0, 1]).
Result<std::vector<double>> AdjustPValues(std::span<const double> p, PAdjustMethod method);

// The same with missing entries (cells where no test was computed), as R's NA:
// they stay missing and do not count in the family size.
Result<std::vector<std::optional<double>>> AdjustPValuesWithMissing(
    std::span<const std::optional<double>> p, PAdjustMethod method);

// ---------------------------------------------------------------------------
// Printing numbers.
// ---------------------------------------------------------------------------

// 100*k/n rounded half-up to `decimals` places, computed on the exact rational
// with integer arithmetic (never binary floating point): 1/8 at 0 decimals is
// "13", 1/14 at 1 decimal is "7.1", 0/13 at 1 decimal is "0.0". k may exceed n.
// Errors: STA006 (n <= 0, k < 0, decimals outside [0, 9]).
Result<std::string> RoundPercentHalfUp(int64_t k, int64_t n, int decimals);

// The C library's "%.17g" format: enough digits that parsing the text gives back
// the same double (for machine-readable outputs and test diagnostics). NaN and
// infinity print as "nan" and "inf" (with a sign when negative).
std::string FormatRoundTrip(double value);

}  // namespace ngosurvey::analysis
