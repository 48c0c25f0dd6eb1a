// The formulas are AAPOR's, written with the same grouping as the Standard
// Definitions so each line can be checked against the text:
//   eligible non-interviews  = R + NC + O
//   unknown eligibility      = UH + UO
#include "fieldwork/rates.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "base/text.h"

namespace ngosurvey::fieldwork {
namespace {

constexpr MeasureInfo kMeasures[] = {
    {Measure::kRR1, "RR1", "I / ((I+P) + (R+NC+O) + (UH+UO))", false},
    {Measure::kRR2, "RR2", "(I+P) / ((I+P) + (R+NC+O) + (UH+UO))", false},
    {Measure::kRR3, "RR3", "I / ((I+P) + (R+NC+O) + e(UH+UO))", true},
    {Measure::kRR4, "RR4", "(I+P) / ((I+P) + (R+NC+O) + e(UH+UO))", true},
    {Measure::kRR5, "RR5", "I / ((I+P) + (R+NC+O))", false},
    {Measure::kRR6, "RR6", "(I+P) / ((I+P) + (R+NC+O))", false},
    {Measure::kCOOP1, "COOP1", "I / ((I+P) + R + O)", false},
    {Measure::kCOOP2, "COOP2", "(I+P) / ((I+P) + R + O)", false},
    {Measure::kCOOP3, "COOP3", "I / ((I+P) + R)", false},
    {Measure::kCOOP4, "COOP4", "(I+P) / ((I+P) + R)", false},
    {Measure::kREF1, "REF1", "R / ((I+P) + (R+NC+O) + (UH+UO))", false},
    {Measure::kREF2, "REF2", "R / ((I+P) + (R+NC+O) + e(UH+UO))", true},
    {Measure::kREF3, "REF3", "R / ((I+P) + (R+NC+O))", false},
    {Measure::kCON1, "CON1", "((I+P) + R + O) / ((I+P) + R + O + NC + (UH+UO))", false},
    {Measure::kCON2, "CON2", "((I+P) + R + O) / ((I+P) + R + O + NC + e(UH+UO))", true},
    {Measure::kCON3, "CON3", "((I+P) + R + O) / ((I+P) + R + O + NC)", false},
};
static_assert(std::size(kMeasures) == kMeasureCount);

RateValue Ratio(double numerator, double denominator) {
  if (denominator == 0) return {std::nullopt, "denominator is zero"};
  return {numerator / denominator, ""};
}

}  // namespace

int64_t DispositionCounts::Total() const {
  int64_t total = 0;
  for (int64_t count : n) total += count;
  return total;
}

std::string_view ESpec::MethodName() const {
  return method == Method::kProportional ? "proportional" : "fixed";
}

Result<ESpec> ParseESpec(std::string_view text) {
  std::string_view t = text::Trim(text);
  ESpec spec;
  if (t == "proportional") {
    spec.method = ESpec::Method::kProportional;
    return spec;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(value) ||
      value < 0 || value > 1) {
    return MakeError("FW020", "--e must be 'proportional' or a number from 0 to 1, not '" +
                                  std::string(text) + "'");
  }
  spec.method = ESpec::Method::kFixed;
  spec.value = value;
  return spec;
}

std::span<const MeasureInfo> Measures() { return kMeasures; }

const MeasureInfo& Describe(Measure measure) { return kMeasures[static_cast<size_t>(measure)]; }

OutcomeRates ComputeRates(const DispositionCounts& counts, const ESpec& e_spec) {
  using RC = RateCategory;
  OutcomeRates out;
  out.counts = counts;
  out.e_spec = e_spec;

  const double i = counts[RC::kComplete];
  const double p = counts[RC::kPartial];
  const double r = counts[RC::kRefusal];
  const double nc = counts[RC::kNonContact];
  const double o = counts[RC::kOther];
  const double uh = counts[RC::kUnknownHousehold];
  const double uo = counts[RC::kUnknownOther];
  const double ne = counts[RC::kNotEligible];

  if (e_spec.method == ESpec::Method::kFixed) {
    out.e = e_spec.value;
  } else if (i + p + r + nc + o + ne > 0) {
    out.e = (i + p + r + nc + o) / (i + p + r + nc + o + ne);
  } else {
    out.e_reason = "proportional e is undefined: no case of known eligibility";
  }

  const double interviews = i + p;
  const double eligible_non = r + nc + o;
  const double unknown = uh + uo;
  auto set = [&](Measure m, RateValue v) { out.rates[static_cast<size_t>(m)] = std::move(v); };

  set(Measure::kRR1, Ratio(i, interviews + eligible_non + unknown));
  set(Measure::kRR2, Ratio(interviews, interviews + eligible_non + unknown));
  set(Measure::kRR5, Ratio(i, interviews + eligible_non));
  set(Measure::kRR6, Ratio(interviews, interviews + eligible_non));
  set(Measure::kCOOP1, Ratio(i, interviews + r + o));
  set(Measure::kCOOP2, Ratio(interviews, interviews + r + o));
  set(Measure::kCOOP3, Ratio(i, interviews + r));
  set(Measure::kCOOP4, Ratio(interviews, interviews + r));
  set(Measure::kREF1, Ratio(r, interviews + eligible_non + unknown));
  set(Measure::kREF3, Ratio(r, interviews + eligible_non));
  set(Measure::kCON1, Ratio(interviews + r + o, interviews + r + o + nc + unknown));
  set(Measure::kCON3, Ratio(interviews + r + o, interviews + r + o + nc));
  if (out.e) {
    const double e = *out.e;
    set(Measure::kRR3, Ratio(i, interviews + eligible_non + e * unknown));
    set(Measure::kRR4, Ratio(interviews, interviews + eligible_non + e * unknown));
    set(Measure::kREF2, Ratio(r, interviews + eligible_non + e * unknown));
    set(Measure::kCON2, Ratio(interviews + r + o, interviews + r + o + nc + e * unknown));
  } else {
    for (Measure m : {Measure::kRR3, Measure::kRR4, Measure::kREF2, Measure::kCON2}) {
      set(m, RateValue{std::nullopt, out.e_reason});
    }
  }
  return out;
}

Result<std::vector<GroupRates>> RatesByGroup(const Frame& frame, std::string_view by,
                                             const ESpec& e_spec) {
  Location file_only;
  file_only.file = frame.file;
  if (!frame.has_disposition_column) {
    return MakeError("FW010",
                     "the sample frame has no 'disposition' column: outcome rates need a final "
                     "AAPOR code for every case",
                     file_only);
  }
  if (!by.empty() && !frame.HasColumn(by)) {
    return MakeError("FW012", "no column '" + std::string(by) + "' in the sample frame", file_only);
  }
  std::map<std::string, DispositionCounts> groups;
  DispositionCounts overall;
  for (const FrameCase& c : frame.cases) {
    if (c.disposition == nullptr) {
      Location where = file_only;
      where.row = c.line;
      where.column = frame.disposition_column;
      return MakeError(
          "FW011",
          "case '" + c.org_id + "' has no final disposition; rates need one for every case", where);
    }
    overall.Add(c.disposition->category);
    if (!by.empty()) groups[*frame.Value(c, by)].Add(c.disposition->category);
  }
  std::vector<GroupRates> out;
  for (const auto& [name, counts] : groups) out.push_back({name, ComputeRates(counts, e_spec)});
  out.push_back({std::string(kOverallGroup), ComputeRates(overall, e_spec)});
  return out;
}

Result<std::vector<DispositionOverride>> AlternativeDispositions(
    const Frame& frame, std::string_view column, std::span<const std::string> org_ids) {
  Location file_only;
  file_only.file = frame.file;
  if (!frame.HasColumn(column)) {
    return MakeError("FW012", "no column '" + std::string(column) + "' in the sample frame",
                     file_only);
  }
  int column_number = 0;
  for (size_t i = 0; i < frame.extra_columns.size() && i < frame.extra_column_numbers.size(); ++i) {
    if (frame.extra_columns[i] == column) column_number = frame.extra_column_numbers[i];
  }
  auto read = [&](const FrameCase& c) -> Result<std::optional<DispositionOverride>> {
    std::string value(text::Trim(*frame.Value(c, column)));
    if (value.empty()) return std::optional<DispositionOverride>();
    const DispositionCode* code = FindDisposition(value);
    if (code == nullptr) {
      Location where = file_only;
      where.row = c.line;
      where.column = column_number;
      std::string message =
          "unknown disposition code '" + value + "' in column '" + std::string(column) + "'";
      if (auto suggestion = SuggestDisposition(value)) {
        message += " (did you mean '" + std::string(*suggestion) + "'?)";
      }
      return MakeError("FW003", message, where);
    }
    return std::optional<DispositionOverride>(DispositionOverride{c.org_id, code});
  };
  std::vector<DispositionOverride> out;
  if (org_ids.empty()) {
    for (const FrameCase& c : frame.cases) {
      auto one = NGO_TRY(read(c));
      if (one) out.push_back(*one);
    }
    return out;
  }
  for (const std::string& id : org_ids) {
    const FrameCase* c = frame.Find(id);
    if (c == nullptr) {
      return MakeError("FW013", "case '" + id + "' is not in the sample frame", file_only);
    }
    auto one = NGO_TRY(read(*c));
    if (!one) {
      Location where = file_only;
      where.row = c->line;
      where.column = column_number;
      return MakeError(
          "FW013",
          "case '" + id + "' has no alternative code in column '" + std::string(column) + "'",
          where);
    }
    out.push_back(*one);
  }
  return out;
}

Result<Frame> WithDispositions(const Frame& frame, std::span<const DispositionOverride> overrides) {
  Frame out = frame;
  Location file_only;
  file_only.file = frame.file;
  for (const DispositionOverride& o : overrides) {
    auto it = std::find_if(out.cases.begin(), out.cases.end(),
                           [&](const FrameCase& c) { return c.org_id == o.org_id; });
    if (it == out.cases.end() || o.code == nullptr) {
      return MakeError("FW013",
                       "cannot override the disposition of case '" + o.org_id +
                           (o.code == nullptr ? "': no code" : "': not in the frame"),
                       file_only);
    }
    it->disposition = o.code;
  }
  if (!overrides.empty()) out.has_disposition_column = true;
  return out;
}

Result<std::vector<GroupRates>> AlternativeRatesByGroup(const Frame& frame, std::string_view by,
                                                        const ESpec& e_spec,
                                                        std::string_view column,
                                                        std::span<const std::string> org_ids) {
  std::vector<DispositionOverride> overrides =
      NGO_TRY(AlternativeDispositions(frame, column, org_ids));
  Frame alternative = NGO_TRY(WithDispositions(frame, overrides));
  return RatesByGroup(alternative, by, e_spec);
}

}  // namespace ngosurvey::fieldwork
