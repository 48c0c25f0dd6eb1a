#include "analysis/survey_design.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace ngosurvey::analysis {
namespace {

Location RowLocation(int64_t row) {
  Location where;
  where.row = static_cast<int>(row + 1);
  return where;
}

std::string FormatNumber(double value) { return fmt::format("{}", value); }

// `value` of row `row` when it is a finite positive number, else `code` with "row N: the
// WHAT is VALUE; RULE".
Status CheckPositive(double value, size_t row, std::string_view code, std::string_view what,
                     std::string_view rule) {
  if (std::isfinite(value) && value > 0) return Ok();
  return MakeError(
      std::string(code),
      fmt::format("row {}: the {} is {}; {}", row + 1, what,
                  std::isnan(value) ? std::string("missing") : FormatNumber(value), rule),
      RowLocation(static_cast<int64_t>(row)));
}

// R's qt(p, df) for the lower tail.
double StudentQuantile(double p, double df) {
  boost::math::students_t dist(df);
  return boost::math::quantile(dist, p);
}

// Numbers (stratum, cluster) keys in order of first appearance. An open-addressing table
// (linear probing, a power-of-two size kept at most half full) instead of std::unordered_map,
// whose node per key and pointer chase per row were most of Design::Make's time on a
// million rows (bench/README.md, "Weighted tables"). Rows of one stratum or a few clusters
// usually come together, so a small direct-mapped cache of recent keys (in L1, one multiply
// to place a key) is tried first: the table's probe cost a third of Design::Make.
class FirstSeenIndex {
 public:
  // The key's index; a new key takes the next one and sets *added.
  int32_t Find(int32_t stratum, int64_t cluster, bool* added) {
    *added = false;
    Recent& recent = recent_[RecentSlot(stratum, cluster)];
    if (recent.index >= 0 && recent.stratum == stratum && recent.cluster == cluster) {
      return recent.index;
    }
    const int32_t index = FindInTable(stratum, cluster, added);
    recent = {cluster, stratum, index};
    return index;
  }

 private:
  struct Key {
    int32_t stratum;
    int64_t cluster;
  };
  struct Recent {
    int64_t cluster = 0;
    int32_t stratum = 0;
    int32_t index = -1;
  };
  static constexpr int kRecentBits = 10;
  static size_t RecentSlot(int32_t stratum, int64_t cluster) {
    // The product's top bits depend on every bit of the key (doubles' low bits are often 0).
    uint64_t x =
        (static_cast<uint64_t>(cluster) ^ static_cast<uint32_t>(stratum)) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(x >> (64 - kRecentBits));
  }
  int32_t FindInTable(int32_t stratum, int64_t cluster, bool* added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t slot = Hash(stratum, cluster) & mask;; slot = (slot + 1) & mask) {
      int32_t index = slots_[slot];
      if (index < 0) {
        index = static_cast<int32_t>(keys_.size());
        keys_.push_back({stratum, cluster});
        slots_[slot] = index;
        *added = true;
        return index;
      }
      if (keys_[index].stratum == stratum && keys_[index].cluster == cluster) return index;
    }
  }
  static size_t Hash(int32_t stratum, int64_t cluster) {
    // splitmix64's finaliser: identifiers are often small consecutive integers or the bits of
    // a double, and both need mixing before a power-of-two mask.
    uint64_t x =
        static_cast<uint64_t>(cluster) * 0x9E3779B97F4A7C15ull + static_cast<uint32_t>(stratum);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return static_cast<size_t>(x ^ (x >> 31));
  }
  void Grow() {
    slots_.assign(std::max<size_t>(64, slots_.size() * 2), -1);
    size_t mask = slots_.size() - 1;
    for (size_t i = 0; i < keys_.size(); ++i) {
      size_t slot = Hash(keys_[i].stratum, keys_[i].cluster) & mask;
      while (slots_[slot] >= 0) slot = (slot + 1) & mask;
      slots_[slot] = static_cast<int32_t>(i);
    }
  }
  std::vector<Key> keys_;
  std::vector<int32_t> slots_;
  std::vector<Recent> recent_ = std::vector<Recent>(size_t{1} << kRecentBits);
};

// FirstSeenIndex with, for identifiers that are codes of 1 or 2 bytes, a table by code that
// keeps the stratum and index each code was last found with: in a nested design a cluster
// code is one PSU, so the table answers every row after the code's first, without the
// index's hash and probe (3.4% of a weighted table's time at 10M rows, on one thread:
// bench/README.md, "Weighted tables"). The numbers are the index's: first appearance.
class Numbering {
 public:
  explicit Numbering(std::optional<size_t> code_limit) {
    if (code_limit) by_code_.assign(*code_limit, Entry{});
  }
  int32_t Find(int32_t stratum, int64_t id, bool* added) {
    if (by_code_.empty()) return index_.Find(stratum, id, added);
    Entry& entry = by_code_[static_cast<size_t>(id)];
    if (entry.stratum == stratum) {
      *added = false;
      return entry.index;
    }
    entry = {stratum, index_.Find(stratum, id, added)};
    return entry.index;
  }

 private:
  struct Entry {
    int32_t stratum = -1;  // no stratum: never found
    int32_t index = -1;
  };
  std::vector<Entry> by_code_;
  FirstSeenIndex index_;
};

// Strata, then PSUs, numbered in order of first appearance, a pass each (each column read in
// its own type, dispatched once: no identifier copied per row). The first pass leaves each
// row's stratum in *psu_of_row, which the second replaces by the row's PSU (no stratum per
// row kept: a column of the data's size less to allocate). *stratum_name gets each
// stratum's identifier as messages show it.
void NumberStrataAndPsus(const DesignIds& strata, const DesignIds& clusters, size_t n,
                         PsuOfRow* psu_of_row, std::vector<int32_t>* stratum_of_psu,
                         std::vector<std::string>* stratum_name) {
  psu_of_row->Reset(n);
  if (strata.empty()) {
    stratum_name->emplace_back("1");
  } else {
    Numbering stratum_index(strata.code_limit());
    strata.Visit([&](auto id) {
      for (size_t row = 0; row < n; ++row) {
        bool added = false;
        psu_of_row->Set(row, stratum_index.Find(0, id(row), &added));
        if (added) stratum_name->push_back(strata.Name(row));
      }
    });
  }
  const bool stratified = !strata.empty();
  if (clusters.empty()) {
    stratum_of_psu->resize(n, 0);
    for (size_t row = 0; row < n; ++row) {
      if (stratified) (*stratum_of_psu)[row] = (*psu_of_row)[row];
      psu_of_row->Set(row, static_cast<int32_t>(row));
    }
    return;
  }
  Numbering psu_index(clusters.code_limit());
  clusters.Visit([&](auto id) {
    for (size_t row = 0; row < n; ++row) {
      const int32_t stratum = stratified ? (*psu_of_row)[row] : 0;
      bool added = false;
      psu_of_row->Set(row, psu_index.Find(stratum, id(row), &added));
      if (added) stratum_of_psu->push_back(stratum);
    }
  });
}

double Logit(double p) { return std::log(p / (1 - p)); }
double Expit(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace

std::string_view LonelyPsuName(LonelyPsu lonely) {
  switch (lonely) {
    case LonelyPsu::kFail:
      return "fail";
    case LonelyPsu::kCertainty:
      return "certainty";
    case LonelyPsu::kRemove:
      return "remove";
    case LonelyPsu::kAdjust:
      return "adjust";
    case LonelyPsu::kAverage:
      return "average";
  }
  return "adjust";
}

Result<LonelyPsu> ParseLonelyPsu(std::string_view name) {
  for (LonelyPsu lonely : {LonelyPsu::kFail, LonelyPsu::kCertainty, LonelyPsu::kRemove,
                           LonelyPsu::kAdjust, LonelyPsu::kAverage}) {
    if (name == LonelyPsuName(lonely)) return lonely;
  }
  return MakeError("SVY007", fmt::format("unknown lonely_psu '{}': expected fail, certainty, "
                                         "remove, adjust or average",
                                         name));
}

std::string_view ProportionIntervalName(ProportionInterval method) {
  switch (method) {
    case ProportionInterval::kLogit:
      return "logit";
    case ProportionInterval::kKornGraubard:
      return "korn-graubard";
  }
  return "logit";
}

Result<ProportionInterval> ParseProportionInterval(std::string_view name) {
  if (name == "logit") return ProportionInterval::kLogit;
  if (name == "korn-graubard" || name == "beta") return ProportionInterval::kKornGraubard;
  return MakeError("SVY007", fmt::format("unknown design-based interval '{}': expected logit "
                                         "or korn-graubard",
                                         name));
}

std::string DesignIds::Name(size_t row) const {
  switch (kind_) {
    case Kind::kInt64:
      return fmt::format("{}", static_cast<const int64_t*>(data_)[row]);
    case Kind::kNumber:
      return FormatNumber(static_cast<const double*>(data_)[row] + 0.0);
    case Kind::kCode8:
    case Kind::kCode16:
    case Kind::kCode32: {
      uint32_t code = kind_ == Kind::kCode8    ? static_cast<const uint8_t*>(data_)[row]
                      : kind_ == Kind::kCode16 ? static_cast<const uint16_t*>(data_)[row]
                                               : static_cast<const uint32_t*>(data_)[row];
      return code < names_.size() ? names_[code] : fmt::format("{}", code);
    }
  }
  return {};
}

Result<Design> Design::Make(const DesignColumns& columns) {
  const size_t n = columns.weights.size();
  if (n == 0) return MakeError("SVY002", "a survey design needs at least one row");
  auto check_length = [&](size_t size, std::string_view what) -> Status {
    if (size != 0 && size != n) {
      return MakeError("SVY002",
                       fmt::format("the {} column has {} values for {} weights", what, size, n));
    }
    return Ok();
  };
  NGO_TRY(check_length(columns.strata.size(), "strata"));
  NGO_TRY(check_length(columns.clusters.size(), "cluster"));
  NGO_TRY(check_length(columns.fpc.size(), "fpc"));

  Design design;
  design.lonely_psu_ = columns.lonely_psu;
  if (columns.weights_owner) {
    design.weights_ = columns.weights;
    design.weights_owner_ = columns.weights_owner;
  } else {
    auto copy =
        std::make_shared<const std::vector<double>>(columns.weights.begin(), columns.weights.end());
    design.weights_ = *copy;
    design.weights_owner_ = std::move(copy);
  }
  for (size_t row = 0; row < n; ++row) {
    // The test inline, the message only for a bad weight (a call per row was 3% of a
    // weighted table's time).
    const double w = columns.weights[row];
    if (std::isfinite(w) && w > 0) continue;
    NGO_TRY(
        CheckPositive(w, row, "SVY001", "weight", "a sampling weight must be a positive number"));
  }

  NumberStrataAndPsus(columns.strata, columns.clusters, n, &design.psu_of_row_,
                      &design.stratum_of_psu_, &design.stratum_name_);
  design.psus_in_stratum_.assign(design.stratum_name_.size(), 0);
  for (int32_t stratum : design.stratum_of_psu_) ++design.psus_in_stratum_[stratum];
  design.first_psu_of_stratum_.assign(design.stratum_name_.size() + 1, 0);
  for (size_t h = 0; h < design.psus_in_stratum_.size(); ++h) {
    design.first_psu_of_stratum_[h + 1] =
        design.first_psu_of_stratum_[h] + design.psus_in_stratum_[h];
  }
  design.psus_by_stratum_.resize(design.stratum_of_psu_.size());
  std::vector<int32_t> next(design.first_psu_of_stratum_.begin(),
                            design.first_psu_of_stratum_.end() - 1);
  for (size_t psu = 0; psu < design.stratum_of_psu_.size(); ++psu) {
    design.psus_by_stratum_[next[design.stratum_of_psu_[psu]]++] = static_cast<int32_t>(psu);
  }
  if (columns.strata.empty() && design.psus() == 1) {
    return MakeError("SVY005",
                     "the design has only one primary sampling unit: no variance "
                     "can be estimated");
  }

  // The finite population correction, one factor per stratum.
  design.fpc_factor_.assign(design.stratum_name_.size(), 1.0);
  if (!columns.fpc.empty()) {
    bool any_above_one = false;
    bool all_at_least_one = true;
    for (size_t row = 0; row < n; ++row) {
      double f = columns.fpc[row];
      NGO_TRY(CheckPositive(f, row, "SVY003", "fpc",
                            "it must be a population size (>= 1) or a sampling fraction (<= 1)"));
      any_above_one = any_above_one || f > 1;
      all_at_least_one = all_at_least_one && f >= 1;
    }
    if (any_above_one != all_at_least_one) {
      return MakeError("SVY003",
                       "the fpc column mixes population sizes (> 1) and sampling "
                       "fractions (< 1)");
    }
    std::vector<double> stratum_fpc(design.stratum_name_.size(), -1);
    for (size_t row = 0; row < n; ++row) {
      double& seen = stratum_fpc[design.stratum_of_psu_[design.psu_of_row_[row]]];
      if (seen < 0) {
        seen = columns.fpc[row];
      } else if (seen != columns.fpc[row]) {
        return MakeError(
            "SVY003",
            fmt::format("row {}: the fpc {} differs from {} given earlier for stratum {}", row + 1,
                        FormatNumber(columns.fpc[row]), FormatNumber(seen),
                        design.stratum_name_[design.stratum_of_psu_[design.psu_of_row_[row]]]),
            RowLocation(static_cast<int64_t>(row)));
      }
    }
    for (size_t h = 0; h < stratum_fpc.size(); ++h) {
      double sampled = design.psus_in_stratum_[h];
      double population = any_above_one ? stratum_fpc[h] : sampled / stratum_fpc[h];
      if (population < sampled) {
        return MakeError("SVY003",
                         fmt::format("stratum {}: the fpc gives a population of {} PSUs but {} "
                                     "were sampled (more than 100%)",
                                     design.stratum_name_[h], FormatNumber(population),
                                     design.psus_in_stratum_[h]));
      }
      design.fpc_factor_[h] = (population - sampled) / population;
    }
  }
  return design;
}

Result<DomainSums> Design::Sum(std::span<const double> y, std::span<const uint8_t> domain) const {
  const int64_t n = rows();
  if ((!y.empty() && static_cast<int64_t>(y.size()) != n) ||
      (!domain.empty() && static_cast<int64_t>(domain.size()) != n)) {
    return MakeError("SVY006", fmt::format("a variable or domain of {} values for a design of {} "
                                           "rows",
                                           y.empty() ? domain.size() : y.size(), n));
  }
  DomainSums sums;
  sums.weight.assign(psus(), 0.0);
  sums.weighted_y.assign(psus(), 0.0);
  sums.weighted_yy.assign(psus(), 0.0);
  sums.rows.assign(psus(), 0);
  for (int64_t row = 0; row < n; ++row) {
    if (!domain.empty() && domain[row] == 0) continue;
    int32_t psu = psu_of_row_[row];
    double w = weights_[row];
    double value = y.empty() ? 1.0 : y[row];
    sums.weight[psu] += w;
    sums.weighted_y[psu] += w * value;
    sums.weighted_yy[psu] += w * value * value;
    ++sums.rows[psu];
  }
  return sums;
}

int Design::DegreesOfFreedom(std::span<const int64_t> rows_per_psu) const {
  int psus_present = 0;
  std::vector<char> stratum_present(strata(), 0);
  for (int psu = 0; psu < psus(); ++psu) {
    if (rows_per_psu[psu] == 0) continue;
    ++psus_present;
    stratum_present[stratum_of_psu_[psu]] = 1;
  }
  return psus_present -
         static_cast<int>(std::count(stratum_present.begin(), stratum_present.end(), 1));
}

Result<std::vector<double>> Design::Variance(std::span<const double> z, int k,
                                             std::span<const int64_t> rows_per_psu) const {
  // R's onestage: each stratum with a row of the domain contributes
  //   scale_h * sum over its n_h PSUs of (z_c - mean_h)(z_c - mean_h)^T,
  // scale_h = f_h n_h / (n_h - 1), where the PSUs without a row of the domain count as
  // zero totals (subset() keeps the full design's n_h), and the sum over strata is scaled
  // by (strata present) / (strata that could contribute) for lonely_psu = average.
  std::vector<double> variance(static_cast<size_t>(k) * k, 0.0);
  std::vector<double> mean(k);
  std::vector<int32_t> psus_here;  // the stratum's PSUs with a row of the domain
  std::vector<double> deviation;   // theirs z - mean, k per PSU
  int strata_present = 0;
  int strata_contributing = 0;
  for (int h = 0; h < strata(); ++h) {
    psus_here.clear();
    for (int32_t i = first_psu_of_stratum_[h]; i < first_psu_of_stratum_[h + 1]; ++i) {
      if (rows_per_psu[psus_by_stratum_[i]] > 0) psus_here.push_back(psus_by_stratum_[i]);
    }
    if (psus_here.empty()) continue;
    ++strata_present;
    const double f = fpc_factor_[h];
    if (f < 1e-7) {  // sampled with certainty (R: all(f < 1e-07))
      ++strata_contributing;
      continue;
    }
    const int n_h = psus_in_stratum_[h];
    const int in_domain = static_cast<int>(psus_here.size());
    if (n_h == 1) {
      switch (lonely_psu_) {
        case LonelyPsu::kFail:
          return MakeError("SVY004",
                           fmt::format("stratum {} has only one PSU (lonely_psu = fail; use "
                                       "certainty, remove, adjust or average)",
                                       stratum_name_[h]));
        case LonelyPsu::kAverage:
          continue;  // replaced by the average of the others
        case LonelyPsu::kCertainty:
        case LonelyPsu::kRemove:
          ++strata_contributing;  // the PSU centred on itself: zero
          continue;
        case LonelyPsu::kAdjust:
          ++strata_contributing;
          // Centred at zero, the mean of the linearised values over the population.
          for (int a = 0; a < k; ++a) {
            for (int b = 0; b < k; ++b) {
              variance[a * k + b] += f * z[psus_here[0] * k + a] * z[psus_here[0] * k + b];
            }
          }
          continue;
      }
    }
    ++strata_contributing;
    const double scale = f * n_h / (n_h - 1);
    std::fill(mean.begin(), mean.end(), 0.0);
    for (int32_t psu : psus_here) {
      for (int a = 0; a < k; ++a) mean[a] += z[psu * k + a];
    }
    for (int a = 0; a < k; ++a) mean[a] /= n_h;
    const double absent = n_h - in_domain;  // zero totals: deviation -mean
    deviation.resize(static_cast<size_t>(in_domain) * k);
    for (int i = 0; i < in_domain; ++i) {
      for (int a = 0; a < k; ++a) deviation[i * k + a] = z[psus_here[i] * k + a] - mean[a];
    }
    for (int a = 0; a < k; ++a) {
      for (int b = a; b < k; ++b) {
        double sum = absent * mean[a] * mean[b];
        for (int i = 0; i < in_domain; ++i) sum += deviation[i * k + a] * deviation[i * k + b];
        variance[a * k + b] += scale * sum;
        if (b != a) variance[b * k + a] += scale * sum;
      }
    }
  }
  if (strata_contributing == 0) {
    return MakeError("SVY004",
                     "every stratum of the domain has only one PSU: lonely_psu = "
                     "average has no other stratum to average");
  }
  if (strata_contributing != strata_present) {
    double factor = static_cast<double>(strata_present) / strata_contributing;
    for (double& v : variance) v *= factor;
  }
  return variance;
}

namespace {

// svyvar * (N - n) / (N n): the variance of the mean under simple random sampling without
// replacement of n rows from a population of N = sum of weights (svymean's deff = TRUE).
std::optional<double> SrsVarianceOfMean(const DomainSums& sums, double mean, double weight_sum,
                                        int64_t n) {
  if (n < 2 || weight_sum < static_cast<double>(n)) return std::nullopt;
  double weighted_yy = 0;
  for (double v : sums.weighted_yy) weighted_yy += v;
  double nd = static_cast<double>(n);
  // sum w (y - mean)^2 / sum w, times n / (n - 1) (svyvar).
  double population_variance = std::max(0.0, weighted_yy / weight_sum - mean * mean);
  double svyvar = population_variance * nd / (nd - 1);
  double srs = svyvar * (weight_sum - nd) / (weight_sum * nd);
  if (!(srs > 0)) return std::nullopt;
  return srs;
}

}  // namespace

Result<DesignEstimate> Design::Mean(const DomainSums& sums) const {
  DesignEstimate estimate;
  double weighted_y = 0;
  for (int psu = 0; psu < psus(); ++psu) {
    estimate.weight_sum += sums.weight[psu];
    weighted_y += sums.weighted_y[psu];
    estimate.rows += sums.rows[psu];
  }
  if (estimate.rows == 0) return MakeError("SVY006", "the domain has no rows: no mean");
  estimate.value = weighted_y / estimate.weight_sum;
  std::vector<double> z(psus());
  for (int psu = 0; psu < psus(); ++psu) {
    z[psu] = (sums.weighted_y[psu] - estimate.value * sums.weight[psu]) / estimate.weight_sum;
  }
  std::vector<double> variance = NGO_TRY(Variance(z, 1, sums.rows));
  estimate.se = std::sqrt(std::max(0.0, variance[0]));
  estimate.degrees_of_freedom = DegreesOfFreedom(sums.rows);
  std::optional<double> srs =
      SrsVarianceOfMean(sums, estimate.value, estimate.weight_sum, estimate.rows);
  if (srs) estimate.deff = variance[0] / *srs;
  return estimate;
}

Result<DesignEstimate> Design::Total(const DomainSums& sums) const {
  DesignEstimate estimate;
  double weighted_y = 0;
  for (int psu = 0; psu < psus(); ++psu) {
    estimate.weight_sum += sums.weight[psu];
    weighted_y += sums.weighted_y[psu];
    estimate.rows += sums.rows[psu];
  }
  estimate.value = weighted_y;
  std::vector<double> variance = NGO_TRY(Variance(sums.weighted_y, 1, sums.rows));
  estimate.se = std::sqrt(std::max(0.0, variance[0]));
  estimate.degrees_of_freedom = DegreesOfFreedom(sums.rows);
  if (estimate.rows > 0) {
    double mean = weighted_y / estimate.weight_sum;
    std::optional<double> srs = SrsVarianceOfMean(sums, mean, estimate.weight_sum, estimate.rows);
    // svytotal: svyvar * N^2 * (N - n) / (N n).
    if (srs) estimate.deff = variance[0] / (*srs * estimate.weight_sum * estimate.weight_sum);
  }
  return estimate;
}

Result<ProportionEstimate> Design::Proportion(const DomainSums& sums, ProportionInterval method,
                                              double level) const {
  if (!(level > 0 && level < 1)) {
    return MakeError("SVY006", fmt::format("confidence level {} is not strictly between 0 and 1",
                                           FormatNumber(level)));
  }
  ProportionEstimate result;
  result.estimate = NGO_TRY(Mean(sums));
  const double p = result.estimate.value;
  const double variance = result.estimate.se * result.estimate.se;
  const int df = result.estimate.degrees_of_freedom;
  const double alpha = 1 - level;
  if (df <= 0 || !(variance > 0)) return result;
  switch (method) {
    case ProportionInterval::kLogit: {
      // svyglm(y ~ 1, family = quasibinomial)'s Wald interval on the logit scale with the
      // design's degrees of freedom; the sandwich variance of the intercept is the
      // linearised variance of the mean divided by (p (1 - p))^2.
      if (!(p > 0 && p < 1)) return result;
      double half = -StudentQuantile(alpha / 2, df) * std::sqrt(variance) / (p * (1 - p));
      result.lower = Expit(Logit(p) - half);
      result.upper = Expit(Logit(p) + half);
      return result;
    }
    case ProportionInterval::kKornGraubard: {
      // svyciprop(method = "beta"): a Clopper-Pearson interval at the effective sample size
      // p (1 - p) / var, adjusted by (qt(a/2, n - 1) / qt(a/2, df))^2.
      const double rows = static_cast<double>(result.estimate.rows);
      if (rows < 2) return result;
      double ratio = StudentQuantile(alpha / 2, rows - 1) / StudentQuantile(alpha / 2, df);
      double n_eff = p * (1 - p) / variance * ratio * ratio;
      if (!(n_eff > 0)) {
        // p = 0 or 1 with a nonzero variance cannot happen; a zero n_eff has no interval.
        return result;
      }
      double a = n_eff * p;
      double b = n_eff * (1 - p);
      result.lower =
          a > 0 ? boost::math::quantile(boost::math::beta_distribution<>(a, b + 1), alpha / 2)
                : 0.0;
      result.upper =
          b > 0 ? boost::math::quantile(boost::math::beta_distribution<>(a + 1, b), 1 - alpha / 2)
                : 1.0;
      return result;
    }
  }
  return result;
}

Result<RaoScottResult> Design::RaoScott(std::span<const int32_t> row_codes,
                                        std::span<const int32_t> column_codes,
                                        std::span<const uint8_t> domain) const {
  const int64_t n = rows();
  if (static_cast<int64_t>(row_codes.size()) != n ||
      static_cast<int64_t>(column_codes.size()) != n ||
      (!domain.empty() && static_cast<int64_t>(domain.size()) != n)) {
    return MakeError("SVY006",
                     "the Rao-Scott test needs one row code, one column code (and one "
                     "domain byte) per row of the design");
  }
  // The levels present in the domain, in increasing order (R's factor levels).
  std::vector<int32_t> row_levels;
  std::vector<int32_t> column_levels;
  for (int64_t row = 0; row < n; ++row) {
    if (!domain.empty() && domain[row] == 0) continue;
    if (row_codes[row] < 0 || column_codes[row] < 0) {
      return MakeError("SVY006",
                       fmt::format("row {}: a negative code inside the domain of a "
                                   "Rao-Scott test",
                                   row + 1),
                       RowLocation(row));
    }
    row_levels.push_back(row_codes[row]);
    column_levels.push_back(column_codes[row]);
  }
  auto unique_sorted = [](std::vector<int32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  unique_sorted(row_levels);
  unique_sorted(column_levels);
  RaoScottResult result;
  result.rows_present = static_cast<int>(row_levels.size());
  result.columns_present = static_cast<int>(column_levels.size());
  const int nr = result.rows_present;
  const int nc = result.columns_present;
  if (nr < 2 || nc < 2) return result;
  auto index_of = [](const std::vector<int32_t>& levels, int32_t code) {
    return static_cast<int>(std::lower_bound(levels.begin(), levels.end(), code) - levels.begin());
  };

  // Per-PSU weighted totals of each cell, cells numbered as R's interaction(rows, cols):
  // the row level varies fastest.
  const int cells = nr * nc;
  std::vector<double> cell_totals(static_cast<size_t>(psus()) * cells, 0.0);
  std::vector<int64_t> cell_rows(cells, 0);
  std::vector<int64_t> psu_rows(psus(), 0);
  for (int64_t row = 0; row < n; ++row) {
    if (!domain.empty() && domain[row] == 0) continue;
    int cell =
        index_of(row_levels, row_codes[row]) + nr * index_of(column_levels, column_codes[row]);
    int32_t psu = psu_of_row_[row];
    cell_totals[static_cast<size_t>(psu) * cells + cell] += weights_[row];
    ++cell_rows[cell];
    ++psu_rows[psu];
  }
  return RaoScottFromTotals(cell_totals, cell_rows, nr, nc, psu_rows);
}

// Long on purpose: svychisq's steps in R's order, checked against R step by step.
// NOLINTNEXTLINE(readability-function-size)
Result<RaoScottResult> Design::RaoScottFromTotals(std::span<const double> all_cell_weights,
                                                  std::span<const int64_t> all_cell_rows,
                                                  int all_rows, int all_columns,
                                                  std::span<const int64_t> psu_rows) const {
  const int all_cells = all_rows * all_columns;
  if (static_cast<int>(all_cell_rows.size()) != all_cells ||
      all_cell_weights.size() != static_cast<size_t>(psus()) * all_cells ||
      static_cast<int>(psu_rows.size()) != psus()) {
    return MakeError("SVY006", "Rao-Scott totals of the wrong size");
  }
  // Only the levels with a row of the domain count (R's factor levels of the subset).
  std::vector<int> row_levels, column_levels;
  for (int r = 0; r < all_rows; ++r) {
    int64_t rows_here = 0;
    for (int c = 0; c < all_columns; ++c) rows_here += all_cell_rows[r + all_rows * c];
    if (rows_here > 0) row_levels.push_back(r);
  }
  for (int c = 0; c < all_columns; ++c) {
    int64_t rows_here = 0;
    for (int r = 0; r < all_rows; ++r) rows_here += all_cell_rows[r + all_rows * c];
    if (rows_here > 0) column_levels.push_back(c);
  }
  RaoScottResult result;
  result.rows_present = static_cast<int>(row_levels.size());
  result.columns_present = static_cast<int>(column_levels.size());
  const int nr = result.rows_present;
  const int nc = result.columns_present;
  if (nr < 2 || nc < 2) return result;
  const int cells = nr * nc;
  std::vector<double> cell_totals(static_cast<size_t>(psus()) * cells);
  std::vector<double> psu_weight(psus(), 0.0);
  std::vector<double> cell_weight(cells, 0.0);
  double weight_sum = 0;
  int64_t domain_rows = 0;
  for (int r = 0; r < nr; ++r) {
    for (int c = 0; c < nc; ++c)
      domain_rows += all_cell_rows[row_levels[r] + all_rows * column_levels[c]];
  }
  for (int psu = 0; psu < psus(); ++psu) {
    for (int c = 0; c < nc; ++c) {
      for (int r = 0; r < nr; ++r) {
        double w = all_cell_weights[static_cast<size_t>(psu) * all_cells + row_levels[r] +
                                    all_rows * column_levels[c]];
        cell_totals[static_cast<size_t>(psu) * cells + r + nr * c] = w;
        psu_weight[psu] += w;
        cell_weight[r + nr * c] += w;
        weight_sum += w;
      }
    }
  }
  const int nu = DegreesOfFreedom(psu_rows);
  if (nu <= 0) return result;

  // svymean of the cell indicators and its linearised covariance.
  Eigen::VectorXd mean2(cells);
  for (int cell = 0; cell < cells; ++cell) mean2[cell] = cell_weight[cell] / weight_sum;
  std::vector<double> z(static_cast<size_t>(psus()) * cells);
  for (int psu = 0; psu < psus(); ++psu) {
    for (int cell = 0; cell < cells; ++cell) {
      size_t at = static_cast<size_t>(psu) * cells + cell;
      z[at] = (cell_totals[at] - mean2[cell] * psu_weight[psu]) / weight_sum;
    }
  }
  std::vector<double> covariance = NGO_TRY(Variance(z, cells, psu_rows));
  Eigen::MatrixXd v =
      Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          covariance.data(), cells, cells);

  // X1: the main-effects model matrix of the nr x nc grid (treatment contrasts); the
  // interaction columns of X12 made orthogonal to it (qr.resid(qr(X1), X12[, -main])).
  const int main_columns = nr + nc - 1;
  const int interactions = (nr - 1) * (nc - 1);
  Eigen::MatrixXd x1 = Eigen::MatrixXd::Zero(cells, main_columns);
  Eigen::MatrixXd x12 = Eigen::MatrixXd::Zero(cells, interactions);
  for (int c = 0; c < nc; ++c) {
    for (int r = 0; r < nr; ++r) {
      int cell = r + nr * c;
      x1(cell, 0) = 1;
      if (r > 0) x1(cell, r) = 1;
      if (c > 0) x1(cell, nr - 1 + c) = 1;
      if (r > 0 && c > 0) x12(cell, (r - 1) + (nr - 1) * (c - 1)) = 1;
    }
  }
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(x1);
  Eigen::MatrixXd cmat = x12 - x1 * qr.solve(x12);

  const double big_n = static_cast<double>(domain_rows);
  Eigen::VectorXd inverse_mean(cells);
  for (int cell = 0; cell < cells; ++cell) {
    inverse_mean[cell] = mean2[cell] == 0 ? 0 : 1 / mean2[cell];
  }
  Eigen::MatrixXd scaled = inverse_mean.asDiagonal() * cmat;  // D^-1 C
  Eigen::MatrixXd denominator = cmat.transpose() * scaled / big_n;
  Eigen::MatrixXd numerator = scaled.transpose() * v * scaled;
  Eigen::MatrixXd delta = denominator.fullPivLu().solve(numerator);
  const double trace = delta.trace();
  const double trace_squared = (delta * delta).trace();
  if (!(trace > 0) || !(trace_squared > 0)) return result;

  // Pearson's X^2 on the weighted table scaled to the domain's n (svytable(Ntotal = n)).
  std::vector<double> row_share(nr, 0.0);
  std::vector<double> column_share(nc, 0.0);
  for (int c = 0; c < nc; ++c) {
    for (int r = 0; r < nr; ++r) {
      row_share[r] += mean2[r + nr * c];
      column_share[c] += mean2[r + nr * c];
    }
  }
  double pearson = 0;
  for (int c = 0; c < nc; ++c) {
    for (int r = 0; r < nr; ++r) {
      double observed = big_n * mean2[r + nr * c];
      double expected = big_n * row_share[r] * column_share[c];
      pearson += (observed - expected) * (observed - expected) / expected;
    }
  }
  result.pearson = pearson;
  result.f_statistic = pearson / trace;
  result.numerator_df = trace * trace / trace_squared;
  result.denominator_df = result.numerator_df * nu;
  boost::math::fisher_f dist(result.numerator_df, result.denominator_df);
  result.p_value = boost::math::cdf(boost::math::complement(dist, result.f_statistic));
  result.informative = true;
  return result;
}

}  // namespace ngosurvey::analysis
