// Agreement among coders (docs/statistics.md, "Agreement among coders"): percent
// agreement, Cohen's kappa, Fleiss' kappa and Krippendorff's alpha for nominal
// data, any number of coders, missing judgements allowed, and a bootstrap interval
// for alpha with a fixed seed.
//
// Two levels:
//  - ComputeNominalAgreement takes a units x categories table of counts (how many
//    coders put each unit in each category), the form in which Fleiss (1971) and
//    Krippendorff print their examples;
//  - ComputeCodingAgreement takes the codings of one open question (unit = one
//    answer, coder, code) and judges every code present or absent in every answer
//    each coder coded: per code, and "(overall)" pooling every answer x code
//    judgement.
// Units that fewer than two coders judged carry no information about agreement and
// are left out of every coefficient and of n_units.
//
// Pure functions: no state, safe from any thread. ComputeCodingAgreement runs the
// bootstraps of the codes on every core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "form/codebook.h"
#include "store/store.h"

namespace ngosurvey::analysis {

// Units x categories: counts[row * categories + c] is how many coders put the
// row's unit in category c; the row stands for weights[row] identical units
// (weights empty = one unit per row).
struct AgreementTable {
  int categories = 0;
  std::vector<int64_t> counts;
  std::vector<int64_t> weights;

  size_t rows() const {
    return categories > 0 ? counts.size() / static_cast<size_t>(categories) : 0;
  }
};

struct NominalAgreement {
  int64_t n_units = 0;  // units with two judgements or more
  // Mean over units of the share of coder pairs that agree.
  std::optional<double> percent_agreement;
  // (P - Pe) / (1 - Pe): P = percent_agreement, each unit with its own number of
  // coders; Pe = sum of squared pooled category shares. Empty with no unit or when
  // every judgement is in one category.
  std::optional<double> fleiss_kappa;
  // 1 - (n - 1) * sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) / (n^2 - sum_c n_c^2),
  // n = pairable values: Krippendorff's nominal alpha. Empty like Fleiss' kappa.
  std::optional<double> krippendorff_alpha;
};

NominalAgreement ComputeNominalAgreement(const AgreementTable& table);

// Cohen's kappa of two coders from their categories x categories table (row =
// first coder's category, column = second's): (po - pe) / (1 - pe), computed
// exactly from the counts; empty when pe = 1 or the table is empty.
std::optional<double> CohenKappa(const std::vector<int64_t>& table, int categories);

// ---------------------------------------------------------------------------
// Codings of one question.

inline constexpr int32_t kNoCode = -1;

// One coder's code on one answer. Several rows with the same (unit, coder, code)
// (several segments) count once; a row with code kNoCode says the coder read the
// answer and found no code. A (unit, coder) without any row was not coded.
struct Coding {
  uint32_t unit = 0;
  uint32_t coder = 0;
  int32_t code = kNoCode;
};

struct AgreementOptions {
  // Each code draws from std::mt19937_64 seeded with seed XOR FNV-1a(code): the same
  // input gives the same interval, whatever the other codes.
  uint64_t seed = 20261205;
  int replicates = 1000;
  double level = 0.95;
};

struct CodeAgreement {
  std::string code;      // the code, or "(overall)"
  int64_t n_units = 0;   // answers coded by two coders or more
  int64_t n_coders = 0;  // coders who coded at least one of those answers
  std::optional<double> percent_agreement;
  std::optional<double> cohen_kappa;  // only with exactly two coders
  std::optional<double> fleiss_kappa;
  std::optional<double> krippendorff_alpha;
  std::optional<double> alpha_lo, alpha_hi;  // bootstrap percentile interval
};

inline constexpr const char* kOverallCode = "(overall)";

// Per code, in the order of `codes`, then "(overall)", whose units are the pooled
// answer x code judgements (n_units still counts answers). The interval resamples
// units (answer x code judgements for "(overall)") with replacement:
// `replicates` times, alpha of each resample (resamples where alpha is undefined
// are left out), percentiles (R's type 7) at (1 - level) / 2 and 1 - (1 - level) / 2.
// Resampling draws the counts of each distinct unit pattern (number of coders,
// number who gave the code) from a multinomial, which is the same distribution as
// drawing units one by one, and costs no more with a million answers than with ten.
// Errors: AG001 for a coding whose unit, coder or code is out of range; AG002 for
// options out of range.
Result<std::vector<CodeAgreement>> ComputeCodingAgreement(const std::vector<Coding>& codings,
                                                          size_t n_units, size_t n_coders,
                                                          const std::vector<std::string>& codes,
                                                          const AgreementOptions& options = {});

// The agreement of the coders of `question` in `codings` (reconciled codes left
// out): units are the answers anyone coded, codes are the codebook's themes that
// apply to the question (form::Codebook::AppliesTo) in its order when a codebook is
// given (AG003 for a code it does not have), else the codes used, sorted.
Result<std::vector<CodeAgreement>> ComputeAnswerCodingsAgreement(
    const std::vector<store::AnswerCoding>& codings, const std::string& question,
    const form::Codebook* codebook, const AgreementOptions& options = {});

// The same over the codings of `question` in the store. Store errors are passed on.
Result<std::vector<CodeAgreement>> ComputeQuestionAgreement(const store::Store& store,
                                                            const std::string& question,
                                                            const form::Codebook* codebook,
                                                            const AgreementOptions& options = {});

}  // namespace ngosurvey::analysis
