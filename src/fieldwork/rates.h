// AAPOR outcome rates (Standard Definitions, "Calculating rates from response
// distributions"): response rates RR1-RR6, cooperation rates COOP1-COOP4, refusal
// rates REF1-REF3 and contact rates CON1-CON3, from counts of cases per rate
// category. docs/fieldwork.md lists every formula.
//
// A rate whose denominator is zero, or that needs an e that could not be
// estimated, is "cannot be computed": an absent value with a reason, never 0 or NaN.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "fieldwork/dispositions.h"
#include "fieldwork/frame.h"

namespace ngosurvey::fieldwork {

// Numbers of cases per rate category.
struct DispositionCounts {
  std::array<int64_t, kRateCategoryCount> n{};

  int64_t operator[](RateCategory category) const { return n[static_cast<size_t>(category)]; }
  void Add(RateCategory category, int64_t count = 1) { n[static_cast<size_t>(category)] += count; }
  int64_t Total() const;
};

// How e, the estimated proportion of unknown-eligibility cases (UH + UO) that are
// eligible, is chosen.
struct ESpec {
  enum class Method {
    kFixed,         // `value`, given by the user, in [0, 1]
    kProportional,  // (I+P+R+NC+O) / (I+P+R+NC+O+NE), estimated from each group's
                    // own known-eligibility cases (the CASRO-like allocation)
  };
  Method method = Method::kProportional;
  double value = 1.0;  // kFixed only

  // "proportional" or "fixed" (for output).
  std::string_view MethodName() const;
};

// Parses "proportional" or a number in [0, 1] ("0.8", "1"). Error FW020 otherwise.
Result<ESpec> ParseESpec(std::string_view text);

// The rates, in the order they are reported.
enum class Measure {
  kRR1,
  kRR2,
  kRR3,
  kRR4,
  kRR5,
  kRR6,
  kCOOP1,
  kCOOP2,
  kCOOP3,
  kCOOP4,
  kREF1,
  kREF2,
  kREF3,
  kCON1,
  kCON2,
  kCON3,
};
inline constexpr int kMeasureCount = 16;

struct MeasureInfo {
  Measure measure;
  std::string_view name;     // "RR3"
  std::string_view formula;  // "I / ((I+P) + (R+NC+O) + e(UH+UO))"
  bool uses_e;
};
std::span<const MeasureInfo> Measures();
const MeasureInfo& Describe(Measure measure);

// One rate: a value in [0, 1], or none and the reason it cannot be computed.
struct RateValue {
  std::optional<double> value;
  std::string reason;  // empty when value is present
};

struct OutcomeRates {
  DispositionCounts counts;
  ESpec e_spec;
  std::optional<double> e;  // the e used; absent when proportional e is undefined
  std::string e_reason;     // why e is absent
  std::array<RateValue, kMeasureCount> rates;

  const RateValue& operator[](Measure measure) const { return rates[static_cast<size_t>(measure)]; }
};

// Computes every rate from `counts`. Pure; never fails.
OutcomeRates ComputeRates(const DispositionCounts& counts, const ESpec& e_spec);

// Rates for one group of cases ("KH"), or for all cases.
struct GroupRates {
  std::string group;
  OutcomeRates rates;
};

// The name of the row for all cases together.
inline constexpr std::string_view kOverallGroup = "overall";

// Counts the frame's final dispositions and computes rates per value of column
// `by` (sorted by byte order), then for all cases ("overall", always last). With
// `by` empty, only the overall row. Errors: FW010 the frame has no disposition
// column; FW011 a case has no final disposition (the first one, with its location);
// FW012 `by` is not a column of the frame.
Result<std::vector<GroupRates>> RatesByGroup(const Frame& frame, std::string_view by,
                                             const ESpec& e_spec);

// --- Alternative readings of the dispositions ---------------------------------
//
// A study may code some cases two defensible ways (the reference study's two
// Vietnamese decliners: not eligible, 4.10, or refusals, 2.11; study/README.md) and
// report rates under both. The frame keeps the other code in an extra column
// (study/frame.csv: `disposition_alt`).

// One case read with another final code.
struct DispositionOverride {
  std::string org_id;
  const DispositionCode* code = nullptr;  // never nullptr in results of this module
};

// Reads alternative final codes from `column` of the frame: one override for each
// case with a non-empty value there or, when `org_ids` is not empty, for exactly
// those cases. Errors: FW012 the frame has no such column; FW003 an unknown code
// (located at its line and column); FW013 an org_id of `org_ids` that is not in
// the frame or has no alternative code.
Result<std::vector<DispositionOverride>> AlternativeDispositions(
    const Frame& frame, std::string_view column, std::span<const std::string> org_ids = {});

// A copy of `frame` in which each overridden case has the override's code (the
// frame then counts as having a disposition column). FW013 for an org_id not in
// the frame or an override without a code.
Result<Frame> WithDispositions(const Frame& frame, std::span<const DispositionOverride> overrides);

// Rates under the alternative reading: RatesByGroup of the frame with the
// alternative codes of `column` (for `org_ids`, or every case that has one)
// replacing the final codes. The study report calls it with
// (frame, "country", e, "disposition_alt", {"VN-X1", "VN-X2"}) to count the two
// decliners as refusals instead of not eligible. Errors: those of
// AlternativeDispositions and RatesByGroup.
Result<std::vector<GroupRates>> AlternativeRatesByGroup(const Frame& frame, std::string_view by,
                                                        const ESpec& e_spec,
                                                        std::string_view column,
                                                        std::span<const std::string> org_ids = {});

}  // namespace ngosurvey::fieldwork
