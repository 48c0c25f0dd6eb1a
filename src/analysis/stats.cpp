// Small-sample statistics. The formulas and the R functions they reproduce are in
// stats.h and docs/statistics.md; this file says why the code is shaped as it is.
#include "analysis/stats.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>
#include <utility>

#include "base/rounding.h"

namespace ngosurvey::analysis {
namespace {

// Boost reports trouble through errno and a NaN instead of exceptions, so that a
// failure becomes an Error (STA007) rather than an exception through the caller.
using StatsPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::pole_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>>;

// R's fisher.test compares 2x2 probabilities with this relative tolerance.
constexpr double kFisher2x2RelativeTolerance = 1e-7;
// A walk over hypergeometric terms stops when what it leaves out is provably below
// this fraction of its sum (2^-56: below the rounding of the sum itself).
constexpr double kTailEpsilon = 0x1.0p-56;
// FEXACT's TOL (fexact.c), added to the observed table's log-probability.
constexpr double kFexactLogTolerance = 3.45254e-7;
// Partial tables whose past log-weights differ by less than this are merged: the
// difference is rounding (sums of ~100 log-factorials carry errors near 1e-13), and
// merging changes no probability by more than this relative amount.
constexpr double kPastMergeTolerance = 1e-10;
// Deeper than this the bound recursion could exhaust the stack; such tables are far
// beyond what an exact test can enumerate anyway.
constexpr size_t kMaxStages = 1000;

Status CheckCounts(int64_t k, int64_t n) {
  if (n < 0 || k < 0 || k > n) {
    return MakeError("STA001", "invalid counts: " + std::to_string(k) + " successes of " +
                                   std::to_string(n) + " trials");
  }
  return Ok();
}

Result<double> TwoSidedZ(double level) {
  if (!(level > 0.0 && level < 1.0)) {
    return MakeError("STA002", "confidence level " + FormatRoundTrip(level) +
                                   " is not strictly between 0 and 1");
  }
  boost::math::normal_distribution<double, StatsPolicy> normal;
  // The upper alpha/2 quantile through the complement keeps accuracy for small alpha.
  double z = boost::math::quantile(boost::math::complement(normal, (1.0 - level) / 2.0));
  if (!std::isfinite(z)) return MakeError("STA007", "normal quantile failed");
  return z;
}

Result<double> BetaQuantileLower(double a, double b, double tail) {
  double x = boost::math::ibeta_inv(a, b, tail, StatsPolicy());
  if (!std::isfinite(x)) return MakeError("STA007", "beta quantile failed");
  return x;
}

Result<double> BetaQuantileUpper(double a, double b, double tail) {
  double x = boost::math::ibetac_inv(a, b, tail, StatsPolicy());
  if (!std::isfinite(x)) return MakeError("STA007", "beta quantile failed");
  return x;
}

Interval Clamped(double lower, double upper, int64_t k, int64_t n) {
  lower = std::clamp(lower, 0.0, 1.0);
  upper = std::clamp(upper, 0.0, 1.0);
  if (k == 0) lower = 0.0;
  if (k == n) upper = 1.0;
  return Interval{lower, std::max(lower, upper)};
}

double LogFactorial(int64_t n) {
  return boost::math::lgamma(static_cast<double>(n) + 1.0, StatsPolicy());
}

// ---- Hypergeometric log-densities, as R's dhyper(log = TRUE) ---------------------
//
// Loader's (2000) saddle-point form, the one R's dhyper uses: the Stirling-series
// error and the deviance term bd0 keep the log-density accurate to ~1e-14 absolute
// at any N, where a difference of lgamma values near 1e7 (N = 1e6) would carry
// errors near 1e-9 -- as large as the agreement with R we promise.

// log(n!) - log(sqrt(2 pi n) (n/e)^n), for integer n >= 0 (R's stirlerr).
double StirlingError(double n) {
  constexpr double kS0 = 1.0 / 12.0;
  constexpr double kS1 = 1.0 / 360.0;
  constexpr double kS2 = 1.0 / 1260.0;
  constexpr double kS3 = 1.0 / 1680.0;
  constexpr double kS4 = 1.0 / 1188.0;
  constexpr double kLogSqrt2Pi = 0.918938533204672741780329736406;
  if (n <= 15.0) {
    if (n <= 0.0) return 0.0;  // unused: the callers handle x = 0 and x = n apart
    // Boost's lgamma, not std::lgamma: glibc's writes the global signgam (a data
    // race when items are tabulated on several threads).
    return boost::math::lgamma(n + 1.0, StatsPolicy()) - (n + 0.5) * std::log(n) + n - kLogSqrt2Pi;
  }
  double nn = n * n;
  if (n > 500) return (kS0 - kS1 / nn) / n;
  if (n > 80) return (kS0 - (kS1 - kS2 / nn) / nn) / n;
  if (n > 35) return (kS0 - (kS1 - (kS2 - kS3 / nn) / nn) / nn) / n;
  return (kS0 - (kS1 - (kS2 - (kS3 - kS4 / nn) / nn) / nn) / nn) / n;
}

// x log(x / np) + np - x, without cancellation when x is near np (R's bd0).
double Bd0(double x, double np) {
  if (std::fabs(x - np) < 0.1 * (x + np)) {
    double v = (x - np) / (x + np);
    double s = (x - np) * v;
    if (std::fabs(s) < std::numeric_limits<double>::min()) return s;
    double ej = 2.0 * x * v;
    v *= v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v;
      double s1 = s + ej / static_cast<double>(2 * j + 1);
      if (s1 == s) return s1;
      s = s1;
    }
  }
  return x * std::log(x / np) + np - x;
}

// log of the binomial probability of x in n at p (q = 1 - p), R's dbinom_raw.
double LogBinomialRaw(double x, double n, double p, double q) {
  constexpr double kLog2Pi = 1.837877066409345483560659472811;
  constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
  if (p == 0.0) return x == 0.0 ? 0.0 : kMinusInfinity;
  if (q == 0.0) return x == n ? 0.0 : kMinusInfinity;
  if (x == 0.0) {
    if (n == 0.0) return 0.0;
    return p < 0.1 ? -Bd0(n, n * q) - n * p : n * std::log(q);
  }
  if (x == n) return q < 0.1 ? -Bd0(n, n * p) - n * q : n * std::log(p);
  if (x < 0.0 || x > n) return kMinusInfinity;
  double lc = StirlingError(n) - StirlingError(x) - StirlingError(n - x) - Bd0(x, n * p) -
              Bd0(n - x, n * q);
  double lf = kLog2Pi + std::log(x) + std::log1p(-x / n);
  return lc - 0.5 * lf;
}

// log P(X = x) for X ~ hypergeometric: x white balls among k drawn from m white
// and n black (R's dhyper(x, m, n, k, log = TRUE)).
double LogHypergeometric(int64_t x, int64_t m, int64_t n, int64_t k) {
  if (x < 0 || x > k || x > m || k - x > n) return -std::numeric_limits<double>::infinity();
  if (k == 0) return 0.0;
  double total = static_cast<double>(m + n);
  double p = static_cast<double>(k) / total;
  double q = static_cast<double>(m + n - k) / total;
  return LogBinomialRaw(static_cast<double>(x), static_cast<double>(m), p, q) +
         LogBinomialRaw(static_cast<double>(k - x), static_cast<double>(n), p, q) -
         LogBinomialRaw(static_cast<double>(k), total, p, q);
}

// Sums of hypergeometric probabilities started at a point and walked outward, in
// O(sqrt(variance)) terms instead of O(N) (docs/statistics.md, "Fisher 2x2 at large
// N"). Each walk multiplies exact ratios of integers d(x+1)/d(x); the walk stops
// when the geometric bound on everything beyond (the ratios only shrink away from
// the mode: the distribution is log-concave) is below kTailEpsilon of the sum.
class Hypergeometric {
 public:
  Hypergeometric(int64_t m, int64_t n, int64_t k)
      : m_(m), n_(n), k_(k), lo_(std::max<int64_t>(0, k - n)), hi_(std::min(k, m)) {
    // floor((k+1)(m+1)/(N+2)) is a mode; (k+1)(m+1) < 2^62.
    mode_ = std::clamp((k + 1) * (m + 1) / (m + n + 2), lo_, hi_);
  }

  // R's two-sided p-value: the probability of every x whose density is at most
  // the observed one's times (1 + 1e-7).
  double TwoSidedP(int64_t observed) {
    double log_limit = LogD(observed) + std::log1p(kFisher2x2RelativeTolerance);
    double log_mode = LogD(mode_);
    if (log_mode <= log_limit) return 1.0;  // every table is as unlikely as the observed
    double total = SumUpFrom(mode_) + SumDownFrom(mode_) - 1.0;  // in units of d(mode)
    double p = 0.0;
    // Above the mode the density does not increase: the tail counted starts at the
    // first x with d(x) <= limit (binary search; the observed x bounds it when above).
    int64_t left = mode_ + 1;
    int64_t right = observed > mode_ ? observed : hi_ + 1;
    while (left < right) {
      int64_t mid = left + (right - left) / 2;
      if (LogD(mid) <= log_limit) {
        right = mid;
      } else {
        left = mid + 1;
      }
    }
    if (left <= hi_) p += std::exp(LogD(left) - log_mode + std::log(SumUpFrom(left) / total));
    // Below the mode, mirrored: the last x with d(x) <= limit.
    left = observed < mode_ ? observed : lo_ - 1;
    right = mode_ - 1;
    while (left < right) {
      int64_t mid = left + (right - left + 1) / 2;
      if (LogD(mid) <= log_limit) {
        left = mid;
      } else {
        right = mid - 1;
      }
    }
    if (left >= lo_) p += std::exp(LogD(left) - log_mode + std::log(SumDownFrom(left) / total));
    return std::min(1.0, p);
  }

  int64_t work() const { return work_; }

 private:
  double LogD(int64_t x) {
    ++work_;
    return LogHypergeometric(x, m_, n_, k_);
  }

  // sum over y >= x of d(y) / d(x), for x >= mode.
  double SumUpFrom(int64_t x) {
    double sum = 1.0;
    double term = 1.0;
    for (; x < hi_; ++x) {
      double ratio = (static_cast<double>(k_ - x) / static_cast<double>(x + 1)) *
                     (static_cast<double>(m_ - x) / static_cast<double>(n_ - k_ + x + 1));
      term *= ratio;
      sum += term;
      ++work_;
      // What is left is at most term * (ratio + ratio^2 + ...).
      if (ratio < 1.0 && term * ratio <= kTailEpsilon * sum * (1.0 - ratio)) break;
    }
    return sum;
  }

  // sum over y <= x of d(y) / d(x), for x <= mode.
  double SumDownFrom(int64_t x) {
    double sum = 1.0;
    double term = 1.0;
    for (; x > lo_; --x) {
      double ratio = (static_cast<double>(x) / static_cast<double>(k_ - x + 1)) *
                     (static_cast<double>(n_ - k_ + x) / static_cast<double>(m_ - x + 1));
      term *= ratio;
      sum += term;
      ++work_;
      if (ratio < 1.0 && term * ratio <= kTailEpsilon * sum * (1.0 - ratio)) break;
    }
    return sum;
  }

  int64_t m_, n_, k_, lo_, hi_, mode_ = 0;
  int64_t work_ = 0;
};

// ---- r x c Fisher: network algorithm over stages --------------------------------
//
// The table is filled one "stage" (a column of the longer dimension) at a time. A
// node is the multiset of what remains of the other dimension's margins (sorted, so
// that permuted remainders share one node). A path's weight is the sum of
// -log(x!) over the cells placed so far; a table's probability is exp(weight + K).
// For each node we know exactly the largest and smallest weight any completion can
// add (memoised), and the total probability of all completions in closed form
// (n! / (prod r! prod c!)), so a partial table whose every completion is at most as
// likely as the observed table is counted whole, one whose every completion is more
// likely is dropped, and only the rest is expanded.

struct Bounds {
  double max = 0;
  double min = 0;
};

struct Past {
  double weight;
  double multiplicity;
};

// Nodes are keyed by their sorted remaining margins.
struct MarginsHash {
  size_t operator()(const std::vector<int>& margins) const {
    size_t h = 0xcbf29ce484222325u;
    for (int value : margins) h = (h ^ static_cast<size_t>(value)) * 0x100000001b3u;
    return h;
  }
};

class RxcFisher {
 public:
  RxcFisher(std::vector<int> state_margins, std::vector<int> stage_margins, int total,
            int64_t max_work)
      : state_(std::move(state_margins)),
        stages_(std::move(stage_margins)),
        total_(total),
        max_work_(max_work),
        memo_(stages_.size()),
        scratch_(stages_.size()) {
    log_fact_.resize(static_cast<size_t>(total_) + 1);
    for (int i = 0; i <= total_; ++i) log_fact_[i] = LogFactorial(i);
    stage_log_fact_suffix_.assign(stages_.size() + 1, 0.0);
    for (size_t j = stages_.size(); j-- > 0;) {
      stage_log_fact_suffix_[j] = stage_log_fact_suffix_[j + 1] + log_fact_[stages_[j]];
    }
  }

  // The two-sided p-value for a table whose -sum log(x!) is observed_weight, or
  // nullopt when the work limit was reached.
  std::optional<double> PValue(double observed_weight) {
    double threshold = observed_weight + kFexactLogTolerance;
    double log_k = -LogTotal(0, state_);  // log of prod r! prod c! / N!
    double p_value = 0.0;

    struct Node {
      std::vector<int> remaining;
      std::vector<Past> pasts;
    };
    using Level = std::unordered_map<std::vector<int>, Node, MarginsHash>;
    Level current;
    std::vector<int> root = state_;
    std::sort(root.begin(), root.end(), std::greater<>());
    current.emplace(root, Node{root, {Past{0.0, 1.0}}});

    for (size_t level = 0; level < stages_.size() && !current.empty(); ++level) {
      Level next;
      // Not a structured binding: clang 14 (the fuzz preset) cannot capture one in
      // the lambda below.
      for (auto& entry : current) {
        Node& node = entry.second;
        MergePasts(&node.pasts);
        std::optional<Bounds> bounds = GetBounds(level, node.remaining);
        if (!bounds) return std::nullopt;
        double log_total = LogTotal(level, node.remaining);
        std::vector<Past> undecided;
        for (const Past& past : node.pasts) {
          if (!Spend(1)) return std::nullopt;
          if (past.weight + bounds->max <= threshold) {
            p_value += past.multiplicity * std::exp(past.weight + log_total + log_k);
          } else if (past.weight + bounds->min > threshold) {
            // Every completion is more likely than the observed table.
          } else {
            undecided.push_back(past);
          }
        }
        if (undecided.empty()) continue;
        // At the last stage max == min, so every past was decided above.
        std::vector<int> child(node.remaining.size());
        bool ok =
            ForEachComposition(node.remaining, stages_[level], [&](const std::vector<int>& x) {
              double w = 0.0;
              for (size_t i = 0; i < x.size(); ++i) {
                w -= log_fact_[x[i]];
                child[i] = node.remaining[i] - x[i];
              }
              std::sort(child.begin(), child.end(), std::greater<>());
              if (!Spend(static_cast<int64_t>(undecided.size()))) return false;
              auto it = next.find(child);
              if (it == next.end()) it = next.emplace(child, Node{child, {}}).first;
              for (const Past& past : undecided) {
                it->second.pasts.push_back(Past{past.weight + w, past.multiplicity});
              }
              return true;
            });
        if (!ok) return std::nullopt;
      }
      current = std::move(next);
    }
    return p_value;
  }

  int64_t work() const { return work_; }

 private:
  bool Spend(int64_t units) {
    work_ += units;
    return work_ <= max_work_;
  }

  // log of the sum over all completions from this node of prod 1/x!, i.e.
  // log(n! / (prod remaining! prod stage margins from `level` on!)).
  double LogTotal(size_t level, const std::vector<int>& remaining) const {
    int n = std::accumulate(remaining.begin(), remaining.end(), 0);
    double value = log_fact_[n] - stage_log_fact_suffix_[level];
    for (int r : remaining) value -= log_fact_[r];
    return value;
  }

  static void MergePasts(std::vector<Past>* pasts) {
    if (pasts->size() < 2) return;
    std::sort(pasts->begin(), pasts->end(),
              [](const Past& a, const Past& b) { return a.weight < b.weight; });
    size_t out = 0;
    for (size_t i = 1; i < pasts->size(); ++i) {
      if ((*pasts)[i].weight - (*pasts)[out].weight <= kPastMergeTolerance) {
        (*pasts)[out].multiplicity += (*pasts)[i].multiplicity;
      } else {
        (*pasts)[++out] = (*pasts)[i];
      }
    }
    pasts->resize(out + 1);
  }

  // Calls visit(x) for every x with sum(x) == total and 0 <= x[i] <= cap[i], until
  // visit returns false or the work limit is reached (then returns false).
  template <typename Visit>
  bool ForEachComposition(const std::vector<int>& cap, int total, Visit&& visit) {
    std::vector<int> suffix(cap.size() + 1, 0);
    for (size_t i = cap.size(); i-- > 0;) suffix[i] = suffix[i + 1] + cap[i];
    if (total > suffix[0]) return true;
    std::vector<int> x(cap.size(), 0);
    return Compose(cap, suffix, 0, total, &x, visit);
  }

  template <typename Visit>
  bool Compose(const std::vector<int>& cap, const std::vector<int>& suffix, size_t index,
               int remaining, std::vector<int>* x, Visit& visit) {
    if (index + 1 == cap.size()) {
      (*x)[index] = remaining;  // feasible: remaining <= cap[index] by the suffix check
      if (!Spend(1)) return false;
      return visit(*x);
    }
    int lo = std::max(0, remaining - suffix[index + 1]);
    int hi = std::min(cap[index], remaining);
    for (int value = lo; value <= hi; ++value) {
      (*x)[index] = value;
      if (!Compose(cap, suffix, index + 1, remaining - value, x, visit)) return false;
    }
    return true;
  }

  // Largest and smallest weight that completing the table from this node adds.
  std::optional<Bounds> GetBounds(size_t level, const std::vector<int>& remaining) {
    if (level + 1 == stages_.size()) {
      double w = 0.0;
      for (int r : remaining) w -= log_fact_[r];
      return Bounds{w, w};
    }
    if (auto it = memo_[level].find(remaining); it != memo_[level].end()) return it->second;
    Bounds bounds{-std::numeric_limits<double>::infinity(),
                  std::numeric_limits<double>::infinity()};
    // One scratch vector per level: the recursion below reuses the next level's.
    std::vector<int>& child = scratch_[level];
    child.resize(remaining.size());
    bool ok = ForEachComposition(remaining, stages_[level], [&](const std::vector<int>& x) {
      double w = 0.0;
      for (size_t i = 0; i < x.size(); ++i) {
        w -= log_fact_[x[i]];
        child[i] = remaining[i] - x[i];
      }
      std::sort(child.begin(), child.end(), std::greater<>());
      std::optional<Bounds> below = GetBounds(level + 1, child);
      if (!below) return false;
      bounds.max = std::max(bounds.max, w + below->max);
      bounds.min = std::min(bounds.min, w + below->min);
      return true;
    });
    if (!ok) return std::nullopt;
    memo_[level].emplace(remaining, bounds);
    return bounds;
  }

  std::vector<int> state_;
  std::vector<int> stages_;
  int total_;
  int64_t max_work_;
  int64_t work_ = 0;
  std::vector<double> log_fact_;
  std::vector<double> stage_log_fact_suffix_;
  std::vector<std::unordered_map<std::vector<int>, Bounds, MarginsHash>> memo_;
  std::vector<std::vector<int>> scratch_;
};

// ---- r x c beyond the exact budget -------------------------------------------------

// An upper bound on the nodes the exact enumeration may visit: at each stage a node
// is a vector of remaining state margins (r_i + 1 values each, one fixed by the
// sum). Bounds and merging prune far below this, so a table under max_work by this
// estimate is always tried exactly; one far above it cannot finish anyway.
double ExactWorkEstimate(const std::vector<int>& state, size_t stages) {
  std::vector<int> sorted = state;
  std::sort(sorted.begin(), sorted.end());
  double nodes = 1.0;
  for (size_t i = 0; i + 1 < sorted.size(); ++i) nodes *= static_cast<double>(sorted[i]) + 1.0;
  return nodes * static_cast<double>(stages);
}

// The estimate above counts nodes; each node also enumerates the ways its stage's
// total can be split over the state margins (at most C(s + k - 1, k - 1) for a stage
// of total s and k margins), and that work is what the budget counts. Nodes times
// those splits bounds the whole enumeration from above: a table under max_work by
// this bound certainly fits. Pruning usually keeps the real work far below it, so a
// table over it is still tried, with a tenth of the budget when a fallback may answer
// instead: a 6 x 5 table of 100
// respondents used to spend the whole budget (a third of a second) before falling
// back, for every such item of a table.
double ExactWorkUpperBound(const std::vector<int>& state, const std::vector<int>& stages) {
  std::vector<int> sorted = state;
  std::sort(sorted.begin(), sorted.end());
  double nodes = 1.0;
  for (size_t i = 0; i + 1 < sorted.size(); ++i) nodes *= static_cast<double>(sorted[i]) + 1.0;
  const double k = static_cast<double>(state.size());
  double splits = 0.0;
  for (int s : stages) {
    // C(s + k - 1, k - 1) as a product, in doubles (only its size matters).
    double c = 1.0;
    for (double j = 1.0; j < k; j += 1.0) c *= (static_cast<double>(s) + j) / j;
    splits += c;
  }
  return nodes * splits;
}
constexpr int64_t kUnlikelyBudgetDivisor = 10;

// Sampling steps of the Monte Carlo test: a cell of expected count E takes about
// 1 + 2 sqrt(E) steps of the inversion walk, and sum sqrt(E) <= sqrt(cells * N).
double SimulationWorkEstimate(size_t rows, size_t columns, int64_t total, int64_t replicates) {
  double cells = static_cast<double>(rows * columns);
  return static_cast<double>(replicates) *
         (cells + 2.0 * std::sqrt(cells * static_cast<double>(total)));
}

// Random r x c tables with fixed margins, uniformly over the arrangements of the N
// respondents (the multiple hypergeometric distribution), by Patefield's (1981,
// AS 159) scheme as in R's rcont2: cell (i, j) of every row but the last and
// column but the last is drawn from its hypergeometric distribution given what
// remains of row i and of columns j.., the row's last cell and the last row take
// what is left. A cell is drawn by inversion, walking from the mode outward
// alternately up and down with the ratios of successive probabilities, so a draw
// costs O(standard deviation) steps. The generator is std::mt19937_64 (its output
// is fixed by the C++ standard) from a fixed seed: the same table always gets the
// same p-value, on every platform.
class TableSampler {
 public:
  TableSampler(std::vector<int> rows, std::vector<int> columns, int total, uint64_t seed)
      : rows_(std::move(rows)), columns_(std::move(columns)), engine_(seed) {
    log_fact_.resize(static_cast<size_t>(total) + 1);
    for (int i = 0; i <= total; ++i) log_fact_[i] = LogFactorial(i);
  }

  // -sum log(x!) of one random table.
  double Draw() {
    std::vector<int>& left = column_left_;
    left = columns_;
    double weight = 0.0;
    int rows_total_left = std::accumulate(rows_.begin(), rows_.end(), 0);
    for (size_t i = 0; i + 1 < rows_.size(); ++i) {
      int row_left = rows_[i];
      int population = rows_total_left;  // what rows i.. hold in columns j..
      rows_total_left -= rows_[i];
      for (size_t j = 0; j + 1 < columns_.size() && row_left > 0; ++j) {
        int successes = left[j];
        int x = Hypergeometric(population, successes, row_left);
        population -= successes;
        row_left -= x;
        left[j] -= x;
        weight -= log_fact_[x];
      }
      // The row's last column takes the rest (0 when the row was filled early).
      left[columns_.size() - 1] -= row_left;
      weight -= log_fact_[row_left];
    }
    for (int x : left) weight -= log_fact_[x];
    return weight;
  }

 private:
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // x successes among `draws` taken from `population` holding `successes`.
  int Hypergeometric(int population, int successes, int draws) {
    int failures = population - successes;
    int lo = std::max(0, draws - failures);
    int hi = std::min(draws, successes);
    if (lo == hi) return lo;
    int mode = static_cast<int>((static_cast<int64_t>(draws) + 1) * (successes + 1) /
                                (static_cast<int64_t>(population) + 2));
    mode = std::clamp(mode, lo, hi);
    double p_mode = std::exp(log_fact_[successes] + log_fact_[failures] + log_fact_[draws] +
                             log_fact_[population - draws] - log_fact_[population] -
                             log_fact_[mode] - log_fact_[successes - mode] -
                             log_fact_[draws - mode] - log_fact_[failures - draws + mode]);
    double u = Uniform();
    double cumulative = p_mode;
    if (u <= cumulative) return mode;
    // Walk up and down alternately; each side's probability from the previous one.
    int up = mode;
    int down = mode;
    double p_up = p_mode;
    double p_down = p_mode;
    while (up < hi || down > lo) {
      if (up < hi) {
        p_up *= (static_cast<double>(successes - up) / static_cast<double>(up + 1)) *
                (static_cast<double>(draws - up) / static_cast<double>(failures - draws + up + 1));
        ++up;
        cumulative += p_up;
        if (u <= cumulative) return up;
      }
      if (down > lo) {
        p_down *=
            (static_cast<double>(down) / static_cast<double>(successes - down + 1)) *
            (static_cast<double>(failures - draws + down) / static_cast<double>(draws - down + 1));
        --down;
        cumulative += p_down;
        if (u <= cumulative) return down;
      }
    }
    return mode;  // u beyond a total that rounding left just below 1
  }

  std::vector<int> rows_;
  std::vector<int> columns_;
  std::vector<int> column_left_;
  std::vector<double> log_fact_;
  std::mt19937_64 engine_;
};

// R's fisher.test(x, simulate.p.value = TRUE, B): (1 + #{STATISTIC_b <=
// STATISTIC / almost.1}) / (B + 1) with STATISTIC = -sum(lfactorial(x)).
double MonteCarloP(const std::vector<int>& rows, const std::vector<int>& columns, int total,
                   double observed_weight, int64_t replicates, uint64_t seed) {
  constexpr double kAlmostOne = 1.0 + 64.0 * std::numeric_limits<double>::epsilon();
  TableSampler sampler(rows, columns, total, seed);
  double limit = observed_weight / kAlmostOne;
  int64_t as_extreme = 0;
  for (int64_t b = 0; b < replicates; ++b) {
    if (sampler.Draw() <= limit) ++as_extreme;
  }
  return static_cast<double>(1 + as_extreme) / static_cast<double>(replicates + 1);
}

// Pearson's X^2 = sum (O - E)^2 / E with E = row total x column total / N, and its
// upper chi-square tail with (r-1)(c-1) degrees of freedom (R's chisq.test with
// correct = FALSE on the table without its empty rows and columns).
void PearsonChiSquare(const std::vector<std::vector<int64_t>>& table,
                      const std::vector<size_t>& rows_kept, const std::vector<size_t>& columns_kept,
                      const std::vector<int>& row_totals, const std::vector<int>& column_totals,
                      int64_t total, FisherResult* result) {
  double statistic = 0.0;
  double n = static_cast<double>(total);
  for (size_t i = 0; i < rows_kept.size(); ++i) {
    for (size_t j = 0; j < columns_kept.size(); ++j) {
      double expected =
          static_cast<double>(row_totals[i]) * static_cast<double>(column_totals[j]) / n;
      double diff = static_cast<double>(table[rows_kept[i]][columns_kept[j]]) - expected;
      statistic += diff * diff / expected;
    }
  }
  int df = static_cast<int>((rows_kept.size() - 1) * (columns_kept.size() - 1));
  result->chi_square = statistic;
  result->degrees_of_freedom = df;
  result->p_value =
      boost::math::gamma_q(static_cast<double>(df) / 2.0, statistic / 2.0, StatsPolicy());
}

Error TooLarge(int64_t max_work) {
  return Error{"STA004",
               "not computed: table too large for the exact test (work limit " +
                   std::to_string(max_work) + " reached)",
               {}};
}

}  // namespace

// ---- Binomial intervals -----------------------------------------------------------

std::string_view IntervalMethodName(IntervalMethod method) {
  switch (method) {
    case IntervalMethod::kWilson:
      return "wilson";
    case IntervalMethod::kClopperPearson:
      return "clopper-pearson";
    case IntervalMethod::kJeffreys:
      return "jeffreys";
    case IntervalMethod::kAgrestiCoull:
      return "agresti-coull";
  }
  return "unknown";
}

Result<std::optional<Interval>> BinomialInterval(IntervalMethod method, int64_t k, int64_t n,
                                                 double level) {
  switch (method) {
    case IntervalMethod::kWilson:
      return WilsonInterval(k, n, level);
    case IntervalMethod::kClopperPearson:
      return ClopperPearsonInterval(k, n, level);
    case IntervalMethod::kJeffreys:
      return JeffreysInterval(k, n, level);
    case IntervalMethod::kAgrestiCoull:
      return AgrestiCoullInterval(k, n, level);
  }
  return MakeError("STA007", "unknown interval method");
}

Result<std::optional<Interval>> WilsonInterval(int64_t k, int64_t n, double level) {
  NGO_TRY(CheckCounts(k, n));
  double z = NGO_TRY(TwoSidedZ(level));
  if (n == 0) return std::optional<Interval>();
  double nn = static_cast<double>(n);
  double p = static_cast<double>(k) / nn;
  double z2 = z * z;
  double center = (p + z2 / (2.0 * nn)) / (1.0 + z2 / nn);
  double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / (1.0 + z2 / nn);
  return std::optional<Interval>(Clamped(center - half, center + half, k, n));
}

Result<std::optional<Interval>> ClopperPearsonInterval(int64_t k, int64_t n, double level) {
  NGO_TRY(CheckCounts(k, n));
  NGO_TRY(TwoSidedZ(level));  // validates the level
  if (n == 0) return std::optional<Interval>();
  double tail = (1.0 - level) / 2.0;
  double kk = static_cast<double>(k);
  double nn = static_cast<double>(n);
  double lower = k == 0 ? 0.0 : NGO_TRY(BetaQuantileLower(kk, nn - kk + 1.0, tail));
  double upper = k == n ? 1.0 : NGO_TRY(BetaQuantileUpper(kk + 1.0, nn - kk, tail));
  return std::optional<Interval>(Clamped(lower, upper, k, n));
}

Result<std::optional<Interval>> JeffreysInterval(int64_t k, int64_t n, double level) {
  NGO_TRY(CheckCounts(k, n));
  NGO_TRY(TwoSidedZ(level));
  if (n == 0) return std::optional<Interval>();
  double tail = (1.0 - level) / 2.0;
  double a = static_cast<double>(k) + 0.5;
  double b = static_cast<double>(n - k) + 0.5;
  double lower = k == 0 ? 0.0 : NGO_TRY(BetaQuantileLower(a, b, tail));
  double upper = k == n ? 1.0 : NGO_TRY(BetaQuantileUpper(a, b, tail));
  return std::optional<Interval>(Clamped(lower, upper, k, n));
}

Result<std::optional<Interval>> AgrestiCoullInterval(int64_t k, int64_t n, double level) {
  NGO_TRY(CheckCounts(k, n));
  double z = NGO_TRY(TwoSidedZ(level));
  if (n == 0) return std::optional<Interval>();
  double z2 = z * z;
  double n_tilde = static_cast<double>(n) + z2;
  double p_tilde = (static_cast<double>(k) + z2 / 2.0) / n_tilde;
  double half = z * std::sqrt(p_tilde * (1.0 - p_tilde) / n_tilde);
  return std::optional<Interval>(Clamped(p_tilde - half, p_tilde + half, k, n));
}

// ---- Fisher's exact test ----------------------------------------------------------

std::string_view FisherMethodName(FisherMethod method) {
  switch (method) {
    case FisherMethod::kExact:
      return "exact";
    case FisherMethod::kMonteCarlo:
      return "monte_carlo";
    case FisherMethod::kAsymptotic:
      return "asymptotic";
  }
  return "unknown";
}

Result<FisherResult> FisherExact2x2(int64_t a, int64_t b, int64_t c, int64_t d,
                                    const FisherOptions& options) {
  (void)options;  // the 2x2 test needs O(sqrt(N)) terms: no work limit applies
  if (a < 0 || b < 0 || c < 0 || d < 0) {
    return MakeError("STA003", "a 2x2 table has a negative cell");
  }
  constexpr int64_t kMaxTotal = std::numeric_limits<int32_t>::max();
  if (a > kMaxTotal || b > kMaxTotal || c > kMaxTotal || d > kMaxTotal ||
      a + b + c + d > kMaxTotal) {
    return MakeError("STA003", "a 2x2 table's total is above 2^31");
  }
  // R's names: m and n are the column totals, k the first row's total, x = a.
  int64_t m = a + c;
  int64_t n = b + d;
  int64_t k = a + b;
  int64_t lo = std::max<int64_t>(0, k - n);
  int64_t hi = std::min(k, m);
  FisherResult result;
  result.effective_rows = (k > 0) + (c + d > 0);
  result.effective_columns = (m > 0) + (n > 0);
  result.informative = hi > lo;
  result.work = 1;
  if (!result.informative) {
    result.p_value = 1.0;
    return result;
  }
  Hypergeometric h(m, n, k);
  result.p_value = h.TwoSidedP(a);
  result.work = h.work();
  return result;
}

Result<FisherResult> FisherExact(const std::vector<std::vector<int64_t>>& table,
                                 const FisherOptions& options) {
  if (table.empty() || table[0].empty()) {
    return MakeError("STA003", "the contingency table has no cells");
  }
  size_t columns = table[0].size();
  int64_t total = 0;
  constexpr int64_t kMaxTotal = std::numeric_limits<int32_t>::max();
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    if (table[row_idx].size() != columns) {
      return MakeError("STA003", "row " + std::to_string(row_idx + 1) + " has " +
                                     std::to_string(table[row_idx].size()) +
                                     " cells, the first row has " + std::to_string(columns));
    }
    for (int64_t cell : table[row_idx]) {
      if (cell < 0) return MakeError("STA003", "the contingency table has a negative cell");
      if (cell > kMaxTotal || (total += cell) > kMaxTotal) {
        return MakeError("STA003", "the contingency table's total is above 2^31");
      }
    }
  }
  if (table.size() == 2 && columns == 2) {
    return FisherExact2x2(table[0][0], table[0][1], table[1][0], table[1][1], options);
  }

  // Margins, without the rows and columns nobody is in.
  std::vector<size_t> rows_kept;
  std::vector<size_t> columns_kept;
  std::vector<int> row_totals;
  std::vector<int> column_totals;
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    int64_t sum = std::accumulate(table[row_idx].begin(), table[row_idx].end(), int64_t{0});
    if (sum > 0) {
      rows_kept.push_back(row_idx);
      row_totals.push_back(static_cast<int>(sum));
    }
  }
  for (size_t column_idx = 0; column_idx < columns; ++column_idx) {
    int64_t sum = 0;
    for (const auto& row : table) sum += row[column_idx];
    if (sum > 0) {
      columns_kept.push_back(column_idx);
      column_totals.push_back(static_cast<int>(sum));
    }
  }
  FisherResult result;
  result.effective_rows = static_cast<int>(rows_kept.size());
  result.effective_columns = static_cast<int>(columns_kept.size());
  if (rows_kept.size() < 2 || columns_kept.size() < 2) {
    result.p_value = 1.0;
    result.informative = false;
    return result;
  }
  result.informative = true;

  // The shorter dimension is the node state, the longer one the stages.
  bool rows_are_state = rows_kept.size() <= columns_kept.size();
  std::vector<int> state = rows_are_state ? row_totals : column_totals;
  std::vector<int> stages = rows_are_state ? column_totals : row_totals;
  std::sort(stages.begin(), stages.end(), std::greater<>());

  double observed_weight = 0.0;
  for (size_t row_idx : rows_kept) {
    for (size_t column_idx : columns_kept) {
      observed_weight -= LogFactorial(table[row_idx][column_idx]);
    }
  }
  bool try_exact = stages.size() <= kMaxStages &&
                   ExactWorkEstimate(state, stages.size()) <= static_cast<double>(options.max_work);
  if (try_exact) {
    // Only when a fallback may answer instead: a caller who wants the exact test or
    // nothing gets the whole budget.
    const int64_t budget = !options.allow_fallback || ExactWorkUpperBound(state, stages) <=
                                                          static_cast<double>(options.max_work)
                               ? options.max_work
                               : std::max<int64_t>(1, options.max_work / kUnlikelyBudgetDivisor);
    RxcFisher fisher(std::move(state), std::move(stages), static_cast<int>(total), budget);
    std::optional<double> p_value = fisher.PValue(observed_weight);
    result.work = fisher.work();
    if (p_value) {
      result.p_value = std::clamp(*p_value, 0.0, 1.0);
      return result;
    }
  }
  if (!options.allow_fallback) return tl::unexpected(TooLarge(options.max_work));
  if (options.replicates > 0 &&
      SimulationWorkEstimate(rows_kept.size(), columns_kept.size(), total, options.replicates) <=
          static_cast<double>(options.max_simulation_work)) {
    result.method = FisherMethod::kMonteCarlo;
    result.replicates = options.replicates;
    result.p_value = MonteCarloP(row_totals, column_totals, static_cast<int>(total),
                                 observed_weight, options.replicates, options.seed);
    return result;
  }
  result.method = FisherMethod::kAsymptotic;
  PearsonChiSquare(table, rows_kept, columns_kept, row_totals, column_totals, total, &result);
  if (!std::isfinite(result.p_value)) return MakeError("STA007", "chi-square tail failed");
  result.p_value = std::clamp(result.p_value, 0.0, 1.0);
  return result;
}

// ---- p-value adjustment -----------------------------------------------------------

std::string_view PAdjustMethodName(PAdjustMethod method) {
  switch (method) {
    case PAdjustMethod::kHolm:
      return "holm";
    case PAdjustMethod::kBenjaminiHochberg:
      return "BH";
  }
  return "unknown";
}

Result<std::vector<double>> AdjustPValues(std::span<const double> p, PAdjustMethod method) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
      return MakeError("STA005", "p-value " + std::to_string(i + 1) + " is " +
                                     FormatRoundTrip(p[i]) + ", not in [0, 1]");
    }
  }
  size_t n = p.size();
  std::vector<double> adjusted(n);
  if (n == 0) return adjusted;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  if (method == PAdjustMethod::kHolm) {
    // Ascending; the i-th smallest (1-based) is multiplied by n - i + 1, then a
    // running maximum keeps the adjusted values in the p-values' order.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
    double running = 0.0;
    for (size_t i = 0; i < n; ++i) {
      running = std::max(running, static_cast<double>(n - i) * p[order[i]]);
      adjusted[order[i]] = std::min(1.0, running);
    }
  } else {
    // Descending; the i-th smallest is multiplied by n / i, then a running minimum
    // from the largest down.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
    double running = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < n; ++j) {
      double rank = static_cast<double>(n - j);
      running = std::min(running, static_cast<double>(n) / rank * p[order[j]]);
      adjusted[order[j]] = std::min(1.0, running);
    }
  }
  return adjusted;
}

Result<std::vector<std::optional<double>>> AdjustPValuesWithMissing(
    std::span<const std::optional<double>> p, PAdjustMethod method) {
  std::vector<double> present;
  for (const auto& value : p) {
    if (value) present.push_back(*value);
  }
  std::vector<double> adjusted = NGO_TRY(AdjustPValues(present, method));
  std::vector<std::optional<double>> out(p.size());
  size_t next = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i]) out[i] = adjusted[next++];
  }
  return out;
}

// ---- Printing ---------------------------------------------------------------------

Result<std::string> RoundPercentHalfUp(int64_t k, int64_t n, int decimals) {
  // The scaled result must fit in 63 bits: k/n at most 10^7 (a percentage of a
  // billion percent), far beyond any count over its base.
  if (n <= 0 || k < 0 || decimals < 0 || decimals > 9 || k / n >= 10'000'000) {
    return MakeError("STA006", "cannot round " + std::to_string(k) + "/" + std::to_string(n) +
                                   " as a percent to " + std::to_string(decimals) + " decimals");
  }
  return FormatScaled(RoundHalfUpScaled(__int128{100} * k, n, decimals), decimals);
}

std::string FormatRoundTrip(double value) {
  char buffer[40];
  int length = std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return std::string(buffer, static_cast<size_t>(std::max(length, 0)));
}

}  // namespace ngosurvey::analysis
