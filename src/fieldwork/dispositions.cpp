#include "fieldwork/dispositions.h"

#include <array>
#include <string>

#include "base/text.h"
#include "base/words.h"

namespace ngosurvey::fieldwork {
namespace {

using RC = RateCategory;
using W = words::Word;

// AAPOR Standard Definitions, Table 2 (in-person surveys). Where AAPOR speaks of
// a household or housing unit, the label adds the organization reading used for
// establishment surveys after a slash.
constexpr DispositionCode kCodes[] = {
    {"1.1", W::kDisposition1_1, RC::kComplete},
    {"1.2", W::kDisposition1_2, RC::kPartial},
    {"2.10", W::kDisposition2_10, RC::kRefusal},
    {"2.11", W::kDisposition2_11, RC::kRefusal},
    {"2.111", W::kDisposition2_111, RC::kRefusal},
    {"2.112", W::kDisposition2_112, RC::kRefusal},
    {"2.12", W::kDisposition2_12, RC::kRefusal},
    {"2.20", W::kDisposition2_20, RC::kNonContact},
    {"2.23", W::kDisposition2_23, RC::kNonContact},
    {"2.24", W::kDisposition2_24, RC::kNonContact},
    {"2.25", W::kDisposition2_25, RC::kNonContact},
    {"2.30", W::kDisposition2_30, RC::kOther},
    {"2.31", W::kDisposition2_31, RC::kOther},
    {"2.32", W::kDisposition2_32, RC::kOther},
    {"2.33", W::kDisposition2_33, RC::kOther},
    {"2.331", W::kDisposition2_331, RC::kOther},
    {"2.332", W::kDisposition2_332, RC::kOther},
    {"2.333", W::kDisposition2_333, RC::kOther},
    {"2.36", W::kDisposition2_36, RC::kOther},
    {"3.10", W::kDisposition3_10, RC::kUnknownHousehold},
    {"3.11", W::kDisposition3_11, RC::kUnknownHousehold},
    {"3.17", W::kDisposition3_17, RC::kUnknownHousehold},
    {"3.18", W::kDisposition3_18, RC::kUnknownHousehold},
    {"3.20", W::kDisposition3_20, RC::kUnknownOther},
    {"3.21", W::kDisposition3_21, RC::kUnknownOther},
    {"3.90", W::kDisposition3_90, RC::kUnknownOther},
    {"4.10", W::kDisposition4_10, RC::kNotEligible},
    {"4.50", W::kDisposition4_50, RC::kNotEligible},
    {"4.51", W::kDisposition4_51, RC::kNotEligible},
    {"4.52", W::kDisposition4_52, RC::kNotEligible},
    {"4.53", W::kDisposition4_53, RC::kNotEligible},
    {"4.60", W::kDisposition4_60, RC::kNotEligible},
    {"4.61", W::kDisposition4_61, RC::kNotEligible},
    {"4.62", W::kDisposition4_62, RC::kNotEligible},
    {"4.63", W::kDisposition4_63, RC::kNotEligible},
    {"4.70", W::kDisposition4_70, RC::kNotEligible},
    {"4.80", W::kDisposition4_80, RC::kNotEligible},
    {"4.90", W::kDisposition4_90, RC::kNotEligible},
};

using CO = ContactOutcome;

// Final codes for outcomes that leave a case open are the codes AAPOR converts
// such temporary dispositions to at the end of fieldwork.
constexpr OutcomeInfo kOutcomes[] = {
    {CO::kNoReply, "no-reply", "letter, message or visit made; nothing heard yet", false, "3.11"},
    {CO::kNonContact, "non-contact", "could not reach the organization", false, "2.20"},
    {CO::kRespondentUnavailable, "respondent-unavailable",
     "reached the organization; the respondent was away or busy", false, "2.25"},
    {CO::kAppointment, "appointment", "an appointment for the interview was made", false, "2.25"},
    {CO::kUnableToLocate, "unable-to-locate", "the address could not be found", false, "3.18"},
    {CO::kUnknownEligibility, "unknown-eligibility",
     "reached, but eligibility could not be established", false, "3.20"},
    {CO::kLanguage, "language", "no shared language and no interpreter", true, "2.33"},
    {CO::kComplete, "complete", "interview completed", true, "1.1"},
    {CO::kPartial, "partial", "interview partly completed", true, "1.2"},
    {CO::kRefusal, "refusal", "the organization or respondent refused", true, "2.11"},
    {CO::kBreakOff, "break-off", "interview started, then stopped by the respondent", true, "2.12"},
    {CO::kNotEligible, "not-eligible", "not eligible (e.g. not an NGO)", true, "4.10"},
    {CO::kOtherEligible, "other", "eligible, no interview, another reason", true, "2.36"},
};

static_assert(std::size(kOutcomes) == static_cast<size_t>(CO::kOtherEligible) + 1,
              "one row per ContactOutcome, in enum order");

}  // namespace

std::string_view CategoryAbbreviation(RateCategory category) {
  static constexpr std::array<std::string_view, kRateCategoryCount> kNames = {
      "I", "P", "R", "NC", "O", "UH", "UO", "NE"};
  return kNames[static_cast<size_t>(category)];
}

std::string_view CategoryName(RateCategory category) {
  static constexpr std::array<std::string_view, kRateCategoryCount> kNames = {
      "complete interview",         "partial interview",
      "refusal and break-off",      "non-contact",
      "other non-interview",        "unknown if unit exists/operates",
      "unknown eligibility, other", "not eligible"};
  return kNames[static_cast<size_t>(category)];
}

std::span<const DispositionCode> FinalDispositions() { return kCodes; }

std::string_view DispositionLabel(const DispositionCode& code, std::string_view language) {
  return words::Pattern(code.label, language);
}

const DispositionCode* FindDisposition(std::string_view code) {
  code = text::Trim(code);
  for (const DispositionCode& row : kCodes) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

std::optional<std::string_view> SuggestDisposition(std::string_view code) {
  code = text::Trim(code);
  if (code.empty() || FindDisposition(code) != nullptr) return std::nullopt;
  // Spreadsheets that read "2.20" as a number write it back as "2.2".
  std::string padded(code);
  for (int extra = 0; extra < 2; ++extra) {
    padded += '0';
    if (const DispositionCode* row = FindDisposition(padded)) return row->code;
  }
  return std::nullopt;
}

std::span<const OutcomeInfo> ContactOutcomes() { return kOutcomes; }

const OutcomeInfo& Describe(ContactOutcome outcome) {
  return kOutcomes[static_cast<size_t>(outcome)];
}

std::optional<ContactOutcome> FindOutcome(std::string_view name) {
  for (const OutcomeInfo& info : kOutcomes) {
    if (info.name == name) return info.outcome;
  }
  return std::nullopt;
}

}  // namespace ngosurvey::fieldwork
