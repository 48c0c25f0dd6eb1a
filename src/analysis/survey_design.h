// Design-based estimation for weighted, stratified, one-stage cluster samples by Taylor
// linearisation, reproducing R's survey package (Lumley) for the design
//
//   svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE)
//
// with replacement unless an fpc is given (the usual first approximation for multistage
// samples: the variance is that of the first stage's PSU totals). Every figure is checked
// against R (survey_design_test.cpp runs Rscript): svymean and svytotal with their standard
// errors and design effects (deff = TRUE), svyciprop's "logit" and "beta" (Korn-Graubard)
// intervals, degf, and svychisq's default statistic (the second-order Rao-Scott F test).
// docs/statistics.md gives the formulas.
//
// Domains (a subgroup, a table's base) are estimated as R's subset(design, ...) does: the
// subgroup's rows carry its values, but the variance keeps the whole design (each stratum's
// PSU count is the full design's; a PSU without a row of the domain counts as a zero total).
// Estimating from the subset as if it were the sample would understate the variance.
//
// Every estimator works from per-PSU sums (DomainSums), which one pass over the rows makes
// (Design::Sum) and which a tabulation kernel can make for many domains at once; the
// variance then costs O(PSUs), not O(rows).
//
// Error codes:
//   SVY001 a weight that is missing, zero, negative or not a finite number (names the row)
//   SVY002 columns of different lengths, or no rows
//   SVY003 an fpc that is mixed (some > 1, some < 1), varies within a stratum, is not a
//          finite positive number, or implies more than 100% sampling in a stratum
//   SVY004 a stratum with one PSU under lonely_psu = fail (names the stratum)
//   SVY005 a design with one PSU and no strata (no variance can be estimated)
//   SVY006 an invalid request (confidence level outside (0, 1), a domain or value column of
//          the wrong length, a negative table code inside the domain)
//   SVY007 an unknown lonely_psu or interval method name
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::analysis {

// What a stratum with a single PSU contributes to a variance (R's
// options(survey.lonely.psu = ...), with survey.adjust.domain.lonely = FALSE, R's default).
enum class LonelyPsu {
  kFail,       // an error (SVY004) naming the stratum
  kCertainty,  // the PSU was sampled with certainty: it contributes nothing
  kRemove,     // the stratum is ignored: it contributes nothing (as R computes it, the same
               // figure as certainty)
  kAdjust,     // the PSU's total is centred at the population mean (zero for the linearised
               // values) instead of the stratum's mean: a conservative contribution (default)
  kAverage,    // the stratum gets the average of the other strata's contributions
};

// "fail", "certainty", "remove", "adjust", "average" (R's names).
std::string_view LonelyPsuName(LonelyPsu lonely);
// The inverse; SVY007 for any other text.
Result<LonelyPsu> ParseLonelyPsu(std::string_view name);

// A column of identifiers (strata or clusters), one per row, read where it lies in the type
// it has: a table's design reads the loaded column itself, without an int64 copy of it (80 MB
// a column at 10 million rows: bench/README.md, "Weighted tables"). Equal identifiers are one
// stratum or cluster: integers; numbers (+0 and -0 alike); or single-choice codes of 1, 2 or
// 4 bytes, named in messages by their option's name. The memory must outlive Design::Make
// only (the design keeps no identifier per row).
class DesignIds {
 public:
  DesignIds() = default;                   // no column
  DesignIds(std::span<const int64_t> ids)  // NOLINT(google-explicit-constructor): as a span
      : kind_(Kind::kInt64), data_(ids.data()), size_(ids.size()) {}
  DesignIds(const std::vector<int64_t>& ids)  // NOLINT(google-explicit-constructor)
      : DesignIds(std::span<const int64_t>(ids)) {}
  static DesignIds Numbers(std::span<const double> values) {
    return DesignIds(Kind::kNumber, values.data(), values.size(), {});
  }
  // `names`: the options' names for messages (empty: the codes' numbers).
  static DesignIds Codes(std::span<const uint8_t> codes, std::span<const std::string> names = {}) {
    return DesignIds(Kind::kCode8, codes.data(), codes.size(), names);
  }
  static DesignIds Codes(std::span<const uint16_t> codes, std::span<const std::string> names = {}) {
    return DesignIds(Kind::kCode16, codes.data(), codes.size(), names);
  }
  static DesignIds Codes(std::span<const uint32_t> codes, std::span<const std::string> names = {}) {
    return DesignIds(Kind::kCode32, codes.data(), codes.size(), names);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // For codes of 1 or 2 bytes, how many codes there can be (256 or 65,536: a table by code
  // is small); nullopt for other identifiers.
  std::optional<size_t> code_limit() const {
    if (kind_ == Kind::kCode8) return size_t{1} << 8;
    if (kind_ == Kind::kCode16) return size_t{1} << 16;
    return std::nullopt;
  }
  // The identifier of `row` as messages show it ("9", "2.5", an option's name).
  std::string Name(size_t row) const;

  // Calls f(id) once, with id(row) giving row's identifier as an int64_t (equal for equal
  // identifiers, distinct otherwise): the dispatch on the column's type is made once per
  // column, not per row.
  template <typename F>
  void Visit(F&& f) const {
    switch (kind_) {
      case Kind::kInt64:
        f([p = static_cast<const int64_t*>(data_)](size_t row) { return p[row]; });
        return;
      case Kind::kNumber:
        f([p = static_cast<const double*>(data_)](size_t row) {
          return std::bit_cast<int64_t>(p[row] + 0.0);  // +0.0 for -0.0
        });
        return;
      case Kind::kCode8:
        f([p = static_cast<const uint8_t*>(data_)](size_t row) { return int64_t{p[row]}; });
        return;
      case Kind::kCode16:
        f([p = static_cast<const uint16_t*>(data_)](size_t row) { return int64_t{p[row]}; });
        return;
      case Kind::kCode32:
        f([p = static_cast<const uint32_t*>(data_)](size_t row) { return int64_t{p[row]}; });
        return;
    }
  }

 private:
  enum class Kind : uint8_t { kInt64, kNumber, kCode8, kCode16, kCode32 };
  DesignIds(Kind kind, const void* data, size_t size, std::span<const std::string> names)
      : kind_(kind), data_(data), size_(size), names_(names) {}
  Kind kind_ = Kind::kInt64;
  const void* data_ = nullptr;
  size_t size_ = 0;
  std::span<const std::string> names_;
};

// The PSU of each row (numbered 0..psus-1): 16 bits a row while every number fits them (any
// design of up to 65,536 PSUs: 20 MB less than 32 bits at 10 million rows, and less to read
// for every table), else 32.
class PsuOfRow {
 public:
  size_t size() const { return wide_.empty() ? narrow_.size() : wide_.size(); }
  int32_t operator[](size_t row) const { return wide_.empty() ? narrow_[row] : wide_[row]; }
  // Room for `rows` rows, 16 bits each.
  void Reset(size_t rows) {
    wide_.clear();
    narrow_.assign(rows, 0);
  }
  // Sets a row's number (>= 0), going to 32 bits when it does not fit 16.
  void Set(size_t row, int32_t value) {
    if (wide_.empty() && value > 0xFFFF) {
      wide_.assign(narrow_.begin(), narrow_.end());
      narrow_ = {};
    }
    if (wide_.empty()) {
      narrow_[row] = static_cast<uint16_t>(value);
    } else {
      wide_[row] = value;
    }
  }
  bool narrow() const { return wide_.empty(); }

 private:
  std::vector<uint16_t> narrow_;
  std::vector<int32_t> wide_;
};

// The columns of a design, one entry per row of the sample (all of one length). Stratum and
// cluster values are identifiers (clusters are nested in strata, so cluster 7 of stratum 1 and
// cluster 7 of stratum 2 are two PSUs).
struct DesignColumns {
  std::span<const double> weights;  // required: finite and > 0
  // Set: it keeps `weights` alive, and the design reads them where they are (a loaded column)
  // for as long as it lives. Null: the design keeps a copy of them.
  std::shared_ptr<const void> weights_owner;
  DesignIds strata;    // empty: one stratum
  DesignIds clusters;  // empty: each row is its own PSU
  // Empty: sampling with replacement. Otherwise, as R reads an fpc column: all values >= 1
  // are the number of PSUs in the row's stratum's population, all values <= 1 the stratum's
  // sampling fraction; one value per stratum.
  std::span<const double> fpc;
  LonelyPsu lonely_psu = LonelyPsu::kAdjust;
};

// Per-PSU sums of one domain (a subset of the rows) and one variable y, indexed by the
// design's PSU number (Design::psu_of_row). Rows outside the domain add nothing.
struct DomainSums {
  std::vector<double> weight;       // sum of w
  std::vector<double> weighted_y;   // sum of w * y
  std::vector<double> weighted_yy;  // sum of w * y * y
  std::vector<int64_t> rows;        // number of the domain's rows
};

// An estimate with its linearised standard error. `deff` is the design effect against simple
// random sampling without replacement of the same number of rows (svymean's and svytotal's
// deff = TRUE): absent when it cannot be computed (one row, a variance of zero under simple
// random sampling, or weights that sum to less than the number of rows, where R says "are
// weights correctly scaled?").
struct DesignEstimate {
  double value = 0;
  double se = 0;
  std::optional<double> deff;
  int64_t rows = 0;            // the domain's rows (unweighted n)
  double weight_sum = 0;       // the domain's weighted size
  int degrees_of_freedom = 0;  // degf of the domain's subset design: PSUs - strata
};

enum class ProportionInterval {
  kLogit,         // svyciprop(method = "logit"), R's default
  kKornGraubard,  // svyciprop(method = "beta")
};
// "logit", "korn-graubard"; the inverse accepts R's name "beta" too (SVY007 otherwise).
std::string_view ProportionIntervalName(ProportionInterval method);
Result<ProportionInterval> ParseProportionInterval(std::string_view name);

struct ProportionEstimate {
  DesignEstimate estimate;  // the weighted proportion, its se and deff
  // The interval, as proportions; absent when it cannot be computed (no degrees of
  // freedom, a variance of zero, a proportion of exactly 0 or 1 for the logit method).
  std::optional<double> lower;
  std::optional<double> upper;
};

// The Rao-Scott second-order corrected Pearson test of independence in a two-way table
// (svychisq(~row + col, design), statistic = "F").
struct RaoScottResult {
  bool informative = false;  // false: fewer than two rows or two columns present, or no
                             // degrees of freedom; then nothing below is meaningful
  double p_value = 1;
  double f_statistic = 0;
  double numerator_df = 0;    // d0
  double denominator_df = 0;  // d0 * (PSUs - strata)
  double pearson = 0;         // Pearson's X^2 of the weighted table scaled to n rows
  int rows_present = 0;
  int columns_present = 0;
};

class Design {
 public:
  // Checks the columns and numbers the PSUs. Errors: SVY001, SVY002, SVY003, SVY005.
  static Result<Design> Make(const DesignColumns& columns);

  int64_t rows() const { return static_cast<int64_t>(psu_of_row_.size()); }
  int psus() const { return static_cast<int>(stratum_of_psu_.size()); }
  int strata() const { return static_cast<int>(psus_in_stratum_.size()); }
  double weight(int64_t row) const { return weights_[row]; }
  std::span<const double> weights() const { return weights_; }
  // PSUs are numbered 0..psus()-1 in order of first appearance.
  const PsuOfRow& psu_of_row() const { return psu_of_row_; }
  LonelyPsu lonely_psu() const { return lonely_psu_; }

  // One pass over the rows: the per-PSU sums of y over the domain. `domain` empty: every
  // row; else one byte per row, nonzero = in the domain. `y` empty: y = 1 for every row.
  // Errors: SVY006 (a length that is not rows()).
  Result<DomainSums> Sum(std::span<const double> y, std::span<const uint8_t> domain) const;

  // The weighted mean of y over the domain (a ratio: sum w y / sum w), svymean on the
  // subset. Errors: SVY004, SVY006 (an empty domain).
  Result<DesignEstimate> Mean(const DomainSums& sums) const;
  // The weighted total, svytotal on the subset. Errors: SVY004.
  Result<DesignEstimate> Total(const DomainSums& sums) const;
  // A proportion (the mean of a 0/1 variable) with svyciprop's interval at `level`, using
  // the domain's degrees of freedom. Errors: as Mean; SVY006 (level not in (0, 1)).
  Result<ProportionEstimate> Proportion(const DomainSums& sums, ProportionInterval method,
                                        double level = 0.95) const;

  // The Rao-Scott F test between two classifications of the domain's rows: codes >= 0 (any
  // small integers; only the values present in the domain count, as R's factor levels).
  // Errors: SVY004, SVY006 (length, or a negative code inside the domain).
  Result<RaoScottResult> RaoScott(std::span<const int32_t> row_codes,
                                  std::span<const int32_t> column_codes,
                                  std::span<const uint8_t> domain) const;

  // The same test from per-PSU totals, for callers that have them already (a table's
  // kernel): `cell_weights` holds psus() x (rows * columns) weighted totals, row-major by
  // PSU, cell (r, c) at r + rows * c; `cell_rows` the domain's rows in each cell (a level
  // with no row is absent, as R's factor levels of the subset); `rows_per_psu` the domain's
  // rows in each PSU (only whether it is zero matters). Errors: SVY004, SVY006 (sizes).
  Result<RaoScottResult> RaoScottFromTotals(std::span<const double> cell_weights,
                                            std::span<const int64_t> cell_rows, int rows,
                                            int columns,
                                            std::span<const int64_t> rows_per_psu) const;

  // degf of the domain's subset design: the PSUs with a row of the domain minus the strata
  // with a row of the domain.
  int DegreesOfFreedom(std::span<const int64_t> rows_per_psu) const;

 private:
  // The linearised variance of the domain's estimator whose per-PSU values are `z`
  // (psus() x k, row-major): the with-replacement (or fpc-corrected) variance of stratified
  // PSU totals, R's onestage/onestrat. Returns k x k, row-major.
  Result<std::vector<double>> Variance(std::span<const double> z, int k,
                                       std::span<const int64_t> rows_per_psu) const;

  // The weights where DesignColumns::weights_owner keeps them, or in a copy the owner holds:
  // copies of a Design share them.
  std::span<const double> weights_;
  std::shared_ptr<const void> weights_owner_;
  PsuOfRow psu_of_row_;
  std::vector<int32_t> stratum_of_psu_;
  std::vector<std::string> stratum_name_;  // the identifier given, for messages
  std::vector<int32_t> psus_in_stratum_;   // n_h: the full design's PSU count
  // The PSUs of stratum h, in increasing order: psus_by_stratum_[first_psu_of_stratum_[h] ..
  // first_psu_of_stratum_[h + 1]) (Variance's walk by stratum without a list per call).
  std::vector<int32_t> psus_by_stratum_;
  std::vector<int32_t> first_psu_of_stratum_;
  std::vector<double> fpc_factor_;  // (N_h - n_h) / N_h, or 1 without fpc
  LonelyPsu lonely_psu_ = LonelyPsu::kAdjust;
};

}  // namespace ngosurvey::analysis
